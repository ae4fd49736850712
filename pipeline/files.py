"""Writing a whole file by rename: a reader, a parallel build or a killed process never sees
half of it."""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _temporary(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def write_atomic(target: Path, data: bytes, durable: bool = False) -> None:
    """`data` as `target`, put in place by rename: a reader sees the old file or the new one.
    With `durable`, the bytes reach the disk before the name does (a power cut cannot leave
    the name with no bytes), for files that later runs trust by their name alone."""
    temporary = _temporary(target)
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
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


def delete_later(folders: list[Path]) -> None:
    """Delete `folders` from a process that outlives this one, as `git gc --auto` does (an old
    release at 10,000 articles is some 200,000 files, about 1.7 s to delete, that an editor
    need not wait for); the caller has already renamed them out of use."""
    command = 'rm -rf -- "$@" </dev/null >/dev/null 2>&1 &'
    try:
        subprocess.run(
            ["sh", "-c", command, "rm", *map(str, folders)],
            check=True,
            start_new_session=True,  # not stopped with this process (Ctrl-C, the end of a test)
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
