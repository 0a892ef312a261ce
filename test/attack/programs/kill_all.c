/* kill(-1, SIGKILL), then kill(pid, SIGKILL) for each pid in argv[1..] (host pids the test owns).
 * Prints the result of each; the test checks its victims are still alive. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int r = kill(-1, SIGKILL);
  printf("kill -1: %s\n", r == 0 ? "ok" : strerrorname_np(errno));
  for (int i = 1; i < argc; i++) {
    r = kill(atoi(argv[i]), SIGKILL);
    printf("kill %s: %s\n", argv[i], r == 0 ? "ok" : strerrorname_np(errno));
  }
  printf("survived\n");
  return 0;
}
