/* Double fork + setsid: the grandchild ignores SIGHUP/SIGTERM, leaves the session and appends a line
 * to daemon.log in the work dir every 50 ms. The parent exits 0 at once. The daemon must not outlive
 * the run: the log must stop growing and no process of the slot's uid may remain on the host. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  pid_t p = fork();
  if (p < 0) return 2;
  if (p > 0) { printf("parent exits\n"); fflush(stdout); return 0; }
  setsid();
  signal(SIGHUP, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  if (fork() != 0) _exit(0);
  int fd = open("daemon.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
  close(0); close(1); close(2);
  for (;;) {
    if (fd >= 0) write(fd, "alive\n", 6);
    usleep(50 * 1000);
  }
}
