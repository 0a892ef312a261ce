"""Best Stretch's output validator. argv: input answer feedback_dir [partial].

Accepts the best total with a stretch that has it. With `partial` (the groups that give partial
credit pass it), the best total with a wrong or missing stretch is accepted at half the case's
points: score_multiplier.txt 0.5. Exit 42 accepts, 43 rejects.
"""
import os
import sys

inp, ans, feedback = sys.argv[1], sys.argv[2], sys.argv[3]
partial = 'partial' in sys.argv[4:]


def message(name, text):
    with open(os.path.join(feedback, name), 'a') as f:
        f.write(text + '\n')


def reject(judge, team):
    message('judgemessage.txt', judge)
    message('teammessage.txt', team)
    sys.exit(43)


with open(inp) as f:
    n = int(f.readline())
    a = list(map(int, f.readline().split()))
with open(ans) as f:
    best = int(f.readline())

out = sys.stdin.read(1 << 20).split()
if not out or not out[0].lstrip('-').isdigit():
    reject('no total on the first line', 'print the total first')
if int(out[0]) != best:
    reject(f'total {out[0][:30]} is not the best {best}', 'the total is not the largest')

ok = len(out) == 3 and all(t.isdigit() for t in out[1:])
if ok:
    l, r = int(out[1]), int(out[2])
    ok = 1 <= l <= r <= n and sum(a[l - 1 : r]) == best
if ok:
    sys.exit(42)
if partial:
    message('judgemessage.txt', 'right total, wrong or missing stretch: half the points')
    with open(os.path.join(feedback, 'score_multiplier.txt'), 'w') as f:
        f.write('0.5\n')
    sys.exit(42)
reject('right total, but no stretch with it', 'print l and r of a stretch with that total')
