#include <cstdio>
#include <vector>

int main() {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    std::vector<long long> a(n);
    long long sum = 0;
    for (long long i = 0; i <= n; i++) sum += a.at(i);  // off by one: std::out_of_range, abort
    printf("%lld\n", sum);
}
