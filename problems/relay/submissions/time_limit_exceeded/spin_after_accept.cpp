// Plays every round right, reads "end", closes its output and spins. The interactor accepts first
// (its input ended), but the program must still end within the time limit: TLE (problemtools: TLE
// for the same after a correct guess).
#include <cstdio>

int main() {
    long long n, v;
    if (std::scanf("%lld", &n) != 1) return 0;
    for (long long i = 0; i < n; i++) {
        if (std::scanf("%lld", &v) != 1) return 0;
        std::printf("%lld\n", 2 * v);
        std::fflush(stdout);
    }
    char end[8];
    if (std::scanf("%7s", end) != 1) return 0;
    std::fclose(stdout);
    volatile unsigned long long x = 1;
    for (;;) x = x * 6364136223846793005ULL + 1;
}
