public class Spin {
    static volatile double x = 0;

    public static void main(String[] args) {
        while (true) x = Math.sqrt(x + 2.0);
    }
}
