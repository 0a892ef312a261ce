/* The zygote: the next run's init, made ahead (see zygote.h). */
#include "zygote.h"
#include "init.h"
#include "paths.h"
#include "slot.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The zygote, when there is one: its init pid, status pipe and the socket its request goes down. */
static struct { pid_t pid; int status_fd, go_fd, ready; } Z = { 0, -1, -1, 0 };

int zygote_ready(void) { return Z.ready; }

static void zygote_main(int status_fd, int go_fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  hide_cmdline();
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

void make_zygote(void) {
  if (Z.ready || !G.spare_ready || !G.mount_api) return;
  int sp[2], gp[2];
  if (pipe2(sp, O_CLOEXEC) < 0) return;
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, gp) < 0) { close(sp[0]); close(sp[1]); return; }
  fflush(NULL);
  long pid = syscall(SYS_clone, RUN_NAMESPACES | SIGCHLD, 0, 0, 0, 0);
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

void drop_zygote(void) {
  if (!Z.ready) return;
  close(Z.go_fd); /* the zygote reads EOF and exits */
  close(Z.status_fd);
  int st;
  while (waitpid(Z.pid, &st, 0) < 0 && errno == EINTR) {}
  Z.ready = 0;
}

/* Hands the request to the zygote; on failure the caller clones as usual. */
int start_with_zygote(struct proc *p) {
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

