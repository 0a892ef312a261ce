/* Writes to stdout for ever. Must end as an output limit hit with the captured file capped. */
#include <string.h>
#include <unistd.h>

int main(void) {
  static char buf[65536];
  memset(buf, 'A', sizeof buf);
  for (;;)
    if (write(1, buf, sizeof buf) < 0) return 3;
}
