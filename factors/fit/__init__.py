"""Scripts that build or fit the packaged factor tables from ../shared/data (not used at run time).

Run them from the repository root, e.g. ``python -m factors.fit.build_embodied``.
"""

from pathlib import Path

#: The repository's root folder.
REPO_ROOT = Path(__file__).resolve().parents[2]
#: Reference data beside the clone (``../shared/data``); every script also takes it as an argument.
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
