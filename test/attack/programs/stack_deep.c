/* Recursion that needs argv[1] MiB of stack, then exits 0. With stackKiB defaulting to memoryKiB,
 * a deep-but-finite recursion that fits the memory limit must succeed. */
#include <stdio.h>
#include <stdlib.h>

static long down(long n) {
  volatile char frame[1024];
  frame[0] = (char)n;
  if (n == 0) return 0;
  return down(n - 1) + frame[0];
}

int main(int argc, char **argv) {
  long mib = argc > 1 ? atol(argv[1]) : 32;
  long r = down(mib * 1024);
  printf("depth ok: %ld\n", r & 1);
  return 0;
}
