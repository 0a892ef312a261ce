# Keeps 1 MiB bytearrays (bytearray zero-fills, so pages are touched). Must end as a memory limit hit.
blocks = []
while True:
    blocks.append(bytearray(1 << 20))
