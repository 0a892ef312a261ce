import java.util.ArrayList;

public class Generic {
    public static void main(String[] args) {
        ArrayList<int> guesses = new ArrayList<>();  // primitive type argument
        System.out.println("? " + guesses.size());
    }
}
