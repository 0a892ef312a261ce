/*
 * The system-call filter of every program the sandbox runs (submissions, compilers, validators,
 * interactors). Built once per slot with libseccomp (seccomp_build, at start-up), loaded by the
 * program's process right before exec (seccomp_load_prepared: one prctl, safe in a vfork child).
 *
 * Policy: allow by default, deny with EPERM what no contest program needs and what widens the
 * kernel's attack surface or reaches past the run's namespaces:
 *   - new namespaces (unshare, setns, clone with CLONE_NEW*), mounts of any kind (mount, umount2,
 *     pivot_root, chroot, the new mount API), so no user namespace at all;
 *   - keyrings (keyctl, add_key, request_key): per-uid kernel state that would outlive the run;
 *   - bpf, perf_event_open, userfaultfd, io_uring_*, ptrace, process_vm_readv/writev,
 *     kcmp, name_to_handle_at/open_by_handle_at;
 *   - socket families other than AF_UNIX, AF_INET, AF_INET6 (AF_VSOCK reaches a VM's host side,
 *     AF_NETLINK, AF_PACKET, ...), for socket() and socketpair();
 *   - kexec, modules, reboot, swap, acct, quotactl, syslog, clock setting, iopl/ioperm.
 * clone3 fails with ENOSYS (its flags sit in memory a filter cannot read), so the C library falls
 * back to clone, whose flags it can. A system call of another ABI (32-bit int 0x80, x32) kills the
 * program with SIGSYS: the run reports signal 31 with a note saying why.
 */
#ifndef JUDGED_SECCOMP_H
#define JUDGED_SECCOMP_H
/* Builds the filter (once, in the supervisor); -1 with g_err set. */
int seccomp_build(void);
/* Installs it in the calling process (after PR_SET_NO_NEW_PRIVS). Async-signal-safe. */
int seccomp_load_prepared(void);
/* Whether the filter is in force (probe / notes). */
int seccomp_ready(void);
#endif
