#!/usr/bin/env python3
"""Writes NAME.in and NAME.ans for Best Stretch into OUT_DIR.

Usage: gen.py NAME N SEED MODE OUT_DIR, MODE one of mixed, negative, positive.
Deterministic for given arguments, so every machine judges the same data. The .ans holds the best
total and one stretch with it (the validator accepts any stretch with that total).
"""
import os
import random
import sys

name, n, seed, mode, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rng = random.Random(seed)
lo, hi = {"mixed": (-(10**9), 10**9), "negative": (-(10**9), -1), "positive": (1, 10**9)}[mode]
a = [rng.randint(lo, hi) for _ in range(n)]
best, best_l, best_r = a[0], 0, 0
cur, cur_l = 0, 0
for i, x in enumerate(a):
    if cur <= 0:
        cur, cur_l = x, i
    else:
        cur += x
    if cur > best:
        best, best_l, best_r = cur, cur_l, i
with open(os.path.join(out, f"{name}.in"), "w") as f:
    f.write(f"{n}\n{' '.join(map(str, a))}\n")
with open(os.path.join(out, f"{name}.ans"), "w") as f:
    f.write(f"{best}\n{best_l + 1} {best_r + 1}\n")
