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

What fails is named as what it is: an error reading the backup names the backup, and an
error in the record (read-only, full disk) reaches the caller as the record's own. A record
that SQLite finds damaged (`PRAGMA quick_check` first, or an error while merging; `status`
then says to restore) is not merged into: every row of it that can still be read is copied,
with the backup merged on top as above, into a new record beside it, which then takes its
place; the damaged file is kept aside (`newsroom.sqlite3.hong-<time>`) and named in the
`restore` entry. An article the audit log says was withdrawn stays withdrawn even if its row
was lost. When some of the damaged record cannot be read, what it held since the backup may
be lost, so that needs `force` too (and nothing is moved before the new record is whole).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from . import manifest_store
from .article import format_datetime
from .config import load_config
from .errors import NewsroomError, os_reason
from .publish import publish_lock
from .record import (
    COLUMNS,
    PAGE_COLUMNS,
    ArticleRecord,
    PageRecord,
    Record,
    connect_read_only,
)
from .revisions import file_hash
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
            reason = os_reason(error) if isinstance(error, OSError) else str(error)
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


def _unusable(source: Path, error: Exception) -> BackupError:
    return BackupError(
        f"bản sao lưu hỏng hoặc không đúng cấu trúc ({error}); hãy dùng một bản sao lưu khác",
        source,
    )


class _Backup:
    """The backup, read-only, as the merge reads it: whatever fails while reading it (a
    damaged page, a missing column, a damaged manifest) is one BackupError naming it, so an
    error in the record is never blamed on the backup."""

    def __init__(self, connection: sqlite3.Connection, source: Path):
        self.connection = connection
        self.source = source

    def read(self, function, *args):
        try:
            return function(*args)
        except (sqlite3.Error, manifest_store.DamagedManifest) as error:
            raise _unusable(self.source, error) from None

    def execute(self, sql: str, parameters: tuple = ()) -> _BackupRows:
        return _BackupRows(self, self.read(self.connection.execute, sql, parameters))

    def tables(self) -> set[str]:
        return self.read(_tables, self.connection)


class _BackupRows:
    """A cursor on the backup whose read errors are the backup's (see _Backup)."""

    def __init__(self, backup: _Backup, cursor: sqlite3.Cursor):
        self._backup = backup
        self._cursor = cursor

    def fetchone(self):
        return self._backup.read(self._cursor.fetchone)

    def fetchall(self) -> list:
        return self._backup.read(self._cursor.fetchall)

    def __iter__(self) -> Iterator:
        while rows := self._backup.read(self._cursor.fetchmany, 256):
            yield from rows


@contextmanager
def _snapshot(source: Path) -> Iterator[_Backup]:
    """The backup file, read-only; one clear error if it is not a newsroom backup."""
    if not source.is_file():
        raise BackupError("không tìm thấy tệp sao lưu (cần một tệp, không phải thư mục)", source)
    try:
        connection = connect_read_only(source)
    except sqlite3.Error as error:
        raise _unusable(source, error) from None
    try:
        try:
            tables = _tables(connection)
        except sqlite3.DatabaseError:
            tables = set()
        if not REQUIRED_TABLES <= tables:
            raise BackupError("không phải bản sao lưu sổ biên tập của newsroom", source)
        yield _Backup(connection, source)
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


def _merge(
    record: Record, snapshot: _Backup, source: Path, actor: str, force: bool, note: str = ""
):
    """The restore itself; call inside one record transaction. `note`: said in its audit entry."""
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
    # A withdrawal is final: an article the log says was withdrawn stays so, even where its
    # row was lost (a damaged record whose log could still be read).
    for at, by, action, slug, revision, reason in [*current_audit, *saved_audit]:
        row = record.article(slug) if action == "withdraw" and slug not in kept else None
        if row is not None and row.state != "withdrawn":
            kept[slug] = replace(
                row,
                state="withdrawn",
                approved_revision=row.approved_revision or revision,
                withdrawn_at=at,
                withdrawn_by=by,
                reason=reason,
                featured_at=None,
            )
            record.save_article(kept[slug])
    db.execute("DELETE FROM corrections")
    db.executemany(
        "INSERT INTO corrections (slug, revision, at, text) VALUES (?, ?, ?, ?)",
        snapshot.execute("SELECT slug, revision, at, text FROM corrections ORDER BY id"),
    )
    tables = snapshot.tables()
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
        base = snapshot.read(manifest_store.base_of, release_id, stored)
        if base is None or base in known:
            record.add_stored_release(release_id, at, kind, restores, stored)
        else:
            manifest = snapshot.read(manifest_store.text_of, snapshot, release_id) or ""
            record.add_release(release_id, at, kind, restores, manifest)
        known.add(release_id)
    # The audit log: nothing removed; the snapshot's entries that we lack are appended.
    appended = _missing(saved_audit, current_audit)
    db.executemany(f"INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", appended)
    detail = f"{source.name}; giữ {len(newer)} mục nhật ký mới hơn bản sao lưu"
    if kept:
        detail += f", {len(kept)} bài đã gỡ"
    if note:
        detail += f"; {note}"
    record.log(format_datetime(now()), actor, "restore", None, None, detail)


