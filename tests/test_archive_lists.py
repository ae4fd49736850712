"""Archive lists built in one pass are exactly Pelican's lists."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from operator import attrgetter
from types import SimpleNamespace

import pytest
from pelican.writers import FileOverwriteFailedError

from plugins.archive_lists.archive_lists import (
    Members,
    _pelican_generate_tags,
    _pelican_period_archives,
    generate_tags,
    use_members,
)
from plugins.archive_lists.archive_lists import period_archives as one_pass_archives
from tests.helpers import page, write_article
from tests.workflow_helpers import publish_all

VN = timezone(timedelta(hours=7))
SETTINGS = {
    "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
    "YEAR_ARCHIVE_URL": "{date:%Y}/",
    "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
    "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
    "DAY_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html",
    "DAY_ARCHIVE_URL": "{date:%Y}/{date:%m}/{date:%d}/",
}


def _articles(count: int, seed: int) -> list[SimpleNamespace]:
    chance = random.Random(seed)
    start = datetime(2022, 11, 28, 8, tzinfo=VN)
    return [
        SimpleNamespace(n=n, date=start + timedelta(hours=chance.randrange(0, 24 * 800)))
        for n in range(count)
    ]


def _shape(archives) -> dict:
    """Archives with each article shown by identity, so equal-looking objects cannot pass."""
    return {
        granularity: [
            {key: [id(a) for a in v] if key in ("dates", "articles") else v for key, v in a.items()}
            for a in periods
        ]
        for granularity, periods in archives.items()
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_period_archives_equal_pelicans_for_every_granularity(seed):
    articles = _articles(300, seed)
    dates = sorted(articles, key=attrgetter("date"), reverse=True)
    ordered = sorted(articles, key=lambda a: (a.date.day, a.n))  # any order: kept as given
    ours = one_pass_archives(None, dates, ordered, SETTINGS)
    pelicans = _pelican_period_archives(None, dates, ordered, SETTINGS)
    assert set(ours) == {"year", "month", "day"}
    assert _shape(ours) == _shape(pelicans)
    assert sum(len(a["articles"]) for a in ours["day"]) == 300


def test_period_archives_leave_out_articles_not_in_the_dated_list():
    articles = _articles(40, 9)
    dates = sorted(articles[:30], key=attrgetter("date"))
    ours = one_pass_archives(None, dates, articles, SETTINGS)
    listed = {id(a) for period in ours["year"] for a in period["articles"]}
    assert listed == {id(a) for a in articles[:30]}
    assert _shape(ours) == _shape(_pelican_period_archives(None, dates, articles, SETTINGS))


def test_members_answer_in_after_every_kind_of_change():
    a, b, c, d = (SimpleNamespace(n=n) for n in range(4))
    members = Members([a, b])
    assert a in members and c not in members
    members.append(c)
    assert c in members
    members.remove(a)
    assert a not in members
    members[0] = d  # b replaced
    assert d in members and b not in members
    members += [a]
    assert a in members
    del members[-1]
    assert a not in members
    members.insert(0, b)
    members.extend([a])
    assert b in members and a in members
    members.pop()
    assert a not in members
    members[:] = [c]
    assert members == [c] and d not in members and c in members
    members.clear()
    assert c not in members


def test_members_compare_values_that_define_equality_as_a_list_does():
    members = Members(["biên phòng", 3])
    assert "biên phòng" in members
    assert "bien phong" not in members
    assert 3.0 in members  # 3 == 3.0, as in a list


def test_tag_section_and_author_lists_answer_in_by_set():
    first, second = SimpleNamespace(n=1), SimpleNamespace(n=2)
    generator = SimpleNamespace(
        tags=defaultdict(list, {"tuần tra": [first]}),
        categories=defaultdict(list),
        authors=defaultdict(list),
    )
    use_members(generator)
    generator.categories["biên giới"].append(second)
    assert isinstance(generator.tags["tuần tra"], Members)
    assert first in generator.tags["tuần tra"] and second not in generator.tags["tuần tra"]
    assert second in generator.categories["biên giới"]


def test_built_lists_hold_exactly_their_articles_newest_first(empty_project):
    """A real build: each tag, author, section, year, month and day page lists its articles."""
    root = empty_project
    written = [  # slug, day of January 2023, section, authors, tags
        ("bai-1", 3, "Biên giới", "Minh Tuấn", "tuần tra, mốc quốc giới"),
        ("bai-2", 3, "Thời sự", "Thu Hà", "hội nghị"),
        ("bai-3", 4, "Biên giới", "Thu Hà, Minh Tuấn", "tuần tra"),
        ("bai-4", 9, "Thời sự", "Minh Tuấn", "hội nghị, tuần tra"),
    ]
    for number, (slug, day, section, authors, tags) in enumerate(written):
        moment = datetime(2023, 1, day, 7 + number, tzinfo=VN)
        write_article(root, slug, moment, section=section, authors=authors, tags=tags)
    output = publish_all(root)

    def listed(url: str) -> list[str]:
        links = page(output, url).select(".story-title a")
        return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in links]

    def expected(keep) -> list[str]:
        return [slug for slug, *fields in reversed(written) if keep(*fields)]

    assert listed("chu-de/tuan-tra/") == expected(lambda d, s, a, t: "tuần tra" in t)
    assert listed("chu-de/hoi-nghi/") == expected(lambda d, s, a, t: "hội nghị" in t)
    assert listed("tac-gia/thu-ha/") == expected(lambda d, s, a, t: "Thu Hà" in a)
    assert listed("tac-gia/minh-tuan/") == expected(lambda d, s, a, t: "Minh Tuấn" in a)
    assert listed("chuyen-muc/thoi-su/") == expected(lambda d, s, a, t: s == "Thời sự")
    assert listed("2023/") == expected(lambda *_: True)
    assert listed("2023/01/") == expected(lambda *_: True)
    assert listed("2023/01/03/") == expected(lambda d, *_: d == 3)
    assert listed("2023/01/09/") == ["bai-4"]
    assert not (output / "2023/01/05").exists()


@dataclass(frozen=True)
class _Tag:
    slug: str

    @property
    def save_as(self) -> str:
        return f"chu-de/{self.slug}/index.html"

    url = page_name = save_as


@pytest.mark.parametrize("seed", [1, 2])
def test_tag_pages_get_pelicans_dates_for_every_tag(seed):
    chance = random.Random(seed)
    articles = _articles(60, seed)
    tags = defaultdict(Members)
    for slug in ("bien-gioi", "bien-dao", "tuan-tra", "le", "dan-van"):
        tags[_Tag(slug)].extend(a for a in articles if chance.random() < 0.4)
    tags[_Tag("")]  # no articles, and a slug that makes no page of its own
    hidden = SimpleNamespace(n=-1, date=articles[0].date)  # listed under a tag, not dated
    tags[_Tag("le")].append(hidden)
    dated = sorted(articles, key=attrgetter("date"), reverse=True)

    def pages(generate) -> list:
        written = []
        site = SimpleNamespace(
            dates=dated, tags=tags, context={}, articles=articles, get_template=lambda n: n
        )
        generate(site, lambda *args, **kwargs: written.append((args, kwargs)))
        return [
            (args, {k: [id(a) for a in v] if k == "dates" else v for k, v in kwargs.items()})
            for args, kwargs in written
        ]

    ours = pages(generate_tags)
    assert ours == pages(_pelican_generate_tags)
    assert [len(kwargs["dates"]) for _args, kwargs in ours][-1] == 0


@pytest.mark.parametrize("slug", ["", "bien-gioi"])
def test_tag_pages_fail_or_skip_a_taken_path_as_pelican_does(slug):
    tags = defaultdict(Members)
    tags[_Tag(slug)].extend(_articles(3, 1))
    tags[_Tag("tuan-tra")].extend(_articles(2, 2))

    def outcome(generate) -> tuple:
        written = []

        def write(name, *args, **kwargs):
            if kwargs["tag"].slug == slug:
                raise FileOverwriteFailedError(f"{name} đã được ghi")
            written.append(name)

        site = SimpleNamespace(dates=[], tags=tags, context={}, articles=[], get_template=str)
        try:
            generate(site, write)
        except FileOverwriteFailedError:
            return "failed", written
        return "done", written

    ours = outcome(generate_tags)
    assert ours == outcome(_pelican_generate_tags)
    assert ours == (("done", ["chu-de/tuan-tra/index.html"]) if not slug else ("failed", []))
