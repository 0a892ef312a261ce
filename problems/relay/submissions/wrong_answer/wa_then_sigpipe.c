/* Answers wrong, then keeps writing without reading: the judge has rejected and gone, so a write
 * kills this program with SIGPIPE. The judge decided first: WA, not RTE. */
#include <stdio.h>

int main(void) {
    long long n, v;
    if (scanf("%lld %lld", &n, &v) != 2) return 0;
    for (;;) {
        printf("%lld\n", v);
        fflush(stdout);
    }
}
