/* Writes to a file in the work dir for ever. RLIMIT_FSIZE must stop it (SIGXFSZ or EFBIG). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  static char buf[65536];
  memset(buf, 'B', sizeof buf);
  int fd = open("flood.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) { perror("open"); return 2; }
  for (;;)
    if (write(fd, buf, sizeof buf) < 0) { perror("write"); return 4; }
}
