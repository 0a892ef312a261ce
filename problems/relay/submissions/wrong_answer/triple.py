# Plain WA: answers 3v, and exits cleanly when the judge has gone.
import sys
n = int(sys.stdin.readline())
for _ in range(n):
    line = sys.stdin.readline()
    if not line:
        break
    print(3 * int(line), flush=True)
