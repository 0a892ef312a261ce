/* Copies print_ids (put in the work dir by the test) to a file it owns, sets the setuid bit on it
 * and runs it: a setuid bit set from inside must give no more than the uid the program already has. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  int in = open("print_ids", O_RDONLY);
  int out = open("print_ids_self", O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (in < 0 || out < 0) { printf("copy: %s\n", strerrorname_np(errno)); return 1; }
  char buf[65536];
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0) write(out, buf, (size_t)n);
  close(in);
  close(out);
  printf("chmod u+s: %s\n", chmod("print_ids_self", 04755) == 0 ? "ok" : strerrorname_np(errno));
  fflush(stdout);
  execl("./print_ids_self", "print_ids_self", (char *)NULL);
  printf("exec: %s\n", strerrorname_np(errno));
  return 1;
}
