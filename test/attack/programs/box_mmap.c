/* Keeps a 256 MiB table in a shared mapping of a /box file (argv[1] MiB), touching every page, then
 * prints "sum: <n>" and "ok" as an accepted answer would. With /box on the host's disk the pages
 * were file cache that the memory limit did not stop (AC under a 64 MiB limit); on the run's own
 * tmpfs they are the run's memory: the run must end by the memory limit, ENOSPC (SIGBUS) or the
 * like, never with "ok". */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 256, len = mib << 20;
  int fd = open("/box/table", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || ftruncate(fd, (off_t)len) < 0) { perror("table"); return 1; }
  unsigned char *t = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (t == MAP_FAILED) { perror("mmap"); return 1; }
  unsigned long long sum = 0;
  for (size_t i = 0; i < len; i += 4096) t[i] = (unsigned char)(i >> 12);
  for (size_t i = 0; i < len; i += 4096) sum += t[i];
  printf("sum: %llu\nok\n", sum);
  return 0;
}
