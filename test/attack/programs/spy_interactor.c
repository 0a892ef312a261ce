/* The honest side of an interactive run (the interactor): reads the secret answer from
 * /data/secret.ans (bound for it only), says "hello" to the program, then copies the one line the
 * program answers to its own stderr, where the test reads it. Exits 42 if it lived to the end. */
#include <stdio.h>
#include <string.h>

int main(void) {
  FILE *f = fopen("/data/secret.ans", "r");
  char secret[128] = "";
  if (!f || !fgets(secret, sizeof secret, f)) return 2;
  printf("hello\n");
  fflush(stdout);
  char line[4096];
  if (!fgets(line, sizeof line, stdin)) return 43;
  fputs(line, stderr);
  return 42;
}
