// A package declaration and a helper class in another file: run as contest.Solver.
package contest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.StringTokenizer;

public class Solver {
    public static void main(String[] args) throws Exception {
        StringTokenizer t = new StringTokenizer(new BufferedReader(new InputStreamReader(System.in)).readLine());
        System.out.println(Adder.add(Long.parseLong(t.nextToken()), Long.parseLong(t.nextToken())));
    }
}
