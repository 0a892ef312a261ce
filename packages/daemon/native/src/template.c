/* The slot's read-only root template (see template.h). */
#include "template.h"
#include "slot.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int copy_file(const char *from, const char *to) {
  struct stat st;
  if (lstat(from, &st) < 0) return fail_errno("stat %s", from);
  if (S_ISLNK(st.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlink(from, target, sizeof target - 1);
    if (n < 0) return fail_errno("readlink %s", from);
    target[n] = 0;
    if (symlink(target, to) < 0 && errno != EEXIST) return fail_errno("symlink %s", to);
    return 0;
  }
  if (S_ISDIR(st.st_mode)) {
    if (mkdir(to, 0755) < 0 && errno != EEXIST) return fail_errno("mkdir %s", to);
    DIR *d = opendir(from);
    if (!d) return fail_errno("opendir %s", from);
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char a[PATH_MAX], b[PATH_MAX];
      snprintf(a, sizeof a, "%s/%s", from, e->d_name);
      snprintf(b, sizeof b, "%s/%s", to, e->d_name);
      if (copy_file(a, b) < 0) { closedir(d); return -1; }
    }
    closedir(d);
    return 0;
  }
  if (!S_ISREG(st.st_mode) || st.st_size > (8 << 20)) return 0; /* only small regular files */
  int in = open(from, O_RDONLY | O_CLOEXEC);
  if (in < 0) return errno == EACCES ? 0 : fail_errno("open %s", from);
  int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) { close(in); return fail_errno("create %s", to); }
  char buf[65536];
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t)n) != n) { close(in); close(out); return fail_errno("write %s", to); }
  close(in);
  close(out);
  return 0;
}

static int write_tmpl(const char *rel, const char *text) {
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", G.tmpl, rel);
  return write_file(p, text);
}

/* Copies /etc entries whose names start with prefix (java-17-openjdk, python3.11 ...). */
static int copy_etc_prefixed(const char *prefix) {
  DIR *d = opendir("/etc");
  if (!d) return fail_errno("opendir /etc");
  struct dirent *e;
  int rc = 0;
  while ((e = readdir(d))) {
    if (strncmp(e->d_name, prefix, strlen(prefix))) continue;
    char a[PATH_MAX], b[PATH_MAX];
    snprintf(a, sizeof a, "/etc/%s", e->d_name);
    snprintf(b, sizeof b, "%s/etc/%s", G.tmpl, e->d_name);
    if (copy_file(a, b) < 0) { rc = -1; break; }
  }
  closedir(d);
  return rc;
}

static int tmpl_remount(int ro) {
  unsigned long fl = MS_REMOUNT | MS_BIND | MS_NOSUID | (ro ? MS_RDONLY : 0);
  if (mount(NULL, G.tmpl, NULL, fl, NULL) < 0) return fail_errno("remount template %s", G.tmpl);
  return 0;
}

