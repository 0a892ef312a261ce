n = int(input())
d = 1
while True:
    d += 1
