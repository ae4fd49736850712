"""Every list is paginated from the oldest, so that a full page never changes."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from pipeline.vietnamese import TIMEZONE
from plugins.site_writer.pagination import plan_pages
from tests.helpers import page, write_article
from tests.workflow_helpers import publish_all


class _Item:
    def __init__(self, number: int):
        self.date = datetime(2023, 1, number, 8, tzinfo=TIMEZONE)
        self.slug = f"bai-{number}"


def _set_page_size(root: Path, size: int) -> None:
    config = root / "newsroom.toml"
    text = re.sub(
        r"^page_size = \d+$", f"page_size = {size}", config.read_text("utf-8"), flags=re.M
    )
    config.write_text(text, "utf-8")


def _add(root: Path, number: int) -> None:
    write_article(root, f"bai-{number}", datetime(2023, 1, number, 8, tzinfo=TIMEZONE))


def _slugs(output: Path, url: str) -> list[str]:
    return [
        a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page(output, url).select(".story-title a")
    ]


def test_plan_pages_numbers_full_pages_from_the_oldest():
    plans = plan_pages([_Item(n) for n in range(1, 8)], 3, "chuyen-muc/x/")
    names = [save_as for save_as, _ in plans]
    assert names == [
        "chuyen-muc/x/index.html",
        "chuyen-muc/x/page/1/index.html",
        "chuyen-muc/x/page/2/index.html",
    ]
    front, first, second = (listing for _, listing in plans)
    assert [i.slug for i in front.items] == ["bai-7", "bai-6", "bai-5"]
    assert [i.slug for i in first.items] == ["bai-3", "bai-2", "bai-1"]
    assert [i.slug for i in second.items] == ["bai-6", "bai-5", "bai-4"]
    assert front.older_url == "/chuyen-muc/x/page/2/"  # holds bai-4, the first not on the front
    assert second.newer_url == "/chuyen-muc/x/" and second.older_url == "/chuyen-muc/x/page/1/"
    assert first.older_url is None


def test_plan_pages_short_list_has_only_its_own_page():
    plans = plan_pages([_Item(n) for n in range(1, 3)], 3, "")
    assert [name for name, _ in plans] == ["index.html"]
    assert plans[0][1].older_url is None


def test_section_pages_are_stable_when_new_articles_arrive(empty_project):
    root = empty_project
    _set_page_size(root, 3)
    for number in range(1, 8):
        _add(root, number)
    output = publish_all(root)
    section = "chuyen-muc/bien-gioi/"
    assert _slugs(output, section) == ["bai-7", "bai-6", "bai-5"]
    assert _slugs(output, section + "page/1/") == ["bai-3", "bai-2", "bai-1"]
    assert _slugs(output, section + "page/2/") == ["bai-6", "bai-5", "bai-4"]
    assert not (output / section / "page/3").exists()
    before = {n: (output / section / f"page/{n}/index.html").read_bytes() for n in (1, 2)}

    _add(root, 8)  # no page fills up: every older page keeps its bytes
    output = publish_all(root)
    assert _slugs(output, section) == ["bai-8", "bai-7", "bai-6"]
    for number, content in before.items():
        assert (output / section / f"page/{number}/index.html").read_bytes() == content

    _add(root, 9)  # page 3 fills up; pages 1 and 2 keep their articles
    output = publish_all(root)
    assert _slugs(output, section + "page/3/") == ["bai-9", "bai-8", "bai-7"]
    assert (output / section / "page/1/index.html").read_bytes() == before[1]
    assert _slugs(output, section + "page/2/") == ["bai-6", "bai-5", "bai-4"]


def test_every_kind_of_list_is_paginated_with_page_urls(empty_project):
    root = empty_project
    _set_page_size(root, 3)
    for number in range(1, 8):
        _add(root, number)
    output = publish_all(root)
    for base in (
        "",
        "chuyen-muc/bien-gioi/",
        "tac-gia/minh-tuan/",
        "chu-de/tuan-tra/",
        "2023/",
        "2023/01/",
    ):
        assert (output / base / "page/1/index.html").is_file(), base
        assert (output / base / "page/2/index.html").is_file(), base
    front_links = [a["href"] for a in page(output, "").find_all("a")]
    assert "/page/2/" in front_links  # the front page leads to the older articles
