/* Prints who the program runs as: uid, gid, groups, capabilities and no_new_privs. Inside the
 * sandbox: uid and gid not 0, no supplementary root group, no capability. */
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  printf("uid: %d euid: %d gid: %d egid: %d\n", (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid());
  gid_t groups[64];
  int n = getgroups(64, groups);
  printf("groups:");
  for (int i = 0; i < n; i++) printf(" %d", (int)groups[i]);
  printf("\n");
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs", 10) || !strncmp(line, "Seccomp:", 8))
      fputs(line, stdout);
  if (f) fclose(f);
  return 0;
}
