import java.util.Scanner;

// The class is public but misspelled relative to nothing else: `Double total` is fine, `double`
// returned as `int` is not.
public class Mean {
    static int mean(double total, int n) {
        return total / n;  // incompatible types: possible lossy conversion from double to int
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        System.out.println(mean(0, in.nextInt()));
    }
}
