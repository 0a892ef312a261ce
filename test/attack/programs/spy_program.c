/* The contestant's side of an interactive run, spying on the interactor: tries to read the
 * interactor's secret (/data/secret.ans and through /proc/<pid>/root of every visible process),
 * to ptrace and to kill every other visible process, then answers one line listing what worked
 * ("<what>=ok") or the errno names. Nothing may work, and the interactor must live. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

static char out[4000];

static void note(const char *what, int ok) {
  size_t n = strlen(out);
  snprintf(out + n, sizeof out - n, " %s=%s", what, ok ? "ok" : strerrorname_np(errno));
}

static int readable(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  char c;
  ssize_t n = read(fd, &c, 1);
  close(fd);
  return n >= 0;
}

int main(void) {
  char hello[64];
  if (!fgets(hello, sizeof hello, stdin)) return 1;
  note("read:/data/secret.ans", readable("/data/secret.ans"));
  DIR *d = opendir("/proc");
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (!isdigit((unsigned char)e->d_name[0])) continue;
    pid_t pid = atoi(e->d_name);
    if (pid == getpid()) continue;
    char what[320], path[300];
    snprintf(path, sizeof path, "/proc/%d/root/data/secret.ans", pid);
    snprintf(what, sizeof what, "read:%s", path);
    note(what, readable(path));
    snprintf(what, sizeof what, "ptrace:%d", pid);
    note(what, ptrace(PTRACE_ATTACH, pid, 0, 0) == 0);
    snprintf(what, sizeof what, "kill:%d", pid);
    note(what, kill(pid, SIGKILL) == 0);
  }
  note("kill:-1", kill(-1, SIGKILL) == 0);
  printf("spy:%s\n", out);
  fflush(stdout);
  return 0;
}
