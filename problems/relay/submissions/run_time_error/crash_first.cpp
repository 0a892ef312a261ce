// Crashes in round 3 while the judge waits for its answer: the crash came first, RTE (the judge
// then reads end of input and rejects, but it decided after the program had failed).
#include <cstdio>
#include <cstdlib>

int main() {
    long long n, v;
    if (std::scanf("%lld", &n) != 1) return 0;
    for (int i = 1; i <= n; i++) {
        if (std::scanf("%lld", &v) != 1) return 0;
        if (i == 3) std::abort();
        std::printf("%lld\n", 2 * v);
        std::fflush(stdout);
    }
}
