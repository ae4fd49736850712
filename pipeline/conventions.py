"""The newspaper's layout conventions, recognized in single lines of text.

Plain-text, HTML and .docx import all see an article as a list of lines; these
pure functions say what a line is (dateline, lead, caption, credit, byline)
and pull out what the article header needs (abbreviations, places).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from .vietnamese import TIMEZONE, nfc, title_case_name

# `Thứ hai,  28/11/2022`, `THỨ BA, 1/2/2022 | 07:30`, `Chủ nhật, 04/12/2022 - 9h05 (GMT+7)`.
# A dateline as papers print it: `Thứ hai, 28/11/2022`, `Thứ Hai, ngày 28/11/2022 | 07:45`,
# `28/11/2022 07:45`, `Cập nhật: 28/11/22`, `Ngày 28 tháng 11 năm 2022 (GMT+7)`.
DATELINE = re.compile(
    r"^(?:[^\W\d_][^\W\d_ ]*(?:\s[^\W\d_]+){0,2}\s*:\s*)?"  # "Cập nhật:" and the like
    r"(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|cn)\s*,?\s*)?"
    r"(?:ngày\s+)?"
    r"(?:(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})\s*/\s*(?P<year>\d{4}|\d{2})"
    r"|(?P<long_day>\d{1,2})\s+tháng\s+(?P<long_month>\d{1,2})\s*,?\s+năm\s+(?P<long_year>\d{4}))"
    r"(?:\s*[|,–-]?\s*(?P<hour>\d{1,2})\s*[:h]\s*(?P<minute>\d{2}))?"
    r"\s*(?:\(?\s*gmt\s*\+\s*7\s*\)?)?\s*$",
    re.IGNORECASE,
)
# The lead-in that opens the lead: `– `, `- `, `(BP) – `, `(BP) - `.
LEAD_IN = re.compile(r"^\s*(?:\(\s*BP\s*\)\s*)?[–—-]\s*(?=\S)")
# A credit standing alone, or at the end of a caption: `Ảnh: Minh Tuấn`, `(Ảnh: Minh Tuấn)`.
CREDIT = re.compile(r"^\(?\s*ảnh\s*:\s*(?P<credit>[^()]+?)\s*\)?\s*\.?$", re.IGNORECASE)
TRAILING_CREDIT = re.compile(
    r"^(?P<caption>.*?)[\s,;–-]*\(?\s*ảnh\s*:\s*(?P<credit>[^()]+?)\s*\)?\s*\.?$",
    re.IGNORECASE,
)
# `Bài, ảnh:`, `Bài và ảnh:`, `Tin, ảnh:` give the photos' credit; `Bài:` and `Tin:` do not.
BYLINE_PREFIX = re.compile(
    r"^(?P<kind>bài|tin|bài viết)\s*(?P<photos>(?:,|và|&)\s*ảnh)?\s*:\s*", re.IGNORECASE
)
AUTHOR_SEPARATOR = re.compile(r"\s+[–—-]\s+|\s*,\s*|\s+(?:và|VÀ)\s+|\s*&\s*")
NAME = re.compile(r"^[^\W\d_]+(?:\.?\s+[^\W\d_]+\.?){0,5}$")
# `Bộ đội Biên phòng (BĐBP)`: the long form ends right before the parenthesis.
# `(TĐKT)` or `(CTĐ, CTCT)` right after the long forms.
DEFINITIONS = re.compile(r"\((?P<shorts>[^\W\d_][\w&-]*(?:\s*,\s*[^\W\d_][\w&-]*)*)\)")
# `Ngày 16/9, …`, `Sáng 3/12, …`, `Chiều ngày 5/12, …` at the start of a lead.
EVENT_DAY = re.compile(
    r"^(?:(?:sáng|chiều|tối|trưa|đêm)\s+(?:ngày\s+)?|ngày\s+)(\d{1,2})\s*/\s*(\d{1,2})(?!\s*/)",
    re.IGNORECASE,
)
SENTENCE_END = ".!?…:;\"”'’)"
CAPTION_MAX_WORDS = 60


@dataclass(frozen=True)
class Byline:
    authors: list[str]  # title case: `Đình Quang`
    photo_credit: str  # the authors, when the byline says they took the photos


def parse_dateline(line: str) -> tuple[int, int, int, int | None, int | None] | None:
    """(year, month, day, hour, minute) of a dateline line, or None if it is not one."""
    match = DATELINE.match(nfc(line).strip())
    if not match:
        return None
    hour, minute = match.group("hour"), match.group("minute")
    year = match.group("year") or match.group("long_year")
    return (
        int(year) + (2000 if len(year) == 2 else 0),  # `28/11/22`
        int(match.group("month") or match.group("long_month")),
        int(match.group("day") or match.group("long_day")),
        int(hour) if hour else None,
        int(minute) if minute else None,
    )


def dateline_moment(parts: tuple, default_time: time) -> datetime:
    """The publication time of a dateline; ValueError if the date or time is impossible."""
    year, month, day, hour, minute = parts
    clock = default_time if hour is None else time(hour, minute)
    return datetime.combine(date(year, month, day), clock, tzinfo=TIMEZONE)


LEAD_IN_MARK = "– "  # how the paper opens a lead (sapo): import takes it off, the page shows it


def with_lead_in(html: str) -> str:
    """A lead's HTML opening with the house lead-in, inside its first paragraph; a lead that
    a reporter typed with its lead-in (`– Sáng 28/11…`, `(BP) - …`) keeps the one it has."""
    opening, text = ("<p>", html[3:]) if html.startswith("<p>") else ("", html)
    if LEAD_IN.match(text):
        return html
    return f"{opening}{LEAD_IN_MARK}{text}"


def strip_lead_in(line: str) -> str | None:
    """The lead without its lead-in, or None if the line does not open with one."""
    match = LEAD_IN.match(line)
    return line[match.end() :].strip() if match else None


def split_credit(text: str) -> tuple[str, str]:
    """(caption, credit) of a caption that may end with `Ảnh: Tên`."""
    match = TRAILING_CREDIT.match(text.strip())
    if not match:
        return text.strip(), ""
    return match.group("caption").strip(), match.group("credit").strip()


def is_credit(line: str) -> str | None:
    match = CREDIT.match(line.strip())
    return match.group("credit").strip() if match else None


def is_caption(line: str) -> bool:
    """A short standalone line that does not end a sentence, or that ends with a credit."""
    words = line.split()
    if not words or len(words) > CAPTION_MAX_WORDS:
        return False
    if split_credit(line)[1]:
        return True
    return len(words) >= 6 and line.rstrip()[-1] not in SENTENCE_END


def parse_byline(line: str, require_uppercase: bool = True) -> Byline | None:
    """`ĐÌNH QUANG – VI TOÀN` -> two authors; `Bài, ảnh: MINH TUẤN` -> author and photo credit."""
    text = nfc(line).strip().rstrip(".")
    if not text or len(text) > 100:
        return None
    prefix = BYLINE_PREFIX.match(text)
    names_text = text[prefix.end() :] if prefix else text
    if require_uppercase and (names_text != names_text.upper() or names_text == names_text.lower()):
        return None
    names = [name.strip() for name in AUTHOR_SEPARATOR.split(names_text) if name.strip()]
    if not names or not all(NAME.match(name) for name in names):
        return None
    authors = [title_case_name(name) for name in names]
    credit = ", ".join(authors) if prefix and prefix.group("photos") else ""
    return Byline(authors, credit)


def _initial(text: str) -> str:
    """`Ủy` -> `u`, `Đội` -> `đ`: the first letter without its tone or vowel marks."""
    return unicodedata.normalize("NFD", text[:1])[:1].casefold()


def _initials_match(words: list[str], letters: str) -> bool:
    return len(words) == len(letters) and all(
        _initial(word) == _initial(letter) for word, letter in zip(words, letters, strict=True)
    )


def is_abbreviation(short: str) -> bool:
    letters = [char for char in short if char.isalpha()]
    return len(letters) >= 2 and short == short.upper() and short[:1].isalpha()


def definition_spans(text: str) -> list[tuple[int, int]]:
    """Where `(TĐKT)` or `(CTĐ, CTCT)` stands in the text: abbreviations being defined."""
    return [
        match.span()
        for match in DEFINITIONS.finditer(text)
        if all(is_abbreviation(s.strip()) for s in match.group("shorts").split(","))
    ]


def find_definitions(text: str) -> dict[str, str]:
    """Abbreviations defined at first use: `thi đua khen thưởng (TĐKT)` -> {TĐKT: thi đua…}.

    Several at once work too: `công tác đảng, công tác chính trị (CTĐ, CTCT)`.
    """
    found: dict[str, str] = {}
    for match in DEFINITIONS.finditer(text):
        shorts = [s.strip() for s in match.group("shorts").split(",")]
        if not all(is_abbreviation(short) for short in shorts):
            continue
        before = text[: match.start()].rstrip()
        tokens = list(re.finditer(r"[^\W_]+", before))
        defined: dict[str, str] = {}
        for short in reversed(shorts):
            letters = [char for char in short if char.isalpha()]
            words, tokens = tokens[-len(letters) :], tokens[: -len(letters)]
            if not _initials_match([w.group() for w in words], "".join(letters)):
                break
            long = before[words[0].start() : words[-1].end()]
            if re.search(r"[.;:!?()=]", long):
                break
            defined[short] = long
        else:
            for short in shorts:
                found.setdefault(short, defined[short])
    return found


def find_places(text: str, provinces: tuple[str, ...]) -> list[str]:
    """The configured provinces that the text names, in the order of their first mention."""
    positions = []
    for province in provinces:
        match = re.search(rf"(?<!\w){re.escape(province)}(?!\w)", text)
        if match:
            positions.append((match.start(), province))
    return [province for _, province in sorted(positions)]


def event_date(lead: str, published: datetime) -> date | None:
    """`Ngày 16/9, …` at the start of the lead: the event's date, in the dateline's year."""
    match = EVENT_DAY.match(lead)
    if not match:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate <= published.date():
            return candidate
    return None
