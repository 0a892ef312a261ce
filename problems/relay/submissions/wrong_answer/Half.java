// Plain WA: answers v / 2, and exits cleanly when the judge has gone (readLine gives null).
import java.io.BufferedReader;
import java.io.InputStreamReader;

public class Half {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line = in.readLine();
        while ((line = in.readLine()) != null && !line.equals("end")) {
            System.out.println(Long.parseLong(line.trim()) / 2);
            System.out.flush();
        }
    }
}
