/*
 * The cgroup layer: the only place that knows cgroup v1 from v2. One cgroup per run, created fresh
 * (so no CPU time, peak or OOM count carries over), under <root>/<parent>/slot<N>/ in every
 * hierarchy it uses. The root is injectable so the v2 code can be tested against a fake tree.
 */
#ifndef JUDGED_CG_H
#define JUDGED_CG_H
#include <stdint.h>

enum { CG_MAX_CTRL = 4 };

struct cg_limits {
  uint64_t mem_bytes;
  uint64_t pids;
};

struct cg_run {
  int active;
  char dirs[CG_MAX_CTRL][512];  /* run cgroup directory in each hierarchy used (v2: one) */
  int ndirs;
  int procs_fds[CG_MAX_CTRL + 1]; /* cgroup.procs to join (run dirs + slot cpuset on v1) */
  int nprocs_fds;
  int cpu_fd;                   /* cpuacct.usage (v1) or cpu.stat (v2), kept open for polling */
  uint64_t mem_limit;
};

struct cg_stats {
  uint64_t cpu_ns;
  uint64_t mem_peak_bytes;
  uint64_t oom_kills;
  uint64_t pids_max_hits;
  int peak_approximated;        /* v2 without memory.peak: the largest memory.current seen */
};

/* Detects the version under root, creates the slot's cgroups and removes stale runs of this slot. */
int cg_init(const char *root, const char *parent, int slot, const char *cpus);
int cg_version(void);
/* Human-readable notes about degraded accounting (e.g. no memory.peak); "" when none. */
const char *cg_notes(void);
int cg_prepare(struct cg_run *r, unsigned run_id, const struct cg_limits *lim);
/* cg_prepare in two steps, so the cgroup can be made before the request that needs it arrives. */
int cg_create(struct cg_run *r, unsigned run_id);
int cg_set_limits(struct cg_run *r, const struct cg_limits *lim);
/* Tasks still in the run's cgroup (pids.current), -1 when unknown. */
int cg_alive(struct cg_run *r);
/* In the child, before exec: moves the calling process into the run's cgroups. Async-signal-safe. */
int cg_enter(const struct cg_run *r);
/* Closes the fds only the child needs; call in the parent after fork. */
void cg_after_fork(struct cg_run *r);
int cg_cpu_ns(struct cg_run *r, uint64_t *ns);
/* Samples memory.current where there is no memory.peak (v2 < 5.19). */
void cg_sample_memory(struct cg_run *r);
int cg_stats(struct cg_run *r, struct cg_stats *s);
/* Kills every process still in the run's cgroup (belt and braces: the pid namespace already does). */
void cg_kill_all(struct cg_run *r);
int cg_remove(struct cg_run *r);
void cg_fini(void);
struct jbuf;
/* Appends a JSON object {name:{ok,detail}} describing the host's cgroups; creates nothing. */
void cg_probe(const char *root, struct jbuf *b);
#endif
