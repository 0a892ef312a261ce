public class Spin {
    static volatile long n = 0;

    public static void main(String[] args) {
        while (true) n++;
    }
}
