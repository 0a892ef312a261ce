/* Looks at /proc for host processes: prints every visible pid, whether each pid in argv[1..] (host
 * pids of the test) is visible, and pid 1's command line. In a pid namespace only the run's own
 * processes may be visible. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  DIR *d = opendir("/proc");
  printf("pids:");
  int count = 0;
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)))
      if (isdigit((unsigned char)e->d_name[0])) { printf(" %s", e->d_name); count++; }
    closedir(d);
  }
  printf("\ncount: %d\n", count);
  for (int i = 1; i < argc; i++) {
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/%s", argv[i]);
    printf("host pid %s: %s\n", argv[i], stat(path, &st) == 0 ? "visible" : strerrorname_np(errno));
  }
  int fd = open("/proc/1/cmdline", O_RDONLY);
  char buf[256] = {0};
  if (fd >= 0) {
    ssize_t n = read(fd, buf, sizeof buf - 1);
    for (ssize_t i = 0; i < n; i++) if (!buf[i]) buf[i] = ' ';
    close(fd);
  }
  printf("pid 1: %s\n", buf);
  return 0;
}
