/* Four threads burn CPU at once: the CPU limit counts every thread, so the run must end as a CPU
 * time limit hit after about the limit in CPU time, in less wall time than that on 2+ cores. */
#include <pthread.h>

static void *burn(void *arg) {
  volatile unsigned long x = 0;
  (void)arg;
  for (;;) x++;
  return NULL;
}

int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, burn, NULL);
  pthread_join(t[0], NULL);
  return 0;
}
