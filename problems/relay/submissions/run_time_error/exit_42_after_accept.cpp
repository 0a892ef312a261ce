// Plays every round right, reads "end" and exits with status 42. The interactor accepts on the end
// of input that exit caused, but the program ended first and not cleanly: RTE (a non-zero exit is a
// crash whatever the number; problemtools gives RTE for the same in its guess example).
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
    return 42;
}
