# @EXPECTED_RESULTS@: MEMORY-LIMIT, RUN-ERROR
# 1 GiB of bytes, all written. If the sandbox caps the address space instead of resident memory,
# Python raises MemoryError (a run-time error) instead of being killed.
block = b"x" * (1 << 30)
print(len(block))
