#include <cstdio>

int main() {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    printf("1\n");  // 1 divides everything, but is trivial
}
