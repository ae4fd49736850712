"""A Draft -> the header fields and Markdown body of an `index.md`, plus its photo files.

Text from the source is escaped so that it stays text: a paragraph that opens
with `- ` or `1. ` is not a list, `<script>` is not HTML, `*` is not emphasis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .article import format_abbreviations, format_article, format_datetime
from .config import Config, Section
from .conventions import event_date, find_definitions, find_places
from .draft import Draft, Heading, SourcePhoto
from .figures import Photo, format_photo
from .photo_add import clean_photo_bytes, photo_file_name

INLINE_SPECIAL = re.compile(r"([\\`*_\[\]])")
NUMBERED = re.compile(r"^(\d+)([.)]\s)")
BLOCK_START = re.compile(r"^(?:#|>|[-+]\s|=+$|-+$)")


def escape_markdown(text: str) -> str:
    """Plain text that Markdown renders as the same plain text."""
    text = INLINE_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")
    if NUMBERED.match(text):
        return NUMBERED.sub(r"\1\\\2", text, count=1)
    return "\\" + text if BLOCK_START.match(text) else text


@dataclass
class Rendered:
    text: str  # the whole index.md
    files: dict[str, bytes] = field(default_factory=dict)  # clean photos to store beside it
    slug: str = ""


def _photo(
    item: SourcePhoto, config: Config, taken: set[str], folder: Path, source: Path
) -> tuple[Photo, bytes | None]:
    data = None
    name = item.name
    extension = (Path(name).suffix.lstrip(".").lower() or "jpg").replace("jpeg", "jpg")
    if item.data is not None:
        # Named by its words where the source has them: Word's own names (`anh-1.bin`) are
        # nowhere a reporter can see.
        words = item.alt or item.caption
        label = f'"{words}" ({item.name})' if words else item.name
        clean = clean_photo_bytes(item.data, label, config, source)
        data, extension = clean.data, clean.extension
    name = photo_file_name(name, extension, folder, taken)
    return Photo(
        src=name, alt=item.alt or item.caption, caption=item.caption, credit=item.credit
    ), data


def _words(item: str | SourcePhoto | Heading) -> str:
    if isinstance(item, SourcePhoto):
        return item.caption
    return item.text if isinstance(item, Heading) else item


def render_draft(
    draft: Draft, config: Config, section: Section | None, slug: str, folder: Path
) -> Rendered:
    """The article text and photo files; photos that came with the source are cleaned here."""
    rendered = Rendered(text="", slug=slug)
    taken: set[str] = set()
    parts: list[str] = []
    for item in draft.items:
        if isinstance(item, SourcePhoto):
            photo, data = _photo(item, config, taken, folder, draft.source)
            if data is not None:
                rendered.files[photo.src] = data
            parts.append(format_photo(photo))
        elif isinstance(item, Heading):
            parts.append(f"## {escape_markdown(item.text)}")
        else:
            parts.append(escape_markdown(item))
    texts = [draft.lead, *(_words(item) for item in draft.items)]
    when = event_date(draft.lead, draft.date)
    fields = {
        "Title": draft.title,
        "Date": format_datetime(draft.date),
        "Section": section.name if section else "",
        "Authors": ", ".join(draft.authors),
        "Summary": escape_markdown(draft.lead),
        "Slug": slug,
        "Places": ", ".join(find_places("\n".join([draft.title, *texts]), config.provinces)),
        "Event_date": when.isoformat() if when else "",
        "Abbreviations": format_abbreviations(find_definitions("\n".join(texts))),
    }
    rendered.text = format_article(fields, "\n\n".join(parts))
    return rendered
