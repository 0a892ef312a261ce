/*
 * Run requests: NUL-terminated "key=value" fields back to back, ended by an empty field (see the
 * protocol in supervisor.c's header and packages/daemon/src/sandbox/protocol.ts). Parsed in place:
 * every string of a spec points into the request buffer.
 */
#ifndef JUDGED_REQUEST_H
#define JUDGED_REQUEST_H
#include <stddef.h>
#include <stdint.h>

enum { MAX_PARTS = 2, MAX_ARGS = 256, MAX_ENV = 256, MAX_BINDS = 32, MAX_OUTS = 64 };

struct bind { char *host, *inside; int rw; };

struct spec {
  char *argv[MAX_ARGS + 1];
  int argc;
  char *env[MAX_ENV + 8];
  int envc;
  char *work, *in, *out, *err;
  uint64_t cpu_ms, wall_ms, mem_kib, procs, out_kib, stack_kib, nofile;
  struct bind binds[MAX_BINDS];
  int nbinds;
  uint64_t box_kib, box_inodes;  /* the /box tmpfs (defaults in finish_specs) */
  char *outs[MAX_OUTS];          /* copied out of /box into the work dir after the run */
  int nouts;
  int out_all;                   /* ... or everything in /box */
};

/* Splits a raw request into field pointers; returns their count. */
int split_fields(char *buf, size_t len, char **fields, int max);
/* Fills specs from the fields (cut in place); returns the part count, or -1 with g_err set. */
int parse_request(char **fields, int nfields, char **op, struct spec *specs);
/* Env defaults the caller may override (PATH, HOME, TMPDIR, LANG) and the NULL ends of argv/env. */
void finish_specs(struct spec *specs, int np);
#endif
