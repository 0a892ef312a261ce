import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

// Finds x, then says goodbye: writing after "correct" breaks the protocol.
public class Chatty {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        long lo = 1, hi = 1_000_000_000L;
        while (lo <= hi) {
            long mid = (lo + hi) / 2;
            System.out.println("? " + mid);
            System.out.flush();
            String reply = in.readLine();
            if (reply == null) return;
            if (reply.equals("correct")) {
                System.out.println("thanks!");
                System.out.flush();
                return;
            }
            if (reply.equals("lower")) hi = mid - 1;
            else lo = mid + 1;
        }
    }
}
