// main lives in a static nested class only: the class to run is Outer$Runner.
import java.util.Scanner;

public class Outer {
    static class Runner {
        public static void main(String[] args) {
            Scanner in = new Scanner(System.in);
            System.out.println(in.nextLong() + in.nextLong());
        }
    }
}
