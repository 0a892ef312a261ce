// Answers wrong, then spins: the judge has rejected long before the time limit. WA, not TLE.
#include <cstdio>

int main() {
    long long n, v;
    if (std::scanf("%lld %lld", &n, &v) != 2) return 0;
    std::printf("%lld\n", v + 1);
    std::fflush(stdout);
    volatile unsigned long long x = 1;
    for (;;) x = x * 6364136223846793005ULL + 1;
}
