n = int(input())
for _ in range(n):
    print(2 * int(input()), flush=True)
input()