# A damaged record -----------------------------------------------------------

# The record's tables, each after those its rows refer to.
SALVAGED = (
    "blobs",
    "revisions",
    "revision_files",
    "articles",
    "pages",
    "corrections",
    "audit",
    "releases",
    "release_digests",
    "pending_releases",
)


def _is_damage(error: sqlite3.Error) -> bool:
    """SQLite found the database file damaged (or not a database at all)."""
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def _damage(path: Path) -> str | None:
    """What SQLite finds wrong with the record at `path`: None when it is sound, missing, or
    cannot be opened at all (its permissions: the restore then says so, naming it)."""
    if not path.is_file():
        return None
    try:
        connection = connect_read_only(path)
    except sqlite3.Error:
        return None
    try:
        found = [row[0] for row in connection.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as error:
        return "SQLite không đọc được tệp" if _is_damage(error) else None
    finally:
        connection.close()
    if found == ["ok"]:
        return None
    return f"kiểm tra toàn vẹn của SQLite báo {len(found)} chỗ hỏng"  # its report is English


def _readable_rows(source: sqlite3.Connection, sql: str, unread: list[bool]) -> Iterator[tuple]:
    """The rows of `sql` up to the first that cannot be read; `unread` gets True if one could
    not (an error writing them elsewhere is not caught here: it is that file's own)."""
    try:
        cursor = source.execute(sql)
        while rows := cursor.fetchmany(256):
            yield from rows
    except sqlite3.DatabaseError:
        unread.append(True)


def _salvage(damaged: Path, record: Record) -> list[str]:
    """Copy into `record` every row of the damaged record that can still be read (a blob only
    with the bytes its name says); returns the tables that could not be copied whole."""
    try:
        source = connect_read_only(damaged)
    except sqlite3.Error:
        return list(SALVAGED)
    partial = []
    try:
        try:
            present = {name: _columns(source, name) for name in SALVAGED}
        except sqlite3.DatabaseError:  # not even its tables can be read
            return list(SALVAGED)
        for table in SALVAGED:
            if not present[table]:  # an older record without this table: nothing is lost
                continue
            names = [name for name in _columns(record.db, table) if name in present[table]]
            insert = (
                f"INSERT OR IGNORE INTO {table} ({', '.join(names)}) "
                f"VALUES ({', '.join('?' * len(names))})"
            )
            unread: list[bool] = []
            for row in _readable_rows(source, f"SELECT {', '.join(names)} FROM {table}", unread):
                if table == "blobs" and not _sound_blob(*row):
                    unread.append(True)
                    continue
                try:
                    record.db.execute(insert, row)
                except sqlite3.IntegrityError:  # e.g. a file of a revision whose blob is lost
                    unread.append(True)
            if unread:
                partial.append(table)
    finally:
        source.close()
    return partial


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]


def _sound_blob(digest, data) -> bool:
    return isinstance(data, bytes) and file_hash(data) == digest


def _aside(path: Path) -> Path:
    """Where the damaged record is kept: a new name beside it."""
    stem = f"{path.name}.hong-{now():%Y%m%d-%H%M%S}"
    aside, number = path.with_name(stem), 1
    while any(p.exists() for p in _sqlite_files(aside)):
        number += 1
        aside = path.with_name(f"{stem}-{number}")
    return aside


def _swap(path: Path, aside: Path, fresh: Path) -> None:
    """The damaged record and its journals moved to `aside`, then `fresh` put in its place;
    if a move fails, those done are undone (a WAL left beside the new record would be read
    as its own)."""
    moved: list[tuple[Path, Path]] = []
    try:
        for old, new in zip(_sqlite_files(path), _sqlite_files(aside), strict=True):
            if old.exists():
                os.replace(old, new)
                moved.append((old, new))
        os.replace(fresh, path)
    except OSError:
        for old, new in reversed(moved):
            os.replace(new, old)
        raise


