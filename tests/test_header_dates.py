"""An ISO `Date` header is read exactly as Pelican reads it, without dateutil's parser."""

from __future__ import annotations

import pytest
from pelican.utils import SafeDatetime, get_date

from plugins.photos.photos import plain_date


@pytest.mark.parametrize(
    "header",
    [
        "2022-11-28T07:00:00+07:00",
        "2023-03-05T20:11:00+07:00",
        "2022-11-28T00:30:00-03:30",
        "2022-11-28 07:00",
        "2022-11-28",
        "2022-11-28_07:00",
        "2024-02-29 23:59:59",
    ],
)
def test_iso_date_header_is_read_exactly_as_pelican_reads_it(header):
    ours, pelicans = plain_date(header), get_date(header.replace("_", " "))
    assert ours == pelicans and repr(ours) == repr(pelicans)  # the same zone object kind too
    assert type(ours) is SafeDatetime and type(ours.tzinfo) is type(pelicans.tzinfo)
    assert ours.strftime("%Y-%m-%d %H:%M %Z %z") == pelicans.strftime("%Y-%m-%d %H:%M %Z %z")


@pytest.mark.parametrize(
    "header",
    ["2022-02-30 07:00", "28/11/2022", "2022-11-28 7:00", "2022-11-28T07:00+0700", "2022-11-28Z"],
)
def test_other_date_forms_are_left_to_pelican(header):
    assert plain_date(header) is None


@pytest.mark.parametrize("header", ["2022-11-28T07:00:00+00:00", "2022-11-28T07:00:00Z"])
def test_utc_dates_are_left_to_pelican(header):
    assert plain_date(header) is None  # dateutil's zone for UTC depends on the machine
