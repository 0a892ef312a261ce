class Test {
    public static void main(String[] args) {
        System.out.println("a local test harness, not the answer");
    }
}
