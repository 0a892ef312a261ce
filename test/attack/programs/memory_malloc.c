/* Allocates 1 MiB blocks and touches every page, for ever. Must end as a memory limit hit. */
#include <stdlib.h>
#include <string.h>

int main(void) {
  for (;;) {
    char *p = malloc(1 << 20);
    if (!p) abort();
    memset(p, 1, 1 << 20);
  }
}
