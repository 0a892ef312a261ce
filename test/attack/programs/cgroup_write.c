/* Tries to loosen its own cgroup limits, move itself to the root cgroups, and create a cgroup named
 * after the token (argv[1]), in every controller under /sys/fs/cgroup (v1 and v2 layouts). Prints one
 * line per try; every try must fail. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void try_write(const char *path, const char *value) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) { if (errno != ENOENT) printf("write %s: %s\n", path, strerrorname_np(errno)); return; }
  ssize_t n = write(fd, value, strlen(value));
  printf("write %s: %s\n", path, n >= 0 ? "ok" : strerrorname_np(errno));
  close(fd);
}

int main(int argc, char **argv) {
  const char *token = argc > 1 ? argv[1] : "judged-attack";
  char pid[32];
  snprintf(pid, sizeof pid, "%d\n", getpid());
  static const char *ctrls[] = {"memory", "pids", "cpu", "cpuacct", "cpuset", "freezer", "unified", "", NULL};
  /* Own cgroup per controller, from /proc/self/cgroup ("id:controllers:/path"). */
  FILE *f = fopen("/proc/self/cgroup", "r");
  char line[512];
  while (f && fgets(line, sizeof line, f)) {
    printf("cgroup line: %s", line);
  }
  if (f) fclose(f);
  for (int i = 0; ctrls[i]; i++) {
    char base[256], path[512];
    snprintf(base, sizeof base, "/sys/fs/cgroup/%s", ctrls[i]);
    snprintf(path, sizeof path, "%s/%s", base, token);
    if (mkdir(path, 0755) == 0) printf("mkdir %s: ok\n", path);
    else printf("mkdir %s: %s\n", path, strerrorname_np(errno));
    snprintf(path, sizeof path, "%s/cgroup.procs", base);
    try_write(path, pid);
    snprintf(path, sizeof path, "%s/tasks", base);
    try_write(path, pid);
    snprintf(path, sizeof path, "%s/memory.limit_in_bytes", base);
    try_write(path, "-1");
    snprintf(path, sizeof path, "%s/pids.max", base);
    try_write(path, "max");
    snprintf(path, sizeof path, "%s/memory.max", base);
    try_write(path, "max");
    snprintf(path, sizeof path, "%s/cgroup.subtree_control", base);
    try_write(path, "+memory");
  }
  return 0;
}
