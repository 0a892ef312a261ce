import java.util.Scanner;

public class Nulls {
    static String answer;

    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        if (n % 2 == 0) answer = "2";
        System.out.println(answer.trim());  // NullPointerException for odd n
    }
}
