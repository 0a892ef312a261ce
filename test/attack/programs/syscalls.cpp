// The C++ side of the system-call filter: std::thread (clone3, which the filter answers ENOSYS so
// the C library falls back to clone) must work; a user namespace, a mount and a keyring must not.
// Prints "<what>: ok" or "<what>: <errno name>".
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <vector>

static void note(const char *what, long rc) {
  std::printf("%s: %s\n", what, rc >= 0 ? "ok" : strerrorname_np(errno));
}

int main() {
  std::vector<std::thread> ts;
  int ran = 0;
  for (int i = 0; i < 4; i++) ts.emplace_back([&ran] { __atomic_add_fetch(&ran, 1, __ATOMIC_SEQ_CST); });
  for (auto &t : ts) t.join();
  note("allow std::thread", ran == 4 ? 0 : -1);
  note("deny unshare user", unshare(CLONE_NEWUSER));
  note("deny mount tmpfs", mount("x", "/tmp", "tmpfs", 0, nullptr));
  note("deny add_key", syscall(SYS_add_key, "user", "judged-attack", "secret", 6, -4));
  note("deny io_uring_setup", syscall(SYS_io_uring_setup, 4, std::vector<char>(120).data()));
  return 0;
}
