#!/usr/bin/env python3
"""Writes big.in (N integers, ten per line) and big.ans (their sum) into OUT_DIR.

Usage: gen.py N SEED OUT_DIR
Deterministic for a given N and SEED, so every machine judges the same data.
"""
import os
import random
import sys

n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(seed)
lo, hi = -(10**9), 10**9
total = 0
with open(os.path.join(out, "big.in"), "w") as f:
    f.write(f"{n}\n")
    left = n
    while left > 0:
        k = min(10, left)
        row = [rng.randint(lo, hi) for _ in range(k)]
        total += sum(row)
        f.write(" ".join(map(str, row)) + "\n")
        left -= k
with open(os.path.join(out, "big.ans"), "w") as f:
    f.write(f"{total}\n")
