#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char g_err[512];

int fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g_err, sizeof g_err, fmt, ap);
  va_end(ap);
  return -1;
}

int fail_errno(const char *fmt, ...) {
  int e = errno;
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(g_err, sizeof g_err, "%s: %s", msg, strerror(e));
  errno = e;
  return -1;
}

int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail_errno("open %s", path);
  size_t n = strlen(text);
  ssize_t w = write(fd, text, n);
  if (w < 0 || (size_t)w != n) {
    fail_errno("write '%s' to %s", text, path);
    close(fd);
    return -1;
  }
  close(fd);
  return 0;
}

int read_file(const char *path, char *buf, size_t len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail_errno("open %s", path);
  size_t got = 0;
  while (got + 1 < len) {
    ssize_t r = read(fd, buf + got, len - 1 - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      fail_errno("read %s", path);
      close(fd);
      return -1;
    }
    if (r == 0) break;
    got += (size_t)r;
  }
  buf[got] = 0;
  close(fd);
  return (int)got;
}

int read_u64(const char *path, uint64_t *out) {
  char buf[64];
  if (read_file(path, buf, sizeof buf) < 0) return -1;
  if (strncmp(buf, "max", 3) == 0) { *out = UINT64_MAX; return 0; }
  char *end;
  errno = 0;
  unsigned long long v = strtoull(buf, &end, 10);
  if (errno || end == buf) return fail("%s: not a number: '%.20s'", path, buf);
  *out = v;
  return 0;
}

int read_keyed_u64(const char *path, const char *key, uint64_t *out) {
  char buf[4096];
  if (read_file(path, buf, sizeof buf) < 0) return -1;
  size_t kl = strlen(key);
  for (char *line = buf; line && *line; ) {
    char *nl = strchr(line, '\n');
    if (strncmp(line, key, kl) == 0 && line[kl] == ' ') {
      *out = strtoull(line + kl + 1, NULL, 10);
      return 0;
    }
    line = nl ? nl + 1 : NULL;
  }
  return fail("%s: no '%s' line", path, key);
}

int mkdir_p(const char *path, unsigned mode) {
  char tmp[4096];
  if (strlen(path) >= sizeof tmp) return fail("path too long: %s", path);
  strcpy(tmp, path);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(tmp, mode) < 0 && errno != EEXIST) return fail_errno("mkdir %s", tmp);
    *p = '/';
  }
  if (mkdir(tmp, mode) < 0 && errno != EEXIST) return fail_errno("mkdir %s", tmp);
  return 0;
}

uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void jb_grow(struct jbuf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  b->s = realloc(b->s, cap);
  if (!b->s) abort();
  b->cap = cap;
}

void jb_raw(struct jbuf *b, const char *s) {
  size_t n = strlen(s);
  jb_grow(b, n);
  memcpy(b->s + b->len, s, n + 1);
  b->len += n;
}

void jb_str(struct jbuf *b, const char *s) {
  jb_raw(b, "\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char esc[8];
    if (*p == '"' || *p == '\\') { esc[0] = '\\'; esc[1] = (char)*p; esc[2] = 0; }
    else if (*p < 0x20) snprintf(esc, sizeof esc, "\\u%04x", *p);
    else { esc[0] = (char)*p; esc[1] = 0; }
    jb_raw(b, esc);
  }
  jb_raw(b, "\"");
}

void jb_fmt(struct jbuf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  jb_raw(b, tmp);
}

void jb_free(struct jbuf *b) { free(b->s); b->s = NULL; b->len = b->cap = 0; }
