#include <cstdio>
#include <vector>

int main() {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    std::vector<long long> divisors;
    for (long long d = 2; d * d <= n && d < 50; d++)
        if (n % d == 0) divisors.push_back(d);
    // Throws std::out_of_range (uncaught: abort) when no divisor below 50 was found.
    printf("%lld\n", divisors.at(0));
}
