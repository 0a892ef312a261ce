/* The later run: looks for what shm_write left (argv[1] is the token). Prints "<what>: visible" or
 * "<what>: <errno name>"; nothing may be visible. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void look(const char *what, const char *path) {
  struct stat st;
  if (lstat(path, &st) == 0) printf("%s: visible\n", what);
  else printf("%s: %s\n", what, strerrorname_np(errno));
}

int main(int argc, char **argv) {
  const char *token = argc > 1 ? argv[1] : "judged-attack";
  char path[512];
  snprintf(path, sizeof path, "/dev/shm/%s", token);
  look("file /dev/shm", path);
  snprintf(path, sizeof path, "/tmp/%s", token);
  look("file /tmp", path);
  snprintf(path, sizeof path, "/dev/shm/%s-shm", token);
  look("shm_open", path);
  snprintf(path, sizeof path, "/dev/shm/%s.fifo", token);
  look("fifo /dev/shm", path);
  snprintf(path, sizeof path, "/tmp/%s.fifo", token);
  look("fifo /tmp", path);
  return 0;
}
