// Parses with Integer: the big case throws NumberFormatException.
import java.util.Scanner;

class Overflow {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        System.out.println(Integer.parseInt(in.next()) + Integer.parseInt(in.next()));
    }
}
