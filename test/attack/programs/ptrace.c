/* PTRACE_ATTACH to each pid in argv[1..] (host pids of the test), to pid 1 and to the parent.
 * Prints "attach <pid>: ok" or the errno name. Attaching to anything outside the run must fail. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static void attach(const char *label, pid_t pid) {
  if (pid == getpid()) { printf("attach %s: self\n", label); return; }
  if (ptrace(PTRACE_ATTACH, pid, 0, 0) == 0) {
    printf("attach %s: ok\n", label);
    waitpid(pid, NULL, __WALL);
    ptrace(PTRACE_DETACH, pid, 0, 0);
  } else {
    printf("attach %s: %s\n", label, strerrorname_np(errno));
  }
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) attach(argv[i], atoi(argv[i]));
  attach("init", 1);
  attach("parent", getppid());
  fflush(stdout);
  return 0;
}
