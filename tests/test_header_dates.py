"""A house-form `Date` header is read exactly as Pelican reads it, without dateutil."""

from __future__ import annotations

import pytest
from pelican.utils import SafeDatetime, get_date

from plugins.photos.photos import plain_date


@pytest.mark.parametrize(
    "header", ["2022-11-28 07:00", "2022-11-28", "2022-11-28_07:00", "2024-02-29 23:59:59"]
)
def test_house_form_date_equals_pelicans_reading(header):
    ours, pelicans = plain_date(header), get_date(header.replace("_", " "))
    assert ours == pelicans
    assert type(ours) is SafeDatetime and ours.tzinfo is None


@pytest.mark.parametrize(
    "header", ["2022-02-30 07:00", "28/11/2022", "2022-11-28 7:00", "2022-11-28T07:00+07:00"]
)
def test_other_date_forms_are_left_to_pelican(header):
    assert plain_date(header) is None
