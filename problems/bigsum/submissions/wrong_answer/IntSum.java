import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.StringTokenizer;

public class IntSum {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int n = Integer.parseInt(in.readLine().trim());
        int sum = 0;  // 32-bit: overflows
        int read = 0;
        while (read < n) {
            StringTokenizer st = new StringTokenizer(in.readLine());
            while (st.hasMoreTokens()) {
                sum += Integer.parseInt(st.nextToken());
                read++;
            }
        }
        System.out.println(sum);
    }
}
