/* Leaves kernel state behind for a later run of the same slot, all named after the token (argv[1]):
 * an abstract unix socket kept alive after exit by sending its own fd into itself (a reference
 * cycle only the kernel's unix garbage collector breaks), SysV shared memory, a message queue and a
 * semaphore set (key from the token), a POSIX message queue, and a key in the user keyring.
 * Prints "<what>: ok" or "<what>: <errno name>". A later run (kernel_seek.c) must find none. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void note(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : strerrorname_np(errno)); }

static key_t token_key(const char *t) {
  unsigned h = 5381;
  for (; *t; t++) h = h * 33 + (unsigned char)*t;
  return (key_t)(h & 0x7fffffff);
}

static int send_fd(int via, int fd) {
  char c = 'x', buf[CMSG_SPACE(sizeof fd)];
  struct iovec iov = { &c, 1 };
  struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = buf, .msg_controllen = sizeof buf };
  struct cmsghdr *h = CMSG_FIRSTHDR(&m);
  h->cmsg_level = SOL_SOCKET;
  h->cmsg_type = SCM_RIGHTS;
  h->cmsg_len = CMSG_LEN(sizeof fd);
  memcpy(CMSG_DATA(h), &fd, sizeof fd);
  return sendmsg(via, &m, 0) == 1 ? 0 : -1;
}

int main(int argc, char **argv) {
  const char *token = argc > 1 ? argv[1] : "judged-attack";
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  int len = snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "%s", token);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  int ok = s >= 0 && bind(s, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len)) == 0 &&
           listen(s, 8) == 0;
  note("abstract socket", ok);
  int sp[2];
  /* The listening socket's fd in flight inside a pair whose ends are in flight too: nothing in user
   * space holds it, and it lives on after we exit until the kernel's garbage collector runs. */
  ok = ok && socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) == 0 && send_fd(sp[0], s) == 0 && send_fd(sp[0], sp[0]) == 0 &&
       send_fd(sp[1], sp[1]) == 0;
  note("abstract socket kept in flight", ok);
  key_t k = token_key(token);
  int shm = shmget(k, 4096, IPC_CREAT | 0666);
  char *p = shm >= 0 ? shmat(shm, NULL, 0) : (char *)-1;
  if (p != (char *)-1) { strcpy(p, token); shmdt(p); }
  note("sysv shm", shm >= 0 && p != (char *)-1);
  note("sysv msg", msgget(k, IPC_CREAT | 0666) >= 0);
  note("sysv sem", semget(k, 1, IPC_CREAT | 0666) >= 0);
  char name[300];
  snprintf(name, sizeof name, "/%s", token);
  mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0666, NULL);
  note("posix mq", q != (mqd_t)-1);
  note("user keyring key", syscall(SYS_add_key, "user", token, token, strlen(token), -4 /* user keyring */) >= 0);
  note("session keyring key", syscall(SYS_add_key, "user", token, token, strlen(token), -3 /* session */) >= 0);
  fflush(stdout);
  return 0;
}
