/* Stops itself with SIGSTOP: nothing will continue it. The run must end at the wall limit, not hang
 * the supervisor (which would wait for an exit that never comes). */
#include <signal.h>

int main(void) {
  raise(SIGSTOP);
  return 0;
}
