"""Faults of the record file itself, made for real: a damaged page, a file nobody may write."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest


def damage(record: Path, name: str) -> bytes:
    """The first page of table or index `name` overwritten with 0xFF, as a failing disk would
    leave it (its WAL checkpointed first, so the damage is what SQLite reads); returns the
    damaged file's bytes."""
    with closing(sqlite3.connect(record)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        (root,) = db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)
        ).fetchone()
    with record.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * page_size)
    return record.read_bytes()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` made impossible to write: immutable for root (chattr +i), mode 0444 otherwise."""
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"chattr +i is not available here: {made.stderr!r}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(mode)
