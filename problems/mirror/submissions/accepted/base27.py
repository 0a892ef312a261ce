# MAX_LEN is the constant max_len of problem.yaml: example submissions get constants substituted.
MAX_LEN = {{max_len}}
kind, arg = input().split()
if kind == '1':
    assert len(arg) <= MAX_LEN
    c = 0
    for ch in arg:
        c = c * 27 + ord(ch) - 96
    print(c)
else:
    c, w = int(arg), ''
    while c:
        w = chr(c % 27 + 96) + w
        c //= 27
    print(w)
