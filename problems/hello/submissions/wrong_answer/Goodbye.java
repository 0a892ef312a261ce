import java.util.Scanner;

public class Goodbye {
    public static void main(String[] args) {
        String name = new Scanner(System.in).next();
        System.out.println("Goodbye, " + name + "!");
    }
}
