import math

x = 0.0
while True:
    x = math.sqrt(x + 2.0)
