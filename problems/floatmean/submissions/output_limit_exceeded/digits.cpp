#include <cstdio>

// Prints the mean with "all the digits": an endless stream of zeros after the right value.
int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    printf("3.");
    for (;;) fputs("0000000000000000000000000000000000000000000000000000000000000000", stdout);
}
