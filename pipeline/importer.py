"""`newsroom import FILE…`: turn plain text, HTML or .docx into article folders.

Each file goes through the same stages: read the bytes, decode them, find the
lines of the house layout, build a draft, render the Markdown and store the
photos. Every file is prepared before anything is written, so one bad file
leaves no article half-written; with `--dry-run` nothing is written at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import Config, load_config
from .desk_index import Glance
from .draft import Block, Hints, build_draft
from .draft_markdown import render_draft
from .encodings import decode_text
from .errors import ArticleError, EncodingError
from .import_docx import docx_blocks
from .import_html import html_blocks
from .import_text import text_blocks
from .placement import (
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
        raise ArticleError(f"không đọc được tệp ({error.strerror})", path) from None


def prepare(
    path: Path,
    config: Config,
    taken: dict[str, Glance | None],
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
        for article in prepared:
            write_article_folder(article.folder, article.text, article.files)
    return prepared
