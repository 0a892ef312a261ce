/* Fills the directory argv[1] with 64 KiB files (each well under the output cap) until a write
 * fails or the run is killed; prints how many bytes it got after every file. Inside /tmp (a
 * size-limited tmpfs) the total must stay bounded; in /box it lands on the host's disk. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/tmp";
  static char buf[65536];
  memset(buf, 'F', sizeof buf);
  unsigned long long total = 0;
  for (int i = 0;; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/fill-%d", dir, i);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { printf("stopped: %s\n", strerrorname_np(errno)); break; }
    ssize_t n = write(fd, buf, sizeof buf);
    close(fd);
    if (n != (ssize_t)sizeof buf) { printf("stopped: %s\n", n < 0 ? strerrorname_np(errno) : "short write"); break; }
    total += (unsigned long long)n;
    if (i % 64 == 0) { printf("bytes: %llu\n", total); fflush(stdout); }
  }
  printf("bytes: %llu\n", total);
  return 0;
}
