/* One process of a request, supervisor side (see proc.h). */
#include "proc.h"
#include "init.h"
#include "paths.h"
#include "slot.h"
#include "template.h"
#include "zygote.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int open_out(const char *path, int *fd) {
  if (!path) { *fd = open("/dev/null", O_WRONLY | O_CLOEXEC); return *fd < 0 ? fail_errno("open /dev/null") : 0; }
  *fd = open_trusted(path, OPEN_WRITE);
  return *fd < 0 ? -1 : 0;
}

void kill_proc(struct proc *p, const char *why) {
  if (p->gone || p->killed_for) return;
  p->killed_for = why;
  p->t_kill = now_ns();
  kill(p->init_pid, SIGKILL);
}

int prepare_proc(struct proc *p, int stdin_pipe, int stdout_pipe) {
  struct spec *s = p->s;
  p->work_fd = open_trusted(s->work, OPEN_DIR);
  if (p->work_fd < 0) return fail("work dir %s", g_err);
  for (int b = 0; b < s->nbinds; b++) {
    struct stat st;
    p->bind_fds[b] = open_trusted(s->binds[b].host, OPEN_NODE);
    if (p->bind_fds[b] < 0) return fail("bind host path %s", g_err);
    p->nbind_fds = b + 1;
    if (fstat(p->bind_fds[b], &st) < 0) return fail_errno("bind host path %s", s->binds[b].host);
    if (s->binds[b].rw && fchownat(p->bind_fds[b], "", p->uid, p->uid, AT_EMPTY_PATH) < 0)
      return fail_errno("chown writable bind %s", s->binds[b].host);
    if (!is_under(s->binds[b].inside, "/box") && !is_under(s->binds[b].inside, "/tmp") &&
        tmpl_mount_point(s->binds[b].inside, S_ISDIR(st.st_mode)) < 0)
      return -1;
  }
  if (stdin_pipe >= 0) p->in_fd = stdin_pipe;
  else if (!s->in) {
    p->in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (p->in_fd < 0) return fail_errno("open /dev/null");
  } else {
    p->in_fd = open_trusted(s->in, OPEN_READ);
    if (p->in_fd < 0) return -1;
    if (G.mount_api) p->in_fd = neutral_name(p->in_fd, O_RDONLY);
  }
  if (stdout_pipe >= 0) p->out_fd = stdout_pipe;
  else if (open_out(s->out, &p->out_fd) < 0) return -1;
  else if (s->out && G.mount_api) p->out_fd = neutral_name(p->out_fd, O_WRONLY);
  if (open_out(s->err, &p->err_fd) < 0) return -1;
  if (s->err && G.mount_api) p->err_fd = neutral_name(p->err_fd, O_WRONLY);
  struct cg_limits lim = { .mem_bytes = s->mem_kib * 1024, .pids = s->procs };
  if (p->use_spare && G.spare_ready) {
    /* The cgroup made ahead, while the daemon was busy with the previous answer; the zygote, when
     * there is one, already sits in it and counts as one pid. */
    p->cg = G.spare;
    G.spare_ready = 0;
    p->from_spare = 1;
    p->in_cgroup = zygote_ready();
    if (p->in_cgroup) lim.pids++;
    if (cg_set_limits(&p->cg, &lim) < 0) return -1;
    return 0;
  }
  if (cg_prepare(&p->cg, ++G.run_seq, &lim) < 0) return -1;
  return 0;
}

/* Detached mounts of the work dir and the binds, from the fds open_trusted() gave. */
int make_trees(struct proc *p) {
  struct spec *s = p->s;
  /* The work dir is not mounted: init copies it into /box (and outputs back) through this fd. */
  p->trees[0] = fcntl(p->work_fd, F_DUPFD_CLOEXEC, 0);
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

void close_trees(struct proc *p) {
  if (!p->use_trees) return;
  for (int b = 0; b <= p->s->nbinds; b++) close(p->trees[b]);
  p->use_trees = 0;
}

int start_proc(struct proc *p) {
  if (G.mount_api && make_trees(p) < 0) return -1;
  int sp[2];
  if (pipe2(sp, O_CLOEXEC) < 0) { close_trees(p); return fail_errno("pipe"); }
  fflush(NULL);
  long pid = syscall(SYS_clone, RUN_NAMESPACES | SIGCHLD, 0, 0, 0, 0);
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

void read_status(struct proc *p) {
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
  case 'C': snprintf(p->box_note, sizeof p->box_note, "%s", m.text); break;
  case 'X': p->exec_errno = m.err ? m.err : EINVAL; snprintf(p->fail_text, sizeof p->fail_text, "%s", m.text); break;
  default: snprintf(p->fail_text, sizeof p->fail_text, "sandbox setup failed: %s", m.text); break;
  }
}

void release_holds(struct proc *p) {
  if (!p->ended && !p->gone) return;
  close_fd(&p->hold[0]);
  close_fd(&p->hold[1]);
}

void reap(struct proc *p) {
  if (p->reaped || !p->init_pid) return;
  int st;
  while (waitpid(p->init_pid, &st, 0) < 0 && errno == EINTR) {}
  p->reaped = 1;
}

