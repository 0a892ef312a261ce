/* Tries to fill /box: first with empty files (inodes) until creation fails, then removes a few and
 * writes one file until a write fails (space). Prints "files: <n> <errno name>" and
 * "bytes: <n> <errno name>". /box is a size- and inode-limited tmpfs of the run: both must stop
 * with ENOSPC, and the host's disk and inodes must not move. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  char name[64];
  long n = 0;
  for (;; n++) {
    snprintf(name, sizeof name, "/box/i%ld", n);
    int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) break;
    close(fd);
  }
  printf("files: %ld %s\n", n, strerrorname_np(errno));
  for (long i = 0; i < 16 && i < n; i++) { snprintf(name, sizeof name, "/box/i%ld", i); unlink(name); }
  static char buf[1 << 16];
  memset(buf, 'B', sizeof buf);
  int fd = open("/box/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  unsigned long long total = 0;
  for (;;) {
    ssize_t w = write(fd, buf, sizeof buf);
    if (w <= 0) break;
    total += (unsigned long long)w;
  }
  printf("bytes: %llu %s\n", total, strerrorname_np(errno));
  return 0;
}
