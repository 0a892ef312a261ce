/*
 * One process of a request (the program, or an interactor) as the supervisor sees it: host paths
 * opened, cgroup ready, its init started (plain clone or the zygote), its status messages read.
 */
#ifndef JUDGED_PROC_H
#define JUDGED_PROC_H
#include "cg.h"
#include "request.h"
#include <stdint.h>
#include <sys/types.h>

/* What init tells the supervisor; small enough to be written atomically to a pipe. */
struct msg {
  char type;           /* 'S' program started, 'E' program ended, 'C' /box copied out (text: a note),
                        * 'X' exec failed, 'F' setup failed */
  int err;
  int status;
  uint64_t t;
  uint64_t cpu0;       /* 'S': the run cgroup's CPU usage at exec (init's own setup, subtracted) */
  char text[200];
};

struct proc {
  struct spec *s;
  struct cg_run cg;
  int in_fd, out_fd, err_fd;    /* opened by the supervisor on host paths */
  pid_t init_pid;
  int status_fd;
  int started, ended, gone;     /* got 'S', got 'E', status pipe closed */
  uint64_t t_start, t_end, t_kill;
  int wait_status;
  const char *killed_for;       /* "time" / "wall" when we killed it */
  uint64_t cpu_ns_seen;
  uint64_t cpu0;
  int in_cgroup;                /* init already sits in the run's cgroups (the zygote path) */
  char fail_text[256];
  char box_note[200];           /* from init after the run: /box full, copy-out cut short */
  int exec_errno;
  unsigned uid;
  int use_spare, from_spare;
  int reaped;
  int pivoted;                  /* init already lives in the template root (the zygote path) */
  int use_trees;                /* work dir and binds come as detached mounts in trees[] */
  int work_fd;                  /* O_PATH fds of the work dir and the bind sources (open_trusted) */
  int bind_fds[MAX_BINDS];
  int nbind_fds;
  int trees[1 + MAX_BINDS];     /* then: detached mounts of the work dir and the binds */
  int ignore_sigpipe;           /* the interactor: a write to a gone reader fails, never kills */
  int hold[2];                  /* interactive: the supervisor's copies of this side's pipe ends,
                                 * closed once its end is recorded (run.c says why) */
};

/* Closes hold[] once the process's end is recorded ('E', or its init gone). */
void release_holds(struct proc *p);

/* Opens the host paths, chowns the work dir, readies the cgroup (the spare one when use_spare). */
int prepare_proc(struct proc *p, int stdin_pipe, int stdout_pipe);
/* Detached mounts of the work dir and the binds (trees[]), and their release. */
int make_trees(struct proc *p);
void close_trees(struct proc *p);
/* The plain path: clones init with fresh pid, mount and ipc namespaces. */
int start_proc(struct proc *p);
/* Reads one status message from init (or notes that its pipe closed). */
void read_status(struct proc *p);
void kill_proc(struct proc *p, const char *why);
void reap(struct proc *p);
#endif
