# Reads only the first line of numbers: right for tiny inputs, wrong once there are more than ten.
import sys

sys.stdin.readline()
print(sum(map(int, sys.stdin.readline().split())))
