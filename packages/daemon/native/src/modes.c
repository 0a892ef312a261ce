/* "probe" and "cgtest" (see modes.h). */
#include "modes.h"
#include "seccomp.h"
#include "slot.h"
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/xattr.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* "delegated DIR": exit 0 when systemd delegated the cgroup DIR (Delegate=yes), 1 when not. systemd
 * (>= 251) marks a delegated unit's cgroup with the xattr trusted.delegate=1 (user.delegate for a
 * user manager's units); its owner may then build the subtree below it, and nobody else. */
int delegated(const char *dir) {
  const char *names[] = { "trusted.delegate", "user.delegate" };
  for (int i = 0; i < 2; i++) {
    char v[8] = {0};
    if (getxattr(dir, names[i], v, sizeof v - 1) > 0 && v[0] == '1') return 0;
  }
  return 1;
}

/* "cgtest": drives the cgroup layer step by step so tests can check it against a fake tree.
 * Commands on stdin, one per line: prepare <mem_kib> <pids> | stats | remove | quit. */
int cgtest(void) {
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

/* "probe": tries each namespace kind and no_new_privs in a throw-away child; prints one JSON line.
 * Used by `judged doctor` through sandbox/host.ts, so the doctor and the sandbox never disagree. */
int probe(void) {
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
  char seccomp_err[256] = "not tried";
  if (pipe(pp) == 0) {
    pid_t pid = fork();
    if (pid == 0) {
      char buf[4096];
      int ok = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && read_file("/proc/self/status", buf, sizeof buf) > 0 &&
               strstr(buf, "NoNewPrivs:\t1");
      /* Then the run's system-call filter, loaded and tried: a user namespace must be refused. */
      char msg[256];
      msg[0] = ok ? '1' : '0';
      if (seccomp_build() < 0) snprintf(msg + 1, sizeof msg - 1, "%s", g_err);
      else if (seccomp_load_prepared() < 0) snprintf(msg + 1, sizeof msg - 1, "loading the filter: %s", strerror(errno));
      else if (unshare(CLONE_NEWUSER) == 0 || errno != EPERM) snprintf(msg + 1, sizeof msg - 1, "the filter did not refuse unshare(CLONE_NEWUSER)");
      else msg[1] = 0;
      if (write(pp[1], msg, strlen(msg)) < 0) {}
      _exit(0);
    }
    char msg[256] = "";
    close(pp[1]);
    ssize_t n = pid > 0 ? read(pp[0], msg, sizeof msg - 1) : -1;
    if (n > 0) { msg[n] = 0; nnp = msg[0] == '1'; snprintf(seccomp_err, sizeof seccomp_err, "%s", msg + 1); }
    close(pp[0]);
    if (pid > 0) { int st; waitpid(pid, &st, 0); }
  }
  jb_fmt(&b, "},\"noNewPrivs\":%s,\"seccomp\":", nnp ? "true" : "false");
  jb_str(&b, seccomp_err);
  jb_fmt(&b, ",\"euid\":%d,\"cgroups\":", (int)geteuid());
  cg_probe(G.cg_root, &b);
  jb_raw(&b, "}");
  emit(&b);
  return 0;
}

