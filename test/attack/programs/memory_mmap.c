/* Maps anonymous memory in 16 MiB chunks and writes to each page. Must end as a memory limit hit. */
#include <stdlib.h>
#include <sys/mman.h>

int main(void) {
  const size_t chunk = 16u << 20;
  for (;;) {
    char *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) abort();
    for (size_t i = 0; i < chunk; i += 4096) p[i] = 1;
  }
}
