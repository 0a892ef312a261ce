/*
 * Host paths the daemon names (stdio files, work dirs, bind sources), opened as root so that nothing
 * a run planted can redirect them, and made into detached mounts from those fds (the new mount API,
 * Linux >= 5.12), so a path is never looked up twice.
 */
#ifndef JUDGED_PATHS_H
#define JUDGED_PATHS_H

enum { OPEN_READ, OPEN_WRITE, OPEN_DIR, OPEN_NODE };
/* Returns an fd (OPEN_DIR / OPEN_NODE: an O_PATH fd) or -1 with g_err set. */
int open_trusted(const char *path, int mode);
/* A detached, non-recursive bind of what fd points to, nosuid+nodev (+rdonly unless rw). */
int clone_tree(int from, int rw);
/* Attaches a detached mount at where. */
int attach_tree(int fd, const char *where);
/* The same open file under a neutral name: reopened through a detached mount of it, so that
 * /proc/<pid>/fd/N inside the run reads "/" instead of the jury's path and test name. Returns the
 * new fd (fd itself is closed), or fd unchanged when the mount API is missing. */
int neutral_name(int fd, int flags);
/* path is dir or below it. */
int is_under(const char *path, const char *dir);
#endif
