#!/usr/bin/env python3
# Kattis input validator: exit 42 when the input matches the statement.
import sys

lines = sys.stdin.read().split("\n")
try:
    assert lines[-1] == ""
    n = int(lines[0])
    assert 1 <= n <= 10**5 and len(lines) == n + 2
    for line in lines[1 : n + 1]:
        x, y = line.split(" ")
        assert abs(int(x)) <= 10**4 and abs(int(y)) <= 10**4
except (AssertionError, ValueError):
    sys.exit(43)
sys.exit(42)
