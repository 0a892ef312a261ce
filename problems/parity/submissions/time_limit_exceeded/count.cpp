// Counts down to the answer one at a time, and forgets to stop at zero.
#include <cstdio>
int main() { long long n; std::scanf("%lld", &n); volatile long long k = n; while (k != -1) k -= 2; std::puts("odd"); }