static int bind_ro(const char *from, const char *to) {
  if (mount(from, to, NULL, MS_BIND | MS_REC, NULL) < 0) return fail_errno("bind %s", from);
  if (mount(NULL, to, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
    return fail_errno("remount read-only %s", to);
  return 0;
}

int tmpl_build(void) {
  char p[PATH_MAX];
  snprintf(G.tmpl, sizeof G.tmpl, "%s/slot%d", G.state_dir, G.slot);
  if (mkdir_p(G.tmpl, 0700) < 0) return -1;
  if (mount("judged-root", G.tmpl, "tmpfs", MS_NOSUID, "size=16m,mode=0755") < 0)
    return fail_errno("mount tmpfs on %s", G.tmpl);
  /* Top-level system directories: symlinks stay symlinks (usrmerge), directories are bound ro. */
  const char *top[] = { "usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32" };
  for (size_t i = 0; i < sizeof top / sizeof *top; i++) {
    char host[64];
    struct stat st;
    snprintf(host, sizeof host, "/%s", top[i]);
    if (lstat(host, &st) < 0) continue;
    snprintf(p, sizeof p, "%s/%s", G.tmpl, top[i]);
    if (S_ISLNK(st.st_mode)) { if (copy_file(host, p) < 0) return -1; continue; }
    if (mkdir(p, 0755) < 0) return fail_errno("mkdir %s", p);
    if (bind_ro(host, p) < 0) return -1;
  }
  const char *dirs[] = { "etc", "dev", "box", "tmp", "proc" };
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
    snprintf(p, sizeof p, "%s/%s", G.tmpl, dirs[i]);
    if (mkdir(p, 0755) < 0) return fail_errno("mkdir %s", p);
  }
  /* /etc: what dynamic linking, compilers and runtimes read; never the host's accounts. */
  const char *etc_copy[] = { "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime",
                             "os-release", "debian_version", "mime.types", "timezone" };
  for (size_t i = 0; i < sizeof etc_copy / sizeof *etc_copy; i++) {
    char a[PATH_MAX];
    snprintf(a, sizeof a, "/etc/%s", etc_copy[i]);
    snprintf(p, sizeof p, "%s/etc/%s", G.tmpl, etc_copy[i]);
    if (access(a, F_OK) == 0 && copy_file(a, p) < 0) return -1;
  }
  if (copy_etc_prefixed("java") < 0 || copy_etc_prefixed("python3") < 0) return -1;
  char text[1024];
  snprintf(text, sizeof text,
           "root:x:0:0:root:/root:/usr/sbin/nologin\n"
           "judged:x:%u:%u:contestant:/box:/usr/sbin/nologin\n"
           "judgedi:x:%u:%u:interactor:/box:/usr/sbin/nologin\n"
           "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
           G.uid_base + G.slot, G.uid_base + G.slot, G.uid_base + 1000 + G.slot, G.uid_base + 1000 + G.slot);
  if (write_tmpl("etc/passwd", text) < 0) return -1;
  snprintf(text, sizeof text, "root:x:0:\njudged:x:%u:\njudgedi:x:%u:\nnogroup:x:65534:\n",
           G.uid_base + G.slot, G.uid_base + 1000 + G.slot);
  if (write_tmpl("etc/group", text) < 0) return -1;
  if (write_tmpl("etc/hosts", "127.0.0.1 localhost\n::1 localhost\n") < 0) return -1;
  if (write_tmpl("etc/hostname", "judged\n") < 0) return -1;
  if (write_tmpl("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n") < 0) return -1;
  /* /dev: only harmless character devices. */
  struct { const char *name; int minor; } devs[] = {
    { "null", 3 }, { "zero", 5 }, { "full", 7 }, { "random", 8 }, { "urandom", 9 } };
  for (size_t i = 0; i < sizeof devs / sizeof *devs; i++) {
    snprintf(p, sizeof p, "%s/dev/%s", G.tmpl, devs[i].name);
    if (mknod(p, S_IFCHR | 0666, makedev(1, devs[i].minor)) < 0) return fail_errno("mknod %s", p);
    chmod(p, 0666);
  }
  const char *links[][2] = { { "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
                             { "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
                             { "shm", "/tmp" } };
  for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
    snprintf(p, sizeof p, "%s/dev/%s", G.tmpl, links[i][0]);
    if (symlink(links[i][1], p) < 0) return fail_errno("symlink %s", p);
  }
  return tmpl_remount(1);
}

/* Makes the mount point for a bind inside the template (kept for later runs; an empty dir or file
 * with mode 0). */
int tmpl_mount_point(const char *inside, int is_dir) {
  char p[PATH_MAX];
  struct stat st;
  snprintf(p, sizeof p, "%s%s", G.tmpl, inside);
  if (lstat(p, &st) == 0) {
    if (S_ISLNK(st.st_mode)) return fail("bind target %s is a symlink in the sandbox root", inside);
    if (!!S_ISDIR(st.st_mode) != !!is_dir)
      return fail("bind target %s exists in the sandbox root as a %s", inside, S_ISDIR(st.st_mode) ? "directory" : "file");
    return 0;
  }
  if (tmpl_remount(0) < 0) return -1;
  int rc = 0;
  char parent[PATH_MAX];
  snprintf(parent, sizeof parent, "%s", p);
  *strrchr(parent, '/') = 0;
  if (mkdir_p(parent, 0755) < 0) rc = -1;
  /* Mode 0: the template is shared by every run of the slot, so the other side of an interactive run
   * (or a later run without this bind) must not even read the empty placeholder. */
  else if (is_dir ? mkdir(p, 0) < 0 : mknod(p, S_IFREG, 0) < 0) rc = fail_errno("create mount point %s", p);
  if (tmpl_remount(1) < 0) rc = -1;
  return rc;
}

