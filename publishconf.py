"""The public build: `newsroom publish` renders approved revisions with these settings into a new
release; the approval gate refuses any other use."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

# Never `output` (the live site) nor a release: `newsroom publish` gives each build a fresh
# folder; a plain `pelican -s publishconf.py` is refused by the gate before writing anything.
OUTPUT_PATH = str(ROOT / ".cache" / "publishconf-refused")  # noqa: F405
DELETE_OUTPUT_DIRECTORY = False
PUBLIC_BUILD = True
NEWSROOM_PREVIEW = False
# The gate fails any build whose content differs from manifest.json: only `newsroom publish`.
PLUGINS = [*PLUGINS, "approval_gate"]  # noqa: F405
