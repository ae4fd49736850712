"""Rendering processes share out pages by the time of the news they show."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from plugins.site_writer.pagination import Listing
from plugins.site_writer.parallel import _shares


class _Shown:
    def __init__(self, day: int) -> None:
        self.date = datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=7))) + timedelta(day)


def _calls() -> list:
    calls = []
    for day in range(0, 40, 2):  # article pages and one-page lists, interleaved as Pelican asks
        calls.append(((f"bai-{day}/index.html",), {"article": _Shown(day)}))
        listing = Listing([_Shown(day + 1), _Shown(day)], 1, "/chu-de/x/", None, None, [])
        calls.append(((f"chu-de/x/page/{day}/index.html",), {"listing": listing}))
    calls.append((("tim-kiem/index.html",), {}))  # no news of its own
    return calls


def _when(call) -> datetime | None:
    kwargs = call[1]
    if "article" in kwargs:
        return kwargs["article"].date
    if "listing" in kwargs:
        return kwargs["listing"].items[0].date
    return None


def test_each_process_takes_one_stretch_of_time_and_every_page_once():
    calls = _calls()
    older, newer = _shares(calls, 2)
    assert sorted(c[0] for c in older + newer) == sorted(c[0] for c in calls)
    assert abs(len(older) - len(newer)) <= 1
    dated = [_when(c) for c in newer if _when(c) is not None]
    assert max(_when(c) for c in older) <= min(dated)
    assert (("tim-kiem/index.html",), {}) in newer  # undated pages count as newest


def test_a_process_keeps_pelicans_order_within_its_share():
    calls = _calls()
    for share in _shares(calls, 3):
        assert share == sorted(share, key=calls.index)
