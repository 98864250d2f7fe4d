"""``python -m tests.golden [--accept]``: show how the golden outputs changed; write them only with --accept."""

import argparse
import sys

from tests.golden import check

parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__)
parser.add_argument("--accept", action="store_true",
                    help="write the new outputs into tests/golden/ (after reviewing the diff)")
sys.exit(check(accept=parser.parse_args().accept))
