/* Tries to raise every resource limit's hard and soft value to unlimited. Prints
 * "raise <NAME>: ok" / "raise <NAME>: unlimited already" / "raise <NAME>: <errno name>". A limit
 * the sandbox set must not be raisable. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

static const struct { const char *name; int res; } limits[] = {
    {"CPU", RLIMIT_CPU},       {"FSIZE", RLIMIT_FSIZE},   {"DATA", RLIMIT_DATA},
    {"STACK", RLIMIT_STACK},   {"CORE", RLIMIT_CORE},     {"NPROC", RLIMIT_NPROC},
    {"NOFILE", RLIMIT_NOFILE}, {"MEMLOCK", RLIMIT_MEMLOCK}, {"AS", RLIMIT_AS},
};

int main(void) {
  for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
    struct rlimit cur, want = {RLIM_INFINITY, RLIM_INFINITY};
    getrlimit(limits[i].res, &cur);
    if (cur.rlim_max == RLIM_INFINITY) { printf("raise %s: unlimited already\n", limits[i].name); continue; }
    if (limits[i].res == RLIMIT_NOFILE) want.rlim_cur = want.rlim_max = 1 << 20;
    if (setrlimit(limits[i].res, &want) == 0) printf("raise %s: ok\n", limits[i].name);
    else printf("raise %s: %s\n", limits[i].name, strerrorname_np(errno));
  }
  return 0;
}
