/* The system-call filter (see seccomp.h for the policy and why). */
#include "seccomp.h"
#include "util.h"
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sched.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* The exported BPF program, kept in the supervisor's memory (the vfork child reads it as is). */
static struct sock_filter g_filter[4096];
static struct sock_fprog g_prog;

static const char *const denied[] = {
  /* namespaces and mounts */
  "unshare", "setns", "mount", "umount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount",
  "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
  /* kernel keyrings */
  "keyctl", "add_key", "request_key",
  /* kernel attack surface no contest program needs */
  "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
  "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "name_to_handle_at", "open_by_handle_at",
  "lookup_dcookie", "fanotify_init",
  /* the machine itself */
  "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
  "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "syslog", "settimeofday", "clock_settime",
  "clock_adjtime", "adjtimex", "iopl", "ioperm", "vhangup", "sethostname", "setdomainname",
};

static int add(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n, const struct scmp_arg_cmp *cmp) {
  int nr = seccomp_syscall_resolve_name(name);
  if (nr == __NR_SCMP_ERROR) return 0; /* not a system call of this architecture */
  int rc = seccomp_rule_add_array(ctx, action, nr, n, cmp);
  if (rc < 0) return fail("seccomp rule for %s: %s", name, strerror(-rc));
  return 0;
}

static int rules(scmp_filter_ctx ctx) {
  uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  for (size_t i = 0; i < sizeof denied / sizeof *denied; i++)
    if (add(ctx, eperm, denied[i], 0, NULL) < 0) return -1;
  if (add(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL) < 0) return -1;
  /* clone(flags, ...): one rule per namespace flag (rules of one call are OR-ed). CLONE_NEWTIME is
   * left out: for clone() its bit is part of the exit signal; unshare/clone3 cannot reach it. */
  const unsigned long ns[] = { CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
                               CLONE_NEWNET, CLONE_NEWCGROUP };
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
    struct scmp_arg_cmp c = SCMP_A0(SCMP_CMP_MASKED_EQ, ns[i], ns[i]);
    if (add(ctx, eperm, "clone", 1, &c) < 0) return -1;
  }
  /* socket/socketpair(domain, ...): only AF_UNIX, AF_INET and AF_INET6 (the run's network namespace
   * is empty anyway; the others reach past it or into the kernel's rarer code). */
  const char *calls[] = { "socket", "socketpair" };
  for (size_t k = 0; k < 2; k++) {
    for (int af = 0; af < AF_INET6; af++) {
      if (af == AF_UNIX || af == AF_INET) continue;
      struct scmp_arg_cmp c = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)af);
      if (add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), calls[k], 1, &c) < 0) return -1;
    }
    struct scmp_arg_cmp c = SCMP_A0(SCMP_CMP_GT, AF_INET6);
    if (add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), calls[k], 1, &c) < 0) return -1;
  }
  return 0;
}

int seccomp_build(void) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) return fail("seccomp_init failed (libseccomp)");
  int rc = -1, mfd = -1;
  /* Another ABI's system calls would bypass the rules (their numbers differ): kill instead. */
  if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0) { fail("seccomp: bad-arch action"); goto out; }
  /* We set no_new_privs ourselves, before the filter. */
  if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0) { fail("seccomp: nnp attribute"); goto out; }
  if (rules(ctx) < 0) goto out;
  mfd = memfd_create("judged-seccomp", MFD_CLOEXEC);
  if (mfd < 0) { fail_errno("memfd_create"); goto out; }
  int e = seccomp_export_bpf(ctx, mfd);
  if (e < 0) { fail("seccomp_export_bpf: %s", strerror(-e)); goto out; }
  struct stat st;
  if (fstat(mfd, &st) < 0) { fail_errno("fstat seccomp filter"); goto out; }
  if ((size_t)st.st_size > sizeof g_filter || st.st_size % sizeof(struct sock_filter)) {
    fail("seccomp filter of %lld bytes does not fit", (long long)st.st_size);
    goto out;
  }
  if (pread(mfd, g_filter, (size_t)st.st_size, 0) != st.st_size) { fail_errno("read seccomp filter"); goto out; }
  g_prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
  g_prog.filter = g_filter;
  rc = 0;
out:
  if (mfd >= 0) close(mfd);
  seccomp_release(ctx);
  return rc;
}

int seccomp_ready(void) { return g_prog.len > 0; }

int seccomp_load_prepared(void) {
  if (!g_prog.len) { errno = EINVAL; return -1; }
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &g_prog, 0, 0);
}
