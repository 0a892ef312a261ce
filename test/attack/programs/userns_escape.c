/* Becomes "root" in a new user namespace (if the kernel lets it), then tries the classic chroot
 * escape (chroot into a subdirectory, climb with "..", chroot "."), mounts a tmpfs, and looks for the
 * host: prints what "/" holds afterwards and whether /etc/shadow or /work can be opened. Whatever
 * unshare allows, the host's files must stay out of reach. */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void note(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : strerrorname_np(errno)); }

int main(void) {
  unsigned uid = getuid(), gid = getgid();
  int userns = unshare(CLONE_NEWUSER) == 0;
  note("unshare user", userns);
  if (userns) {
    char map[64];
    write_file("/proc/self/setgroups", "deny");
    snprintf(map, sizeof map, "0 %u 1", uid);
    note("uid_map", write_file("/proc/self/uid_map", map) == 0);
    snprintf(map, sizeof map, "0 %u 1", gid);
    note("gid_map", write_file("/proc/self/gid_map", map) == 0);
    printf("uid in namespace: %d\n", (int)getuid());
    note("unshare mount", unshare(CLONE_NEWNS) == 0);
    mkdir("/tmp/m", 0755);
    note("mount tmpfs", mount("none", "/tmp/m", "tmpfs", 0, NULL) == 0);
  }
  mkdir("/tmp/esc", 0755);
  int chrooted = chroot("/tmp/esc") == 0;
  note("chroot", chrooted);
  if (chrooted) {
    for (int i = 0; i < 64; i++) chdir("..");
    note("chroot .", chroot(".") == 0);
  }
  DIR *d = opendir("/");
  printf("root holds:");
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (e->d_name[0] != '.') printf(" %s", e->d_name);
  printf("\n");
  int fd = open("/etc/shadow", O_RDONLY);
  note("open /etc/shadow", fd >= 0);
  struct stat st;
  note("stat /work", stat("/work", &st) == 0);
  note("stat /root", stat("/root", &st) == 0);
  return 0;
}
