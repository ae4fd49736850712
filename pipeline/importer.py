"""`newsroom import FILE…`: turn plain text, HTML or .docx into article folders.

Each file goes through the same stages: read the bytes, decode them, find the
lines of the house layout, build a draft, render the Markdown and store the
photos. Every file is prepared before anything is written, so one bad file
leaves no article half-written; if writing one folder fails, the folders this run
already wrote are removed again, so an import writes all its articles or none.
With `--dry-run` nothing is written at all.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import Config, load_config
from .desk_index import Glance
from .draft import Block, Hints, build_draft
from .draft_markdown import render_draft
from .encodings import decode_text
from .errors import ArticleError, EncodingError, NewsroomError, os_reason
from .import_docx import docx_blocks
from .import_html import html_blocks
from .import_text import text_blocks
from .placement import (
    Planned,
    article_folder,
    free_slug,
    resolve_section,
    taken_slugs,
    write_article_folder,
)

MAX_BYTES = 50 * 1024 * 1024  # larger than any article; refuse before reading it all

Reader = Callable[[bytes, Path, str | None], tuple[list[Block], Hints]]


def _read_text(data: bytes, path: Path, encoding: str | None) -> tuple[list[Block], Hints]:
    return text_blocks(decode_text(data, path, encoding).text), Hints()


def _read_html(data: bytes, path: Path, encoding: str | None) -> tuple[list[Block], Hints]:
    return html_blocks(decode_text(data, path, encoding).text, path)


def _read_docx(data: bytes, path: Path, encoding: str | None) -> tuple[list[Block], Hints]:
    return docx_blocks(data, path)


READERS: dict[str, Reader] = {"text": _read_text, "html": _read_html, "docx": _read_docx}
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
}


@dataclass(frozen=True)
class Prepared:
    source: Path
    folder: Path  # where the article will go
    text: str  # its index.md
    files: dict[str, bytes]  # clean photos beside it


def source_format(path: Path, data: bytes) -> str:
    """By extension; a file without a known one is sniffed."""
    known = EXTENSIONS.get(path.suffix.lower())
    if known:
        return known
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    head = data[:2048].lower()
    if b"<html" in head or b"<body" in head or b"<!doctype html" in head:
        return "html"
    return "text"


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ArticleError("đây là thư mục, không phải tệp; hãy chỉ ra từng tệp", path)
        if path.stat().st_size > MAX_BYTES:
            raise ArticleError("tệp quá lớn để là một bài báo (trên 50 MB)", path)
        return path.read_bytes()
    except FileNotFoundError:
        raise ArticleError("không tìm thấy tệp", path) from None
    except OSError as error:
        raise ArticleError(f"không đọc được tệp ({os_reason(error)})", path) from None


def prepare(
    path: Path,
    config: Config,
    taken: dict[str, Glance | Planned | None],
    encoding: str | None,
    section: str | None,
) -> Prepared:
    """Everything about one imported article, in memory."""
    data = _read_bytes(path)
    kind = source_format(path, data)
    if kind == "docx" and encoding:
        raise EncodingError("--encoding không dùng cho tệp .docx (Word luôn là Unicode)", path)
    blocks, hints = READERS[kind](data, path, encoding)
    draft = build_draft(blocks, path, config, hints)
    slug = free_slug(draft.title, taken, path)
    folder = article_folder(config.content_path, draft.date, slug)
    rendered = render_draft(draft, config, resolve_section(config, section), slug, folder)
    return Prepared(path, folder, rendered.text, rendered.files)


def import_files(
    root: Path,
    paths: list[Path],
    *,
    dry_run: bool = False,
    encoding: str | None = None,
    section: str | None = None,
) -> list[Prepared]:
    """Prepare every file, then (unless `dry_run`) write each article folder."""
    config = load_config(root)
    resolve_section(config, section)
    taken = taken_slugs(config.content_path)
    prepared = [prepare(Path(p), config, taken, encoding, section) for p in paths]
    if not dry_run:
        _write_all(prepared, config.content_path)
    return prepared


def _write_all(prepared: list[Prepared], content: Path) -> None:
    """Write every article folder, or none: a failure takes back what this run wrote."""
    written: list[Path] = []
    made: list[Path] = []  # year and month folders this run created, deepest last
    try:
        for article in prepared:
            made += _missing_parents(article.folder, content)
            write_article_folder(article.folder, article.text, article.files)
            written.append(article.folder)
    except BaseException as error:
        kept = _take_back(written, made)
        if isinstance(error, NewsroomError):
            error.message = _failure_note(error.message, written, kept)
            error.args = (error.message,)
        raise


def _missing_parents(folder: Path, content: Path) -> list[Path]:
    """The folders between `content` and `folder` that do not exist yet, outermost first."""
    missing = [p for p in folder.parents if p.is_relative_to(content) and not p.exists()]
    return missing[::-1]


def _take_back(written: list[Path], made: list[Path]) -> list[Path]:
    """Remove the folders this run wrote (and emptied folders it made); those left behind."""
    kept = []
    for folder in written:
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():
            kept.append(folder)
    for folder in reversed(made):
        try:
            folder.rmdir()  # only if empty: another article may have arrived meanwhile
        except OSError:
            pass
    return kept


def _failure_note(message: str, written: list[Path], kept: list[Path]) -> str:
    if kept:
        names = ", ".join(str(folder) for folder in kept)
        return (
            f"{message}; các bài sau đã được ghi trước lỗi và chưa gỡ được: {names}; hãy xóa "
            "chúng rồi nhập lại mọi tệp"
        )
    if written:
        return (
            f"{message}; chưa bài nào được nhập ({len(written)} bài ghi trước lỗi đã được gỡ), "
            "hãy sửa lỗi rồi nhập lại mọi tệp"
        )
    return message
