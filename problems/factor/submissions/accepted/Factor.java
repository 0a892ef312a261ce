import java.util.Scanner;

public class Factor {
    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                System.out.println(d);
                return;
            }
        }
    }
}
