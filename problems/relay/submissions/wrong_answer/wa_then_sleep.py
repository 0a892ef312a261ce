# Answers wrong, then sleeps until the sandbox kills it at the wall limit. WA, not TLE.
import time
n = int(input())
v = int(input())
print(v, flush=True)
time.sleep(100)
