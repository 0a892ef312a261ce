#include <cstdio>

int main() {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    volatile long long d = 2;
    while (n % d != 1) d = d + n;  // n % d is 0 or d, never 1: loops forever
    printf("%lld\n", (long long)d);
}
