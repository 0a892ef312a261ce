#!/usr/bin/env python3
# Kattis input validator for Big Sum: n, then n integers with |a_i| <= 10^9, at most ten per line.
import sys

lines = sys.stdin.buffer.read().split(b"\n")
try:
    assert lines.pop() == b""
    n = int(lines[0])
    assert 1 <= n <= 2 * 10**6
    count = 0
    for line in lines[1:]:
        row = line.split(b" ")
        assert 1 <= len(row) <= 10
        for tok in row:
            assert abs(int(tok)) <= 10**9
        count += len(row)
    assert count == n
except (AssertionError, ValueError, IndexError):
    sys.exit(43)
sys.exit(42)
