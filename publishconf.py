"""The public build: `newsroom build` renders content with these settings into a new release."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

OUTPUT_PATH = str(ROOT / "output")  # noqa: F405 (newsroom build overrides it with the release)
DELETE_OUTPUT_DIRECTORY = False
PUBLIC_BUILD = True
NEWSROOM_PREVIEW = False
# The gate fails any build whose content differs from manifest.json: only `newsroom publish`.
PLUGINS = [*PLUGINS, "approval_gate"]  # noqa: F405
