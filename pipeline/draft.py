"""An imported article before it becomes Markdown: the house layout read from a list of lines.

Every import format first becomes a list of `Block`s (a line of text, or a
photo it found); `build_draft` then applies the newspaper's conventions in
order: dateline, title, byline, lead, then captions and paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from . import conventions
from .article import in_date_range, out_of_range
from .config import Config
from .errors import ArticleError
from .vietnamese import TIMEZONE


@dataclass(frozen=True)
class SourcePhoto:
    """A photo as the source has it: a file we may have (`data`) and its words."""

    name: str  # a file name hint, e.g. `image001.jpg`
    alt: str = ""
    caption: str = ""
    credit: str = ""
    data: bytes | None = None  # None: referenced, but not available offline


@dataclass(frozen=True)
class Heading:
    """A subheading inside the body (HTML `<h2>`…`<h6>`): never a caption."""

    text: str


@dataclass(frozen=True)
class Block:
    text: str = ""
    kind: str = "text"  # text | title | heading | lead | byline | caption | photo
    line: int | None = None
    photo: SourcePhoto | None = None


@dataclass
class Hints:
    """What a structured source says outright (HTML metadata), used when the text is silent."""

    date: datetime | None = None
    authors: list[str] = field(default_factory=list)
    # The source marks its photos itself (HTML, Word): a short line without a full stop is a
    # list item, a table cell or a note there, not the caption of a photo that plain text
    # leaves out.
    photos_marked: bool = False


@dataclass
class Draft:
    source: Path
    title: str
    date: datetime
    lead: str
    items: list[str | SourcePhoto | Heading]  # body paragraphs, subheadings and photos
    authors: list[str]


def _take_dateline(blocks: list[Block], source: Path, config: Config) -> datetime | None:
    for index, block in enumerate(blocks[:8]):
        if block.kind != "text":
            continue
        parts = conventions.parse_dateline(block.text)
        if parts is None:
            continue
        try:
            moment = conventions.dateline_moment(parts, config.default_time)
        except ValueError:
            year, month, day, hour, minute = parts
            when = f"{day:02d}/{month:02d}/{year}"
            if hour is not None:
                when += f" {hour:02d}:{minute:02d}"
            raise ArticleError(
                f"ngày giờ không tồn tại ({when}); hãy sửa dòng ngày tháng", source, block.line
            ) from None
        if not in_date_range(moment):
            raise ArticleError(
                out_of_range(f"ngày {moment:%d/%m/%Y}") + "; hãy sửa dòng ngày tháng",
                source,
                block.line,
            )
        del blocks[index]
        return moment
    return None


def _take_title(blocks: list[Block], source: Path) -> str:
    for index, block in enumerate(blocks):
        if block.kind == "title":
            del blocks[index]
            # A page repeats its title in the text sometimes: drop the repeat.
            blocks[:] = [b for b in blocks if not (b.kind == "text" and b.text == block.text)]
            return block.text
    first = next((i for i, b in enumerate(blocks) if b.kind in ("text", "heading")), None)
    if first is None or first > 2:
        raise ArticleError("không tìm thấy tiêu đề; dòng đầu bài phải là tiêu đề", source)
    text = blocks[first].text
    if conventions.strip_lead_in(text) is not None or len(text) > 300:
        raise ArticleError(
            "không tìm thấy tiêu đề: dòng đầu đã là phần mở đầu (sapo); hãy thêm tiêu đề "
            "lên đầu bài",
            source,
            blocks[first].line,
        )
    del blocks[first]
    return text


def _take_byline(blocks: list[Block]) -> conventions.Byline | None:
    """A block the source marks as the byline, else the uppercase last line."""
    for index, block in enumerate(blocks):
        if block.kind == "byline":
            byline = conventions.parse_byline(block.text, require_uppercase=False)
            if byline:
                del blocks[index]
                return byline
            blocks[index] = replace(block, kind="text")  # not names: keep it as text
    for index in range(len(blocks) - 1, max(len(blocks) - 3, -1), -1):
        if blocks[index].kind == "text":
            byline = conventions.parse_byline(blocks[index].text)
            if byline:
                del blocks[index]
            return byline
    return None


def _lead_index(blocks: list[Block]) -> int | None:
    for index, block in enumerate(blocks):
        if block.kind == "lead":
            return index
    texts = [i for i, b in enumerate(blocks) if b.kind == "text"][:4]
    for index in texts:
        if conventions.strip_lead_in(blocks[index].text) is not None:
            return index
    for index in texts:
        if not conventions.is_caption(blocks[index].text):
            return index
    return texts[0] if texts else None


def _caption_photo(text: str, number: int) -> SourcePhoto:
    """A caption with no photo file: the figure keeps its words, `check` asks for the file."""
    caption, own_credit = conventions.split_credit(text)
    return SourcePhoto(name=f"anh-{number}.jpg", alt=caption, caption=caption, credit=own_credit)


def _body_items(
    blocks: list[Block], before_lead: list[Block], photos_marked: bool = False
) -> list[str | SourcePhoto | Heading]:
    items: list[str | SourcePhoto | Heading] = []
    number = 0
    for position, block in enumerate([*before_lead, *blocks]):
        early = position < len(before_lead)
        previous = items[-1] if items else None
        credit = conventions.is_credit(block.text) if block.kind == "text" else None
        if block.kind == "photo" and block.photo:
            number += 1
            items.append(block.photo)
        elif block.kind == "heading":
            items.append(Heading(block.text))
        elif credit and isinstance(previous, SourcePhoto) and not previous.credit:
            items[-1] = replace(previous, credit=credit)
        elif (
            isinstance(previous, SourcePhoto)
            and not previous.caption
            and (block.kind == "caption" or conventions.is_caption(block.text))
        ):
            caption, own_credit = conventions.split_credit(block.text)
            items[-1] = replace(
                previous,
                caption=caption,
                credit=previous.credit or own_credit,
                alt=previous.alt or caption,
            )
        elif block.text and not photos_marked and (early or conventions.is_caption(block.text)):
            number += 1
            items.append(_caption_photo(block.text, number))
        elif block.text:
            items.append(block.text)
    return items


def build_draft(blocks: list[Block], source: Path, config: Config, hints: Hints) -> Draft:
    """Apply the house conventions to the lines of a source; ArticleError if it has no title."""
    blocks = [b for b in blocks if b.kind == "photo" or b.text.strip()]
    if not blocks:
        raise ArticleError("tệp không có nội dung; không có gì để nhập", source)
    moment = _take_dateline(blocks, source, config)
    title = _take_title(blocks, source)
    byline = _take_byline(blocks)
    lead_at = _lead_index(blocks)
    lead = ""
    before_lead: list[Block] = []
    if lead_at is not None:
        before_lead = blocks[:lead_at]
        text = blocks[lead_at].text
        lead = conventions.strip_lead_in(text) or text
        blocks = blocks[lead_at + 1 :]
    items = _body_items(blocks, before_lead, hints.photos_marked)
    authors = byline.authors if byline else hints.authors
    if byline and byline.photo_credit:
        items = [
            replace(item, credit=byline.photo_credit)
            if isinstance(item, SourcePhoto) and not item.credit
            else item
            for item in items
        ]
    if moment is None:
        moment = hints.date or datetime.now(TIMEZONE).replace(second=0, microsecond=0)
    return Draft(source, title, moment, lead, items, authors)
