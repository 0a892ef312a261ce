/* One request (op=run or op=interactive) from parsing to answer, and the next run's spare cgroup. */
#ifndef JUDGED_RUN_H
#define JUDGED_RUN_H
#include "request.h"

void handle_request(const char *op, struct spec *specs, int np);
void make_spare(void);
#endif
