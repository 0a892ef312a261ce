/* Prints the open file descriptors, from /proc/self/fd and by probing 0..65535 with fcntl, so an fd
 * leaked by the supervisor shows up even if /proc were faked. Expected: "proc fds: 0 1 2" and
 * "probe fds: 0 1 2". */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  DIR *d = opendir("/proc/self/fd");
  printf("proc fds:");
  if (d) {
    struct dirent *e;
    int self = dirfd(d);
    while ((e = readdir(d)))
      if (e->d_name[0] != '.' && atoi(e->d_name) != self) printf(" %s", e->d_name);
    closedir(d);
  }
  printf("\nprobe fds:");
  for (int fd = 0; fd < 65536; fd++)
    if (fcntl(fd, F_GETFD) != -1) printf(" %d", fd);
  printf("\n");
  return 0;
}
