# Fine in the first run, crashes in the second.
kind, arg = input().split()
if kind == '2':
    raise SystemExit(3)
print(0)
