#!/usr/bin/env python2
# Python 2 by its shebang (problemtools' detection rule): `print` is a statement here, so judged as
# Python 3 this would not compile. Skipped by `judged verify` where Python 2 is not installed.
name = raw_input().strip()
print "Hello, %s!" % name
