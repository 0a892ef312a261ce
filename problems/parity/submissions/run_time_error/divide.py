n = int(input())
print(["even", "odd"][n % 2] if n else 1 // n)
