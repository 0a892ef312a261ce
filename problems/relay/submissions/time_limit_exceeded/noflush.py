# Never flushes: its answers stay in its buffer while it waits for the next integer, the judge waits
# for the answer, and the wall limit ends both. TLE.
import sys
n = int(sys.stdin.readline())
for _ in range(n):
    sys.stdout.write(str(2 * int(sys.stdin.readline())) + "\n")
