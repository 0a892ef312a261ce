public class Busy {
    static volatile long n = 0;

    public static void main(String[] args) {
        System.out.println("? 1");
        System.out.flush();
        while (true) n++;  // never reads the reply
    }
}
