"""`newsroom backup FILE` / `newsroom restore FILE`: the record and the revision store together.

The revision store lives inside the record database, so SQLite's online
backup API copies both in one consistent snapshot, even while editors work.
The snapshot is written to a temporary file beside the target and renamed,
so a failed backup leaves no partial file.

A restore brings back the articles' states from the snapshot, in one
transaction under the publish lock, but never takes back what the record
has since recorded: the audit log stays append-only (its entries are kept,
the snapshot's missing ones are appended, then a `restore` entry), every
withdrawn article stays withdrawn, and stored revisions and releases are
merged, never dropped. A snapshot older than the record (the record has
decisions that the snapshot lacks) is refused unless `force`.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import manifest_store
from .article import format_datetime
from .config import load_config
from .errors import NewsroomError
from .publish import publish_lock
from .record import (
    COLUMNS,
    PAGE_COLUMNS,
    ArticleRecord,
    PageRecord,
    Record,
    connect_read_only,
)
from .staff import PermissionDenied, resolve_actor
from .workflow import now, open_desk

REQUIRED_TABLES = {
    "blobs",
    "revisions",
    "revision_files",
    "articles",
    "corrections",
    "audit",
    "releases",
}
AUDIT_COLUMNS = "at, actor, action, slug, revision, detail"


class BackupError(NewsroomError):
    """A backup target or a restore source that cannot be used."""


def _backup_target(target: Path, record_path: Path) -> Path:
    """The file to write, checked before anything is written."""
    target = target.expanduser().resolve()
    problems = [
        (target.is_dir(), "là một thư mục; hãy đưa tên tệp, ví dụ so-bien-tap.sqlite3"),
        (
            not target.parent.is_dir(),
            f"thư mục {target.parent} không tồn tại; hãy tạo nó hoặc chọn nơi khác",
        ),
        (target.exists() and not target.is_file(), "không phải tệp thường; hãy chọn tên khác"),
        (
            target in _sqlite_files(record_path.resolve()),
            "là chính sổ biên tập; hãy sao lưu ra tệp khác",
        ),
    ]
    for failed, message in problems:
        if failed:
            raise BackupError(message, target)
    return target


def _sqlite_files(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm"))]


def backup(root: Path, target: Path, actor: str | None) -> Path:
    with open_desk(root, actor) as desk:
        target = _backup_target(target, desk.config.record_path)
        temporary: Path | None = None
        try:
            handle, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            os.close(handle)
            temporary = Path(name)
            copy = sqlite3.connect(temporary)
            try:
                desk.record.db.backup(copy)
            finally:
                copy.close()
            os.replace(temporary, target)
        except (sqlite3.Error, OSError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise BackupError(
                f"không ghi được bản sao lưu ({reason}); hãy chọn nơi ghi được", target
            ) from None
        finally:
            for leftover in _sqlite_files(temporary) if temporary else []:
                leftover.unlink(missing_ok=True)
        return target


def _tables(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows}


@contextmanager
def _snapshot(source: Path) -> Iterator[sqlite3.Connection]:
    """The backup file, read-only; one clear error if it is not a newsroom backup."""
    if not source.is_file():
        raise BackupError("không tìm thấy tệp sao lưu (cần một tệp, không phải thư mục)", source)
    connection = connect_read_only(source)
    try:
        try:
            tables = _tables(connection)
        except sqlite3.DatabaseError:
            tables = set()
        if not REQUIRED_TABLES <= tables:
            raise BackupError("không phải bản sao lưu sổ biên tập của newsroom", source)
        yield connection
    except (sqlite3.DatabaseError, manifest_store.DamagedManifest) as error:
        raise BackupError(f"bản sao lưu hỏng hoặc không đúng cấu trúc ({error})", source) from None
    finally:
        connection.close()


def _missing(rows: list[tuple], present: list[tuple]) -> list[tuple]:
    """`rows` that `present` lacks, counting repeats, in their order."""
    left = Counter(present)
    result = []
    for row in rows:
        if left[row]:
            left[row] -= 1
        else:
            result.append(row)
    return result


def _merge(record: Record, snapshot: sqlite3.Connection, source: Path, actor: str, force: bool):
    """The restore itself; call inside one record transaction."""
    db = record.db
    audit_query = f"SELECT {AUDIT_COLUMNS} FROM audit ORDER BY id"
    current_audit = db.execute(audit_query).fetchall()
    saved_audit = snapshot.execute(audit_query).fetchall()
    newer = _missing(current_audit, saved_audit)
    if newer and not force:
        raise BackupError(
            f"bản sao lưu cũ hơn sổ biên tập: thiếu {len(newer)} mục nhật ký từ {newer[0][0]}; "
            "thêm --force để vẫn khôi phục (nhật ký và các bài đã gỡ vẫn được giữ)",
            source,
        )
    kept = {row.slug: row for row in record.articles() if row.state == "withdrawn"}
    # Content-addressed store: add what the snapshot has, drop nothing.
    for table, width in (("blobs", 2), ("revisions", 3), ("revision_files", 3)):
        marks = ", ".join("?" * width)
        rows = snapshot.execute(f"SELECT * FROM {table}")
        db.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({marks})", rows)
    # Article states and corrections: the snapshot's, with every withdrawal re-applied.
    db.execute("DELETE FROM articles")
    for row in snapshot.execute(f"SELECT {', '.join(COLUMNS)} FROM articles"):
        article = ArticleRecord(*row)
        record.save_article(kept.get(article.slug, article))
    for article in kept.values():
        record.save_article(article)
    db.execute("DELETE FROM corrections")
    db.executemany(
        "INSERT INTO corrections (slug, revision, at, text) VALUES (?, ?, ?, ?)",
        snapshot.execute("SELECT slug, revision, at, text FROM corrections ORDER BY id"),
    )
    tables = _tables(snapshot)
    if "pages" in tables:  # static pages' approvals, like articles' (older backups have none)
        db.execute("DELETE FROM pages")
        for row in snapshot.execute(f"SELECT {', '.join(PAGE_COLUMNS)} FROM pages"):
            record.save_page(PageRecord(*row))
    if "release_digests" in tables:
        db.executemany(
            "INSERT OR IGNORE INTO release_digests VALUES (?, ?)",
            snapshot.execute("SELECT release, digest FROM release_digests"),
        )
    # Releases describe folders on disk: keep ours, add the snapshot's others after them.
    # A release's manifest is copied as stored when what it is kept against is here (a year of
    # releases is some 11,000: rebuilding each would hold the record's lock for most of an
    # hour); otherwise it is rebuilt from the backup and kept against this record's own.
    known = {release.id for release in record.releases()}
    for release_id, _seq, at, kind, restores, stored in snapshot.execute(
        "SELECT id, seq, at, kind, restores, manifest FROM releases ORDER BY seq"
    ):
        if release_id in known:
            continue
        base = manifest_store.base_of(release_id, stored)
        if base is None or base in known:
            record.add_stored_release(release_id, at, kind, restores, stored)
        else:
            manifest = manifest_store.text_of(snapshot, release_id) or ""
            record.add_release(release_id, at, kind, restores, manifest)
        known.add(release_id)
    # The audit log: nothing removed; the snapshot's entries that we lack are appended.
    appended = _missing(saved_audit, current_audit)
    db.executemany(f"INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", appended)
    detail = f"{source.name}; giữ {len(newer)} mục nhật ký mới hơn bản sao lưu"
    if kept:
        detail += f", {len(kept)} bài đã gỡ"
    record.log(format_datetime(now()), actor, "restore", None, None, detail)


def restore(root: Path, source: Path, actor: str | None, force: bool = False) -> None:
    """A refused restore of a lost record creates nothing (an empty record would hide that
    the real one is missing): the backup is checked before the record is opened, and a
    record created for it is removed again if merging fails."""
    config = load_config(root)
    member = resolve_actor(config, actor)
    if member.role != "editor":
        raise PermissionDenied("chỉ biên tập viên mới được khôi phục sổ biên tập")
    with _snapshot(source) as snapshot, publish_lock(config, wait=True):
        lost = not config.record_path.exists()
        try:
            with open_desk(root, actor, new_record=True) as desk, desk.record.transaction():
                _merge(desk.record, snapshot, source, member.id, force)
        except BaseException:  # e.g. a damaged manifest in the backup, found while merging
            if lost:  # the record this restore created holds nothing: it must not stay
                for path in _sqlite_files(config.record_path):
                    path.unlink(missing_ok=True)
            raise
