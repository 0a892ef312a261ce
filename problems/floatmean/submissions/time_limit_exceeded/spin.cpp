int main() {
    volatile double x = 0;
    for (;;) x = x + 0.5;
}
