/* Classic fork bomb: every process forks for ever. The pids limit must hold it, the CPU or wall
 * limit must end it, and no process may survive the run. */
#include <unistd.h>

int main(void) {
  for (;;) fork();
}
