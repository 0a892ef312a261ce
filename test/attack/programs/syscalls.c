/* Tries every class of system call the sandbox's seccomp filter denies, and a few it must allow.
 * Prints "<what>: ok" or "<what>: <errno name>". The test expects every denied call to fail with
 * EPERM (sockets of other families: EAFNOSUPPORT), the allowed ones to work, and the host intact
 * (no keyring of the slot's uid in /proc/key-users). With argv[1] = "int80" it makes a 32-bit
 * system call instead, which the filter answers by killing the program (SIGSYS). */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static void note(const char *what, long rc) { printf("%s: %s\n", what, rc >= 0 ? "ok" : strerrorname_np(errno)); fflush(stdout); }

static void *thread_fn(void *arg) { return arg; }

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "int80")) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(20) : "memory"); /* i386 getpid */
    printf("int80: returned %ld\n", r);
    return 0;
  }
  note("deny unshare user", unshare(CLONE_NEWUSER));
  note("deny unshare net", unshare(CLONE_NEWNET));
  note("deny unshare mount", unshare(CLONE_NEWNS));
  note("deny clone newuser", syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
  note("deny clone newpid", syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0));
  int nsfd = open("/proc/self/ns/net", O_RDONLY);
  note("deny setns", setns(nsfd, 0));
  note("deny mount tmpfs", mount("x", "/tmp", "tmpfs", 0, NULL));
  note("deny add_key", syscall(SYS_add_key, "user", "judged-attack", "secret", 6, -4 /* user keyring */));
  note("deny keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -4, 1));
  note("deny request_key", syscall(SYS_request_key, "user", "judged-attack", NULL, 0));
  union bpf_attr battr;
  memset(&battr, 0, sizeof battr);
  battr.map_type = BPF_MAP_TYPE_ARRAY;
  battr.key_size = 4;
  battr.value_size = 4;
  battr.max_entries = 1;
  note("deny bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &battr, sizeof battr));
  struct perf_event_attr pattr;
  memset(&pattr, 0, sizeof pattr);
  pattr.size = sizeof pattr;
  pattr.type = PERF_TYPE_SOFTWARE;
  pattr.config = PERF_COUNT_SW_CPU_CLOCK;
  pattr.exclude_kernel = 1;
  note("deny perf_event_open", syscall(SYS_perf_event_open, &pattr, 0, -1, -1, 0));
  note("deny userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC));
  char params[120];
  memset(params, 0, sizeof params);
  note("deny io_uring_setup", syscall(SYS_io_uring_setup, 4, params));
  note("deny ptrace traceme", ptrace(PTRACE_TRACEME, 0, 0, 0));
  note("deny process_vm_readv", syscall(SYS_process_vm_readv, getppid(), NULL, 0, NULL, 0, 0));
  note("deny kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
  note("deny init_module", syscall(SYS_init_module, NULL, 0, ""));
  note("deny reboot", syscall(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, NULL));
  note("deny pivot_root", syscall(SYS_pivot_root, "/tmp", "/tmp"));
  note("deny socket vsock", socket(AF_VSOCK, SOCK_STREAM, 0));
  note("deny socket netlink", socket(AF_NETLINK, SOCK_RAW, 0));
  note("deny socket packet", socket(AF_PACKET, SOCK_RAW, 0));
  note("deny socket alg", socket(AF_ALG, SOCK_SEQPACKET, 0));
  int sv[2];
  note("deny socketpair vsock", socketpair(AF_VSOCK, SOCK_STREAM, 0, sv));
  /* Allowed: what programs and runtimes use. */
  note("allow socket unix", socket(AF_UNIX, SOCK_STREAM, 0));
  note("allow socket inet", socket(AF_INET, SOCK_DGRAM, 0));
  note("allow socket inet6", socket(AF_INET6, SOCK_DGRAM, 0));
  note("allow socketpair unix", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  pid_t pid = fork();
  if (pid == 0) _exit(7);
  int st = 0;
  note("allow fork", pid > 0 && waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 7 ? 0 : -1);
  pthread_t t;
  errno = pthread_create(&t, NULL, thread_fn, NULL);
  note("allow thread", errno == 0 && pthread_join(t, NULL) == 0 ? 0 : -1);
  return 0;
}
