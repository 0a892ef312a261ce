/* Tries to create a file named after the token (argv[1]) in every system directory and prints one
 * line per try: "write <dir>: ok" or "write <dir>: <errno name>". The test then checks on the host
 * that no file with the token exists outside the work dir, whatever the lines say (a write into a
 * private tmpfs inside the sandbox is harmless). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dirs[] = {"/", "/tmp", "/usr", "/usr/bin", "/etc", "/var/tmp", "/root", "/home",
                             "/dev/shm", "/dev", "/run", "/var", "/box/..", "/proc", "/sys", NULL};

int main(int argc, char **argv) {
  const char *token = argc > 1 ? argv[1] : "judged-attack";
  for (int i = 0; dirs[i]; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dirs[i], token);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd >= 0 && write(fd, "pwned\n", 6) == 6) printf("write %s: ok\n", dirs[i]);
    else printf("write %s: %s\n", dirs[i], strerrorname_np(errno));
    if (fd >= 0) close(fd);
    snprintf(path, sizeof path, "%s/%s.d", dirs[i], token);
    if (mkdir(path, 0777) == 0) printf("mkdir %s: ok\n", dirs[i]);
    else printf("mkdir %s: %s\n", dirs[i], strerrorname_np(errno));
  }
  /* Overwriting an existing system file must fail too. */
  int fd = open("/etc/passwd", O_WRONLY | O_APPEND);
  printf("append /etc/passwd: %s\n", fd >= 0 ? "ok" : strerrorname_np(errno));
  return 0;
}
