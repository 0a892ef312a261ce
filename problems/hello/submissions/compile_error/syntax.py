# @EXPECTED_RESULTS@: COMPILER-ERROR, RUN-ERROR
# A syntax error: a compile error where the judge byte-compiles Python first, else a run-time error.
def main(:
    print("Hello")
