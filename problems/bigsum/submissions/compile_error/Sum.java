public class Sum {
    public static void main(String[] args) {
        long total = 0
        System.out.println(total);
    }
}
