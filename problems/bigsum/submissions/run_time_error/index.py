import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
print(sum(int(data[i]) for i in range(1, n + 2)))  # one past the end: IndexError
