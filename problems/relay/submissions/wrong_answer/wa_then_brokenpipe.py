# Answers wrong, then keeps writing: Python raises BrokenPipeError once the judge has gone (exit 1
# with a traceback). The judge decided first: WA, not RTE.
n = int(input())
v = int(input())
while True:
    print(v, flush=True)
