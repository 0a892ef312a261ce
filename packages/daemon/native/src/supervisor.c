/*
 * judged-sandbox: the supervisor every compile and test run of judged goes through.
 *
 * THEORY OF OPERATION
 *
 * One supervisor process lives per judging slot, started by the daemon (packages/daemon/src/sandbox)
 * and fed run requests over its stdin; it answers each with one JSON line on stdout. Keeping it alive
 * is the point: what a run may safely share with the previous one is made once, and what must be
 * fresh is made ahead, between two requests. Measured on the reference host (kernel 6.18, 2 cores):
 * Node's own spawn of a hello-world ~6 ms; a fresh isolate 11 ms from C, 18 ms from Node; creating
 * namespaces ~0.2-0.7 ms each (mount and ipc the dearest), a cgroup v1 migration 0.1 ms to several
 * ms under load. A run that creates all of it on the request's path cannot beat Node's spawn, so:
 *
 *   once per slot (at start)                      fresh per run, made right after the previous
 *   ------------------------                      answer went out (off the daemon's path)
 *   private mount namespace of the supervisor     ------------------------------------------
 *   empty network namespace (lo down)             cgroups (cpuacct, memory, pids / one v2 cgroup):
 *   uts namespace, hostname "judged" (a run         no CPU time, peak or OOM count carries over
 *     cannot change it without capabilities)      the run's init (the "zygote"), cloned with new
 *   read-only root template on a tmpfs:             pid, mount and ipc namespaces; it joins the
 *     /usr bound ro, /bin /lib.. as on the host,    cgroups, mounts /proc, pivot_root()s into the
 *     a small /etc (generated passwd/group/hosts,   template, detaches the host's mounts, and waits
 *     copies of ld.so.cache, alternatives, java,
 *     python), /dev with null zero full random    on the request's path
 *     urandom only                                ---------------------
 *   capability bounding set emptied               limits written into the ready cgroups, stdio
 *   slot lock (an abstract unix socket)             opened, work dir and binds made into detached
 *                                                   mounts (open_tree), all sent to the zygote,
 *                                                   which attaches them (move_mount), mounts /tmp
 *                                                   and vfork()s the program
 *
 * Why ahead: a cgroup v1 migration and an unmount each wait for an RCU grace period (milliseconds on
 * a busy host), namespaces cost 0.2-0.7 ms each to create. The template and the supervisor's other
 * mounts live in its private mount namespace, so they vanish with it and the host's mount table is
 * never touched.
 *
 * The run's init is pid 1 of the run (our code, never the program, so the program's signals behave as
 * on a normal host). It vfork()s the program, which sets rlimits, drops to the slot's uid/gid
 * (60000+slot; an interactor gets 61000+slot), sets no_new_privs, marks every fd but 0/1/2
 * close-on-exec and execs. vfork: init would only wait for the exec anyway, and the child runs at
 * once instead of waiting to be scheduled. Init reports the CPU usage of the cgroup at the exec (its
 * own setup, subtracted from the run's), reaps everything, reports the program's exit over a pipe
 * and exits; the kernel kills whatever is left in the namespace. The stats are read as soon as
 * nothing but init is left in the cgroup, the answer goes out, and only then is the run cleaned up
 * and the next one prepared.
 *
 * Interactive runs (two processes joined by pipes), oversized requests and kernels without the new
 * mount API (< 5.12) take the plain path: clone at request time, the same init code binds host paths
 * and pivots there, and the program joins the cgroups itself.
 *
 * Limits: CPU time is the cgroup's usage (all processes and threads), polled at the earliest moment
 * the limit could be reached given the CPUs the run may use, so the kill is prompt; the wall limit
 * is a deadline in the same poll loop. Memory and pids are cgroup limits (v1 memsw / v2 swap.max=0
 * so swap cannot stretch memory); an OOM kill is read from memory.oom_control / memory.events.
 * Output: stdout goes straight to its file (no copying through us) with RLIMIT_FSIZE = cap+1 bytes,
 * so "more than cap" is visible as a file of cap+1 bytes or SIGXFSZ; the file is cut back to cap.
 *
 * Two kinds of failure are kept apart: the program's (reported as data in "result") and the
 * sandbox's own (reported as {"ok":false,"error":...}; the daemon turns it into JE). Exit status of
 * this binary: 0 on a clean end of input, 2 when it could not start (message on stdout as JSON).
 *
 * Protocol, request (stdin): fields "key=value" each ended by NUL, the request ended by an empty
 * field. Keys: op (run|interactive|ping), part (starts a process spec; interactive has two: the
 * program, then the interactor), arg, env (NAME=value), work, stdin, stdout, stderr, cpu_ms, wall_ms,
 * mem_kib, procs, out_kib, stack_kib, nofile, bind_host, bind_inside, bind_rw (ends one bind).
 * Response (stdout): one JSON line, see packages/daemon/src/sandbox/protocol.ts.
 */
#include "cg.h"
#include "util.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* The new mount API (Linux >= 5.12), by syscall number: glibc's wrappers and <linux/mount.h> clash. */
struct j_mount_attr { uint64_t attr_set, attr_clr, propagation, userns_fd; };
enum { J_OPEN_TREE_CLONE = 1, J_MOVE_MOUNT_F_EMPTY_PATH = 4, J_AT_EMPTY_PATH = 0x1000,
       J_MOUNT_ATTR_RDONLY = 1, J_MOUNT_ATTR_NOSUID = 2, J_MOUNT_ATTR_NODEV = 4 };

