# A submitted "py_compile.py": if the compile step imported it instead of the standard module, this
# would be the submission running at compile time (60 s, 2 GiB, output shown to the team). It says
# so on stdout and leaves a file in /box; the test expects neither.
import sys

print("PWNED: the submission ran at compile time")
with open("/box/pwned", "w") as f:
    f.write("compile-time code ran\n")


def compile(*args, **kwargs):
    return None


sys.exit(0)
