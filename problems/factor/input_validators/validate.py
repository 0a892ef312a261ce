#!/usr/bin/env python3
# Kattis input validator: one composite n, 4 <= n <= 10^12.
import re
import sys

data = sys.stdin.read()
if not re.fullmatch(r"[1-9][0-9]*\n", data):
    sys.exit(43)
n = int(data)
if not 4 <= n <= 10**12:
    sys.exit(43)
d = 2
while d * d <= n:
    if n % d == 0:
        sys.exit(42)
    d += 1
sys.exit(43)
