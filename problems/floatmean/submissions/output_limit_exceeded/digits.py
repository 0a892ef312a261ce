import sys

sys.stdout.write("3.")
chunk = "0" * 65536
while True:
    sys.stdout.write(chunk)
