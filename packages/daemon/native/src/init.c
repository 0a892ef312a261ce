/* The run's init and the program it starts (see init.h). */
#include "init.h"
#include "box.h"
#include "paths.h"
#include "seccomp.h"
#include "slot.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

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

void die_setup(int fd, const char *what) {
  char t[200];
  snprintf(t, sizeof t, "%s: %s", what, strerror(errno));
  send_msg(fd, 'F', errno, 0, t);
  _exit(1);
}

void close_except(int *keep, int n) {
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
  /* Ignored signals survive exec; the supervisor ignores SIGPIPE, a program must not. An interactor
   * does, as the reference judges run it: its write to a program that is gone fails (EPIPE) and it
   * reports as it sees fit, instead of dying of a signal. (Handled signals are reset by exec.) */
  signal(SIGPIPE, p->ignore_sigpipe ? SIG_IGN : SIG_DFL);
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
  /* Last: from here on only what the filter allows (execve is). */
#ifndef JUDGED_BENCH_WITHOUT_SECCOMP
  if (seccomp_load_prepared() < 0) goto bad;
#endif
  extern char **environ;
  environ = s->env;
  g_exec_t = now_ns();
  execvp(s->argv[0], s->argv);
bad:
  g_exec_err = errno ? errno : EINVAL;
  _exit(127);
}

/* After the program: a note when /box ended full, and the outputs copied back to the host work dir
 * once nothing of the run is left to change them. The supervisor has the program's end already. */
static void finish_box(struct spec *s, int work, int status_fd) {
  char note[200], more[200];
  box_usage_note("/box", s->box_kib, s->box_inodes, note, sizeof note);
  if (s->nouts || s->out_all) {
    kill(-1, SIGKILL); /* pid 1 of the run's namespace: everything but us */
    while (wait(NULL) > 0 || errno == EINTR) {}
    box_copy_out("/box", work, s->outs, s->nouts, s->out_all, s->out_kib * 1024 + 1, more, sizeof more);
    if (more[0]) snprintf(note + strlen(note), sizeof note - strlen(note), "%s%s", note[0] ? "; " : "", more);
  }
  send_msg(status_fd, 'C', 0, 0, note);
}

void hide_cmdline(void) {
  prctl(PR_SET_NAME, "init", 0, 0, 0);
  /* Our copy of the argv memory (PR_SET_MM would need CONFIG_CHECKPOINT_RESTORE). */
  if (G.args && G.args_len > 4) {
    memset(G.args, 0, G.args_len);
    memcpy(G.args, "init", 4);
  }
}

void run_init(struct proc *p, int status_fd) {
  struct spec *s = p->s;
  hide_cmdline();
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
  else keep[nkeep++] = p->work_fd;
  close_except(keep, nkeep);
  /* The host work dir, as an O_PATH fd: copied into /box now, the outputs back into it at the end. */
  int work = p->use_trees ? p->trees[0] : p->work_fd;
  /* The zygote is already inside the template (R = ""), with /proc mounted. Work dir and binds come
   * as detached mounts made from the fds open_trusted() gave (no second path lookup), or, on kernels
   * without the new mount API, are bound by path. The plain path pivots at the end. */
  const char *R = p->pivoted ? "" : G.tmpl;
  char t[PATH_MAX];
  snprintf(t, sizeof t, "%s/box", R);
#ifndef JUDGED_BENCH_WITHOUT_BOX_TMPFS
  if (box_mount(t, s->box_kib, s->box_inodes, p->uid) < 0 || box_copy_in(work, t, p->uid) < 0) {
    send_msg(status_fd, 'F', 0, 0, g_err);
    _exit(1);
  }
#endif
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
  if (p->use_trees) for (int b = 1; b <= s->nbinds; b++) close(p->trees[b]);
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
  int st_prog = 0;
  for (;;) {
    pid_t w = wait(&st_prog);
    if (w == prog) break;
    if (w < 0 && errno != EINTR) die_setup(status_fd, "wait");
  }
  send_msg(status_fd, 'E', 0, st_prog, NULL);
  finish_box(s, work, status_fd);
  _exit(0);
}