def _not_replaced(path: Path, error: OSError) -> NewsroomError:
    return NewsroomError(
        f"sổ biên tập hỏng nhưng không thay được bằng bản khôi phục ({os_reason(error)}); "
        f"hãy kiểm tra quyền ghi của tệp này và của thư mục {path.parent} rồi chạy lại",
        path,
    )


def _replace_damaged(
    path: Path, damage: str, snapshot: _Backup, source: Path, actor: str, force: bool
) -> Path:
    """The restore of a damaged record: built in a new file beside it from what can be read of
    it and the backup, which then takes its place; the damaged file is kept aside (returned).
    Nothing is moved unless the whole restore succeeded."""
    aside = _aside(path)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".restore", dir=path.parent)
    except OSError as error:
        raise _not_replaced(path, error) from None
    os.close(handle)
    fresh = Path(name)
    try:
        record = Record(fresh)
        try:
            with record.transaction():
                partial = _salvage(path, record)
                if partial and not force:
                    raise NewsroomError(
                        f"sổ biên tập hỏng ({damage}), không đọc lại được hết {len(partial)} "
                        "bảng dữ liệu: những gì ghi sau bản sao lưu ở đó có thể mất; "
                        f"thêm --force để thay sổ bằng bản sao lưu {source.name} (sổ hỏng sẽ "
                        f"được cất sang {aside.name})",
                        path,
                    )
                note = f"sổ hỏng ({damage}) cất ở {aside.name}"
                if partial:
                    note += f", không đọc lại được hết: {', '.join(partial)}"
                _merge(record, snapshot, source, actor, force, note)
            record.db.execute("PRAGMA journal_mode=DELETE")  # one file, no WAL to move with it
        finally:
            record.close()
        try:
            _swap(path, aside, fresh)
        except OSError as error:
            raise _not_replaced(path, error) from None
    finally:
        for leftover in _sqlite_files(fresh):
            leftover.unlink(missing_ok=True)
    return aside


def _restore_in_place(
    root: Path, actor: str | None, snapshot: _Backup, source: Path, member: str, force: bool
) -> str | None:
    """The restore merged into the record, in one transaction; returns the damage the merge
    found in the record, if any (nothing was changed then)."""
    path = load_config(root).record_path
    lost = not path.exists()
    try:
        with open_desk(root, actor, new_record=True) as desk, desk.record.transaction():
            _merge(desk.record, snapshot, source, member, force)
    except BaseException as error:  # e.g. a damaged manifest in the backup, found while merging
        if lost:  # the record this restore created holds nothing: it must not stay
            for created in _sqlite_files(path):
                created.unlink(missing_ok=True)
        elif isinstance(error, sqlite3.DatabaseError) and _is_damage(error):
            return str(error)
        raise  # e.g. a read-only record: the CLI names it and says what to do
    return None


def restore(root: Path, source: Path, actor: str | None, force: bool = False) -> Path | None:
    """A refused restore of a lost record creates nothing (an empty record would hide that
    the real one is missing): the backup is checked before the record is opened, and a
    record created for it is removed again if merging fails. A damaged record is replaced
    (see the module's description); returns where it was kept, None if it was not damaged."""
    config = load_config(root)
    member = resolve_actor(config, actor)
    if member.role != "editor":
        raise PermissionDenied("chỉ biên tập viên mới được khôi phục sổ biên tập")
    path = config.record_path
    if source.expanduser().resolve() in _sqlite_files(path.resolve()):
        raise BackupError("là chính sổ biên tập; hãy đưa tệp sao lưu (newsroom backup TỆP)", source)
    with _snapshot(source) as snapshot, publish_lock(config, wait=True):
        try:
            damage = _damage(path)
            if damage is None:
                damage = _restore_in_place(root, actor, snapshot, source, member.id, force)
            if damage is None:
                return None
            return _replace_damaged(path, damage, snapshot, source, member.id, force)
        except manifest_store.DamagedManifest as error:  # the record's: the backup's are
            raise NewsroomError(  # BackupError
                f"bản kê (manifest) của một bản phát hành trong sổ biên tập hỏng ({error}); "
                "hãy cất tệp sổ sang chỗ khác rồi chạy lại lệnh khôi phục này",
                path,
            ) from None
