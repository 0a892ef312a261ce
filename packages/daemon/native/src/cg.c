/*
 * cgroup v1 and v2 behind one interface (see cg.h). Layout:
 *   v1: <root>/{cpuacct,memory,pids}/<parent>/slot<N>/r<id>, and <root>/cpuset/<parent>/slot<N>
 *       (a slot-wide cpuset, only when pinning was asked for; cpuset has no per-run state).
 *   v2: <root>/<parent>/slot<N>/r<id>, controllers enabled down the path via cgroup.subtree_control.
 * Traps handled here: v1 memsw must be raised after memory.limit_in_bytes; v2 memory.peak exists only
 * on kernels >= 5.19 (we then sample memory.current while polling and say so in a note); v1 cpuset
 * cgroups start with empty cpus/mems and refuse tasks until both are written.
 */
#include "cg.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int version;                 /* 1 or 2 */
static char root_dir[256];
static char slot_rel[256];          /* <parent>/slot<N> */
static char parent_rel[128];
static int have_memsw, have_peak, have_cpuset, have_cgkill;
static char notes[512];
static uint64_t sampled_peak;

static const char *v1_ctrls[] = { "cpuacct", "memory", "pids" };
enum { V1_N = 3 };

int cg_version(void) { return version; }
const char *cg_notes(void) { return notes; }

