import java.util.Scanner;

public class Parse {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        in.nextInt();
        in.nextInt();
        double d = in.nextDouble();
        Object o = "not a number";
        System.out.println(d + (Integer) o);  // ClassCastException
    }
}
