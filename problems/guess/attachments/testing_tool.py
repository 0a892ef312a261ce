#!/usr/bin/env python3
"""Plays the judge for "Guess the Number" locally.

Usage: python3 testing_tool.py X -- command to run your solution
Example: python3 testing_tool.py 42 -- ./a.out
"""
import subprocess
import sys

if len(sys.argv) < 4 or sys.argv[2] != "--":
    sys.exit(__doc__)
x = int(sys.argv[1])
proc = subprocess.Popen(sys.argv[3:], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
for q in range(1, 31):
    line = proc.stdout.readline()
    if not line.startswith("? "):
        sys.exit(f"malformed question: {line!r}")
    g = int(line[2:])
    reply = "lower" if x < g else "higher" if x > g else "correct"
    print(f"question {q}: {g} -> {reply}", file=sys.stderr)
    proc.stdin.write(reply + "\n")
    proc.stdin.flush()
    if reply == "correct":
        proc.wait()
        sys.exit(0)
sys.exit("more than 30 questions")
