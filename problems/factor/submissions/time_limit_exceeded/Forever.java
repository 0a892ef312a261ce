public class Forever {
    static volatile long d = 0;

    public static void main(String[] args) {
        for (;;) d++;
    }
}
