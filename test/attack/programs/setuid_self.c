/* chmod u+s on a copy of print_ids it owns, then runs it: a setuid bit set from inside must give no
 * more than the uid the program already has. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  printf("chmod u+s: %s\n", chmod("print_ids_self", 04755) == 0 ? "ok" : strerrorname_np(errno));
  fflush(stdout);
  execl("./print_ids_self", "print_ids_self", (char *)NULL);
  printf("exec: %s\n", strerrorname_np(errno));
  return 1;
}
