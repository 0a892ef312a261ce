/* Unbounded recursion with a 1 KiB frame: must die of SIGSEGV (stack limit) or the memory limit. */
#include <stdio.h>

static int down(int n) {
  volatile char frame[1024];
  frame[0] = (char)n;
  return down(n + 1) + frame[0];
}

int main(void) { return down(0) & 1; }
