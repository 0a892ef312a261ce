/* The supervisor's other modes: "probe" (host facts for `judged doctor`) and "cgtest" (the cgroup
 * layer driven step by step against fake trees, for the tests). */
#ifndef JUDGED_MODES_H
#define JUDGED_MODES_H
int probe(void);
int cgtest(void);
#endif
