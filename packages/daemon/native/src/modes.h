/* The supervisor's other modes: "probe" (host facts for `judged doctor`), "cgtest" (the cgroup
 * layer driven step by step against fake trees, for the tests) and "delegated" (whether systemd
 * delegated a cgroup: the xattr Node cannot read). */
#ifndef JUDGED_MODES_H
#define JUDGED_MODES_H
int probe(void);
int cgtest(void);
int delegated(const char *dir);
#endif
