"""`python -m helpers …` runs the command-line interface."""
import os
import sys

from .cli import main

code = main()
if sys.argv[1:2] == ["build"]:
    # Leave without tearing the interpreter down: after a build the heap holds the dictionaries and a few
    # hundred MB of objects, and freeing them one by one takes about a quarter of a second that nobody waits
    # for. The build has closed and moved every output file before returning; only stdio is buffered.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
raise SystemExit(code)
