/* Tries to read each path given in argv[1..] and prints "read <path>: ok <first line>" or
 * "read <path>: <errno name>". The test plants the secrets (problem data, database file, another
 * run's work dir) world-readable on the host, so only the sandbox's isolation protects them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) == 0) printf("stat %s: visible\n", argv[i]);
    else printf("stat %s: %s\n", argv[i], strerrorname_np(errno));
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) { printf("read %s: %s\n", argv[i], strerrorname_np(errno)); continue; }
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0) { printf("read %s: %s\n", argv[i], strerrorname_np(errno)); continue; }
    buf[n] = 0;
    char *nl = strchr(buf, '\n');
    if (nl) *nl = 0;
    printf("read %s: ok %s\n", argv[i], buf);
  }
  return 0;
}
