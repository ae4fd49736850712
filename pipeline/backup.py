"""`newsroom backup FILE` / `newsroom restore FILE`: the record and the revision store together.

The revision store lives inside the record database, so SQLite's online
backup API copies both in one consistent snapshot, even while editors work.
A restore copies the snapshot back into the record under the publish lock,
and appends a `restore` entry to the (restored) audit log.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .article import format_datetime
from .errors import NewsroomError
from .publish import publish_lock
from .record import Record
from .staff import PermissionDenied, resolve_actor
from .workflow import now, open_desk

REQUIRED_TABLES = {"blobs", "revisions", "revision_files", "articles", "audit", "releases"}


def backup(root: Path, target: Path, actor: str | None) -> Path:
    with open_desk(root, actor) as desk:
        target = target.resolve()
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.unlink(missing_ok=True)
        copy = sqlite3.connect(temporary)
        try:
            desk.record.db.backup(copy)
        finally:
            copy.close()
        os.replace(temporary, target)
        return target


def _tables(path: Path) -> set[str]:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            return {row[0] for row in rows}
        finally:
            source.close()
    except sqlite3.DatabaseError:
        return set()


def restore(root: Path, source: Path, actor: str | None) -> None:
    with open_desk(root, actor) as desk:
        member = resolve_actor(desk.config, actor)
        if member.role != "editor":
            raise PermissionDenied("chỉ biên tập viên mới được khôi phục sổ biên tập")
        if not source.is_file() or not REQUIRED_TABLES <= _tables(source):
            raise NewsroomError("không phải bản sao lưu sổ biên tập của newsroom", source)
        with publish_lock(desk.config, wait=True):
            snapshot = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                snapshot.backup(desk.record.db)
            finally:
                snapshot.close()
        record = Record(desk.config.record_path)
        try:
            with record.transaction():
                record.log(format_datetime(now()), member.id, "restore", None, None, source.name)
        finally:
            record.close()
