#!/usr/bin/env python3
# Input validator for Best Stretch: n (1..200000), then n integers with |a_i| <= 10^9 on one line.
import sys

lines = sys.stdin.buffer.read().split(b"\n")
try:
    assert len(lines) == 3 and lines[2] == b""
    n = int(lines[0])
    assert 1 <= n <= 200_000 and lines[0] == str(n).encode()
    a = lines[1].split(b" ")
    assert len(a) == n
    for tok in a:
        assert abs(int(tok)) <= 10**9 and tok == str(int(tok)).encode()
except (AssertionError, ValueError):
    sys.exit(43)
sys.exit(42)