static void add_note(const char *n) {
  if (notes[0]) strncat(notes, "; ", sizeof notes - strlen(notes) - 1);
  strncat(notes, n, sizeof notes - strlen(notes) - 1);
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

/* Removes a cgroup directory. A fake tree holds regular files, a real one never does (ENOTEMPTY).
 * wait_busy: a run cgroup can be EBUSY for a moment while a killed namespace is torn down. */
static int rm_cgroup_dir(const char *dir, int wait_busy) {
  for (int attempt = 0; attempt < 200; attempt++) {
    if (rmdir(dir) == 0 || errno == ENOENT) return 0;
    if (errno == ENOTEMPTY && attempt == 0) {
      DIR *d = opendir(dir);
      if (!d) return fail_errno("opendir %s", dir);
      struct dirent *e;
      char p[1024];
      while ((e = readdir(d))) {
        if (e->d_type == DT_DIR) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
      }
      closedir(d);
      continue;
    }
    if (errno != EBUSY || !wait_busy) return fail_errno("rmdir %s", dir);
    struct timespec ts = { 0, 1000000 };
    nanosleep(&ts, NULL);
  }
  return fail_errno("rmdir %s (still busy after 200 ms)", dir);
}

static void kill_procs_in(const char *dir) {
  char p[1024], buf[8192];
  snprintf(p, sizeof p, "%s/cgroup.procs", dir);
  if (read_file(p, buf, sizeof buf) <= 0) return;
  for (char *s = buf; *s; ) {
    long pid = strtol(s, &s, 10);
    if (pid > 0) kill((pid_t)pid, SIGKILL);
    while (*s == '\n') s++;
  }
}

/* Removes run cgroups a crashed supervisor of this slot left behind. */
static void remove_stale_runs(const char *slot_dir) {
  DIR *d = opendir(slot_dir);
  if (!d) return;
  struct dirent *e;
  char p[1024];
  while ((e = readdir(d))) {
    if (e->d_name[0] != 'r' || e->d_type != DT_DIR) continue;
    snprintf(p, sizeof p, "%s/%s", slot_dir, e->d_name);
    kill_procs_in(p);
    rm_cgroup_dir(p, 1);
  }
  closedir(d);
}

static int enable_v2(const char *dir, const char *ctrls) {
  char p[1024];
  snprintf(p, sizeof p, "%s/cgroup.subtree_control", dir);
  if (write_file(p, ctrls) < 0)
    return fail("cannot enable '%s' in %s (%s). On cgroup v2 the daemon needs a delegated subtree "
                "with these controllers: run it as a systemd service with Delegate=yes or as root "
                "outside a container", ctrls, p, g_err);
  return 0;
}

static int init_v2(const char *cpus) {
  char p[1024], buf[512];
  snprintf(p, sizeof p, "%s/cgroup.controllers", root_dir);
  if (read_file(p, buf, sizeof buf) < 0) return -1;
  const char *need[] = { "memory", "pids" };
  for (int i = 0; i < 2; i++)
    if (!strstr(buf, need[i]))
      return fail("cgroup v2 at %s lacks the %s controller (cgroup.controllers: '%s'): enable it "
                  "in the kernel/boot options or give judged a delegated cgroup", root_dir, need[i], buf);
  have_cpuset = cpus && *cpus && strstr(buf, "cpuset");
  if (cpus && *cpus && !have_cpuset) add_note("cpu pinning ignored: no cpuset controller");
  /* cpu.stat usage_usec exists in every v2 cgroup, so the cpu controller itself is not needed. */
  const char *ctrls = have_cpuset ? "+memory +pids +cpuset" : "+memory +pids";
  if (enable_v2(root_dir, ctrls) < 0) return -1;
  snprintf(p, sizeof p, "%s/%s", root_dir, parent_rel);
  if (mkdir_p(p, 0755) < 0) return -1;
  if (enable_v2(p, ctrls) < 0) return -1;
  snprintf(p, sizeof p, "%s/%s", root_dir, slot_rel);
  if (mkdir_p(p, 0755) < 0) return -1;
  remove_stale_runs(p);
  if (enable_v2(p, ctrls) < 0) return -1;
  if (have_cpuset) {
    char f[1100];
    snprintf(f, sizeof f, "%s/cpuset.cpus", p);
    if (write_file(f, cpus) < 0) return -1;
  }
  char f[1100];
  snprintf(f, sizeof f, "%s/cgroup.kill", p);
  have_cgkill = exists(f);
  /* memory.peak and memory.swap.max are checked on the first run cgroup (the slot has them too). */
  snprintf(f, sizeof f, "%s/memory.peak", p);
  have_peak = exists(f);
  snprintf(f, sizeof f, "%s/memory.swap.max", p);
  have_memsw = exists(f);
  if (!have_peak) add_note("memory peak approximated: no memory.peak on this kernel (< 5.19), sampled memory.current instead");
  if (!have_memsw) add_note("memory limit excludes swap: no memory.swap.max (swap accounting off)");
  return 0;
}

static int copy_v1_cpuset(const char *from, const char *to, const char *file) {
  char a[1024], b[1024], buf[256];
  snprintf(a, sizeof a, "%s/%s", from, file);
  snprintf(b, sizeof b, "%s/%s", to, file);
  if (read_file(a, buf, sizeof buf) < 0) return -1;
  buf[strcspn(buf, "\n")] = 0;
  return write_file(b, buf);
}

static int init_v1(const char *cpus) {
  char p[1024], f[1100];
  for (int i = 0; i < V1_N; i++) {
    snprintf(p, sizeof p, "%s/%s", root_dir, v1_ctrls[i]);
    if (!exists(p))
      return fail("cgroup v1 controller '%s' is not mounted at %s: mount it (mount -t cgroup -o %s "
                  "cgroup %s) or boot with cgroup v2", v1_ctrls[i], p, v1_ctrls[i], p);
    snprintf(p, sizeof p, "%s/%s/%s", root_dir, v1_ctrls[i], slot_rel);
    if (mkdir_p(p, 0755) < 0) return -1;
    remove_stale_runs(p);
  }
  snprintf(f, sizeof f, "%s/memory/%s/memory.memsw.limit_in_bytes", root_dir, slot_rel);
  have_memsw = exists(f);
  if (!have_memsw) add_note("memory limit excludes swap: no memory.memsw (boot with swapaccount=1)");
  have_peak = 1;
  if (cpus && *cpus) {
    snprintf(p, sizeof p, "%s/cpuset", root_dir);
    if (!exists(p)) { add_note("cpu pinning ignored: no cpuset controller"); return 0; }
    char parent[1024], slot[1024];
    snprintf(parent, sizeof parent, "%s/cpuset/%s", root_dir, parent_rel);
    snprintf(slot, sizeof slot, "%s/cpuset/%s", root_dir, slot_rel);
    if (mkdir_p(slot, 0755) < 0) return -1;
    if (copy_v1_cpuset(p, parent, "cpuset.mems") < 0 || copy_v1_cpuset(p, parent, "cpuset.cpus") < 0 ||
        copy_v1_cpuset(parent, slot, "cpuset.mems") < 0)
      return -1;
    snprintf(f, sizeof f, "%s/cpuset.cpus", slot);
    if (write_file(f, cpus) < 0) return -1;
    have_cpuset = 1;
  }
  return 0;
}

int cg_init(const char *root, const char *parent, int slot, const char *cpus) {
  char p[512], buf[256];
  notes[0] = 0;
  snprintf(root_dir, sizeof root_dir, "%s", root);
  snprintf(parent_rel, sizeof parent_rel, "%s", parent);
  snprintf(slot_rel, sizeof slot_rel, "%s/slot%d", parent, slot);
  snprintf(p, sizeof p, "%s/cgroup.controllers", root);
  /* A hybrid host has an empty cgroup2 mount (e.g. /sys/fs/cgroup/unified): treat it as v1. */
  if (read_file(p, buf, sizeof buf) > 0 && strstr(buf, "memory")) {
    version = 2;
    return init_v2(cpus);
  }
  snprintf(p, sizeof p, "%s/memory", root);
  if (exists(p)) {
    version = 1;
    return init_v1(cpus);
  }
  return fail("no usable cgroups under %s: neither cgroup v2 with the memory controller nor a v1 "
              "memory hierarchy. Mount cgroups (systemd does this) and run judged as root", root);
}

static int open_procs(struct cg_run *r, const char *dir) {
  char p[1024];
  snprintf(p, sizeof p, "%s/cgroup.procs", dir);
  int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return fail_errno("open %s", p);
  r->procs_fds[r->nprocs_fds++] = fd;
  return 0;
}

static int setf(const char *dir, const char *file, const char *fmt, unsigned long long v) {
  char p[1024], val[64];
  snprintf(p, sizeof p, "%s/%s", dir, file);
  snprintf(val, sizeof val, fmt, v);
  return write_file(p, val);
}

int cg_create(struct cg_run *r, unsigned run_id) {
  memset(r, 0, sizeof *r);
  r->cpu_fd = -1;
  if (version == 2) {
    snprintf(r->dirs[0], sizeof r->dirs[0], "%s/%s/r%u", root_dir, slot_rel, run_id);
    r->ndirs = 1;
  } else {
    for (int i = 0; i < V1_N; i++)
      snprintf(r->dirs[i], sizeof r->dirs[i], "%s/%s/%s/r%u", root_dir, v1_ctrls[i], slot_rel, run_id);
    r->ndirs = V1_N;
  }
  for (int i = 0; i < r->ndirs; i++) {
    if (mkdir(r->dirs[i], 0755) < 0 && errno != EEXIST) {
      fail_errno("mkdir %s", r->dirs[i]);
      goto bad;
    }
    r->active = 1;
  }
  if (version == 2) {
    if (open_procs(r, r->dirs[0]) < 0) goto bad;
  } else {
    for (int i = 0; i < V1_N; i++)
      if (open_procs(r, r->dirs[i]) < 0) goto bad;
    if (have_cpuset) {
      char slot[1024];
      snprintf(slot, sizeof slot, "%s/cpuset/%s", root_dir, slot_rel);
      if (open_procs(r, slot) < 0) goto bad;
    }
  }
  return 0;
bad: {
    char keep[sizeof g_err];
    memcpy(keep, g_err, sizeof keep);
    cg_remove(r);
    memcpy(g_err, keep, sizeof keep);
    return -1;
  }
}

int cg_set_limits(struct cg_run *r, const struct cg_limits *lim) {
  r->mem_limit = lim->mem_bytes;
  sampled_peak = 0;
  if (version == 2) {
    const char *d = r->dirs[0];
    if (setf(d, "memory.max", "%llu", lim->mem_bytes) < 0) return -1;
    if (have_memsw && setf(d, "memory.swap.max", "%llu", 0) < 0) return -1;
    return setf(d, "pids.max", "%llu", lim->pids);
  }
  const char *mem = r->dirs[1];
  /* The cgroup is fresh (both unlimited) and memsw must stay >= the memory limit: memory first. */
  if (setf(mem, "memory.limit_in_bytes", "%llu", lim->mem_bytes) < 0) return -1;
  if (have_memsw && setf(mem, "memory.memsw.limit_in_bytes", "%llu", lim->mem_bytes) < 0) return -1;
  return setf(r->dirs[2], "pids.max", "%llu", lim->pids);
}

int cg_prepare(struct cg_run *r, unsigned run_id, const struct cg_limits *lim) {
  if (cg_create(r, run_id) < 0) return -1;
  if (cg_set_limits(r, lim) < 0) {
    char keep[sizeof g_err];
    memcpy(keep, g_err, sizeof keep);
    cg_remove(r);
    memcpy(g_err, keep, sizeof keep);
    return -1;
  }
  return 0;
}

int cg_alive(struct cg_run *r) {
  char p[1024];
  uint64_t n;
  snprintf(p, sizeof p, "%s/pids.current", r->dirs[version == 2 ? 0 : 2]);
  if (read_u64(p, &n) < 0) return -1;
  return (int)n;
}

int cg_enter(const struct cg_run *r) {
  for (int i = 0; i < r->nprocs_fds; i++)
    if (write(r->procs_fds[i], "0", 1) != 1) return -1;
  return 0;
}

void cg_after_fork(struct cg_run *r) {
  for (int i = 0; i < r->nprocs_fds; i++) close(r->procs_fds[i]);
  r->nprocs_fds = 0;
}

int cg_cpu_ns(struct cg_run *r, uint64_t *ns) {
  char buf[1024];
  if (r->cpu_fd < 0) {
    /* Opened on first use, kept for the cheap polling reads of the run. */
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", r->dirs[0], version == 2 ? "cpu.stat" : "cpuacct.usage");
    r->cpu_fd = open(p, O_RDONLY | O_CLOEXEC);
    if (r->cpu_fd < 0) return fail_errno("open %s", p);
  }
  ssize_t n = pread(r->cpu_fd, buf, sizeof buf - 1, 0);
  if (n < 0) return fail_errno("read cpu usage of %s", r->dirs[0]);
  buf[n] = 0;
  if (version == 1) {
    *ns = strtoull(buf, NULL, 10);
    return 0;
  }
  char *u = strstr(buf, "usage_usec ");
  if (!u) return fail("%s/cpu.stat: no usage_usec line", r->dirs[0]);
  *ns = strtoull(u + 11, NULL, 10) * 1000ull;
  return 0;
}

void cg_sample_memory(struct cg_run *r) {
  if (version != 2 || have_peak) return;
  char p[1024];
  uint64_t cur;
  snprintf(p, sizeof p, "%s/memory.current", r->dirs[0]);
  if (read_u64(p, &cur) == 0 && cur > sampled_peak) sampled_peak = cur;
}

int cg_stats(struct cg_run *r, struct cg_stats *s) {
  char p[1024];
  memset(s, 0, sizeof *s);
  if (cg_cpu_ns(r, &s->cpu_ns) < 0) return -1;
  if (version == 2) {
    const char *d = r->dirs[0];
    if (have_peak) {
      snprintf(p, sizeof p, "%s/memory.peak", d);
      if (read_u64(p, &s->mem_peak_bytes) < 0) return -1;
    } else {
      cg_sample_memory(r);
      s->mem_peak_bytes = sampled_peak;
      s->peak_approximated = 1;
    }
    snprintf(p, sizeof p, "%s/memory.events", d);
    if (read_keyed_u64(p, "oom_kill", &s->oom_kills) < 0) return -1;
    snprintf(p, sizeof p, "%s/pids.events", d);
    if (read_keyed_u64(p, "max", &s->pids_max_hits) < 0) return -1;
  } else {
    snprintf(p, sizeof p, "%s/%s", r->dirs[1],
             have_memsw ? "memory.memsw.max_usage_in_bytes" : "memory.max_usage_in_bytes");
    if (read_u64(p, &s->mem_peak_bytes) < 0) return -1;
    snprintf(p, sizeof p, "%s/memory.oom_control", r->dirs[1]);
    if (read_keyed_u64(p, "oom_kill", &s->oom_kills) < 0) return -1;
    snprintf(p, sizeof p, "%s/pids.events", r->dirs[2]);
    if (read_keyed_u64(p, "max", &s->pids_max_hits) < 0) return -1;
  }
  return 0;
}

void cg_kill_all(struct cg_run *r) {
  if (!r->active) return;
  if (version == 2 && have_cgkill) {
    char p[1024];
    snprintf(p, sizeof p, "%s/cgroup.kill", r->dirs[0]);
    write_file(p, "1");
    return;
  }
  for (int i = 0; i < r->ndirs; i++) kill_procs_in(r->dirs[i]);
}

int cg_remove(struct cg_run *r) {
  int rc = 0;
  if (r->cpu_fd >= 0) close(r->cpu_fd);
  r->cpu_fd = -1;
  cg_after_fork(r);
  if (!r->active) return 0;
  for (int i = 0; i < r->ndirs; i++)
    if (rm_cgroup_dir(r->dirs[i], 1) < 0) rc = -1;
  r->active = 0;
  return rc;
}

void cg_fini(void) {
  char p[1024];
  if (version == 2) {
    snprintf(p, sizeof p, "%s/%s", root_dir, slot_rel);
    rm_cgroup_dir(p, 1);
    snprintf(p, sizeof p, "%s/%s", root_dir, parent_rel);
    rm_cgroup_dir(p, 0); /* fails while another slot is alive, as it should */
    return;
  }
  for (int i = 0; i < V1_N + 1; i++) {
    const char *c = i < V1_N ? v1_ctrls[i] : "cpuset";
    if (i == V1_N && !have_cpuset) break;
    snprintf(p, sizeof p, "%s/%s/%s", root_dir, c, slot_rel);
    rm_cgroup_dir(p, 1);
    snprintf(p, sizeof p, "%s/%s/%s", root_dir, c, parent_rel);
    rm_cgroup_dir(p, 0);
  }
}

/* Describes what the host offers without creating anything (for `judged doctor`). */
static void probe_item(struct jbuf *b, int *first, const char *name, int ok, const char *detail) {
  jb_raw(b, *first ? "" : ",");
  *first = 0;
  jb_str(b, name);
  jb_fmt(b, ":{\"ok\":%s,\"detail\":", ok ? "true" : "false");
  jb_str(b, detail);
  jb_raw(b, "}");
}

static int any_child_has(const char *dir, const char *file) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  struct dirent *e;
  char p[1024];
  int found = 0;
  while (!found && (e = readdir(d))) {
    if (e->d_type != DT_DIR || e->d_name[0] == '.') continue;
    snprintf(p, sizeof p, "%s/%s/%s", dir, e->d_name, file);
    found = exists(p);
  }
  closedir(d);
  return found;
}