/* A detached bind (not recursive, like MS_BIND) of what fd points to, its mount flags already set. */
static int clone_tree(int from, int rw) {
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

static int attach_tree(int fd, const char *where) {
  return (int)syscall(SYS_move_mount, fd, "", AT_FDCWD, where, J_MOVE_MOUNT_F_EMPTY_PATH);
}

enum { MAX_PARTS = 2, MAX_ARGS = 256, MAX_ENV = 256, MAX_BINDS = 32 };

static volatile sig_atomic_t g_stop;

struct bind { char *host, *inside; int rw; };

struct spec {
  char *argv[MAX_ARGS + 1];
  int argc;
  char *env[MAX_ENV + 8];
  int envc;
  char *work, *in, *out, *err;
  uint64_t cpu_ms, wall_ms, mem_kib, procs, out_kib, stack_kib, nofile;
  struct bind binds[MAX_BINDS];
  int nbinds;
};

/* What init tells the supervisor; small enough to be written atomically to a pipe. */
struct msg {
  char type;           /* 'S' program started, 'E' program ended, 'X' exec failed, 'F' setup failed */
  int err;
  int status;
  uint64_t t;
  uint64_t cpu0;       /* 'S': the run cgroup's CPU usage at exec (init's own setup, subtracted) */
  char text[200];
};

struct proc {
  struct spec *s;
  struct cg_run cg;
  int in_fd, out_fd, err_fd;    /* opened by the supervisor on host paths */
  pid_t init_pid;
  int status_fd;
  int started, ended, gone;     /* got 'S', got 'E', status pipe closed */
  uint64_t t_start, t_end, t_kill;
  int wait_status;
  const char *killed_for;       /* "time" / "wall" when we killed it */
  uint64_t cpu_ns_seen;
  uint64_t cpu0;
  int in_cgroup;                /* init already sits in the run's cgroups (the zygote path) */
  char fail_text[256];
  int exec_errno;
  unsigned uid;
  int use_spare, from_spare;
  int reaped;
  int pivoted;                  /* init already lives in the template root (the zygote path) */
  int use_trees;                /* work dir and binds come as detached mounts in trees[] */
  int work_fd;                  /* O_PATH fds of the work dir and the bind sources (open_trusted) */
  int bind_fds[MAX_BINDS];
  int nbind_fds;
  int trees[1 + MAX_BINDS];     /* then: detached mounts of the work dir and the binds */
};

static struct {
  int slot;
  const char *cg_root, *cg_parent, *cpus, *state_dir;
  unsigned uid_base;
  char tmpl[256];       /* the root template (a tmpfs in our private mount namespace) */
  unsigned run_seq;
  int ncpus;
  int mount_api;        /* open_tree/move_mount/mount_setattr work: zygotes are possible */
  struct cg_run spare;  /* the next run's cgroup, created after the previous answer went out */
  int spare_ready;
  char *raw;            /* the current request as received */
  size_t raw_len, raw_cap;
} G = { .cg_root = "/sys/fs/cgroup", .cg_parent = "judged", .state_dir = "/run/judged-sandbox",
        .uid_base = 60000, .slot = -1 };

/* The zygote (see make_zygote): the next run's init, waiting for its request. */
static struct { pid_t pid; int status_fd, go_fd, ready; } Z = { 0, -1, -1, 0 };

/* JUDGED_SANDBOX_TRACE=1: phase timings of every request on stderr (for speed work). */
static int g_trace;
static uint64_t g_trace_t0;
static int g_tfd = -1;
static void ctrace(const char *phase) {
  if (g_tfd < 0) return;
  dprintf(g_tfd, "trace  init %-12s %8.3f ms\n", phase, (now_ns() - g_trace_t0) / 1e6);
}

static void trace(const char *phase) {
  if (!g_trace) return;
  uint64_t t = now_ns();
  fprintf(stderr, "trace %-12s %8.3f ms\n", phase, (t - g_trace_t0) / 1e6);
}

/* ------------------------------------------------------------------ output */

static void emit(struct jbuf *b) {
  jb_raw(b, "\n");
  size_t off = 0;
  while (off < b->len) {
    ssize_t w = write(1, b->s + off, b->len - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      g_stop = 1; /* the daemon is gone: finish this request's clean-up, then shut down */
      break;
    }
    off += (size_t)w;
  }
  jb_free(b);
}

static void emit_error(const char *kind, const char *text) {
  struct jbuf b = {0};
  jb_raw(&b, "{\"ok\":false,\"kind\":");
  jb_str(&b, kind);
  jb_raw(&b, ",\"error\":");
  jb_str(&b, text);
  jb_raw(&b, "}");
  emit(&b);
}

/* ------------------------------------------------------------------ template */

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

static int build_template(void) {
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
static int ensure_mount_point(const char *inside, int is_dir) {
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

/* ------------------------------------------------------------------ request parsing */

static int parse_u64(const char *key, const char *v, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long x = strtoull(v, &end, 10);
  if (errno || end == v || *end || x == 0) return fail("field %s: expected a positive integer, got '%s'", key, v);
  *out = x;
  return 0;
}

static int valid_inside(const char *inside) {
  if (inside[0] != '/' || strstr(inside, "/../") || strstr(inside, "/./") || !strcmp(inside, "/") ||
      (strlen(inside) >= 3 && !strcmp(inside + strlen(inside) - 3, "/..")))
    return fail("bind inside path '%s' must be absolute and normalised", inside);
  if (!strncmp(inside, "/proc", 5) && (inside[5] == 0 || inside[5] == '/'))
    return fail("bind inside path '%s': /proc is the sandbox's own", inside);
  if (!strcmp(inside, "/box") || !strcmp(inside, "/tmp") || !strcmp(inside, "/dev") || !strcmp(inside, "/etc"))
    return fail("bind inside path '%s': that directory is the sandbox's own; bind below it", inside);
  return 0;
}

/* Fills specs from one request; fields point into the request buffer. Returns the part count. */
static int parse_request(char **fields, int nfields, char **op, struct spec *specs) {
  int np = 0;
  struct spec *s = NULL;
  struct bind *pending = NULL;
  *op = NULL;
  for (int i = 0; i < nfields; i++) {
    char *k = fields[i], *v = strchr(k, '=');
    if (!v) return fail("malformed field '%.40s'", k);
    *v++ = 0;
    if (!strcmp(k, "op")) { *op = v; continue; }
    if (!strcmp(k, "part")) {
      if (np == MAX_PARTS) return fail("more than %d parts", MAX_PARTS);
      s = &specs[np++];
      memset(s, 0, sizeof *s);
      pending = NULL;
      continue;
    }
    if (!s) return fail("field %s before any part", k);
    if (!strcmp(k, "arg")) { if (s->argc == MAX_ARGS) return fail("more than %d args", MAX_ARGS); s->argv[s->argc++] = v; }
    else if (!strcmp(k, "env")) {
      if (s->envc == MAX_ENV) return fail("more than %d env vars", MAX_ENV);
      if (!strchr(v, '=')) return fail("env entry '%s' has no '='", v);
      s->env[s->envc++] = v;
    }
    else if (!strcmp(k, "work")) s->work = v;
    else if (!strcmp(k, "stdin")) s->in = v;
    else if (!strcmp(k, "stdout")) s->out = v;
    else if (!strcmp(k, "stderr")) s->err = v;
    else if (!strcmp(k, "cpu_ms")) { if (parse_u64(k, v, &s->cpu_ms)) return -1; }
    else if (!strcmp(k, "wall_ms")) { if (parse_u64(k, v, &s->wall_ms)) return -1; }
    else if (!strcmp(k, "mem_kib")) { if (parse_u64(k, v, &s->mem_kib)) return -1; }
    else if (!strcmp(k, "procs")) { if (parse_u64(k, v, &s->procs)) return -1; }
    else if (!strcmp(k, "out_kib")) { if (parse_u64(k, v, &s->out_kib)) return -1; }
    else if (!strcmp(k, "stack_kib")) { if (parse_u64(k, v, &s->stack_kib)) return -1; }
    else if (!strcmp(k, "nofile")) { if (parse_u64(k, v, &s->nofile)) return -1; }
    else if (!strcmp(k, "bind_host")) {
      if (s->nbinds == MAX_BINDS) return fail("more than %d binds", MAX_BINDS);
      pending = &s->binds[s->nbinds++];
      pending->host = v;
      pending->inside = NULL;
      pending->rw = 0;
    }
    else if (!strcmp(k, "bind_inside")) { if (!pending) return fail("bind_inside without bind_host"); pending->inside = v; }
    else if (!strcmp(k, "bind_rw")) { if (!pending) return fail("bind_rw without bind_host"); pending->rw = !strcmp(v, "1"); }
    else return fail("unknown field '%s'", k);
  }
  if (!*op) return fail("request without op");
  for (int i = 0; i < np; i++) {
    s = &specs[i];
    if (!s->argc) return fail("part %d: no argv", i);
    if (!s->work || s->work[0] != '/') return fail("part %d: work dir must be an absolute host path", i);
    if (!s->cpu_ms || !s->wall_ms || !s->mem_kib || !s->procs || !s->out_kib)
      return fail("part %d: cpu_ms, wall_ms, mem_kib, procs and out_kib are required", i);
    for (int b = 0; b < s->nbinds; b++) {
      if (!s->binds[b].inside) return fail("part %d bind %d: no inside path", i, b);
      if (s->binds[b].host[0] != '/') return fail("part %d bind %d: host path '%s' is not absolute", i, b, s->binds[b].host);
      if (valid_inside(s->binds[b].inside) < 0) return -1;
    }
  }
  return np;
}

/* Env defaults the caller may override (a sane PATH, HOME in the work dir), and the NULL ends. */
static void finish_specs(struct spec *specs, int np) {
  for (int i = 0; i < np; i++) {
    struct spec *s = &specs[i];
    const char *defs[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/box", "TMPDIR=/tmp", "LANG=C.UTF-8" };
    for (size_t d = 0; d < sizeof defs / sizeof *defs; d++) {
      size_t kl = strchr(defs[d], '=') - defs[d] + 1;
      int have = 0;
      for (int e = 0; e < s->envc; e++) if (!strncmp(s->env[e], defs[d], kl)) have = 1;
      if (!have) s->env[s->envc++] = (char *)defs[d];
    }
    s->env[s->envc] = NULL;
    s->argv[s->argc] = NULL;
  }
}

/* Splits a raw request (NUL-terminated fields back to back) into field pointers. */
static int split_fields(char *buf, size_t len, char **fields, int max) {
  int nf = 0;
  for (size_t off = 0; off < len && nf < max; ) {
    fields[nf++] = buf + off;
    off += strlen(buf + off) + 1;
  }
  return nf;
}

/* ------------------------------------------------------------------ the run's init and program */

static void send_msg(int fd, char type, int err, int status, const char *text) {
  struct msg m;
  memset(&m, 0, sizeof m);
  m.type = type;
  m.err = err;
  m.status = status;
  m.t = now_ns();
  if (text) snprintf(m.text, sizeof m.text, "%s", text);
  ssize_t w = write(fd, &m, sizeof m);
  (void)w;
}

static void die_setup(int fd, const char *what) {
  char t[200];
  snprintf(t, sizeof t, "%s: %s", what, strerror(errno));
  send_msg(fd, 'F', errno, 0, t);
  _exit(1);
}

static int is_under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == 0);
}

static void close_except(int *keep, int n) {
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) { int t = keep[j]; keep[j] = keep[j - 1]; keep[j - 1] = t; }
  unsigned lo = 0;
  for (int i = 0; i < n; i++) {
    if ((unsigned)keep[i] > lo) syscall(SYS_close_range, lo, (unsigned)keep[i] - 1, 0);
    lo = (unsigned)keep[i] + 1;
  }
  syscall(SYS_close_range, lo, ~0U, 0);
}

/* mkdir -p / touch of a mount point inside the (writable) /box or /tmp of this run. */
static int make_point_in_run(const char *p, int is_dir) {
  char parent[PATH_MAX];
  snprintf(parent, sizeof parent, "%s", p);
  *strrchr(parent, '/') = 0;
  if (mkdir_p(parent, 0755) < 0) return -1;
  if (is_dir) return mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
  int fd = open(p, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  close(fd);
  return 0;
}

/* Written by the vfork child when exec fails; the memory is shared until exec. */
static volatile int g_exec_err;
/* Also from the child: the moment of exec, the start of the run's wall time. */
static volatile uint64_t g_exec_t;

static void exec_program(struct proc *p) {
  struct spec *s = p->s;
  struct rlimit rl;
  /* Only the program joins the run's cgroups: init's own memory and CPU are not the program's. */
  ctrace("child");
  if (!p->in_cgroup && cg_enter(&p->cg) < 0) goto bad;
  ctrace("cg_enter");
  /* Ignored signals survive exec; the supervisor ignores SIGPIPE, the program must not. (Handled
   * signals are reset by exec itself.) */
  signal(SIGPIPE, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  uint64_t fsize = s->out_kib * 1024 + 1;
  rl.rlim_cur = rl.rlim_max = fsize;
  setrlimit(RLIMIT_FSIZE, &rl);
  uint64_t stack = (s->stack_kib ? s->stack_kib : s->mem_kib) * 1024;
  rl.rlim_cur = rl.rlim_max = stack;
  setrlimit(RLIMIT_STACK, &rl);
  rl.rlim_cur = rl.rlim_max = s->nofile ? s->nofile : 64;
  setrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max = 0;
  setrlimit(RLIMIT_CORE, &rl);
  /* Backstop only: the supervisor's cgroup polling kills first. */
  rl.rlim_cur = s->cpu_ms / 1000 + 2;
  rl.rlim_max = rl.rlim_cur + 1;
  setrlimit(RLIMIT_CPU, &rl);
  gid_t g = p->uid;
  if (setgroups(1, &g) < 0 || setresgid(p->uid, p->uid, p->uid) < 0 || setresuid(p->uid, p->uid, p->uid) < 0)
    goto bad;
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) goto bad;
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  umask(022);
  if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) goto bad;
  ctrace("creds");
  extern char **environ;
  environ = s->env;
  g_exec_t = now_ns();
  execvp(s->argv[0], s->argv);
bad:
  g_exec_err = errno ? errno : EINVAL;
  _exit(127);
}

static void run_init(struct proc *p, int status_fd) {
  struct spec *s = p->s;
  if (g_trace && g_tfd < 0) g_tfd = dup(2);
  ctrace("entered");
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  /* fds: 0/1/2 = the program's stdio, the status pipe and the cgroup.procs files, nothing else. */
  if (dup2(p->in_fd, 0) < 0 || dup2(p->out_fd, 1) < 0 || dup2(p->err_fd, 2) < 0)
    die_setup(status_fd, "dup2");
  /* dup2 onto itself keeps FD_CLOEXEC (the zygote's received fds can already be 0..2). */
  for (int fd = 0; fd < 3; fd++) fcntl(fd, F_SETFD, 0);
  int keep[CG_MAX_CTRL + 10 + 2 * MAX_BINDS] = { 0, 1, 2, status_fd };
  int nkeep = 4;
  if (g_tfd >= 0) keep[nkeep++] = g_tfd;
  for (int i = 0; i < p->cg.nprocs_fds; i++) keep[nkeep++] = p->cg.procs_fds[i];
  if (p->cg.cpu_fd >= 0) keep[nkeep++] = p->cg.cpu_fd;
  if (p->use_trees) for (int b = 0; b <= s->nbinds; b++) keep[nkeep++] = p->trees[b];
  close_except(keep, nkeep);
  /* The zygote is already inside the template (R = ""), with /proc mounted. Work dir and binds come
   * as detached mounts made from the fds open_trusted() gave (no second path lookup), or, on kernels
   * without the new mount API, are bound by path. The plain path pivots at the end. */
  const char *R = p->pivoted ? "" : G.tmpl;
  char t[PATH_MAX];
  snprintf(t, sizeof t, "%s/box", R);
  if (p->use_trees) {
    if (attach_tree(p->trees[0], t) < 0) die_setup(status_fd, "attach /box");
  } else {
    if (mount(s->work, t, NULL, MS_BIND, NULL) < 0) die_setup(status_fd, "bind work dir");
    if (mount(NULL, t, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, NULL) < 0) die_setup(status_fd, "remount /box");
  }
  ctrace("box");
  snprintf(t, sizeof t, "%s/tmp", R);
  char opts[128];
  uint64_t tmp_kib = s->mem_kib < 65536 ? s->mem_kib : 65536;
  snprintf(opts, sizeof opts, "size=%lluk,nr_inodes=8192,mode=1777", (unsigned long long)tmp_kib);
  if (mount("tmp", t, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) die_setup(status_fd, "mount /tmp");
  ctrace("tmp");
  if (!p->pivoted) {
    snprintf(t, sizeof t, "%s/proc", R);
    if (mount("proc", t, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) die_setup(status_fd, "mount /proc");
  }
  ctrace("proc");
  for (int b = 0; b < s->nbinds; b++) {
    struct bind *bd = &s->binds[b];
    struct stat st;
    if ((p->use_trees ? fstat(p->trees[1 + b], &st) : stat(bd->host, &st)) < 0) die_setup(status_fd, bd->host);
    snprintf(t, sizeof t, "%s%s", R, bd->inside);
    if ((is_under(bd->inside, "/box") || is_under(bd->inside, "/tmp")) &&
        make_point_in_run(t, S_ISDIR(st.st_mode)) < 0)
      die_setup(status_fd, bd->inside);
    if (p->use_trees) {
      if (attach_tree(p->trees[1 + b], t) < 0) die_setup(status_fd, bd->inside);
      continue;
    }
    if (mount(bd->host, t, NULL, MS_BIND, NULL) < 0) die_setup(status_fd, bd->inside);
    unsigned long fl = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (bd->rw ? 0 : MS_RDONLY);
    if (mount(NULL, t, NULL, fl, NULL) < 0) die_setup(status_fd, bd->inside);
  }
  if (p->use_trees) for (int b = 0; b <= s->nbinds; b++) close(p->trees[b]);
  ctrace("binds");
  if (!p->pivoted) {
    if (chdir(G.tmpl) < 0) die_setup(status_fd, "chdir root");
    if (syscall(SYS_pivot_root, ".", ".") < 0) die_setup(status_fd, "pivot_root");
    ctrace("pivot");
    if (umount2(".", MNT_DETACH) < 0) die_setup(status_fd, "detach old root");
    ctrace("umount");
  }
  if (chdir("/box") < 0) die_setup(status_fd, "chdir /box");

  /* vfork: init sleeps until the program has exec'd (or failed to), which is all it would do anyway,
   * and the child runs at once on this CPU instead of waiting to be scheduled. */
  g_exec_err = 0;
  uint64_t cpu0 = 0;
  if (p->in_cgroup && cg_cpu_ns(&p->cg, &cpu0) < 0) die_setup(status_fd, "read cpu usage");
  pid_t prog = vfork();
  if (prog < 0) die_setup(status_fd, "fork program");
  if (prog == 0) exec_program(p);
  ctrace("execed");
  for (int i = 0; i < p->cg.nprocs_fds; i++) close(p->cg.procs_fds[i]);
  /* Init keeps no copy of the program's stdio: EOF on the interactive pipes must mean "peer gone". */
  close(0); close(1); close(2);
  if (g_exec_err) {
    char txt[200];
    snprintf(txt, sizeof txt, "cannot execute '%s': %s", s->argv[0], strerror(g_exec_err));
    send_msg(status_fd, 'X', g_exec_err, 0, txt);
    _exit(1);
  }
  {
    struct msg m;
    memset(&m, 0, sizeof m);
    m.type = 'S';
    m.t = g_exec_t;
    m.cpu0 = cpu0;
    if (write(status_fd, &m, sizeof m) < 0) _exit(1);
  }
  for (;;) {
    int st;
    pid_t w = wait(&st);
    if (w == prog) { send_msg(status_fd, 'E', 0, st, NULL); _exit(0); }
    if (w < 0 && errno != EINTR) die_setup(status_fd, "wait");
  }
}

/* ------------------------------------------------------------------ supervising one request */

enum { OPEN_READ, OPEN_WRITE, OPEN_DIR, OPEN_NODE };

/*
 * Opens a host path the daemon named, as root, so that nothing a run planted can redirect it: the
 * daemon may (wrongly, but it happens) name a file inside a work dir a previous run could write.
 * A symlink anywhere in the path is followed only when root owns it (a run's uid cannot make one
 * owned by root); the file must be a regular file (reading: or a character device like /dev/null),
 * never a fifo, which would block us; a file to write must not have other hard links.
 * OPEN_DIR / OPEN_NODE give an O_PATH fd of a directory / of a directory or regular file (work dirs
 * and bind sources: mounted and chowned through the fd, so the path is never looked up again).
 */
static int open_trusted(const char *path, int mode) {
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

static int open_out(const char *path, int *fd) {
  if (!path) { *fd = open("/dev/null", O_WRONLY | O_CLOEXEC); return *fd < 0 ? fail_errno("open /dev/null") : 0; }
  *fd = open_trusted(path, OPEN_WRITE);
  return *fd < 0 ? -1 : 0;
}

static void close_fd(int *fd) { if (*fd >= 0) close(*fd); *fd = -1; }

static void kill_proc(struct proc *p, const char *why) {
  if (p->gone || p->killed_for) return;
  p->killed_for = why;
  p->t_kill = now_ns();
  kill(p->init_pid, SIGKILL);
}

static int prepare_proc(struct proc *p, int stdin_pipe, int stdout_pipe) {
  struct spec *s = p->s;
  p->work_fd = open_trusted(s->work, OPEN_DIR);
  if (p->work_fd < 0) return fail("work dir %s", g_err);
  if (fchownat(p->work_fd, "", p->uid, p->uid, AT_EMPTY_PATH) < 0) return fail_errno("chown work dir %s", s->work);
  for (int b = 0; b < s->nbinds; b++) {
    struct stat st;
    p->bind_fds[b] = open_trusted(s->binds[b].host, OPEN_NODE);
    if (p->bind_fds[b] < 0) return fail("bind host path %s", g_err);
    p->nbind_fds = b + 1;
    if (fstat(p->bind_fds[b], &st) < 0) return fail_errno("bind host path %s", s->binds[b].host);
    if (s->binds[b].rw && fchownat(p->bind_fds[b], "", p->uid, p->uid, AT_EMPTY_PATH) < 0)
      return fail_errno("chown writable bind %s", s->binds[b].host);
    if (!is_under(s->binds[b].inside, "/box") && !is_under(s->binds[b].inside, "/tmp") &&
        ensure_mount_point(s->binds[b].inside, S_ISDIR(st.st_mode)) < 0)
      return -1;
  }
  if (stdin_pipe >= 0) p->in_fd = stdin_pipe;
  else if (!s->in) {
    p->in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (p->in_fd < 0) return fail_errno("open /dev/null");
  } else {
    p->in_fd = open_trusted(s->in, OPEN_READ);
    if (p->in_fd < 0) return -1;
  }
  if (stdout_pipe >= 0) p->out_fd = stdout_pipe;
  else if (open_out(s->out, &p->out_fd) < 0) return -1;
  if (open_out(s->err, &p->err_fd) < 0) return -1;
  struct cg_limits lim = { .mem_bytes = s->mem_kib * 1024, .pids = s->procs };
  if (p->use_spare && G.spare_ready) {
    /* The cgroup made ahead, while the daemon was busy with the previous answer; the zygote, when
     * there is one, already sits in it and counts as one pid. */
    p->cg = G.spare;
    G.spare_ready = 0;
    p->from_spare = 1;
    p->in_cgroup = Z.ready;
    if (p->in_cgroup) lim.pids++;
    if (cg_set_limits(&p->cg, &lim) < 0) return -1;
    return 0;
  }
  if (cg_prepare(&p->cg, ++G.run_seq, &lim) < 0) return -1;
  return 0;
}

/*
 * The zygote: the next run's init, cloned (with its fresh pid, mount and ipc namespaces) right after
 * the previous answer went out, waiting for its request. Namespace creation costs ~1 ms under load;
 * this takes it off the path between the daemon's request and the program's exec. It holds the
 * spare cgroup's cgroup.procs fds, so it is always used together with G.spare.
 */

static void zygote_main(int status_fd, int go_fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (g_trace) g_tfd = dup(2); /* fd 2 is about to become the program's stderr */
  /* Join the run's cgroups now, not on the request's path: a cgroup v1 migration waits for an RCU
   * grace period, which takes milliseconds on a busy host. Our own CPU until the exec is measured
   * and subtracted; our few pages and one pid are charged to the run (pids.max gets +1). */
  uint64_t ignored;
  if (cg_enter(&G.spare) < 0 || cg_cpu_ns(&G.spare, &ignored) < 0) _exit(1);
  int keep[4] = { status_fd, go_fd, G.spare.cpu_fd, g_tfd };
  close_except(keep, g_tfd >= 0 ? 4 : 3);
  /* Enter the template ahead too: /proc of our new pid namespace, pivot_root, and the host's mounts
   * detached (an unmount waits for an RCU grace period: better now than on the request's path). */
  char t[PATH_MAX];
  snprintf(t, sizeof t, "%s/proc", G.tmpl);
  if (mount("proc", t, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 || chdir(G.tmpl) < 0 ||
      syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
    _exit(1);
  static char buf[256 * 1024];
  int fds[4 + MAX_BINDS];
  char cbuf[CMSG_SPACE(sizeof fds)];
  struct iovec iov = { buf, sizeof buf };
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  ssize_t n;
  while ((n = recvmsg(go_fd, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
  if (n <= 0) _exit(0); /* the supervisor is gone or shutting down */
  struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
  if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len < CMSG_LEN(4 * sizeof(int))) die_setup(status_fd, "zygote: no fds");
  int nfds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
  memcpy(fds, CMSG_DATA(c), (size_t)nfds * sizeof(int));
  close(go_fd);
  static char *fields[1024];
  static struct spec specs[MAX_PARTS];
  char *op;
  int nf = split_fields(buf, (size_t)n, fields, 1024);
  if (parse_request(fields, nf, &op, specs) != 1 || nfds != 4 + specs[0].nbinds) die_setup(status_fd, "zygote: bad request");
  finish_specs(specs, 1);
  static struct proc p;
  memset(&p, 0, sizeof p);
  p.s = &specs[0];
  p.cg = G.spare;
  p.cg.nprocs_fds = 0; /* closed above: the program is born in the cgroups */
  p.in_cgroup = 1;
  p.pivoted = 1;
  p.use_trees = 1;
  for (int b = 0; b < nfds - 3; b++) p.trees[b] = fds[3 + b];
  p.in_fd = fds[0];
  p.out_fd = fds[1];
  p.err_fd = fds[2];
  p.uid = G.uid_base + G.slot;
  run_init(&p, status_fd);
}

static void make_zygote(void) {
  if (Z.ready || !G.spare_ready || !G.mount_api) return;
  int sp[2], gp[2];
  if (pipe2(sp, O_CLOEXEC) < 0) return;
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, gp) < 0) { close(sp[0]); close(sp[1]); return; }
  fflush(NULL);
  long pid = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) {
    zygote_main(sp[1], gp[1]);
    _exit(1);
  }
  close(sp[1]);
  close(gp[1]);
  if (pid < 0) { close(sp[0]); close(gp[0]); return; }
  Z.pid = (pid_t)pid;
  Z.status_fd = sp[0];
  Z.go_fd = gp[0];
  Z.ready = 1;
}

static void drop_zygote(void) {
  if (!Z.ready) return;
  close(Z.go_fd); /* the zygote reads EOF and exits */
  close(Z.status_fd);
  int st;
  while (waitpid(Z.pid, &st, 0) < 0 && errno == EINTR) {}
  Z.ready = 0;
}

/* Detached mounts of the work dir and the binds, from the fds open_trusted() gave. */
static int make_trees(struct proc *p) {
  struct spec *s = p->s;
  p->trees[0] = clone_tree(p->work_fd, 1);
  if (p->trees[0] < 0) return fail_errno("work dir %s", s->work);
  for (int b = 0; b < s->nbinds; b++) {
    p->trees[1 + b] = clone_tree(p->bind_fds[b], s->binds[b].rw);
    if (p->trees[1 + b] < 0) {
      fail_errno("bind host path %s", s->binds[b].host);
      for (int i = 0; i <= b; i++) close(p->trees[i]);
      return -1;
    }
  }
  p->use_trees = 1;
  return 0;
}

static void close_trees(struct proc *p) {
  if (!p->use_trees) return;
  for (int b = 0; b <= p->s->nbinds; b++) close(p->trees[b]);
  p->use_trees = 0;
}

/* Hands the request to the zygote; on failure the caller clones as usual. */
static int start_with_zygote(struct proc *p) {
  struct spec *s = p->s;
  int fds[4 + MAX_BINDS] = { p->in_fd, p->out_fd, p->err_fd };
  int n = 3, rc = -1;
  if (make_trees(p) < 0) return -1;
  for (int b = 0; b <= s->nbinds; b++) fds[n++] = p->trees[b];
  char cbuf[CMSG_SPACE(sizeof fds)];
  memset(cbuf, 0, sizeof cbuf);
  struct iovec iov = { G.raw, G.raw_len };
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                       .msg_controllen = CMSG_SPACE((size_t)n * sizeof(int)) };
  struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
  memcpy(CMSG_DATA(c), fds, (size_t)n * sizeof(int));
  if (G.raw_len > 200 * 1024 || sendmsg(Z.go_fd, &mh, MSG_NOSIGNAL) != (ssize_t)G.raw_len) {
    fail_errno("hand the run to the zygote");
    drop_zygote();
    goto out;
  }
  close(Z.go_fd);
  p->init_pid = Z.pid;
  p->status_fd = Z.status_fd;
  Z.ready = 0;
  cg_after_fork(&p->cg);
  rc = 0;
out:
  close_trees(p);
  return rc;
}

static int start_proc(struct proc *p) {
  if (G.mount_api && make_trees(p) < 0) return -1;
  int sp[2];
  if (pipe2(sp, O_CLOEXEC) < 0) { close_trees(p); return fail_errno("pipe"); }
  fflush(NULL);
  long pid = syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | SIGCHLD, 0, 0, 0, 0);
  if (pid < 0) { close(sp[0]); close(sp[1]); close_trees(p); return fail_errno("clone namespaces"); }
  if (pid == 0) {
    close(sp[0]);
    run_init(p, sp[1]);
    _exit(1);
  }
  close(sp[1]);
  close_trees(p);
  p->init_pid = (pid_t)pid;
  p->status_fd = sp[0];
  cg_after_fork(&p->cg);
  return 0;
}

static void read_status(struct proc *p) {
  struct msg m;
  ssize_t n = read(p->status_fd, &m, sizeof m);
  if (n <= 0) {
    if (n < 0 && errno == EINTR) return;
    p->gone = 1;
    close_fd(&p->status_fd);
    if (!p->t_end) p->t_end = p->t_kill ? p->t_kill : now_ns();
    return;
  }
  if (n != (ssize_t)sizeof m) { snprintf(p->fail_text, sizeof p->fail_text, "short status message"); return; }
  switch (m.type) {
  case 'S': p->started = 1; p->t_start = m.t; p->cpu0 = m.cpu0; trace("started"); break;
  case 'E': p->ended = 1; p->wait_status = m.status; p->t_end = m.t; trace("ended"); break;
  case 'X': p->exec_errno = m.err ? m.err : EINVAL; snprintf(p->fail_text, sizeof p->fail_text, "%s", m.text); break;
  default: snprintf(p->fail_text, sizeof p->fail_text, "sandbox setup failed: %s", m.text); break;
  }
}

/* Polls until every process of the request is gone, enforcing CPU and wall limits. */
static void supervise(struct proc *ps, int n) {
  const uint64_t setup_timeout = 10000000000ull;
  uint64_t t0 = now_ns();
  for (;;) {
    struct pollfd pfd[MAX_PARTS];
    int live = 0;
    uint64_t now = now_ns(), next = now + 100000000ull;
    for (int i = 0; i < n; i++) {
      struct proc *p = &ps[i];
      if (p->gone) continue;
      pfd[live].fd = p->status_fd;
      pfd[live].events = POLLIN;
      live++;
      if (!p->started || p->ended) {
        if (!p->started && now - t0 > setup_timeout) {
          snprintf(p->fail_text, sizeof p->fail_text, "sandbox setup took longer than 10 s");
          kill_proc(p, "setup");
        }
        continue;
      }
      if (p->killed_for) continue;
      uint64_t cpu = 0;
      if (cg_cpu_ns(&p->cg, &cpu) == 0) {
        cpu = cpu > p->cpu0 ? cpu - p->cpu0 : 0;
        p->cpu_ns_seen = cpu;
      }
      cg_sample_memory(&p->cg);
      uint64_t cpu_lim = p->s->cpu_ms * 1000000ull, wall_dl = p->t_start + p->s->wall_ms * 1000000ull;
      if (cpu >= cpu_lim) { kill_proc(p, "time"); continue; }
      if (now >= wall_dl) { kill_proc(p, "wall"); continue; }
      /* The earliest moment the CPU limit can be reached if every allowed CPU is busy. */
      uint64_t cpu_next = now + (cpu_lim - cpu) / (uint64_t)G.ncpus;
      if (cpu_next < next) next = cpu_next;
      if (wall_dl < next) next = wall_dl;
    }
    if (!live) break;
    int timeout_ms = (int)((next > now ? next - now : 0) / 1000000ull);
    if (timeout_ms < 1) timeout_ms = 1;
    int r = poll(pfd, (nfds_t)live, timeout_ms);
    if (r < 0 && errno == EINTR && g_stop)
      for (int i = 0; i < n; i++) kill_proc(&ps[i], "setup");
    if (r <= 0) continue;
    for (int i = 0, j = 0; i < n; i++) {
      if (ps[i].gone) continue;
      if (pfd[j].revents) {
        read_status(&ps[i]);
        /* A program whose run has ended: init exits on its own, nothing to kill. */
      }
      j++;
    }
  }
}

static void reap(struct proc *p) {
  if (p->reaped || !p->init_pid) return;
  int st;
  while (waitpid(p->init_pid, &st, 0) < 0 && errno == EINTR) {}
  p->reaped = 1;
}

static void result_json(struct jbuf *b, struct proc *p, int capture_out) {
  struct spec *s = p->s;
  struct cg_stats st;
  const char *note = NULL;
  if (cg_stats(&p->cg, &st) < 0) { note = g_err; memset(&st, 0, sizeof st); st.cpu_ns = p->cpu_ns_seen; }
  else st.cpu_ns = st.cpu_ns > p->cpu0 ? st.cpu_ns - p->cpu0 : 0;
  int exited = p->ended && WIFEXITED(p->wait_status);
  int sig = p->ended && WIFSIGNALED(p->wait_status) ? WTERMSIG(p->wait_status) : 0;
  if (!p->ended) sig = SIGKILL; /* killed by us with its whole namespace */
  uint64_t end = p->ended ? p->t_end : (p->t_kill ? p->t_kill : p->t_end);
  uint64_t wall_ns = end > p->t_start ? end - p->t_start : 0;
  uint64_t out_bytes = 0, cap = s->out_kib * 1024;
  int out_hit = 0;
  if (capture_out && s->out) {
    struct stat fst;
    if (fstat(p->out_fd, &fst) == 0) out_bytes = (uint64_t)fst.st_size;
    if (out_bytes > cap) { out_hit = 1; if (ftruncate(p->out_fd, (off_t)cap) < 0) {} }
  }
  if (sig == SIGXFSZ) out_hit = 1;
  const char *limit = NULL;
  if (p->killed_for && !strcmp(p->killed_for, "time")) limit = "time";
  else if (p->killed_for && !strcmp(p->killed_for, "wall")) limit = "wall";
  else if (st.cpu_ns > s->cpu_ms * 1000000ull) limit = "time";
  else if (st.oom_kills > 0) limit = "memory";
  else if (out_hit) limit = "output";
  else if (st.pids_max_hits > 0) limit = "processes";
  else if (wall_ns > s->wall_ms * 1000000ull) limit = "wall";
  jb_fmt(b, "{\"exitCode\":");
  if (exited) jb_fmt(b, "%d", WEXITSTATUS(p->wait_status)); else jb_raw(b, "null");
  jb_raw(b, ",\"signal\":");
  if (!exited && sig) jb_fmt(b, "%d", sig); else jb_raw(b, "null");
  jb_fmt(b, ",\"cpuTimeMs\":%.3f,\"wallTimeMs\":%.3f,\"memoryKiB\":%llu,\"outputBytes\":%llu,\"limitHit\":",
         st.cpu_ns / 1e6, wall_ns / 1e6, (unsigned long long)(st.mem_peak_bytes / 1024), (unsigned long long)out_bytes);
  if (limit) jb_str(b, limit); else jb_raw(b, "null");
  jb_fmt(b, ",\"endNs\":%llu,\"notes\":[", (unsigned long long)end);
  int first = 1;
  if (cg_notes()[0]) { jb_str(b, cg_notes()); first = 0; }
  if (note) { if (!first) jb_raw(b, ","); jb_str(b, note); first = 0; }
  jb_raw(b, "]}");
}

static void make_spare(void) {
  if (G.spare_ready) return;
  if (cg_create(&G.spare, ++G.run_seq) == 0) G.spare_ready = 1;
}

static void handle_request(const char *op, struct spec *specs, int np) {
  struct proc ps[MAX_PARTS];
  int n = !strcmp(op, "interactive") ? 2 : 1;
  if (strcmp(op, "run") && strcmp(op, "interactive")) { emit_error("protocol", "unknown op"); return; }
  if (np != n) { emit_error("protocol", n == 2 ? "interactive needs two parts" : "run needs one part"); return; }
  memset(ps, 0, sizeof ps);
  trace("parsed");
  for (int i = 0; i < n; i++) {
    ps[i].s = &specs[i];
    ps[i].in_fd = ps[i].out_fd = ps[i].err_fd = ps[i].status_fd = ps[i].work_fd = -1;
    ps[i].cg.cpu_fd = -1;
    ps[i].uid = G.uid_base + G.slot + (i == 1 ? 1000 : 0);
    ps[i].use_spare = n == 1;
  }
  int a2b[2] = { -1, -1 }, b2a[2] = { -1, -1 };
  int ok = 1;
  if (n == 2 && (pipe2(a2b, O_CLOEXEC) < 0 || pipe2(b2a, O_CLOEXEC) < 0)) ok = fail_errno("pipe") == 0;
  if (ok && prepare_proc(&ps[0], n == 2 ? b2a[0] : -1, n == 2 ? a2b[1] : -1) < 0) ok = 0;
  if (ok && n == 2 && prepare_proc(&ps[1], a2b[0], b2a[1]) < 0) ok = 0;
  if (n == 2) { a2b[0] = a2b[1] = b2a[0] = b2a[1] = -1; } /* now owned by the procs */
  trace("prepared");
  int started = 0;
  int zygote = ok && n == 1 && Z.ready && ps[0].from_spare;
  if (!zygote && n == 1 && ps[0].from_spare) drop_zygote(); /* it holds the spare cgroup's fds */
  if (zygote && start_with_zygote(&ps[0]) == 0) started = 1;
  else if (zygote) {
    /* The zygote could not take the run (it died, or a detached mount could not be made): drop it,
     * and since its cgroup holds its CPU time, start over with a fresh one on the plain path. */
    struct cg_limits lim = { .mem_bytes = ps[0].s->mem_kib * 1024, .pids = ps[0].s->procs };
    drop_zygote();
    cg_remove(&ps[0].cg);
    ps[0].in_cgroup = 0;
    if (cg_prepare(&ps[0].cg, ++G.run_seq, &lim) < 0) ok = 0;
  }
  for (int i = started; ok && i < n; i++) {
    if (start_proc(&ps[i]) < 0) ok = 0;
    else started++;
  }
  /* Only the children may hold the pipes and stdio now, or EOF would never come. */
  for (int i = 0; i < n; i++) {
    close_fd(&ps[i].in_fd);
    if (n == 2) close_fd(&ps[i].out_fd);
    close_fd(&ps[i].err_fd);
    close_fd(&ps[i].work_fd);
    for (int b = 0; b < ps[i].nbind_fds; b++) close_fd(&ps[i].bind_fds[b]);
  }
  if (!ok) {
    for (int i = 0; i < started; i++) kill_proc(&ps[i], "setup");
    for (int i = 0; i < started; i++) { reap(&ps[i]); close_fd(&ps[i].status_fd); }
  } else {
    trace("cloned");
    supervise(ps, n);
    /* The stats are final once nothing of the run is left in its cgroup; usually the program was
     * alone and that is already so. Otherwise wait for the namespace to be torn down. */
    for (int i = 0; i < n; i++)
      if (cg_alive(&ps[i].cg) > ps[i].in_cgroup) reap(&ps[i]); /* init itself may still be there */
    trace("final");
  }
  char err[512] = "";
  const char *kind = "sandbox";
  if (!ok) snprintf(err, sizeof err, "%s", g_err);
  for (int i = 0; ok && i < n; i++) {
    if (ps[i].exec_errno) { kind = "exec"; snprintf(err, sizeof err, "%s", ps[i].fail_text); ok = 0; }
    else if (ps[i].fail_text[0]) { snprintf(err, sizeof err, "%s", ps[i].fail_text); ok = 0; }
    else if (!ps[i].started) { snprintf(err, sizeof err, "sandbox init died before starting the program"); ok = 0; }
  }
  struct jbuf b = {0};
  if (ok) {
    jb_raw(&b, "{\"ok\":true,\"results\":[");
    for (int i = 0; i < n; i++) {
      if (i) jb_raw(&b, ",");
      cg_kill_all(&ps[i].cg);
      result_json(&b, &ps[i], n == 1);
    }
    jb_raw(&b, "]}");
  }
  for (int i = 0; i < n; i++) close_fd(&ps[i].out_fd);
  if (ok) emit(&b); else emit_error(kind, err);
  trace("answered");
  /* Clean-up and the next run's cgroup happen after the answer, off the daemon's critical path. */
  for (int i = 0; i < n; i++) {
    reap(&ps[i]);
    if (cg_remove(&ps[i].cg) < 0)
      fprintf(stderr, "judged-sandbox: slot %d: %s (retried when the slot restarts)\n", G.slot, g_err);
  }
  make_spare();
  make_zygote();
  trace("cleaned");
}

/* ------------------------------------------------------------------ start-up checks */

static int try_namespaces(void) {
  struct { int flag; const char *name; } ns[] = {
    { CLONE_NEWPID, "pid" }, { CLONE_NEWNS, "mount" }, { CLONE_NEWIPC, "ipc" }, { CLONE_NEWUTS, "uts" } };
  int all = 0;
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) all |= ns[i].flag;
  long pid = syscall(SYS_clone, all | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) _exit(0);
  if (pid > 0) { int st; waitpid((pid_t)pid, &st, 0); return 0; }
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
    pid = syscall(SYS_clone, ns[i].flag | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) _exit(0);
    if (pid < 0)
      return fail_errno("cannot create a %s namespace (run judged as real root, outside a container "
                        "that blocks unshare/clone, e.g. docker needs --privileged)", ns[i].name);
    int st;
    waitpid((pid_t)pid, &st, 0);
  }
  return fail_errno("cannot create the combined namespaces");
}

static int slot_lock(void) {
  /* An abstract socket: released by the kernel when we die, leaves no file behind. Per slot number
   * whatever the cgroup parent: the uid and the template directory belong to the number. */
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail_errno("socket");
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  int len = snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "judged-sandbox/slot%d", G.slot);
  if (bind(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len)) < 0)
    return errno == EADDRINUSE ? fail("slot %d is already in use by another judged-sandbox supervisor", G.slot)
                               : fail_errno("bind slot lock");
  return 0;
}

