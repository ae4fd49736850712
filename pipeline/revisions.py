"""Revisions: an article's exact content, named by a hash of `index.md` and every file it uses.

Approval is given to a revision, never to a folder, so that a change after
approval (one letter of the text, one pixel of a photo) is a new revision
that needs a new approval. The files referenced are the local photos of the
body (the one photo convention, `pipeline.figures`) and the `Image` field.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .article import INDEX_NAME, Article
from .errors import ArticleError


@dataclass(frozen=True)
class Revision:
    """The files of one article revision: relative path -> bytes, `index.md` first."""

    hash: str
    files: dict[str, bytes]

    @property
    def text(self) -> str:
        return self.files[INDEX_NAME].decode("utf-8")

    @property
    def file_hashes(self) -> dict[str, str]:
        return {path: file_hash(data) for path, data in self.files.items()}


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def revision_hash(file_hashes: dict[str, str]) -> str:
    """One hash over every (path, content hash) pair, so renaming a photo is a change too."""
    listing = "".join(f"{path}\t{digest}\n" for path, digest in sorted(file_hashes.items()))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def short(revision: str | None) -> str:
    return (revision or "")[:12]


def referenced(article: Article) -> list[tuple[str, int]]:
    """Local files the article uses, with the line that names each."""
    found = [(photo.src, photo.line) for photo in article.photos if photo.is_local]
    image = article.fields.get("Image", "")
    if image and "://" not in image and image not in {src for src, _line in found}:
        found.append((image, article.field_lines.get("Image", 0)))
    return found


def safe_relative(src: str, index: Path | str, line: int) -> str:
    """A file the article uses, as its name in the revision; one outside the article folder
    is an error on its line."""
    path = PurePosixPath(src)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ArticleError(f"ảnh {src} phải nằm trong thư mục bài", index, line)
    return path.as_posix()


def missing_photo(src: str, index: Path | str, line: int) -> ArticleError:
    return ArticleError(f"không tìm thấy ảnh {src}; hãy thêm tệp ảnh vào thư mục bài", index, line)


def revision_files(index: Path, uses: Iterable[tuple[str, int]]) -> dict[str, Path]:
    """The files of an article's revision (`index.md` first, then each file it `uses`, see
    `referenced`), by their name in the revision; a missing photo is an error on its line."""
    files = {INDEX_NAME: index}
    for src, line in uses:
        relative = safe_relative(src, index, line)
        path = index.parent / relative
        if not path.is_file():
            raise missing_photo(src, index, line)
        files[relative] = path
    return files


def read_revision(article: Article) -> Revision:
    """The revision of an article's working copy; a missing photo is an error on its line."""
    files = {
        name: path.read_bytes()
        for name, path in revision_files(article.path, referenced(article)).items()
    }
    return Revision(revision_hash({p: file_hash(d) for p, d in files.items()}), files)


def describe_changes(old: Revision, new: Revision) -> list[str]:
    """What changed between two revisions, one line per file, in Vietnamese."""
    lines = []
    for path in sorted(old.files.keys() | new.files.keys()):
        before, after = old.files.get(path), new.files.get(path)
        if before == after:
            continue
        if before is None:
            lines.append(f"thêm {path}")
        elif after is None:
            lines.append(f"bỏ {path}")
        elif path == INDEX_NAME:
            changed = sum(
                1
                for line in difflib.ndiff(
                    before.decode("utf-8").splitlines(), after.decode("utf-8").splitlines()
                )
                if line[:2] in ("+ ", "- ")
            )
            lines.append(f"sửa {path} ({changed} dòng khác)")
        else:
            lines.append(f"thay ảnh {path}")
    return lines


def text_diff(
    old: Revision | None, new: Revision, old_name: str = "đã duyệt", new_name: str = "bản hiện tại"
) -> str:
    """A unified diff of the text plus one line per changed photo, for `newsroom diff`; the
    names say which revisions these are (`old` None: nothing approved yet)."""
    before = old.text.splitlines(keepends=True) if old else []
    diff = "".join(
        difflib.unified_diff(
            before,
            new.text.splitlines(keepends=True),
            f"{old_name}/{INDEX_NAME}" if old else "(chưa có bản duyệt)",
            f"{new_name}/{INDEX_NAME}",
        )
    )
    photos = [
        line
        for line in describe_changes(old or Revision("", {INDEX_NAME: b""}), new)
        if not line.startswith("sửa ")
    ]
    return diff + "".join(f"ẢNH: {line}\n" for line in photos)
