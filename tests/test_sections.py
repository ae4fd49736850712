"""The front page: the pinned or newest photographed lead story, then the latest list."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from plugins.sections.sections import choose_lead, split_front


def _story(number: int, photo: bool = True, featured: bool = False):
    return SimpleNamespace(
        slug=f"bai-{number}",
        date=datetime(2023, 1, 1) + timedelta(days=number),
        lead_photo=object() if photo else None,
        featured=featured,
    )


def test_choose_lead_prefers_the_pinned_story():
    newest = [_story(3), _story(2, featured=True), _story(1)]
    assert choose_lead(newest).slug == "bai-2"


def test_choose_lead_takes_the_newest_story_with_a_photo():
    newest = [_story(3, photo=False), _story(2), _story(1)]
    assert choose_lead(newest).slug == "bai-2"


def test_split_front_gives_secondary_stories_only_with_a_long_latest_list():
    newest = [_story(n) for n in range(10, 0, -1)]
    front = split_front(newest, newest[0])
    assert [a.slug for a in front.secondary] == ["bai-9", "bai-8", "bai-7"]
    assert [a.slug for a in front.latest][:2] == ["bai-6", "bai-5"]
    short = split_front(newest[:4], newest[0])
    assert short.secondary == [] and len(short.latest) == 3
