"""``python -m auditor``: the same as the ``auditor`` console script."""

from auditor.cli import run

run()
