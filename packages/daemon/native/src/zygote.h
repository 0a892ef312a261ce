/*
 * The zygote: the next run's init, cloned (with its fresh pid, mount and ipc namespaces) right after
 * the previous answer went out, sitting in the spare cgroup and in the template root, waiting for its
 * request. It holds the spare cgroup's cgroup.procs fds, so it is always used together with G.spare.
 */
#ifndef JUDGED_ZYGOTE_H
#define JUDGED_ZYGOTE_H
#include "proc.h"

int zygote_ready(void);
void make_zygote(void);
void drop_zygote(void);
/* Hands the request (G.raw and p's fds) to the zygote; on failure the caller clones as usual. */
int start_with_zygote(struct proc *p);
#endif
