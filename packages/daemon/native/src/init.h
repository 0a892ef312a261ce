/*
 * The run's init: pid 1 of the run's namespaces (our code, never the program). It mounts /box, /tmp,
 * /proc and the binds, pivots into the template (unless the zygote already did), vfork()s the
 * program (rlimits, the slot's uid, no_new_privs, fds 0-2 only), reports over status_fd and exits.
 */
#ifndef JUDGED_INIT_H
#define JUDGED_INIT_H
#include "proc.h"
#include <sched.h>

/* The namespaces every run gets fresh. The network namespace is per run (not per slot) so that
 * nothing bound in it (an abstract unix socket kept alive by an fd cycle, say) reaches a later run;
 * ipc covers SysV IPC and POSIX message queues. uts stays per slot: a run cannot change it. */
#ifndef JUDGED_BENCH_WITHOUT_NETNS
#define RUN_NAMESPACES (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET)
#else
#define RUN_NAMESPACES (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC)
#endif

void run_init(struct proc *p, int status_fd) __attribute__((noreturn));
/* Reports a setup failure ('F') with errno's text and exits. */
void die_setup(int fd, const char *what) __attribute__((noreturn));
/* pid 1 of the run shows as "init" in /proc/1/{comm,cmdline}, not as the supervisor's host path. */
void hide_cmdline(void);
/* Closes every fd but those in keep (sorted in place). */
void close_except(int *keep, int n);
#endif
