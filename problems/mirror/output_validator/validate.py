"""Mirror's output validator: pass 1 checks the code and remembers it with the word; pass 2
checks the word. argv: input answer feedback_dir max_code."""
import os
import sys

inp, ans, feedback, max_code = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
state = os.path.join(feedback, 'state.txt')


def reject(msg, team=None):
    with open(os.path.join(feedback, 'judgemessage.txt'), 'a') as f:
        f.write(msg + '\n')
    if team:
        with open(os.path.join(feedback, 'teammessage.txt'), 'a') as f:
            f.write(team + '\n')
    sys.exit(43)


with open(inp) as f:
    kind, arg = f.read().split()
out = sys.stdin.read().split()
if len(out) != 1:
    reject(f'pass {kind}: expected one token, got {len(out)}', 'print exactly one token')

if kind == '1':
    if not out[0].isdigit() or int(out[0]) >= max_code:
        reject(f'pass 1: {out[0][:40]!r} is not an integer in [0, {max_code})', 'the first run prints a number')
    with open(state, 'w') as f:
        f.write(arg + '\n')
    with open(os.path.join(feedback, 'nextpass.in'), 'w') as f:
        f.write(f'2 {int(out[0])}\n')
    sys.exit(42)

with open(state) as f:
    word = f.read().strip()
if out[0] != word:
    reject(f'pass 2: expected {word!r}, got {out[0][:40]!r}', 'the second run printed another word')
sys.exit(42)
