/* Forks children that sleep, until fork() fails; prints how many it got. The count must stay below
 * the run's process limit, and the sleeping children must not outlive the run. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  int n = 0;
  for (;;) {
    pid_t p = fork();
    if (p < 0) break;
    if (p == 0) { for (;;) pause(); }
    n++;
    if (n > 100000) break;
  }
  printf("forked: %d\n", n);
  fflush(stdout);
  return 0;
}
