/* Small helpers shared by the supervisor and the cgroup layer: error text, file I/O, JSON output. */
#ifndef JUDGED_UTIL_H
#define JUDGED_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The last sandbox-fault message; every failing helper fills it and returns -1. */
extern char g_err[512];
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fail_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int write_file(const char *path, const char *text);          /* O_CREAT so fake cgroup trees work */
int read_file(const char *path, char *buf, size_t len);       /* NUL-terminated; returns bytes or -1 */
int read_u64(const char *path, uint64_t *out);
/* Finds "key <number>" in a flat keyed file (cpu.stat, memory.events, memory.oom_control). */
int read_keyed_u64(const char *path, const char *key, uint64_t *out);
int mkdir_p(const char *path, unsigned mode);
uint64_t now_ns(void);

/* A growable JSON line. */
struct jbuf { char *s; size_t len, cap; };
void jb_raw(struct jbuf *b, const char *s);
void jb_str(struct jbuf *b, const char *s);           /* quoted + escaped */
void jb_fmt(struct jbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void jb_free(struct jbuf *b);
#endif
