"""The one line each failure of a command gets (`newsroom: …` on standard error), for the CLI
and for the rounds of `publish --watch`, which report a failure and go on."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from .config import load_config
from .errors import NewsroomError, os_problem
from .record import record_trouble


def _record_failure(root: Path, error: sqlite3.Error) -> str:
    """One line for an error of the record: its path, what happened and what to do."""
    try:
        where = f"{load_config(root).record_path}: "
    except (NewsroomError, OSError, ValueError):  # newsroom.toml unreadable now: name the key
        where = f"sổ biên tập (paths.record trong {root / 'newsroom.toml'}): "
    return where + record_trouble(error)


# Errors of a two-path call (rename, link) that concern where it writes, not what it reads.
_AT_TARGET = {errno.EACCES, errno.EPERM, errno.EROFS, errno.EEXIST, errno.ENOSPC, errno.EDQUOT}


def failure(root: Path, error: NewsroomError | OSError | sqlite3.Error) -> tuple[str, int]:
    """The one line a command's failure gets, and its exit status."""
    if isinstance(error, NewsroomError):
        return str(error), error.exit_code
    if isinstance(error, OSError):  # the machine, not our code: a full disk, a read-only folder
        at_target = error.filename2 and error.errno in _AT_TARGET
        return os_problem(error, error.filename2 if at_target else None), 2
    return _record_failure(root, error), 2  # the record's: every other database has its own
