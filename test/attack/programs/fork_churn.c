/* Spends its CPU in short-lived children: each burns ~20 ms and exits, so no single process ever
 * comes near a per-process CPU limit (RLIMIT_CPU). The run's CPU time must still sum them all and
 * end as a CPU time limit hit. */
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void burn_ms(long ms) {
  struct timespec t0, t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
  do clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

int main(void) {
  for (;;) {
    pid_t p = fork();
    if (p == 0) { burn_ms(20); _exit(0); }
    if (p > 0) waitpid(p, NULL, 0);
  }
}
