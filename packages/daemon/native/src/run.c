/* One request from parsing to answer (see run.h). */
#include "run.h"
#include "proc.h"
#include "slot.h"
#include "zygote.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
        release_holds(&ps[i]);
        /* A program whose run has ended: init exits on its own, nothing to kill. */
      }
      j++;
    }
  }
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
  if (p->box_note[0]) { if (!first) jb_raw(b, ","); jb_str(b, p->box_note); first = 0; }
  if (sig == SIGSYS) {
    if (!first) jb_raw(b, ",");
    jb_str(b, "killed by the sandbox's system-call filter (SIGSYS): a system call of another ABI (32-bit int 0x80 or x32)");
    first = 0;
  }
  jb_raw(b, "]}");
}

/*
 * Interactive runs: which side ended first decides the verdict, and one side's end usually causes
 * the other's (EOF, a write to a gone reader). A process closes its pipes in exit(), before its init
 * can see it gone and record the time, so without help the side that reacts can be recorded first.
 * So the supervisor keeps copies of the pipe ends (hold[]) and closes a side's copies only once that
 * side's end is recorded: the other side sees EOF, or fails to write, strictly after it.
 *   program:    its stdout's write end (the interactor sees EOF only after the program's end).
 *   interactor: its stdout's write end (the program sees EOF only after the interactor's end) and
 *               its stdin's read end (the program's writes land in the buffer until then, and only
 *               then fail with SIGPIPE).
 *   to_program: the read end of the program's stdin stays open for the whole run, as Kattis
 *               problemtools keeps it: an interactor's writes after the program has ended never fail,
 *               it sees EOF when it reads and reports as it sees fit.
 * Pipes of 1 MiB as problemtools and DOMjudge make them, so neither side blocks on a full pipe while
 * the other has not read yet. The interactor also runs with SIGPIPE ignored (init.c).
 */
static int hold_pipes(struct proc *ps, int a2b[2], int b2a[2], int *to_program) {
  for (int k = 0; k < 2; k++) fcntl((k ? b2a : a2b)[1], F_SETPIPE_SZ, 1 << 20); /* best effort */
  ps[0].hold[0] = fcntl(a2b[1], F_DUPFD_CLOEXEC, 0);
  ps[1].hold[0] = fcntl(b2a[1], F_DUPFD_CLOEXEC, 0);
  ps[1].hold[1] = fcntl(a2b[0], F_DUPFD_CLOEXEC, 0);
  *to_program = fcntl(b2a[0], F_DUPFD_CLOEXEC, 0);
  if (ps[0].hold[0] < 0 || ps[1].hold[0] < 0 || ps[1].hold[1] < 0 || *to_program < 0) return fail_errno("dup pipe");
  return 0;
}

void make_spare(void) {
  if (G.spare_ready) return;
  if (cg_create(&G.spare, ++G.run_seq) == 0) G.spare_ready = 1;
}

void handle_request(const char *op, struct spec *specs, int np) {
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
    ps[i].ignore_sigpipe = i == 1;
    ps[i].hold[0] = ps[i].hold[1] = -1;
  }
  int a2b[2] = { -1, -1 }, b2a[2] = { -1, -1 }, to_program = -1;
  int ok = 1;
  if (n == 2 && (pipe2(a2b, O_CLOEXEC) < 0 || pipe2(b2a, O_CLOEXEC) < 0)) ok = fail_errno("pipe") == 0;
  if (n == 2 && ok && hold_pipes(ps, a2b, b2a, &to_program) < 0) {
    ok = 0;
    for (int k = 0; k < 2; k++) { close_fd(&a2b[k]); close_fd(&b2a[k]); }
  }
  if (ok && prepare_proc(&ps[0], n == 2 ? b2a[0] : -1, n == 2 ? a2b[1] : -1) < 0) ok = 0;
  if (ok && n == 2 && prepare_proc(&ps[1], a2b[0], b2a[1]) < 0) ok = 0;
  if (n == 2) { a2b[0] = a2b[1] = b2a[0] = b2a[1] = -1; } /* now owned by the procs */
  trace("prepared");
  int started = 0;
  int zygote = ok && n == 1 && zygote_ready() && ps[0].from_spare;
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
  /* Only the children may hold the pipes now, or EOF would never come. Files stay open here until
   * the answer is out: the last close of a detached mount (neutral_name) waits for RCU, better
   * here after the answer than in the program's exit. */
  for (int i = 0; i < n; i++) {
    if (n == 2) { close_fd(&ps[i].in_fd); close_fd(&ps[i].out_fd); }
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
  if (ok) emit(&b); else emit_error(kind, err);
  for (int i = 0; i < n; i++) {
    close_fd(&ps[i].in_fd); close_fd(&ps[i].out_fd); close_fd(&ps[i].err_fd);
    close_fd(&ps[i].hold[0]); close_fd(&ps[i].hold[1]);
  }
  close_fd(&to_program);
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

