"""`newsroom new "Tiêu đề" --section … --author …`: a new article folder from the template.

The template lists every header field, so the reporter sees what to fill in;
`check` then says which required ones are still empty. `Date` is now (to the
minute) and `Slug` is made from the title once, here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .article import FIELDS, format_datetime
from .config import load_config
from .errors import ArticleError
from .import_text import clean_line
from .placement import article_folder, free_slug, resolve_section, taken_slugs, write_article_folder
from .vietnamese import TIMEZONE, nfc, title_case_name

# Fields that the workflow writes, not the reporter.
WORKFLOW_FIELDS = {"Modified"}


def template(values: dict[str, str]) -> str:
    """Every reporter field in order, filled where we know the value, then an empty body."""
    lines = [
        f"{name}: {values.get(name, '')}".rstrip() for name in FIELDS if name not in WORKFLOW_FIELDS
    ]
    return nfc("\n".join(lines) + "\n\n")


def new_article(
    root: Path, title: str, section: str, authors: list[str], now: datetime | None = None
) -> Path:
    """Create `content/articles/YYYY/MM/<slug>/index.md` and return its path."""
    config = load_config(root)
    title = clean_line(nfc(title))
    if not title:
        raise ArticleError("tiêu đề rỗng; hãy viết tiêu đề trong dấu ngoặc kép")
    chosen = resolve_section(config, section)
    names = [title_case_name(clean_line(name)) for name in authors if clean_line(name)]
    if not names:
        raise ArticleError('thiếu tác giả; hãy thêm --author "Họ Tên"')
    moment = (now or datetime.now(TIMEZONE)).astimezone(TIMEZONE).replace(second=0, microsecond=0)
    slug = free_slug(title, taken_slugs(config.content_path))
    values = {
        "Title": title,
        "Date": format_datetime(moment),
        "Section": chosen.name if chosen else "",
        "Authors": ", ".join(names),
        "Slug": slug,
    }
    folder = article_folder(config.content_path, moment, slug)
    return write_article_folder(folder, template(values), {})
