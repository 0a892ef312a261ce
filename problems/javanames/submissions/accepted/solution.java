// The file is not named after the class, and the class is not public: the main class is found in
// the compiled classes (a judge that takes the name from the file fails to start it).
import java.util.Scanner;

class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        System.out.println(in.nextLong() + in.nextLong());
    }
}
