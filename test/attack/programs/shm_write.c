/* Leaves things behind for a later run: a file in /dev/shm and /tmp, a POSIX shm object, fifos.
 * All named after the token (argv[1]). Prints one line per try. A later run must not see them and
 * the host's /dev/shm and /tmp must not get them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void note(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : strerrorname_np(errno)); }

int main(int argc, char **argv) {
  const char *token = argc > 1 ? argv[1] : "judged-attack";
  char path[512];
  snprintf(path, sizeof path, "/dev/shm/%s", token);
  int fd = open(path, O_WRONLY | O_CREAT, 0666);
  note("file /dev/shm", fd >= 0 && write(fd, "left\n", 5) == 5);
  snprintf(path, sizeof path, "/tmp/%s", token);
  fd = open(path, O_WRONLY | O_CREAT, 0666);
  note("file /tmp", fd >= 0 && write(fd, "left\n", 5) == 5);
  snprintf(path, sizeof path, "/%s-shm", token);
  fd = shm_open(path, O_RDWR | O_CREAT, 0666);
  note("shm_open", fd >= 0 && ftruncate(fd, 4096) == 0);
  snprintf(path, sizeof path, "/dev/shm/%s.fifo", token);
  note("fifo /dev/shm", mkfifo(path, 0666) == 0);
  snprintf(path, sizeof path, "/tmp/%s.fifo", token);
  note("fifo /tmp", mkfifo(path, 0666) == 0);
  return 0;
}
