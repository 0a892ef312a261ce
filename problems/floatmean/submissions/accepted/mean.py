import math
import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
total = sum(math.hypot(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n))
# repr-style output: any correctly rounded format is fine with a tolerance.
print(total / n)
