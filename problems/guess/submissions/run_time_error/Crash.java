import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

public class Crash {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("? 500000000");
        System.out.flush();
        String reply = in.readLine();
        System.out.println("? " + Long.parseLong(reply));  // NumberFormatException
    }
}
