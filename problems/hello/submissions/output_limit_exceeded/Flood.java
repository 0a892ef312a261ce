import java.io.BufferedOutputStream;
import java.io.IOException;
import java.util.Arrays;

public class Flood {
    public static void main(String[] args) throws IOException {
        byte[] line = new byte[4096];
        Arrays.fill(line, (byte) 'x');
        line[4095] = '\n';
        BufferedOutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        while (true) out.write(line);
    }
}
