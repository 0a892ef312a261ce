# @EXPECTED_RESULTS@: MEMORY-LIMIT, RUN-ERROR
# Keeps thirty copies of the raw input "for safety": about 630 MB on the large case, over the
# 512 MiB limit, reached in a fraction of a second.
import sys

raw = sys.stdin.buffer.read()
backup = raw * 30
data = raw.split()
print(sum(map(int, data[1:])) + len(backup) * 0)
