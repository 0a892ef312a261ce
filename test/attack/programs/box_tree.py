# Makes a huge and a deep tree in /box (argv: files, depth): many small files, then a chain of
# directories deeper than PATH_MAX (4096), then prints the answer "42" as an honest program would.
# Its verdict must be the same as without the tree (AC for "42"), and clean-up must not stall or
# fail the judge: /box is the run's tmpfs, dropped by the kernel.
import os
import sys

files, depth = int(sys.argv[1]), int(sys.argv[2])
made = 0
try:
    os.mkdir("/box/wide")
    for i in range(files):
        with open(f"/box/wide/{i}", "w"):
            pass
        made += 1
except OSError as e:
    print(f"files stopped at {made}: {e.strerror}", file=sys.stderr)
os.chdir("/box")
deep = 0
try:
    for _ in range(depth):
        os.mkdir("dd")
        os.chdir("dd")
        deep += 1
except OSError as e:
    print(f"depth stopped at {deep}: {e.strerror}", file=sys.stderr)
print(f"made {made} files, {deep} levels ({deep * 3} bytes of path)", file=sys.stderr)
print(42)
