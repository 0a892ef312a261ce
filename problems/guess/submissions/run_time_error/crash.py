print("? 500000000", flush=True)
reply = input()
print("?", int(reply) + 1, flush=True)  # int("lower") raises ValueError