static int count_cpus(void) {
  cpu_set_t set;
  if (G.cpus && *G.cpus) {
    int c = 1;
    for (const char *s = G.cpus; *s; s++) c += *s == ',';
    return c;
  }
  if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
  return 1;
}

static void on_term(int sig) { g_stop = 1; }

static int start_up(void) {
  if (geteuid() != 0)
    return fail("not running as root (euid %d): the sandbox needs root for namespaces, cgroups and "
                "mounts; start judged as root", (int)geteuid());
  if (slot_lock() < 0) return -1;
  if (cg_init(G.cg_root, G.cg_parent, G.slot, G.cpus) < 0) return -1;
  if (try_namespaces() < 0) return -1;
  if (unshare(CLONE_NEWNS) < 0) return fail_errno("unshare mount namespace");
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) return fail_errno("make mounts private");
  if (unshare(CLONE_NEWNET) < 0)
    return fail_errno("cannot create a network namespace (needed to cut the network off)");
  /* One uts namespace per slot: runs cannot change the hostname (no CAP_SYS_ADMIN), so sharing it is
   * safe and saves its creation on every run. */
  if (unshare(CLONE_NEWUTS) < 0 || sethostname("judged", 6) < 0) return fail_errno("uts namespace");
  if (build_template() < 0) return -1;
  /* The supervisor never execs, so its bounding set matters only to the programs it starts: emptied
   * once here instead of in every run. */
  for (int c = 0; c <= CAP_LAST_CAP; c++)
    if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) return fail_errno("drop capability %d", c);
  G.ncpus = count_cpus();
  int root_fd = open("/", O_PATH | O_CLOEXEC);
  int probe_fd = root_fd < 0 ? -1 : clone_tree(root_fd, 0);
  if (root_fd >= 0) close(root_fd);
  G.mount_api = probe_fd >= 0;
  if (probe_fd >= 0) close(probe_fd);
  make_spare();
  make_zygote();
  if (G.cpus && *G.cpus) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (const char *s = G.cpus; *s; ) { CPU_SET(atoi(s), &set); s = strchr(s, ','); if (!s) break; s++; }
    sched_setaffinity(0, sizeof set, &set);
  }
  return 0;
}

