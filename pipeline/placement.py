"""Where a new article goes, and writing its folder in one step.

`new` and `import` both place articles here: the folder is
`content/articles/YYYY/MM/<slug>/`, the slug is made once from the title and
kept unique across the site, and an existing folder is never overwritten.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import desk_index
from .article import INDEX_NAME
from .article_files import iter_article_paths
from .config import Config, Section
from .desk_index import Glance
from .errors import ArticleError, NewsroomError, os_reason
from .slugs import MAX_LENGTH, make_slug


def taken_slugs(content: Path) -> dict[str, Glance | None]:
    """Every slug and article folder name in use under `content/articles`, with its article."""
    taken: dict[str, Glance | Planned | None] = {}
    index = desk_index.current()
    for path in iter_article_paths(content):
        taken[path.parent.name] = None
        try:
            glance = index.glance(path)
        except NewsroomError:
            continue  # a broken article still keeps its folder name, added above
        taken[path.parent.name] = taken[glance.slug] = glance
    return taken


def free_slug(
    title: str, taken: dict[str, Glance | Planned | None], source: Path | None = None
) -> str:
    """The title's slug, or with `-2`, `-3`, … when another article has it; added to `taken`.

    The same title under the same slug is the same article imported twice: refused.
    """
    slug = make_slug(title)
    if not slug:
        raise ArticleError(
            "tiêu đề không có chữ cái hay chữ số nào để làm slug; hãy sửa tiêu đề", source
        )
    candidate, number = slug, 1
    while candidate in taken:
        same = taken[candidate]  # an article of this title under `slug`, `slug-2`…: the same one
        if same is not None and same.title == title:
            raise ArticleError(
                f"bài cùng tiêu đề đã có ở {same.path}; bài có sẵn không bị ghi đè: hãy đặt tiêu "
                "đề khác, hoặc sửa chính bài đó",
                source,
            )
        number += 1
        suffix = f"-{number}"
        candidate = make_slug(slug, max_length=MAX_LENGTH - len(suffix)) + suffix
    taken[candidate] = Planned(title, source) if source is not None else None
    return candidate


@dataclass(frozen=True)
class Planned:
    """An article this command is about to write (from `path`), as `taken` knows it."""

    title: str
    path: Path


def article_folder(content: Path, date: datetime, slug: str) -> Path:
    return content / "articles" / f"{date:%Y}" / f"{date:%m}" / slug


def resolve_section(config: Config, name: str | None) -> Section | None:
    """The configured section called `name` (by name or slug); an error lists the real ones."""
    if not name:
        return None
    section = config.section_by_name(name)
    if section is None:
        known = ", ".join(s.name for s in config.sections)
        raise NewsroomError(f'không có chuyên mục "{name}"; các chuyên mục: {known}')
    return section


def write_article_folder(folder: Path, text: str, files: dict[str, bytes]) -> Path:
    """Write `index.md` and its photos into a hidden folder, then rename it into place."""
    if folder.exists():
        raise ArticleError("thư mục bài đã có; không ghi đè bài đã có", folder)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as error:
        raise ArticleError(f"không tạo được thư mục bài ({os_reason(error)})", folder) from None
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        (staging / INDEX_NAME).write_text(text, "utf-8")
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it 0700: as any folder instead
        os.rename(staging, folder)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise ArticleError(f"không ghi được bài ({os_reason(error)})", folder) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder / INDEX_NAME


def _umask() -> int:
    """The process's umask (reading it means setting it: put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
