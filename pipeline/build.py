"""Run Pelican strictly in a child process: the build step of `newsroom publish`.

The build runs Pelican in its own process with warnings fatal, so any
plugin, template or content problem fails it; `newsroom publish` switches
the live site only after a build that succeeded and was verified.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

from . import processes
from .article import format_datetime
from .errors import FILE_TROUBLE, BuildError

PELICAN_GENERIC = "Could not process"


def run_pelican(
    root: Path,
    settings_file: str,
    output: Path,
    content: Path | None = None,
    publish_time: datetime | None = None,
    overrides: dict | None = None,
    failure: str = "dựng trang thất bại, trang đang đăng không thay đổi",
) -> None:
    """One strict Pelican build into `output`; raise BuildError with its first problem.

    `overrides` are extra settings (JSON values), e.g. the manifest of a publish; `failure`
    opens the error's line (what failed, and what it means for the live site)."""
    arguments = [
        str(root / settings_file),
        str(content or root / "content"),
        str(output),
        format_datetime(publish_time) if publish_time else "",
        json.dumps(overrides or {}),
    ]
    spare = _take_spare(root)
    if spare is not None:
        result = processes.finish(spare, json.dumps(arguments).encode("utf-8") + b"\n")
    else:
        command = [sys.executable, "-m", "pipeline.pelican_run", *arguments]
        result = processes.run(command, "pelican", cwd=root)
    if result.returncode != 0:
        problems = [line.partition("\t")[2] for line in result.stderr.splitlines() if "\t" in line]
        # Pelican's generic "Could not process X" follows our own, more precise message.
        specific = [p for p in problems if not p.startswith(PELICAN_GENERIC)]
        problems = specific or problems
        first = problems[0] if problems else (result.stderr.strip().splitlines() or ["?"])[-1]
        if first.startswith(PELICAN_GENERIC):  # Pelican names the file, not what is wrong
            first += "; hãy chạy newsroom check với tệp này để biết lỗi ở dòng nào"
        more = f" (và {len(problems) - 1} lỗi khác; xem hết bằng newsroom check)"
        if FILE_TROUBLE in first:  # the machine's, not the content's: check cannot show it
            more = f" (và {len(problems) - 1} lỗi khác)"
        raise BuildError(
            f"{failure} — "
            + first.replace(str(root) + os.sep, "")
            + (more if len(problems) > 1 else "")
        )


# A Pelican process started before its build is known (`prepare_pelican`), which the next build of
# the same project takes: its interpreter and imports (about 0.25 s) overlap the publish's
# planning and materializing instead of following them.
_spare: tuple[Path, processes.Started] | None = None


def prepare_pelican(root: Path) -> None:
    """Start the Pelican process of the build to come in `root` (`discard_pelican`: none came)."""
    global _spare
    if _spare is None:
        command = [sys.executable, "-m", "pipeline.pelican_run", "--waiting", str(root / "plugins")]
        _spare = (root, processes.start(command, "pelican", cwd=root))


def discard_pelican() -> None:
    """End the Pelican process `prepare_pelican` started, if no build took it."""
    global _spare
    spare, _spare = _spare, None
    if spare is not None:
        processes.abandon(spare[1])


def _take_spare(root: Path) -> processes.Started | None:
    global _spare
    spare, _spare = _spare, None
    if spare is None:
        return None
    if spare[0] != root:  # another project's: its plugins and working folder differ
        processes.abandon(spare[1])
        return None
    return spare[1]


def build_site(
    root: Path | str = ".", publish_time: datetime | None = None, given_actor: str | None = None
) -> Path:
    """`newsroom build`, kept as another name for `newsroom publish`: the public site is only
    ever built from approved revisions (pipeline/publish.py); returns the new live release."""
    from .publish import PublishResult, publish  # publish builds with run_pelican above

    result = publish(root, publish_time, given_actor, rebuild=True)
    assert isinstance(result, PublishResult)  # a rebuild without only_if_due always makes one
    return result.release
