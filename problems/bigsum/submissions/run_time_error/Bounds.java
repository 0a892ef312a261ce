import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

public class Bounds {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int n = Integer.parseInt(in.readLine().trim());
        long[] a = new long[n];
        System.out.println(a[n]);  // ArrayIndexOutOfBoundsException
    }
}
