# Exits at once without reading or writing. The judge's first writes may find the pipe closed and
# kill the judge with SIGPIPE (it does not ignore it); either way this is a wrong answer, every time.
