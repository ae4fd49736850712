"""`newsroom photo add`: store a clean copy of a photo beside an article and add its figure.

Import stores the photos it finds through the same functions, so every photo
that enters `content/` has been validated, turned upright, converted to sRGB,
capped in size and stripped of all metadata by `pipeline.photos`.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .article import Article
from .config import Config, load_config
from .errors import PhotoError, os_reason
from .figures import CREDIT_LINE, Photo, format_photo
from .import_text import clean_line
from .photos import CleanPhoto, clean_photo_file
from .resolver import resolve_article
from .slugs import make_slug
from .vietnamese import nfc


@dataclass(frozen=True)
class AddedPhoto:
    article: Path  # the index.md that now shows the photo
    photo: Path  # the stored clean file


def clean_photo_bytes(data: bytes, name: str, config: Config, source: Path) -> CleanPhoto:
    """Validate and clean an image that came inside a document (docx, data: URI, saved page).

    A bad image is reported against the document that holds it.
    """
    with tempfile.TemporaryDirectory(prefix="newsroom-photo-") as folder:
        path = Path(folder) / (Path(name).name or "anh")
        path.write_bytes(data)
        try:
            return clean_photo_file(path, config.photo_max_side, config.jpeg_quality)
        except PhotoError as error:
            raise PhotoError(f"ảnh {name}: {error.message}", source) from None


def photo_file_name(hint: str, extension: str, folder: Path, taken: set[str]) -> str:
    """A free ASCII file name in `folder`: `le-trao-co.jpg`, then `le-trao-co-2.jpg`, …"""
    stem = make_slug(Path(hint).stem, max_length=60) or "anh"
    name, number = f"{stem}.{extension}", 1
    while name in taken or (folder / name).exists():
        number += 1
        name = f"{stem}-{number}.{extension}"
    taken.add(name)
    return name


def write_file_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a reader never sees half a file."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise PhotoError(f"không ghi được tệp ({os_reason(error)})", path) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise PhotoError(f"không ghi được tệp ({os_reason(error)})", path) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _words(value: str | None, what: str, path: Path, fallback: str | None = None) -> str:
    """One clean line; required (named `what`) unless there is a fallback."""
    text = clean_line(value or "")
    if not text and fallback is None:
        raise PhotoError(f"thiếu {what}; hãy thêm {what} cho ảnh", path)
    return text or (fallback or "")


def _with_photo(article: Article, block: str) -> str:
    """The article's own text, untouched, with the figure as its last paragraph."""
    text = article.path.read_text("utf-8").replace("\r\n", "\n").rstrip("\n")
    return nfc(f"{text}\n\n{block}\n")


def _replacing(article: Article, old: Photo, block: str) -> str:
    """The article's own text with the figure of `old` (its whole paragraph) replaced."""
    lines = article.path.read_text("utf-8").replace("\r\n", "\n").split("\n")
    start = end = old.line - 1
    while end < len(lines) and lines[end].strip():
        end += 1
    return nfc("\n".join([*lines[:start], block, *lines[end:]]))


def _may_keep_name(src: str, extension: str, folder: Path) -> bool:
    """Whether the stored photo may take the figure's own name: no file holds it (a file that
    does, such as an original with GPS data, is never overwritten) and its type is the one
    stored."""
    suffix = Path(src).suffix.lower().lstrip(".")
    same_type = suffix == extension or (suffix == "jpeg" and extension == "jpg")
    return same_type and "/" not in src and not (folder / src).exists()


def _renamed_image(text: str, line: int, name: str) -> str:
    """`text` with its `Image` header (on `line`) naming `name`."""
    lines = text.split("\n")
    lines[line - 1] = f"Image: {name}"
    return "\n".join(lines)


def _find_photo(article: Article, src: str) -> Photo:
    for photo in article.photos:
        if photo.src == src:
            return photo
    names = ", ".join(photo.src for photo in article.photos) or "không có ảnh nào"
    raise PhotoError(f"bài không có khối ảnh {src} để thay (các ảnh: {names})", article.path)


def add_photo(
    root: Path,
    argument: str,
    source: Path,
    caption: str | None,
    alt: str | None,
    credit: str | None = "",
    replace: str | None = None,
) -> AddedPhoto:
    """Store `source` cleaned beside the article named by `argument`, and add its figure.

    With `replace`, the photo fills an existing figure (one an import left without its file),
    keeping that figure's words where no new ones are given; otherwise it is appended.
    """
    config = load_config(root)
    article = resolve_article(argument, config.content_path)
    old = _find_photo(article, replace) if replace else None
    caption = _words(caption, "chú thích (--caption)", source, old.caption if old else None)
    alt = _words(alt, "mô tả ảnh (--alt)", source, old.alt if old else None)
    credit = _words(credit, "", source, old.credit if old else "")
    credit_match = CREDIT_LINE.match(credit)
    credit = credit_match.group("credit") if credit_match else credit
    clean = clean_photo_file(source, config.photo_max_side, config.jpeg_quality)
    if old is not None and _may_keep_name(old.src, clean.extension, article.folder):
        name = old.src  # the figure keeps its name, and so does an `Image` that names it
    else:
        name = photo_file_name(source.name, clean.extension, article.folder, set())
    block = format_photo(Photo(name, alt, caption, credit))
    text = _replacing(article, old, block) if old else _with_photo(article, block)
    if old is not None and name != old.src and article.fields.get("Image") == old.src:
        text = _renamed_image(text, article.field_lines["Image"], name)
    target = article.folder / name
    write_file_atomic(target, clean.data)
    try:
        write_file_atomic(article.path, text.encode("utf-8"))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return AddedPhoto(article.path, target)
