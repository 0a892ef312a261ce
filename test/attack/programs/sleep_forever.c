/* Uses no CPU and never ends. Must end as a wall-clock limit hit. */
#include <unistd.h>

int main(void) {
  for (;;) pause();
}
