/*
 * The slot's state, shared by every part of the supervisor: its configuration (command line), the
 * root template's path, and what is made ahead for the next run (cgroup, request buffer). One slot
 * per process, so one instance (G, defined in supervisor.c).
 */
#ifndef JUDGED_SLOT_H
#define JUDGED_SLOT_H
#include "cg.h"
#include "util.h"
#include <signal.h>
#include <stddef.h>

struct slot {
  int slot;
  const char *cg_root, *cg_parent, *cpus, *state_dir;
  unsigned uid_base;
  char tmpl[256];       /* the root template (a tmpfs in our private mount namespace) */
  unsigned run_seq;
  int ncpus;
  int mount_api;        /* open_tree/move_mount/mount_setattr work: zygotes are possible */
  struct cg_run spare;  /* the next run's cgroup, created after the previous answer went out */
  int spare_ready;
  char *args;           /* our argv strings, back to back (/proc/<pid>/cmdline shows them) */
  size_t args_len;
  char *raw;            /* the current request as received (handed to the zygote as is) */
  size_t raw_len, raw_cap;
};
extern struct slot G;

/* Set by SIGTERM/SIGINT or a dead daemon: finish the current request, then shut down. */
extern volatile sig_atomic_t g_stop;

/* JUDGED_SANDBOX_TRACE=1: phase timings of every request on stderr (for speed work). */
extern int g_trace;
extern uint64_t g_trace_t0;
extern int g_tfd;                     /* init's own dup of stderr (fd 2 becomes the program's) */
void trace(const char *phase);        /* supervisor side */
void ctrace(const char *phase);       /* init side */

/* One JSON line on stdout; emit_error's kind is "startup", "protocol", "exec" or "sandbox". */
void emit(struct jbuf *b);
void emit_error(const char *kind, const char *text);

void close_fd(int *fd);
#endif
