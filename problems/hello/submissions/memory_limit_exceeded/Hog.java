// @EXPECTED_RESULTS@: MEMORY-LIMIT, RUN-ERROR
// The JVM reports an exhausted heap as OutOfMemoryError (exit 1), which a judge may only see as a
// run-time error; a cgroup kill is a memory-limit verdict.
import java.util.ArrayList;
import java.util.Arrays;

public class Hog {
    public static void main(String[] args) {
        ArrayList<long[]> keep = new ArrayList<>();
        while (true) {
            long[] block = new long[1 << 20];  // 8 MiB
            Arrays.fill(block, 7L);
            keep.add(block);
        }
    }
}