static void shut_down(void) {
  drop_zygote();
  if (G.spare_ready) cg_remove(&G.spare);
  G.spare_ready = 0;
  cg_fini();
  if (G.tmpl[0]) {
    umount2(G.tmpl, MNT_DETACH);
    rmdir(G.tmpl);
    rmdir(G.state_dir); /* only when no other slot uses it */
  }
}

/* ------------------------------------------------------------------ cgroup test mode */

/* "cgtest": drives the cgroup layer step by step so tests can check it against a fake tree.
 * Commands on stdin, one per line: prepare <mem_kib> <pids> | stats | remove | quit. */
static int cgtest(void) {
  if (cg_init(G.cg_root, G.cg_parent, G.slot, G.cpus) < 0) { emit_error("sandbox", g_err); return 2; }
  struct jbuf b = {0};
  jb_fmt(&b, "{\"ok\":true,\"version\":%d,\"notes\":", cg_version());
  jb_str(&b, cg_notes());
  jb_raw(&b, "}");
  emit(&b);
  struct cg_run r = { .cpu_fd = -1 };
  char line[256];
  while (fgets(line, sizeof line, stdin)) {
    unsigned long long mem, pids;
    if (sscanf(line, "prepare %llu %llu", &mem, &pids) == 2) {
      struct cg_limits lim = { .mem_bytes = mem * 1024, .pids = pids };
      if (cg_prepare(&r, ++G.run_seq, &lim) < 0) { emit_error("sandbox", g_err); continue; }
      jb_raw(&b, "{\"ok\":true,\"dirs\":[");
      for (int i = 0; i < r.ndirs; i++) { if (i) jb_raw(&b, ","); jb_str(&b, r.dirs[i]); }
      jb_raw(&b, "]}");
      emit(&b);
    } else if (!strncmp(line, "stats", 5)) {
      struct cg_stats s;
      if (cg_stats(&r, &s) < 0) { emit_error("sandbox", g_err); continue; }
      jb_fmt(&b, "{\"ok\":true,\"cpuNs\":%llu,\"memPeakBytes\":%llu,\"oomKills\":%llu,\"pidsMaxHits\":%llu,\"approx\":%d}",
             (unsigned long long)s.cpu_ns, (unsigned long long)s.mem_peak_bytes, (unsigned long long)s.oom_kills,
             (unsigned long long)s.pids_max_hits, s.peak_approximated);
      emit(&b);
    } else if (!strncmp(line, "remove", 6)) {
      if (cg_remove(&r) < 0) emit_error("sandbox", g_err);
      else { jb_raw(&b, "{\"ok\":true}"); emit(&b); }
    } else if (!strncmp(line, "quit", 4)) {
      break;
    } else {
      emit_error("protocol", "unknown cgtest command");
    }
  }
  cg_remove(&r);
  cg_fini();
  return 0;
}

