#!/usr/bin/env python3
# Kattis input validator: n (1 <= n <= 1000), then n integers |v| <= 10^9, one per line.
import re
import sys

lines = sys.stdin.read().split("\n")
ok = len(lines) >= 2 and lines[-1] == "" and re.fullmatch(r"[1-9][0-9]*", lines[0]) is not None
if ok:
    n = int(lines[0])
    values = lines[1:-1]
    ok = 1 <= n <= 1000 and len(values) == n
    ok = ok and all(re.fullmatch(r"-?(0|[1-9][0-9]*)", v) and abs(int(v)) <= 10**9 for v in values)
sys.exit(42 if ok else 43)
