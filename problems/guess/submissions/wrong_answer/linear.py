import sys

g = 1
while True:
    print("?", g, flush=True)
    reply = sys.stdin.readline().strip()
    if reply in ("correct", ""):  # "" is EOF: the judge has stopped answering
        break
    g += 1
