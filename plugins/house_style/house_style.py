"""Vietnamese dates and bylines for the templates, produced by our code, never a locale."""

from __future__ import annotations

from pelican import signals

from pipeline.article import format_datetime
from pipeline.conventions import with_lead_in
from pipeline.vietnamese import byline, format_date, format_dateline, format_period, format_short

FILTERS = {
    "dateline": format_dateline,  # Thứ hai, 28/11/2022 07:00 (GMT+7)
    "day": format_date,  # Thứ hai, 28/11/2022
    "short_date": format_short,  # 28/11/2022 07:00
    "period_heading": format_period,  # Tháng 11/2022
    "byline": lambda authors: byline([author.name for author in authors]),
    "iso": format_datetime,  # 2022-11-28T07:00:00+07:00
    "lead": with_lead_in,  # <p>– Ngày 16/9, …
}


def add_filters(generator) -> None:
    generator.env.filters.update(FILTERS)


def register() -> None:
    signals.generator_init.connect(add_filters)
