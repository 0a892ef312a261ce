#!/usr/bin/env python3
# Kattis input validator: one integer 1 <= x <= 10^9.
import re
import sys

data = sys.stdin.read()
ok = re.fullmatch(r"[1-9][0-9]*\n", data) and 1 <= int(data) <= 10**9
sys.exit(42 if ok else 43)
