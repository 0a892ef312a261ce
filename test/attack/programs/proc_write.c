/* Tries the host-wide knobs reachable through /proc: sysrq, kernel sysctls, and making itself
 * unkillable by the OOM killer (oom_score_adj -1000). Prints one line per try; all must fail. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void try_write(const char *path, const char *value) {
  int fd = open(path, O_WRONLY);
  ssize_t n = fd >= 0 ? write(fd, value, strlen(value)) : -1;
  printf("write %s: %s\n", path, n >= 0 ? "ok" : strerrorname_np(errno));
  if (fd >= 0) close(fd);
}

int main(void) {
  try_write("/proc/sysrq-trigger", "h");
  try_write("/proc/sys/kernel/hostname", "pwned");
  try_write("/proc/sys/vm/drop_caches", "3");
  try_write("/proc/sys/kernel/pid_max", "4194304");
  try_write("/proc/self/oom_score_adj", "-1000");
  try_write("/proc/1/oom_score_adj", "1000");
  return 0;
}
