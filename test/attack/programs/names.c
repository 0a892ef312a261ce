/* Looks for anything inside the sandbox that names the judge: where its stdin/stdout/stderr point
 * (/proc/self/fd/0-2), what pid 1 is (/proc/1/cmdline, comm), the mount table
 * (/proc/self/mountinfo) and its own environment. Prints every line it found under a label; the
 * test expects no host path of problem data, of the judge's work root or of the supervisor. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static void dump(const char *label, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) { printf("%s: unreadable\n", label); return; }
  char line[4096];
  size_t n;
  while ((n = fread(line, 1, sizeof line - 1, f)) > 0) {
    for (size_t i = 0; i < n; i++) if (line[i] == 0) line[i] = ' ';
    line[n] = 0;
    char *save, *l = strtok_r(line, "\n", &save);
    for (; l; l = strtok_r(NULL, "\n", &save)) printf("%s: %s\n", label, l);
  }
  fclose(f);
}

int main(void) {
  for (int fd = 0; fd < 3; fd++) {
    char p[64], t[4096];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(p, t, sizeof t - 1);
    t[n > 0 ? n : 0] = 0;
    printf("fd%d: %s\n", fd, t);
  }
  dump("cmdline1", "/proc/1/cmdline");
  dump("comm1", "/proc/1/comm");
  dump("mountinfo", "/proc/self/mountinfo");
  for (char **e = environ; *e; e++) printf("env: %s\n", *e);
  fflush(stdout);
  return 0;
}
