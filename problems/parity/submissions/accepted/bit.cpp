#include <cstdio>
int main() { long long n; std::scanf("%lld", &n); std::puts(n & 1 ? "ODD" : "EVEN"); }
