#include <csignal>
#include <cstdio>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    std::raise(SIGSEGV);  // a crash the compiler cannot remove
}
