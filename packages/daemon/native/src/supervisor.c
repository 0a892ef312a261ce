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
 *
 * FILES (each with a narrow API in its header)
 *   supervisor.c  this comment, start-up (slot lock, namespaces of the slot), the request loop, main
 *   slot.h        the slot's state shared by the others (G), trace and JSON-line output
 *   template.c    the read-only root template every run pivots into
 *   request.c     parsing a request into specs
 *   paths.c       host paths opened as root without following planted links; detached mounts
 *   proc.c        one process of a request, supervisor side: prepare, clone, status, reap
 *   init.c        the run's init and the program's exec (rlimits, credentials)
 *   zygote.c      the next run's init, made ahead
 *   run.c         one request from specs to answer: supervise the limits, result JSON
 *   modes.c       the probe and cgtest modes
 *   cg.c          every cgroup v1/v2 detail
 */
#include "cg.h"
#include "cg.h"
#include "modes.h"
#include "paths.h"
#include "request.h"
#include "run.h"
#include "seccomp.h"
#include "slot.h"
#include "template.h"
#include "util.h"
#include "zygote.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

struct slot G = { .cg_root = "/sys/fs/cgroup", .cg_parent = "judged", .state_dir = "/run/judged-sandbox",
                  .uid_base = 60000, .slot = -1 };
volatile sig_atomic_t g_stop;

int g_trace;
uint64_t g_trace_t0;
int g_tfd = -1;

void ctrace(const char *phase) {
  if (g_tfd < 0) return;
  dprintf(g_tfd, "trace  init %-12s %8.3f ms\n", phase, (now_ns() - g_trace_t0) / 1e6);
}

void trace(const char *phase) {
  if (!g_trace) return;
  uint64_t t = now_ns();
  fprintf(stderr, "trace %-12s %8.3f ms\n", phase, (t - g_trace_t0) / 1e6);
}

void close_fd(int *fd) { if (*fd >= 0) close(*fd); *fd = -1; }

/* ------------------------------------------------------------------ output */

void emit(struct jbuf *b) {
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

void emit_error(const char *kind, const char *text) {
  struct jbuf b = {0};
  jb_raw(&b, "{\"ok\":false,\"kind\":");
  jb_str(&b, kind);
  jb_raw(&b, ",\"error\":");
  jb_str(&b, text);
  jb_raw(&b, "}");
  emit(&b);
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

/* The slot is held by another supervisor: reported as kind "busy", so callers try the next slot. */
static int g_busy;

/* Per-machine slot locks (see slot_lock); not in the state dir, which goes when its last slot does. */
#define SLOT_LOCK_DIR "/run/judged-sandbox.locks"

static int slot_lock(void) {
  /* An abstract socket: released by the kernel when we die, leaves no file behind. Per slot number
   * whatever the cgroup parent: the uid and the template directory belong to the number. */
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail_errno("socket");
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  int len = snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "judged-sandbox/slot%d", G.slot);
  if (bind(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len)) < 0)
    return errno == EADDRINUSE ? (g_busy = 1, fail("slot %d is already in use by another judged-sandbox supervisor", G.slot))
                               : fail_errno("bind slot lock");
  /* Abstract sockets live in a network namespace: a supervisor started in another one (a judgehost
   * in a container or netns on this machine) would not see the first lock, and would clean up the
   * holder's cgroups. A file lock is per machine; it is released when we die too (the file stays,
   * empty, in /run). Taken before anything of the slot is touched. */
  if (mkdir(SLOT_LOCK_DIR, 0700) < 0 && errno != EEXIST) return fail_errno("mkdir %s", SLOT_LOCK_DIR);
  char file[128];
  snprintf(file, sizeof file, "%s/slot%d", SLOT_LOCK_DIR, G.slot);
  int lf = open(file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lf < 0) return fail_errno("open slot lock %s", file);
  if (flock(lf, LOCK_EX | LOCK_NB) < 0)
    return errno == EWOULDBLOCK ? (g_busy = 1, fail("slot %d is already in use by another judged-sandbox supervisor (in another network namespace)", G.slot))
                                : fail_errno("flock %s", file);
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
  if (tmpl_build() < 0) return -1;
  if (seccomp_build() < 0) return -1;
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

/* ------------------------------------------------------------------ main */

static void usage(void) {
  fprintf(stderr, "usage: judged-sandbox --slot N [--cpus 0,1] [--cgroup-root DIR] [--cgroup-parent NAME]\n"
                  "                      [--uid-base UID] [--state-dir DIR] [cgtest]\n"
                  "       judged-sandbox probe [--cgroup-root DIR]\n"
                  "       judged-sandbox delegated CGROUP-DIR\n");
  exit(2);
}

int main(int argc, char **argv) {
  int test_mode = 0;
  G.args = argv[0];
  G.args_len = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
  if (argc >= 2 && !strcmp(argv[1], "probe")) {
    if (argc == 4 && !strcmp(argv[2], "--cgroup-root")) G.cg_root = argv[3];
    return probe();
  }
  if (argc == 3 && !strcmp(argv[1], "delegated")) return delegated(argv[2]);
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
    if (!g_busy) shut_down(); /* busy: the template and cgroups are the other supervisor's */
    emit_error(g_busy ? "busy" : "startup", keep);
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