/* ------------------------------------------------------------------ host probe */

/* "probe": tries each namespace kind and no_new_privs in a throw-away child; prints one JSON line.
 * Used by `judged doctor` through sandbox/host.ts, so the doctor and the sandbox never disagree. */
static int probe(void) {
  signal(SIGPIPE, SIG_IGN);
  struct { int flag; const char *name; } ns[] = {
    { CLONE_NEWPID, "pid" }, { CLONE_NEWNS, "mount" }, { CLONE_NEWNET, "network" },
    { CLONE_NEWIPC, "ipc" }, { CLONE_NEWUTS, "uts" } };
  struct jbuf b = {0};
  jb_raw(&b, "{\"ok\":true,\"namespaces\":{");
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
    long pid = syscall(SYS_clone, ns[i].flag | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) _exit(0);
    int e = errno;
    if (pid > 0) { int st; waitpid((pid_t)pid, &st, 0); }
    jb_fmt(&b, "%s\"%s\":", i ? "," : "", ns[i].name);
    jb_str(&b, pid > 0 ? "" : strerror(e));
  }
  int pp[2];
  int nnp = 0;
  if (pipe(pp) == 0) {
    pid_t pid = fork();
    if (pid == 0) {
      char buf[4096];
      int ok = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && read_file("/proc/self/status", buf, sizeof buf) > 0 &&
               strstr(buf, "NoNewPrivs:\t1");
      char c = ok ? '1' : '0';
      if (write(pp[1], &c, 1) < 0) {}
      _exit(0);
    }
    char c = 0;
    close(pp[1]);
    if (pid > 0 && read(pp[0], &c, 1) == 1) nnp = c == '1';
    close(pp[0]);
    if (pid > 0) { int st; waitpid(pid, &st, 0); }
  }
  jb_fmt(&b, "},\"noNewPrivs\":%s,\"euid\":%d,\"cgroups\":", nnp ? "true" : "false", (int)geteuid());
  cg_probe(G.cg_root, &b);
  jb_raw(&b, "}");
  emit(&b);
  return 0;
}

