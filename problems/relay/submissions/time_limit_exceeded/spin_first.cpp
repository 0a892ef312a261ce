// Spins before its first answer while the judge waits: TLE.
#include <cstdio>

int main() {
    long long n;
    if (std::scanf("%lld", &n) != 1) return 0;
    volatile unsigned long long x = 1;
    for (;;) x = x * 6364136223846793005ULL + 1;
}
