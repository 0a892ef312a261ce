# Exits with code 3 at once, without reading: a run-time error, every time, whether or not the
# judge's writes found the pipe closed.
raise SystemExit(3)
