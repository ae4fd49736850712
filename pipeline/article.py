"""The article format: a folder with `index.md`, a `Key: value` header and a Markdown body.

This module reads and writes that format for the pipeline. The build reads
the same files with Pelican's Markdown reader; the plugins interpret the
fields through the helpers here (`parse_list`, `parse_abbreviations`), so
both halves agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import ArticleError, os_reason
from .figures import Photo, parse_photos
from .vietnamese import TIMEZONE, nfc

INDEX_NAME = "index.md"
ARTICLES_DIR = Path("content") / "articles"

# Header fields in the order `format_header` writes them.
FIELDS = (
    "Title",
    "Date",
    "Modified",
    "Section",
    "Authors",
    "Tags",
    "Summary",
    "Slug",
    "Places",
    "Event_date",
    "Abbreviations",
    "Image",
)
REQUIRED = ("Title", "Date", "Section", "Authors", "Summary")
HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:\s*(?P<value>.*)$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?$")
# The dates a Date (or any stored time) may carry. Before 1 May 1911 Asia/Ho_Chi_Minh ran on
# local mean time (+07:06:30), an offset that ISO_DATETIME cannot write back, and year 1 does
# not survive a change of zone; 2100 is far enough for any embargo and safe for date arithmetic.
EARLIEST = datetime(1911, 5, 1, tzinfo=TIMEZONE)
LATEST = datetime(2100, 1, 1, tzinfo=TIMEZONE)  # excluded
DATE_RANGE = "từ 01/05/1911 đến hết năm 2099"
# Fields whose several values go on one line, separated by commas.
LIST_FIELDS = ("Authors", "Tags", "Places")


@dataclass
class Article:
    path: Path  # the index.md
    fields: dict[str, str]  # header values, keys in canonical case
    field_lines: dict[str, int]  # header key -> 1-based line
    body: str
    body_line: int  # 1-based line where the body starts
    photos: list[Photo] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def title(self) -> str:
        return self.fields.get("Title", "")

    @property
    def slug(self) -> str:
        return self.fields.get("Slug", "")

    @property
    def section(self) -> str:
        return self.fields.get("Section", "")

    @property
    def summary(self) -> str:
        return self.fields.get("Summary", "")

    @property
    def authors(self) -> list[str]:
        return parse_list(self.fields.get("Authors", ""))

    @property
    def tags(self) -> list[str]:
        return parse_list(self.fields.get("Tags", ""))

    @property
    def places(self) -> list[str]:
        return parse_list(self.fields.get("Places", ""))

    @property
    def abbreviations(self) -> dict[str, str]:
        return parse_abbreviations(self.fields.get("Abbreviations", ""))

    @property
    def date(self) -> datetime | None:
        value = self.fields.get("Date", "")
        return parse_datetime(value) if value else None


def parse_list(value: str) -> list[str]:
    """`Đình Quang, Vi Toàn` -> two names, split as Pelican splits Authors and Tags
    (`pelican.readers.ensure_metadata_list`, held to it by a test): on semicolons when there
    is one, else on commas; each name stripped, empty ones and repeats dropped."""
    items = value.split(";") if ";" in value else value.split(",")
    return list(dict.fromkeys(item.strip() for item in items if item.strip()))


def parse_abbreviations(value: str) -> dict[str, str]:
    """`BĐBP = Bộ đội Biên phòng; TĐKT = thi đua khen thưởng` -> a dict."""
    result: dict[str, str] = {}
    for item in value.split(";"):
        short, sep, long = item.partition("=")
        if sep and short.strip() and long.strip():
            result[short.strip()] = long.strip()
    return result


def format_abbreviations(abbreviations: dict[str, str]) -> str:
    return "; ".join(f"{short} = {long}" for short, long in abbreviations.items())


class DateOutOfRange(ValueError):
    """A well-formed date that the site cannot carry (outside EARLIEST..LATEST)."""


def parse_datetime(value: str) -> datetime:
    """An ISO 8601 date with time; a missing offset means Asia/Ho_Chi_Minh. DateOutOfRange
    (a ValueError) outside EARLIEST..LATEST, so that every date read is one that
    `format_datetime` writes back in the same form."""
    if not ISO_DATETIME.match(value.strip()):
        raise ValueError(value)
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TIMEZONE)
    if not in_date_range(moment):
        raise DateOutOfRange(value)
    return moment


def out_of_range(what: str) -> str:
    """The refusal of a date outside EARLIEST..LATEST (`what`: how the date was given)."""
    return f"{what} nằm ngoài khoảng ngày mà trang nhận ({DATE_RANGE})"


def in_date_range(moment: datetime) -> bool:
    """Whether an aware `moment` lies in EARLIEST..LATEST (LATEST excluded)."""
    return EARLIEST <= moment < LATEST


def format_datetime(moment: datetime) -> str:
    """`2022-11-28T07:00:00+07:00`: how Date is written."""
    return moment.astimezone(TIMEZONE).isoformat(timespec="seconds")


def _canonical(key: str) -> str:
    for name in FIELDS:
        if name.lower() == key.lower():
            return name
    return key[:1].upper() + key[1:].lower()


def parse_text(text: str, path: Path) -> Article:
    """Split an `index.md` text into its header fields and body."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    last_key = None
    number = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break
        match = HEADER_LINE.match(line)
        if match:
            last_key = _canonical(match.group("key"))
            if last_key in fields:
                raise ArticleError(_repeated(last_key, field_lines[last_key]), path, number)
            fields[last_key] = match.group("value").strip()
            field_lines[last_key] = number
        elif last_key and line[:1] in " \t":
            fields[last_key] = f"{fields[last_key]} {line.strip()}"
        else:
            raise ArticleError(
                'dòng đầu bài phải có dạng "Trường: giá trị" (ví dụ "Title: …"); '
                "hãy sửa dòng này hoặc thêm một dòng trống trước phần thân bài",
                path,
                number,
            )
    else:
        number += 1
    body = "\n".join(lines[number:])
    article = Article(path, fields, field_lines, body, number + 1)
    article.photos = parse_photos(body, number + 1)
    return article


