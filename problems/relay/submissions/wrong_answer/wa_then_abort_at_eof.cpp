// Answers the first round wrong, then keeps reading and aborts the moment its input ends. The
// interactor rejected first and its exit is what ended the input: WA (as problemtools judges its own
// guess example that throws on the end of input), however close the two ends are in time.
#include <cstdio>
#include <cstdlib>

int main() {
    long long n, v;
    if (std::scanf("%lld %lld", &n, &v) != 2) return 0;
    std::printf("%lld\n", v + 1);
    std::fflush(stdout);
    char buf[64];
    while (std::fgets(buf, sizeof buf, stdin)) {}
    std::abort();
}
