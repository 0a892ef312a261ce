/* Writes to stderr for ever. The stderr file must be capped like any file (RLIMIT_FSIZE). */
#include <string.h>
#include <unistd.h>

int main(void) {
  static char buf[65536];
  memset(buf, 'E', sizeof buf);
  for (;;)
    if (write(2, buf, sizeof buf) < 0) return 3;
}
