/* Run requests, parsed in place (see request.h). */
#include "request.h"
#include "util.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int parse_u64(const char *key, const char *v, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long x = strtoull(v, &end, 10);
  if (errno || end == v || *end || x == 0) return fail("field %s: expected a positive integer, got '%s'", key, v);
  *out = x;
  return 0;
}

static int valid_inside(const char *inside) {
  if (inside[0] != '/' || strstr(inside, "/../") || strstr(inside, "/./") || !strcmp(inside, "/") ||
      (strlen(inside) >= 3 && !strcmp(inside + strlen(inside) - 3, "/..")))
    return fail("bind inside path '%s' must be absolute and normalised", inside);
  if (!strncmp(inside, "/proc", 5) && (inside[5] == 0 || inside[5] == '/'))
    return fail("bind inside path '%s': /proc is the sandbox's own", inside);
  if (!strcmp(inside, "/box") || !strcmp(inside, "/tmp") || !strcmp(inside, "/dev") || !strcmp(inside, "/etc"))
    return fail("bind inside path '%s': that directory is the sandbox's own; bind below it", inside);
  return 0;
}

/* An output to copy out of /box: a relative path of plain components (no "..", ".", or empty). */
static int valid_output(const char *rel) {
  if (!rel[0] || rel[0] == '/' || strlen(rel) >= 1024) return fail("output '%s' must be a relative path below /box", rel);
  for (const char *p = rel; *p; ) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)))
      return fail("output '%s' must be a normalised relative path (no '.', '..' or empty parts)", rel);
    p += n + (e ? 1 : 0);
    if (e && !*p) return fail("output '%s' must name a file, not a directory", rel);
  }
  return 0;
}

/* Fills specs from one request; fields point into the request buffer. Returns the part count. */
int parse_request(char **fields, int nfields, char **op, struct spec *specs) {
  int np = 0;
  struct spec *s = NULL;
  struct bind *pending = NULL;
  *op = NULL;
  for (int i = 0; i < nfields; i++) {
    char *k = fields[i], *v = strchr(k, '=');
    if (!v) return fail("malformed field '%.40s'", k);
    *v++ = 0;
    if (!strcmp(k, "op")) { *op = v; continue; }
    if (!strcmp(k, "part")) {
      if (np == MAX_PARTS) return fail("more than %d parts", MAX_PARTS);
      s = &specs[np++];
      memset(s, 0, sizeof *s);
      pending = NULL;
      continue;
    }
    if (!s) return fail("field %s before any part", k);
    if (!strcmp(k, "arg")) { if (s->argc == MAX_ARGS) return fail("more than %d args", MAX_ARGS); s->argv[s->argc++] = v; }
    else if (!strcmp(k, "env")) {
      if (s->envc == MAX_ENV) return fail("more than %d env vars", MAX_ENV);
      if (!strchr(v, '=')) return fail("env entry '%s' has no '='", v);
      s->env[s->envc++] = v;
    }
    else if (!strcmp(k, "work")) s->work = v;
    else if (!strcmp(k, "stdin")) s->in = v;
    else if (!strcmp(k, "stdout")) s->out = v;
    else if (!strcmp(k, "stderr")) s->err = v;
    else if (!strcmp(k, "cpu_ms")) { if (parse_u64(k, v, &s->cpu_ms)) return -1; }
    else if (!strcmp(k, "wall_ms")) { if (parse_u64(k, v, &s->wall_ms)) return -1; }
    else if (!strcmp(k, "mem_kib")) { if (parse_u64(k, v, &s->mem_kib)) return -1; }
    else if (!strcmp(k, "procs")) { if (parse_u64(k, v, &s->procs)) return -1; }
    else if (!strcmp(k, "out_kib")) { if (parse_u64(k, v, &s->out_kib)) return -1; }
    else if (!strcmp(k, "stack_kib")) { if (parse_u64(k, v, &s->stack_kib)) return -1; }
    else if (!strcmp(k, "nofile")) { if (parse_u64(k, v, &s->nofile)) return -1; }
    else if (!strcmp(k, "box_kib")) { if (parse_u64(k, v, &s->box_kib)) return -1; }
    else if (!strcmp(k, "box_inodes")) { if (parse_u64(k, v, &s->box_inodes)) return -1; }
    else if (!strcmp(k, "out_all")) s->out_all = !strcmp(v, "1");
    else if (!strcmp(k, "out")) {
      if (s->nouts == MAX_OUTS) return fail("more than %d outputs", MAX_OUTS);
      if (valid_output(v) < 0) return -1;
      s->outs[s->nouts++] = v;
    }
    else if (!strcmp(k, "bind_host")) {
      if (s->nbinds == MAX_BINDS) return fail("more than %d binds", MAX_BINDS);
      pending = &s->binds[s->nbinds++];
      pending->host = v;
      pending->inside = NULL;
      pending->rw = 0;
    }
    else if (!strcmp(k, "bind_inside")) { if (!pending) return fail("bind_inside without bind_host"); pending->inside = v; }
    else if (!strcmp(k, "bind_rw")) { if (!pending) return fail("bind_rw without bind_host"); pending->rw = !strcmp(v, "1"); }
    else return fail("unknown field '%s'", k);
  }
  if (!*op) return fail("request without op");
  for (int i = 0; i < np; i++) {
    s = &specs[i];
    if (!s->argc) return fail("part %d: no argv", i);
    if (!s->work || s->work[0] != '/') return fail("part %d: work dir must be an absolute host path", i);
    if (!s->cpu_ms || !s->wall_ms || !s->mem_kib || !s->procs || !s->out_kib)
      return fail("part %d: cpu_ms, wall_ms, mem_kib, procs and out_kib are required", i);
    for (int b = 0; b < s->nbinds; b++) {
      if (!s->binds[b].inside) return fail("part %d bind %d: no inside path", i, b);
      if (s->binds[b].host[0] != '/') return fail("part %d bind %d: host path '%s' is not absolute", i, b, s->binds[b].host);
      if (valid_inside(s->binds[b].inside) < 0) return -1;
    }
  }
  return np;
}

/* Env defaults the caller may override (a sane PATH, HOME in the work dir), and the NULL ends. */
void finish_specs(struct spec *specs, int np) {
  for (int i = 0; i < np; i++) {
    struct spec *s = &specs[i];
    const char *defs[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/box", "TMPDIR=/tmp", "LANG=C.UTF-8" };
    for (size_t d = 0; d < sizeof defs / sizeof *defs; d++) {
      size_t kl = strchr(defs[d], '=') - defs[d] + 1;
      int have = 0;
      for (int e = 0; e < s->envc; e++) if (!strncmp(s->env[e], defs[d], kl)) have = 1;
      if (!have) s->env[s->envc++] = (char *)defs[d];
    }
    s->env[s->envc] = NULL;
    /* Half the memory limit by default: the pages count as the run's memory anyway, and a program
     * that fills /box should see ENOSPC (a clear outcome) before the OOM killer. */
    if (!s->box_kib) {
      s->box_kib = s->mem_kib / 2 < 262144 ? s->mem_kib / 2 : 262144;
      if (s->box_kib < 1024) s->box_kib = 1024;
    }
    if (!s->box_inodes) s->box_inodes = 16384;
    s->argv[s->argc] = NULL;
  }
}

/* Splits a raw request (NUL-terminated fields back to back) into field pointers. */
int split_fields(char *buf, size_t len, char **fields, int max) {
  int nf = 0;
  for (size_t off = 0; off < len && nf < max; ) {
    fields[nf++] = buf + off;
    off += strlen(buf + off) + 1;
  }
  return nf;
}