/* memory.swap.max and memory.peak never exist in the root cgroup, and in a child only where the memory
 * controller is enabled: look in a throw-away child of the root with memory enabled, as the sandbox's
 * own cgroups will have it (so this enables memory at the root, as the sandbox does anyway). Where no
 * real cgroup can be made (a fake tree, no rights), look in an existing child instead. */
static void v2_memory_files(const char *root, int *swap, int *peak) {
  char child[1024], f[1100];
  snprintf(child, sizeof child, "%s/judged-probe-%d", root, (int)getpid());
  snprintf(f, sizeof f, "%s/cgroup.subtree_control", root);
  if (write_file(f, "+memory") == 0 && mkdir(child, 0755) == 0) {
    snprintf(f, sizeof f, "%s/cgroup.controllers", child);
    int real = exists(f);
    snprintf(f, sizeof f, "%s/memory.swap.max", child);
    *swap = exists(f);
    snprintf(f, sizeof f, "%s/memory.peak", child);
    *peak = exists(f);
    rm_cgroup_dir(child, 1);
    if (real) return;
  }
  *swap = any_child_has(root, "memory.swap.max");
  *peak = any_child_has(root, "memory.peak");
}

void cg_probe(const char *root, struct jbuf *b) {
  char p[1024], buf[512], det[600];
  int first = 1;
  jb_raw(b, "{");
  snprintf(p, sizeof p, "%s/cgroup.controllers", root);
  if (read_file(p, buf, sizeof buf) > 0 && strstr(buf, "memory")) {
    buf[strcspn(buf, "\n")] = 0;
    snprintf(det, sizeof det, "cgroup v2 at %s (controllers: %s)", root, buf);
    probe_item(b, &first, "version", 1, det);
    const char *ctrls[][2] = { { "cpu", "cpu.stat usage_usec (core accounting, always present)" },
                               { "memory", "memory" }, { "pids", "pids" }, { "cpuset", "cpuset (optional, for pinning)" } };
    for (int i = 0; i < 4; i++) {
      int ok = i == 0 || strstr(buf, ctrls[i][0]) != NULL;
      snprintf(det, sizeof det, "%s: %s", ctrls[i][1], ok ? "available" : "not enabled at the root");
      probe_item(b, &first, ctrls[i][0], ok, det);
    }
    int swap, peak;
    v2_memory_files(root, &swap, &peak);
    probe_item(b, &first, "swap", swap, swap ? "memory.swap.max: the memory limit covers swap"
                                            : "no memory.swap.max: swap accounting is off, memory limits ignore swap");
    probe_item(b, &first, "peak", peak, peak ? "memory.peak available"
                                            : "no memory.peak (kernel < 5.19): peak memory is sampled, approximate");
  } else {
    snprintf(p, sizeof p, "%s/memory", root);
    if (!exists(p)) {
      snprintf(det, sizeof det, "no cgroup v2 with memory and no v1 memory hierarchy under %s", root);
      probe_item(b, &first, "version", 0, det);
    } else {
      snprintf(det, sizeof det, "cgroup v1 under %s (one hierarchy per controller)", root);
      probe_item(b, &first, "version", 1, det);
      const char *ctrls[][2] = { { "cpu", "cpuacct" }, { "memory", "memory" }, { "pids", "pids" }, { "cpuset", "cpuset" } };
      for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", root, ctrls[i][1]);
        int ok = exists(p);
        snprintf(det, sizeof det, "%s hierarchy %s%s", ctrls[i][1], p, ok ? "" : " missing");
        probe_item(b, &first, ctrls[i][0], ok, det);
      }
      snprintf(p, sizeof p, "%s/memory/memory.memsw.limit_in_bytes", root);
      int swap = exists(p);
      probe_item(b, &first, "swap", swap, swap ? "memory.memsw.*: the memory limit covers swap"
                                              : "no memory.memsw (boot with swapaccount=1): memory limits ignore swap");
      snprintf(p, sizeof p, "%s/memory/memory.max_usage_in_bytes", root);
      int peak = exists(p);
      probe_item(b, &first, "peak", peak, peak ? "memory.max_usage_in_bytes available" : "no memory.max_usage_in_bytes");
    }
  }
  jb_raw(b, "}");
}
