import sys

from solver.cli import main

try:
    sys.exit(main(sys.argv[1:]))
except BrokenPipeError:  # output piped into `head`: not an error worth a traceback
    sys.exit(0)
