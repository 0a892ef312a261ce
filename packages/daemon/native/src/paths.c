/* Host paths opened as root without following what a run could plant; detached mounts from fds. */
#include "paths.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>


/* The new mount API (Linux >= 5.12), by syscall number: glibc's wrappers and <linux/mount.h> clash. */
struct j_mount_attr { uint64_t attr_set, attr_clr, propagation, userns_fd; };
enum { J_OPEN_TREE_CLONE = 1, J_MOVE_MOUNT_F_EMPTY_PATH = 4, J_AT_EMPTY_PATH = 0x1000,
       J_MOUNT_ATTR_RDONLY = 1, J_MOUNT_ATTR_NOSUID = 2, J_MOUNT_ATTR_NODEV = 4 };

/* A detached bind (not recursive, like MS_BIND) of what fd points to, its mount flags already set. */
int clone_tree(int from, int rw) {
  int fd = (int)syscall(SYS_open_tree, from, "", J_OPEN_TREE_CLONE | O_CLOEXEC | J_AT_EMPTY_PATH);
  if (fd < 0) return -1;
  struct j_mount_attr a = { .attr_set = J_MOUNT_ATTR_NOSUID | J_MOUNT_ATTR_NODEV | (rw ? 0 : J_MOUNT_ATTR_RDONLY) };
  if (syscall(SYS_mount_setattr, fd, "", J_AT_EMPTY_PATH, &a, sizeof a) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

int attach_tree(int fd, const char *where) {
  return (int)syscall(SYS_move_mount, fd, "", AT_FDCWD, where, J_MOVE_MOUNT_F_EMPTY_PATH);
}

int neutral_name(int fd, int flags) {
  int t = (int)syscall(SYS_open_tree, fd, "", J_OPEN_TREE_CLONE | O_CLOEXEC | J_AT_EMPTY_PATH);
  if (t < 0) return fd;
  char p[64];
  snprintf(p, sizeof p, "/proc/self/fd/%d", t);
  /* (The magic link is followed on purpose: it is our own fd.) */
  int r = open(p, flags | O_NONBLOCK | O_CLOEXEC);
  close(t);
  if (r < 0) return fd;
  fcntl(r, F_SETFL, fcntl(r, F_GETFL) & ~O_NONBLOCK);
  close(fd);
  return r;
}

int is_under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == 0);
}

/*
 * Opens a host path the daemon named, as root, so that nothing a run planted can redirect it: the
 * daemon may (wrongly, but it happens) name a file inside a work dir a previous run could write.
 * A symlink anywhere in the path is followed only when root owns it (a run's uid cannot make one
 * owned by root); the file must be a regular file (reading: or a character device like /dev/null),
 * never a fifo, which would block us; a file to write must not have other hard links.
 * OPEN_DIR / OPEN_NODE give an O_PATH fd of a directory / of a directory or regular file (work dirs
 * and bind sources: mounted and chowned through the fd, so the path is never looked up again).
 */
int open_trusted(const char *path, int mode) {
  char rem[PATH_MAX], next[PATH_MAX];
  if (path[0] != '/') return fail("%s: not an absolute path", path);
  snprintf(rem, sizeof rem, "%s", path + 1);
  int dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), hops = 0, fd = -1;
  if (dfd < 0) return fail_errno("open /");
  for (;;) {
    char *p = rem;
    while (*p == '/') p++;
    char *slash = strchr(p, '/');
    size_t len = slash ? (size_t)(slash - p) : strlen(p);
    char *rest = slash ? slash + 1 : p + len;
    while (*rest == '/') rest++;
    int last = *rest == 0;
    char comp[NAME_MAX + 1];
    if (len == 0 || len > NAME_MAX) { fail("%s: bad path", path); goto out; }
    memcpy(comp, p, len);
    comp[len] = 0;
    if (!strcmp(comp, ".") && !last) { memmove(rem, rest, strlen(rest) + 1); continue; }
    struct stat st;
    int pfd = openat(dfd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (pfd < 0) {
      if (errno == ENOENT && last && mode == OPEN_WRITE) goto create;
      fail_errno("%s", path);
      goto out;
    }
    if (fstat(pfd, &st) < 0) { close(pfd); fail_errno("%s", path); goto out; }
    if (S_ISLNK(st.st_mode)) {
      char target[PATH_MAX];
      ssize_t n = readlinkat(pfd, "", target, sizeof target - 1);
      close(pfd);
      if (st.st_uid != 0) { fail("%s: refused, it goes through a symlink (%s) that a sandboxed run could have made", path, comp); goto out; }
      if (n < 0 || ++hops > 40) { fail("%s: unresolvable symlink %s", path, comp); goto out; }
      target[n] = 0;
      snprintf(next, sizeof next, "%s%s%s", target[0] == '/' ? target + 1 : target, *rest ? "/" : "", rest);
      memcpy(rem, next, sizeof rem);
      if (target[0] == '/') {
        close(dfd);
        dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) { fail_errno("open /"); goto out; }
      }
      continue;
    }
    if (!last) {
      if (!S_ISDIR(st.st_mode)) { close(pfd); errno = ENOTDIR; fail_errno("%s", path); goto out; }
      close(dfd);
      dfd = pfd;
      memmove(rem, rest, strlen(rest) + 1);
      continue;
    }
    if (mode == OPEN_DIR || mode == OPEN_NODE) {
      if (!S_ISDIR(st.st_mode) && (mode == OPEN_DIR || !S_ISREG(st.st_mode))) {
        close(pfd);
        fail("%s: refused, not a %s", path, mode == OPEN_DIR ? "directory" : "regular file or directory");
        goto out;
      }
      fd = pfd;
      goto out;
    }
    close(pfd);
    if (mode == OPEN_WRITE ? !S_ISREG(st.st_mode) : !S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
      fail("%s: refused, not a regular file", path);
      goto out;
    }
    if (mode == OPEN_WRITE && st.st_nlink > 1) { fail("%s: refused, the file has other hard links", path); goto out; }
  create:
    /* O_NONBLOCK: a fifo swapped in after the check must not block us either. */
    fd = openat(dfd, comp, (mode == OPEN_WRITE ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY) | O_NOFOLLOW |
                O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0) { fail_errno("%s", path); goto out; }
    if (fstat(fd, &st) < 0 || (!S_ISREG(st.st_mode) && !(mode == OPEN_READ && S_ISCHR(st.st_mode)))) {
      close(fd);
      fd = -1;
      fail("%s: refused, not a regular file", path);
      goto out;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    goto out;
  }
out:
  close(dfd);
  return fd;
}

