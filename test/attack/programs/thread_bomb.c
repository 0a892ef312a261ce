/* Creates threads until pthread_create fails; prints how many it got. Threads count against the
 * pids limit too, so the count must stay below it. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *idle(void *arg) { (void)arg; for (;;) pause(); return NULL; }

int main(void) {
  int n = 0;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  for (;;) {
    pthread_t t;
    if (pthread_create(&t, &attr, idle, NULL) != 0) break;
    n++;
    if (n > 100000) break;
  }
  printf("threads: %d\n", n);
  fflush(stdout);
  return 0;
}
