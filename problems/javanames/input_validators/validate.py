#!/usr/bin/env python3
# Kattis input validator: one line "a b" with integers |a|, |b| <= 10^18.
import re
import sys

m = re.fullmatch(r"(-?(?:0|[1-9][0-9]*)) (-?(?:0|[1-9][0-9]*))\n", sys.stdin.read())
ok = m is not None and all(abs(int(g)) <= 10**18 for g in m.groups())
sys.exit(42 if ok else 43)
