// Uses std::accumulate without <numeric> and a vector without <vector>.
#include <cstdio>

int main() {
    std::vector<long long> a;
    printf("%lld\n", std::accumulate(a.begin(), a.end(), 0LL));
}
