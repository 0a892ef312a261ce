// Two classes declare main; submissions.yaml names Sum as the entry point.
import java.util.Scanner;

class Debug {
    public static void main(String[] args) {
        System.out.println("debugging output, not the answer");
    }
}

class Sum {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        System.out.println(in.nextLong() + in.nextLong());
    }
}
