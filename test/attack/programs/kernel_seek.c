/* Looks for what kernel_plant.c left in an earlier run of the slot (token = argv[1]): the abstract
 * unix socket, the SysV shm/msg/sem sets, the POSIX message queue, the keys. Prints
 * "<what>: visible" when found, else "<what>: <errno name>". The test expects nothing visible. */
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

static void seen(const char *what, int found) { printf("%s: %s\n", what, found ? "visible" : strerrorname_np(errno)); }

static key_t token_key(const char *t) {
  unsigned h = 5381;
  for (; *t; t++) h = h * 33 + (unsigned char)*t;
  return (key_t)(h & 0x7fffffff);
}

int main(int argc, char **argv) {
  const char *token = argc > 1 ? argv[1] : "judged-attack";
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  int len = snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "%s", token);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  seen("abstract socket", s >= 0 && connect(s, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len)) == 0);
  key_t k = token_key(token);
  seen("sysv shm", shmget(k, 0, 0) >= 0);
  seen("sysv msg", msgget(k, 0) >= 0);
  seen("sysv sem", semget(k, 0, 0) >= 0);
  char name[300];
  snprintf(name, sizeof name, "/%s", token);
  seen("posix mq", mq_open(name, O_RDONLY) != (mqd_t)-1);
  seen("user keyring key", syscall(SYS_request_key, "user", token, NULL, -4) >= 0);
  seen("keyring search", syscall(SYS_keyctl, 10 /* KEYCTL_SEARCH */, -4, "user", token, 0) >= 0);
  return 0;
}
