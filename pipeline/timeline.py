"""The reference time of a build: when the site is published, never the wall clock.

Anything time-relative in the output (the news sitemap's last two days)
counts from this moment, so the same content and publish time always give
the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .article import parse_datetime

SETTING = "NEWSROOM_PUBLISH_TIME"


def publish_time(settings: dict, articles: Iterable) -> datetime | None:
    """The publish time given by `newsroom publish`, else the newest article's date."""
    given = settings.get(SETTING)
    if given:
        return given if isinstance(given, datetime) else parse_datetime(str(given))
    dates = [article.date for article in articles]
    return max(dates) if dates else None
