"""Vietnamese text and dates in the house style, with no system locale.

Both halves use these helpers: the pipeline when it writes articles, and the
theme's plugins when they render datelines, archive headings and bylines.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")

# Monday is 0, as in datetime.weekday(). The second word stays lowercase.
WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")

BYLINE_SEPARATOR = " – "


def nfc(text: str) -> str:
    """Every stored and published string is NFC."""
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def local(moment: datetime) -> datetime:
    """The moment in Asia/Ho_Chi_Minh; a naive datetime is taken to be local already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TIMEZONE)
    return moment.astimezone(TIMEZONE)


def weekday_name(day: date) -> str:
    if isinstance(day, datetime):
        day = local(day)
    return WEEKDAYS[day.weekday()]


def format_date(day: date) -> str:
    """`Thứ hai, 28/11/2022`: the dateline without the time."""
    if isinstance(day, datetime):
        day = local(day)
    return f"{weekday_name(day)}, {day.day:02d}/{day.month:02d}/{day.year}"


def format_dateline(moment: datetime) -> str:
    """`Thứ hai, 28/11/2022 07:00 (GMT+7)`: the article page's dateline."""
    moment = local(moment)
    return f"{format_date(moment)} {moment.hour:02d}:{moment.minute:02d} (GMT+7)"


def format_short(moment: datetime) -> str:
    """`28/11/2022 07:00`: for lists, where space is short."""
    moment = local(moment)
    return (
        f"{moment.day:02d}/{moment.month:02d}/{moment.year} {moment.hour:02d}:{moment.minute:02d}"
    )


def format_period(period: tuple[int, ...]) -> str:
    """The heading of a date archive: `Năm 2022`, `Tháng 11/2022` or `Thứ hai, 28/11/2022`."""
    if len(period) == 1:
        return f"Năm {period[0]}"
    if len(period) == 2:
        return f"Tháng {period[1]}/{period[0]}"
    year, month, day = period
    return format_date(date(year, month, day))


def byline(names: list[str]) -> str:
    """Authors in uppercase joined by an en dash: `ĐÌNH QUANG – VI TOÀN`."""
    return BYLINE_SEPARATOR.join(nfc(name).upper() for name in names)


def title_case_name(name: str) -> str:
    """`ĐÌNH QUANG` -> `Đình Quang`: names are stored in title case; the theme uppercases them."""
    words = nfc(name).split()
    return " ".join(word[:1].upper() + word[1:].lower() for word in words)
