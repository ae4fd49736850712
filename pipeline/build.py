"""`newsroom build`: render the content into a new release and make it live.

The build runs Pelican in its own process with warnings fatal, so any
plugin, template or content problem fails it; the live site is switched
only after a build that succeeded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from .article import format_datetime
from .config import Config, load_config
from .errors import BuildError
from .releases import finish_release, new_release_id, staging_dir
from .search import index_site

PELICAN_GENERIC = "Could not process"


def run_pelican(
    root: Path,
    settings_file: str,
    output: Path,
    content: Path | None = None,
    publish_time: datetime | None = None,
) -> None:
    """One strict Pelican build into `output`; raise BuildError with its first problem."""
    command = [
        sys.executable,
        "-m",
        "pipeline.pelican_run",
        str(root / settings_file),
        str(content or root / "content"),
        str(output),
        format_datetime(publish_time) if publish_time else "",
    ]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        problems = [line.partition("\t")[2] for line in result.stderr.splitlines() if "\t" in line]
        # Pelican's generic "Could not process X" follows our own, more precise message.
        specific = [p for p in problems if not p.startswith(PELICAN_GENERIC)]
        problems = specific or problems
        first = problems[0] if problems else (result.stderr.strip().splitlines() or ["?"])[-1]
        more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
        raise BuildError(
            "dựng trang thất bại, trang đang đăng không thay đổi — "
            + first.replace(str(root) + os.sep, "")
            + more
        )


def build_site(
    root: Path | str = ".", config: Config | None = None, publish_time: datetime | None = None
) -> Path:
    """Build the public site with publishconf.py into a new release; return the release."""
    root = Path(root).resolve()
    config = config or load_config(root)
    release_id = new_release_id()
    staging = staging_dir(config.releases_path, release_id)
    try:
        run_pelican(root, "publishconf.py", staging, publish_time=publish_time)
        index_site(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return finish_release(root, staging, release_id)
