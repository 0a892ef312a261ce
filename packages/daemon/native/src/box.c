/* The run's own /box (see box.h). Runs in the run's init, as root, inside the run's mount namespace. */
#include "box.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

int box_mount(const char *where, uint64_t kib, uint64_t inodes, unsigned uid) {
  char opts[160];
  snprintf(opts, sizeof opts, "size=%lluk,nr_inodes=%llu,mode=0755,uid=%u,gid=%u", (unsigned long long)kib,
           (unsigned long long)inodes, uid, uid);
  if (mount("box", where, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) return fail_errno("mount /box tmpfs");
  return 0;
}

/* Copies what fd `in` reads into a new file `name` under dirfd `out`, via a temporary name. */
static int copy_fd(int in, int out, const char *name, mode_t mode, uint64_t *budget, unsigned uid, int chown_it) {
  char tmp[NAME_MAX + 1];
  snprintf(tmp, sizeof tmp, ".judged-copy.%d", (int)getpid());
  unlinkat(out, tmp, 0);
  int fd = openat(out, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0777);
  if (fd < 0) return fail_errno("create %s", name);
  char buf[65536];
  ssize_t n;
  int rc = 0;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    if (budget) {
      if ((uint64_t)n > *budget) { rc = fail("%s: over the size cap", name); break; }
      *budget -= (uint64_t)n;
    }
    for (ssize_t off = 0; off < n; ) {
      ssize_t w = write(fd, buf + off, (size_t)(n - off));
      if (w < 0) { rc = fail_errno("write %s", name); goto done; }
      off += w;
    }
  }
  if (n < 0) rc = fail_errno("read %s", name);
done:
  if (rc == 0 && fchmod(fd, mode & 0777) < 0) rc = fail_errno("chmod %s", name);
  if (rc == 0 && chown_it && fchown(fd, uid, uid) < 0) rc = fail_errno("chown %s", name);
  close(fd);
  if (rc == 0 && renameat(out, tmp, out, name) < 0) rc = fail_errno("rename %s", name);
  if (rc < 0) unlinkat(out, tmp, 0);
  return rc;
}

/* The tree under dirfd src into dirfd dst: directories and regular files only, nothing followed. */
static int copy_tree(int src, int dst, int depth, int *files, uint64_t *budget, unsigned uid, int chown_it) {
  if (depth > BOX_DEPTH) return fail("directory tree deeper than %d levels", BOX_DEPTH);
  int dfd = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return fail_errno("open directory");
  DIR *d = fdopendir(dfd);
  if (!d) { close(dfd); return fail_errno("fdopendir"); }
  struct dirent *e;
  int rc = 0;
  while (rc == 0 && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strncmp(e->d_name, ".judged-copy.", 13)) continue;
    struct stat st;
    if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) { rc = fail_errno("stat %s", e->d_name); break; }
    if (S_ISDIR(st.st_mode)) {
      if (mkdirat(dst, e->d_name, 0755) < 0 && errno != EEXIST) { rc = fail_errno("mkdir %s", e->d_name); break; }
      int s2 = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      int d2 = openat(dst, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (s2 < 0 || d2 < 0) rc = fail_errno("open directory %s", e->d_name);
      else if (chown_it && fchown(d2, uid, uid) < 0) rc = fail_errno("chown %s", e->d_name);
      else rc = copy_tree(s2, d2, depth + 1, files, budget, uid, chown_it);
      if (s2 >= 0) close(s2);
      if (d2 >= 0) close(d2);
      continue;
    }
    if (!S_ISREG(st.st_mode)) continue; /* symlinks, fifos, sockets, devices: never copied */
    if (--*files < 0) { rc = fail("more than %d files", BOX_OUT_FILES); break; }
    int in = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (in < 0) { rc = fail_errno("open %s", e->d_name); break; }
    if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) { close(in); continue; }
    rc = copy_fd(in, dst, e->d_name, st.st_mode, budget, uid, chown_it);
    close(in);
  }
  closedir(d);
  return rc;
}

int box_copy_in(int src, const char *dst, unsigned uid) {
  int d = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (d < 0) return fail_errno("open %s", dst);
  int files = 1 << 20;
  int rc = copy_tree(src, d, 0, &files, NULL, uid, 1);
  close(d);
  return rc < 0 ? fail("copy the work dir into /box: %s", g_err) : 0;
}

/* Opens a relative path below dirfd root without following any symlink; the parent dir fd in *dir. */
static int open_below(int root, const char *rel, int *dir, const char **leaf) {
  char buf[PATH_MAX];
  snprintf(buf, sizeof buf, "%s", rel);
  int cur = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cur < 0) return -1;
  char *p = buf, *slash;
  while ((slash = strchr(p, '/'))) {
    *slash = 0;
    int next = openat(cur, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(cur);
    if (next < 0) return -1;
    cur = next;
    p = slash + 1;
  }
  *dir = cur;
  *leaf = rel + (p - buf);
  return 0;
}

int box_copy_out(const char *src, int dst, char *const *names, int n, int all, uint64_t cap, char *note, size_t note_len) {
  note[0] = 0;
  int s = open(src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (s < 0) return fail_errno("open %s", src);
  uint64_t budget = cap;
  int files = BOX_OUT_FILES, rc = 0;
  if (all) {
    rc = copy_tree(s, dst, 0, &files, &budget, 0, 0);
    if (rc < 0) snprintf(note, note_len, "copy-out of /box stopped: %s", g_err);
  }
  for (int i = 0; !all && i < n; i++) {
    int sd = -1, dd = -1;
    const char *leaf, *dleaf;
    if (open_below(s, names[i], &sd, &leaf) < 0) continue; /* not made by the program: the caller sees it missing */
    int in = openat(sd, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (in >= 0 && fstat(in, &st) == 0 && S_ISREG(st.st_mode) && open_below(dst, names[i], &dd, &dleaf) == 0) {
      if (copy_fd(in, dd, dleaf, st.st_mode, &budget, 0, 0) < 0) {
        snprintf(note, note_len, "copy-out of /box/%s stopped: %s", names[i], g_err);
        rc = -1;
      }
    }
    if (in >= 0) close(in);
    if (sd >= 0) close(sd);
    if (dd >= 0) close(dd);
    if (rc < 0) break;
  }
  close(s);
  return rc;
}

void box_usage_note(const char *where, uint64_t kib, uint64_t inodes, char *note, size_t note_len) {
  struct statvfs v;
  note[0] = 0;
  if (statvfs(where, &v) < 0) return;
  if ((uint64_t)v.f_bavail * v.f_frsize < 64 * 1024)
    snprintf(note, note_len, "/box is full: the program used its %llu KiB (writes failed with ENOSPC)", (unsigned long long)kib);
  else if (v.f_favail == 0)
    snprintf(note, note_len, "/box is full: the program made its %llu files and directories (ENOSPC)", (unsigned long long)inodes);
}
