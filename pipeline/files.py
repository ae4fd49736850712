"""Writing a whole file by rename: a reader, a parallel build or a killed process never sees
half of it."""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _temporary(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def write_atomic(target: Path, data: bytes) -> None:
    temporary = _temporary(target)
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)  # only left when the write failed


def link_atomic(source: Path, target: Path) -> None:
    """`target` made another name of `source`'s file, put in place by rename like a write."""
    temporary = _temporary(target)
    try:
        os.link(source, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)  # left when it failed, or when it was that file


def write_figures(target: Path, figures: dict) -> None:
    """Counts kept for people and tests (how many articles a build kept or read ahead):
    written whole, and never the reason the work they count fails."""
    try:
        write_atomic(target, json.dumps(figures).encode())
    except OSError:
        pass


class LockHeld(Exception):
    """`locked` without waiting, and another process holds the lock."""


@contextmanager
def locked(path: Path, wait: bool = True) -> Iterator[None]:
    """One holder of the lock file `path` at a time (LockHeld without `wait` when it is held);
    the lock dies with its process, even on SIGKILL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise LockHeld(path) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
