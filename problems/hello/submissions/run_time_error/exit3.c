/* @EXPECTED_RESULTS@: RUN-ERROR */
#include <stdio.h>

int main(void) {
    printf("Hello, World!\n");
    return 3; /* a non-zero exit code is a run-time error even with the right output */
}
