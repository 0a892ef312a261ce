/*
 * /box, the run's working directory: a tmpfs of its own, mounted by the run's init in the run's
 * mount namespace (so its pages are charged to the run's memory cgroup, and it vanishes with the
 * namespace: clean-up is the kernel dropping one superblock, never a walk of what the run wrote).
 *
 * Copy-in / copy-out contract (the daemon's work dir is never mounted, so a run cannot write the
 * host's disk):
 *   - before the program starts, init copies the work dir's regular files and directories (no
 *     symlinks, no devices; modes kept, owner = the run's uid) into /box;
 *   - after the program and every process of the run are gone, init copies the requested outputs
 *     (relative paths, or everything) from /box back into the work dir: regular files only, no
 *     symlink followed on either side, written under a temporary name and renamed into place,
 *     at most BOX_OUT_FILES files and the run's output cap in bytes in all.
 */
#ifndef JUDGED_BOX_H
#define JUDGED_BOX_H
#include <stddef.h>
#include <stdint.h>

enum { BOX_OUT_FILES = 4096, BOX_DEPTH = 32 };

/* Mounts the tmpfs at where (size in KiB, inode count), owned by uid, mode 0755. */
int box_mount(const char *where, uint64_t kib, uint64_t inodes, unsigned uid);
/* Copies the tree under src (a directory fd) into the directory dst. */
int box_copy_in(int src, const char *dst, unsigned uid);
/* Copies outputs (names[n], or everything when all) from the directory src into the directory fd
 * dst; stops at cap bytes. note gets a line for the jury when something was left out. */
int box_copy_out(const char *src, int dst, char *const *names, int n, int all, uint64_t cap, char *note, size_t note_len);
/* A note when /box ended full (no space or no inodes left), else "". */
void box_usage_note(const char *where, uint64_t kib, uint64_t inodes, char *note, size_t note_len);
#endif
