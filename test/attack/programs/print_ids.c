/* Installed setuid-root by the test (or chmod u+s by the program itself). Tries setuid(0), prints
 * its ids, then runs `id -u` the way a shell would. Inside the sandbox the effective uid must never
 * be 0. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  int r = setuid(0);
  printf("setuid(0): %d uid: %d euid: %d\n", r, (int)getuid(), (int)geteuid());
  fflush(stdout);
  execl("/usr/bin/id", "id", "-u", (char *)NULL);
  perror("exec id");
  return 1;
}
