"""Static pages (content/pages/<name>.md) go through the same approval as articles.

A page is as public as an article and can carry as much harm, so `submit`
and `approve` accept one (by its path) exactly as they accept an article: the
exact bytes are stored content-addressed in the record, nobody approves a
page that they submitted, and `newsroom publish` materializes only approved
page revisions, never the working copy.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

from .article import INDEX_NAME, format_datetime, parse_text
from .check import check_page
from .errors import ArticleError
from .page_files import find_page
from .record import PageRecord, Record
from .revisions import Revision, file_hash, revision_hash
from .vietnamese import nfc
from .workflow import (
    Desk,
    WorkflowError,
    _allow,
    _log,
    approvable_revision,
    now,
    refuse_errors,
)


def page_path(desk: Desk, argument: str) -> Path | None:
    """The page file ARTICLE names (a path, from here, the project or content/), if it is one."""
    return find_page(argument, desk.config.root, desk.content)


def page_key(desk: Desk, path: Path) -> str:
    return path.relative_to(desk.content.resolve()).as_posix()


def page_revision(path: Path) -> Revision:
    """A page's revision: its bytes under `index.md`, so authors and diffs work as for articles."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ArticleError("trang phải là UTF-8; hãy lưu lại với mã UTF-8", path) from None
    if not parse_text(text, path).fields.get("Title", "").strip():
        raise ArticleError("thiếu trường Title; hãy thêm dòng “Title: …”", path, 1)
    return Revision(revision_hash({INDEX_NAME: file_hash(data)}), {INDEX_NAME: data})


def approved_pages(record: Record) -> dict[str, bytes]:
    """The approved revision of each page (content path -> bytes), from the record only."""
    return {
        row.path: record.load_revision(row.approved_revision).files[INDEX_NAME]
        for row in record.pages()
        if row.approved_revision
    }


def _changes(key: str, old: Revision, new: Revision) -> str:
    lines = difflib.ndiff(old.text.splitlines(), new.text.splitlines())
    return f"sửa {key} ({sum(1 for line in lines if line[:2] in ('+ ', '- '))} dòng khác)"


def _require_clean(desk: Desk, path: Path) -> None:
    """`check` errors block a page's submit and approve, as an article's."""
    refuse_errors(check_page(path, desk.config), "trang")


def submit(desk: Desk, path: Path) -> PageRecord:
    key = page_key(desk, path)
    _require_clean(desk, path)
    revision = page_revision(path)
    at = now()
    with desk.record.transaction():
        row = desk.record.page(key)
        actor = _allow(desk, "submit", row, key)
        desk.record.store_revision(key, revision, format_datetime(at))
        row = replace(
            row or PageRecord(key, "submitted"),
            state="submitted",
            submitted_revision=revision.hash,
            submitted_by=actor.id,
            submitted_at=format_datetime(at),
        )
        desk.record.save_page(row)
        _log(desk, at, "submit", key, revision.hash)
    return row


def approve(
    desk: Desk, path: Path, revision: str | None, note: str, correction: str | None
) -> PageRecord:
    key = page_key(desk, path)
    if correction is not None:
        raise WorkflowError("--correction chỉ dùng cho bài viết, không cho trang tĩnh", path)
    _require_clean(desk, path)
    working = page_revision(path)
    at = now()
    with desk.record.transaction():
        row = desk.record.page(key)
        actor = _allow(desk, "approve", row, key)
        submitted = approvable_revision(desk, actor, row, key, revision)
        if working.hash != submitted.hash:
            raise WorkflowError(
                f"trang đã sửa sau khi gửi duyệt ({_changes(key, submitted, working)}); "
                "cần gửi duyệt lại",
                path,
            )
        row = replace(
            row,
            state="approved",
            approved_revision=working.hash,
            approved_by=actor.id,
            approved_at=format_datetime(at),
        )
        desk.record.save_page(row)
        _log(desk, at, "approve", key, working.hash, nfc(note.strip()))
    return row
