// Two classes declare main and nothing names the entry point: a compile error that names both
// (DOMjudge would pick one with a warning; judged refuses to guess).
class First {
    public static void main(String[] args) {
        System.out.println(0);
    }
}

class Second {
    public static void main(String[] args) {
        System.out.println(0);
    }
}
