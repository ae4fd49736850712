"""House-style dates and names, produced without any system locale."""

from datetime import UTC, date, datetime, timedelta

import pytest

from pipeline.vietnamese import (
    TIMEZONE,
    byline,
    format_date,
    format_dateline,
    format_period,
    nfc,
    title_case_name,
    weekday_name,
)

# 2022-11-28 was a Monday. Each row: local date -> the weekday the paper prints.
WEEK = [
    (date(2022, 11, 28), "Thứ hai"),
    (date(2022, 11, 29), "Thứ ba"),
    (date(2022, 11, 30), "Thứ tư"),
    (date(2022, 12, 1), "Thứ năm"),
    (date(2022, 12, 2), "Thứ sáu"),
    (date(2022, 12, 3), "Thứ bảy"),
    (date(2022, 12, 4), "Chủ nhật"),
]


@pytest.mark.parametrize(("day", "name"), WEEK)
def test_weekday_name_for_each_day_of_the_week(day, name):
    assert weekday_name(day) == name


@pytest.mark.parametrize(("day", "name"), WEEK)
def test_weekday_around_local_midnight_follows_vietnam_time_not_utc(day, name):
    # 00:05 in Hà Nội is still the previous day in UTC; 23:55 is the same day in UTC.
    just_after = datetime(day.year, day.month, day.day, 0, 5, tzinfo=TIMEZONE)
    just_before = datetime(day.year, day.month, day.day, 23, 55, tzinfo=TIMEZONE)
    assert weekday_name(just_after.astimezone(UTC)) == name
    assert weekday_name(just_before.astimezone(UTC)) == name
    previous = WEEK[(WEEK.index((day, name)) - 1) % 7][1]
    assert weekday_name((just_after - timedelta(minutes=10)).astimezone(UTC)) == previous


def test_dateline_has_lowercase_second_word_time_and_offset():
    moment = datetime(2022, 11, 28, 7, 0, tzinfo=TIMEZONE)
    assert format_dateline(moment) == "Thứ hai, 28/11/2022 07:00 (GMT+7)"


def test_dateline_of_utc_time_is_shown_in_vietnam_time():
    moment = datetime(2022, 12, 3, 17, 30, tzinfo=UTC)  # 00:30 on Sunday in Hà Nội
    assert format_dateline(moment) == "Chủ nhật, 04/12/2022 00:30 (GMT+7)"


def test_format_date_pads_day_and_month():
    assert format_date(date(2023, 1, 5)) == "Thứ năm, 05/01/2023"


@pytest.mark.parametrize(
    ("period", "heading"),
    [((2022,), "Năm 2022"), ((2022, 11), "Tháng 11/2022"), ((2022, 11, 28), "Thứ hai, 28/11/2022")],
)
def test_period_heading_in_house_style(period, heading):
    assert format_period(period) == heading


def test_byline_uppercases_and_joins_with_en_dash():
    assert byline(["Đình Quang", "Vi Toàn"]) == "ĐÌNH QUANG – VI TOÀN"


def test_title_case_name_keeps_vietnamese_letters():
    assert title_case_name("ĐÌNH QUANG") == "Đình Quang"


def test_nfc_composes_decomposed_text():
    decomposed = "Bie\u0302n pho\u0300ng"
    assert nfc(decomposed) == "Biên phòng"
