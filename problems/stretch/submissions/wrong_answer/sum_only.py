# The right total but no stretch: rejected on the samples, so subtasks 1 and 3 are not even run;
# half of subtask 2's points (15).
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
best, cur = None, 0
for i in range(n):
    x = int(data[1 + i])
    cur = x if cur <= 0 else cur + x
    best = cur if best is None or cur > best else best
print(best)
