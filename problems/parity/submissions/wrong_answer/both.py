input()
print("even odd")
