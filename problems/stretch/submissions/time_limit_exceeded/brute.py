# Every stretch with prefix sums, O(n^2): subtasks 1 and 2 (50 points); too slow for subtask 3.
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
a = list(map(int, data[1 : n + 1]))
best, bl, br = a[0], 0, 0
for l in range(n):
    s = 0
    for r in range(l, n):
        s += a[r]
        if s > best:
            best, bl, br = s, l, r
print(best)
print(bl + 1, br + 1)