def _repeated(key: str, first: int) -> str:
    """Pelican would make a list of a repeated field and fail the build far from the file."""
    if key in LIST_FIELDS:
        how = f"viết mọi giá trị trên dòng {first}, cách nhau bằng dấu phẩy, rồi xóa dòng này"
    else:
        how = f"giữ một giá trị ở dòng {first} và xóa dòng này"
    return f"trường {key} lặp lại (đã có ở dòng {first}); mỗi trường chỉ viết một lần: hãy {how}"


def read_article(path: str | Path) -> Article:
    """Read an article from its `index.md` (or its folder)."""
    path = Path(path)
    if path.is_dir():
        path = path / INDEX_NAME
    if path.is_symlink():  # its text would come from wherever it points, outside review
        raise ArticleError(
            "tệp bài là liên kết (symlink) tới tệp khác; hãy chép nội dung vào đây thay cho "
            "liên kết",
            path,
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError("không tìm thấy tệp bài viết", path) from None
    except OSError as error:
        raise ArticleError(f"không đọc được tệp ({os_reason(error)})", path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ArticleError("tệp không phải UTF-8; hãy lưu lại với mã UTF-8", path, line) from None
    return parse_text(text.replace("\r\n", "\n"), path)


def article_slug(article: Article) -> str:
    """The article's URL slug: its `Slug` field, or its folder name when the field is absent."""
    return article.slug or article.folder.name


def format_header(fields: dict[str, str]) -> str:
    """The header lines of `fields`; an empty field is left out, but for a required one given
    empty (an import that found no section or byline): its line shows the reporter what to
    fill in."""
    ordered = [key for key in FIELDS if fields.get(key) or (key in REQUIRED and key in fields)]
    ordered += [key for key in fields if key not in FIELDS and fields[key]]
    return "\n".join(f"{key}: {nfc(fields[key])}".rstrip() for key in ordered)


def format_article(fields: dict[str, str], body: str) -> str:
    """The full text of an `index.md`, NFC, ending with one newline."""
    return f"{format_header(fields)}\n\n{nfc(body).strip()}\n"
