# Asks without flushing, then busy-waits for an answer that cannot come: time limit exceeded.
import sys

sys.stdout.write("? 500000000\n")  # stays in Python's buffer
n = 0
while True:
    n += 1
