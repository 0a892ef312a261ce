#include <cstdio>
#include <vector>

// Keeps ten copies of every number "for safety": far over 512 MiB on the large case.
int main() {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    std::vector<std::vector<long long>> copies(10, std::vector<long long>(n * 4));
    long long sum = 0;
    for (long long i = 0; i < n; i++) {
        long long a;
        scanf("%lld", &a);
        for (auto& c : copies) c[i * 4] = a;  // every page of every copy gets written
        sum += a;
    }
    for (auto& c : copies)
        for (size_t j = 0; j < c.size(); j += 512) c[j] += 1;
    printf("%lld\n", sum);
}
