/* Plants traps in the work dir for the judge that reads or writes it after the run, as root:
 * out.txt and in.txt -> argv[1] (a host file the test owns), err.txt -> /etc/passwd, outdir -> the directory
 * of argv[1] (a link in the middle of a path, which O_NOFOLLOW does not catch), and a fifo fifo.txt
 * that blocks whoever opens it. A later run whose stdin/stdout/stderr point at these names must
 * neither follow the links (overwriting or leaking host files) nor hang on the fifo. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *target = argc > 1 ? argv[1] : "/etc/hostname";
  printf("symlink out.txt: %s\n", symlink(target, "out.txt") == 0 ? "ok" : strerrorname_np(errno));
  printf("symlink in.txt: %s\n", symlink(target, "in.txt") == 0 ? "ok" : strerrorname_np(errno));
  printf("symlink err.txt: %s\n", symlink("/etc/passwd", "err.txt") == 0 ? "ok" : strerrorname_np(errno));
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", target);
  printf("symlink outdir: %s\n", symlink(dirname(dir), "outdir") == 0 ? "ok" : strerrorname_np(errno));
  printf("mkfifo fifo.txt: %s\n", mkfifo("fifo.txt", 0666) == 0 ? "ok" : strerrorname_np(errno));
  return 0;
}
