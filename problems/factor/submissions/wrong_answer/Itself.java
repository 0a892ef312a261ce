import java.util.Scanner;

public class Itself {
    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        System.out.println(n);  // n is trivial too
    }
}
