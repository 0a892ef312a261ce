/* Four child processes each take and touch 40 MiB: each one is under the limit, all together are
 * over it. The parent waits; when a child is killed it kills the rest and exits 1. The memory limit
 * covers the whole run, so the run must report a memory limit hit (the OOM kill of a child). */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 4; i++) {
    if (fork() == 0) {
      /* volatile: the compiler would otherwise drop a buffer nobody reads, and no page is touched. */
      volatile char *p = malloc(40u << 20);
      if (!p) _exit(3);
      for (size_t off = 0; off < (40u << 20); off += 4096) p[off] = 1;
      for (;;) pause();
    }
  }
  int status;
  if (wait(&status) > 0 && WIFSIGNALED(status)) {
    signal(SIGTERM, SIG_IGN);
    kill(0, SIGTERM);
    return 1;
  }
  return 0;
}
