// @EXPECTED_RESULTS@: MEMORY-LIMIT, RUN-ERROR
// Right answer, but keeps ten zero-filled arrays sized by n: 640 MB on the large case, over
// 512 MiB. The JVM may report an OutOfMemoryError (a run-time error) before the sandbox's memory
// limit kills it.
import java.io.DataInputStream;
import java.io.IOException;

public class Boxes {
    private static final DataInputStream in = new DataInputStream(System.in);
    private static final byte[] buf = new byte[1 << 16];
    private static int len = 0, pos = 0;

    private static int read() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) return -1;
        }
        return buf[pos++];
    }

    private static long nextLong() throws IOException {
        int c = read();
        while (c == ' ' || c == '\n') c = read();
        boolean neg = c == '-';
        if (neg) c = read();
        long v = 0;
        while (c >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            c = read();
        }
        return neg ? -v : v;
    }

    public static void main(String[] args) throws IOException {
        int n = (int) nextLong();
        long[][] copies = new long[10][];
        for (int i = 0; i < 10; i++) copies[i] = new long[4 * n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            long a = nextLong();
            copies[i % 10][i] = a;
            sum += a;
        }
        System.out.println(sum);
    }
}
