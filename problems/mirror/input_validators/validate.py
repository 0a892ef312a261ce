"""Mirror's input validator: one line `1 w`, w of 1..max_len lowercase letters. argv: max_len."""
import re
import sys

max_len = int(sys.argv[1])
data = sys.stdin.read()
m = re.fullmatch(r'1 ([a-z]+)\n', data)
if not m or len(m.group(1)) > max_len:
    print(f'expected "1 w" with 1..{max_len} lowercase letters, got {data[:40]!r}', file=sys.stderr)
    sys.exit(43)
sys.exit(42)