/* ------------------------------------------------------------------ main */

static void usage(void) {
  fprintf(stderr, "usage: judged-sandbox --slot N [--cpus 0,1] [--cgroup-root DIR] [--cgroup-parent NAME]\n"
                  "                      [--uid-base UID] [--state-dir DIR] [cgtest]\n"
                  "       judged-sandbox probe [--cgroup-root DIR]\n");
  exit(2);
}

int main(int argc, char **argv) {
  int test_mode = 0;
  if (argc >= 2 && !strcmp(argv[1], "probe")) {
    if (argc == 4 && !strcmp(argv[2], "--cgroup-root")) G.cg_root = argv[3];
    return probe();
  }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "cgtest")) { test_mode = 1; continue; }
    if (!v) usage();
    if (!strcmp(a, "--slot")) G.slot = atoi(v);
    else if (!strcmp(a, "--cpus")) G.cpus = v;
    else if (!strcmp(a, "--cgroup-root")) G.cg_root = v;
    else if (!strcmp(a, "--cgroup-parent")) G.cg_parent = v;
    else if (!strcmp(a, "--uid-base")) G.uid_base = (unsigned)atoi(v);
    else if (!strcmp(a, "--state-dir")) G.state_dir = v;
    else usage();
    i++;
  }
  if (G.slot < 0 || G.slot > 999) { fprintf(stderr, "judged-sandbox: --slot must be 0..999\n"); return 2; }
  if (G.cpus) for (const char *s = G.cpus; *s; s++) if (!isdigit((unsigned char)*s) && *s != ',') usage();
  signal(SIGPIPE, SIG_IGN);
  if (test_mode) return cgtest();

  g_trace = getenv("JUDGED_SANDBOX_TRACE") != NULL;
  struct sigaction sa = { .sa_handler = on_term };
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  if (start_up() < 0) {
    char keep[sizeof g_err];
    memcpy(keep, g_err, sizeof keep);
    shut_down();
    emit_error("startup", keep);
    return 2;
  }
  struct jbuf b = {0};
  jb_fmt(&b, "{\"ok\":true,\"ready\":true,\"cgroup\":%d,\"uid\":%u,\"interactorUid\":%u,\"notes\":",
         cg_version(), G.uid_base + G.slot, G.uid_base + 1000 + G.slot);
  jb_str(&b, cg_notes());
  jb_raw(&b, "}");
  emit(&b);

  /* Requests: NUL-terminated fields, an empty field ends one. */
  char *line = NULL;
  size_t cap = 0;
  char *fields[1024];
  char *store = NULL;
  size_t store_len = 0, store_cap = 0;
  int nf = 0;
  while (!g_stop) {
    ssize_t n = getdelim(&line, &cap, '\0', stdin);
    if (n <= 0) break;
    if (line[n - 1] != '\0') break; /* truncated input: the daemon is gone */
    if (nf == 0) g_trace_t0 = now_ns();
    if (n > 1) {
      if (nf == (int)(sizeof fields / sizeof *fields)) { nf = -1; continue; }
      if (nf < 0) continue;
      /* Keep every field of the request in one growing buffer; pointers are fixed up below. */
      if (store_len + (size_t)n > store_cap) {
        store_cap = (store_len + (size_t)n) * 2;
        store = realloc(store, store_cap);
        if (!store) abort();
      }
      memcpy(store + store_len, line, (size_t)n);
      fields[nf++] = (char *)(uintptr_t)store_len;
      store_len += (size_t)n;
      continue;
    }
    if (nf < 0) { emit_error("protocol", "too many fields in one request"); nf = 0; store_len = 0; continue; }
    for (int i = 0; i < nf; i++) fields[i] = store + (uintptr_t)fields[i];
    /* parse_request cuts fields in place; the zygote gets the request as it came. */
    if (store_len > G.raw_cap) {
      G.raw_cap = store_len * 2;
      G.raw = realloc(G.raw, G.raw_cap);
      if (!G.raw) abort();
    }
    memcpy(G.raw, store, store_len);
    G.raw_len = store_len;
    static struct spec specs[MAX_PARTS];
    char *op;
    int np = parse_request(fields, nf, &op, specs);
    if (np < 0) emit_error("protocol", g_err);
    else if (!strcmp(op, "ping")) { struct jbuf pb = {0}; jb_raw(&pb, "{\"ok\":true,\"pong\":true}"); emit(&pb); }
    else {
      finish_specs(specs, np);
      handle_request(op, specs, np);
    }
    nf = 0;
    store_len = 0;
  }
  free(line);
  free(store);
  shut_down();
  return 0;
}
