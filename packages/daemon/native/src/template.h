/*
 * The slot's read-only root template: a tmpfs in the supervisor's private mount namespace holding
 * /usr and the other system directories bound read-only, a small generated /etc, a /dev of harmless
 * character devices, and empty /box, /tmp, /proc. Every run of the slot pivots into it.
 */
#ifndef JUDGED_TEMPLATE_H
#define JUDGED_TEMPLATE_H
/* Builds it at <state_dir>/slot<N> (path in G.tmpl), read-only at the end. */
int tmpl_build(void);
/* Makes the mount point for a bind outside /box and /tmp (kept for later runs, mode 0). */
int tmpl_mount_point(const char *inside, int is_dir);
#endif
