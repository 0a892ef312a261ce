// Throws in round 2 while the judge waits for its answer: the crash came first, RTE.
import java.io.BufferedReader;
import java.io.InputStreamReader;

public class CrashFirst {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int n = Integer.parseInt(in.readLine().trim());
        for (int i = 1; i <= n; i++) {
            long v = Long.parseLong(in.readLine().trim());
            if (i == 2) throw new IllegalStateException("round 2");
            System.out.println(2 * v);
            System.out.flush();
        }
    }
}
