"""``python -m auditor``: the same as the ``auditor`` console script."""

from auditor.entry import main

main()
