import java.io.BufferedOutputStream;
import java.io.IOException;
import java.util.Arrays;

public class Digits {
    public static void main(String[] args) throws IOException {
        BufferedOutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        byte[] zeros = new byte[1 << 16];
        Arrays.fill(zeros, (byte) '0');
        out.write("3.".getBytes());
        while (true) out.write(zeros);
    }
}
