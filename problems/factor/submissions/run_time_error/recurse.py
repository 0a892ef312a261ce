import sys

sys.setrecursionlimit(100)


def smallest(n, d):
    return d if n % d == 0 else smallest(n, d + 1)


print(smallest(int(input()), 2))  # RecursionError once d passes ~100
