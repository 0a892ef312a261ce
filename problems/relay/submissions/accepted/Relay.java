import java.io.BufferedReader;
import java.io.InputStreamReader;

public class Relay {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int n = Integer.parseInt(in.readLine().trim());
        for (int i = 0; i < n; i++) {
            System.out.println(2 * Long.parseLong(in.readLine().trim()));
            System.out.flush();
        }
        in.readLine();
    }
}
