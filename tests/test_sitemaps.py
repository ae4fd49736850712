"""Sitemaps by year, the two-day news sitemap counted from the publish time, and robots.txt."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from xml.etree import ElementTree

from pipeline.vietnamese import TIMEZONE
from plugins.sitemaps.sitemaps import article_sitemaps, news_sitemap
from tests.helpers import write_article
from tests.workflow_helpers import publish_all

SITE = "https://bienphong.example.vn"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "n": "http://www.google.com/schemas/sitemap-news/0.9",
}


def _locs(xml: str) -> list[str]:
    return [loc.text for loc in ElementTree.fromstring(xml).iterfind(".//s:loc", NS)]


def _article(number: int, when: datetime):
    return SimpleNamespace(
        slug=f"bai-{number}",
        url=f"{when:%Y/%m/%d}/bai-{number}/",
        date=when,
        title=f"Bài {number} & <b>",
    )


def test_article_sitemaps_split_by_year_and_at_50000(monkeypatch):
    import plugins.sitemaps.sitemaps as sitemaps

    monkeypatch.setattr(sitemaps, "SITEMAPS_MAX_URLS", 2)
    articles = [_article(n, datetime(2022, 12, n, tzinfo=TIMEZONE)) for n in range(1, 4)]
    articles.append(_article(9, datetime(2023, 1, 1, tzinfo=TIMEZONE)))
    files = article_sitemaps(SITE, articles)
    assert sorted(files) == ["sitemaps/2022-1.xml", "sitemaps/2022-2.xml", "sitemaps/2023.xml"]
    assert _locs(files["sitemaps/2022-2.xml"]) == [f"{SITE}/2022/12/03/bai-3/"]


def test_news_sitemap_keeps_two_days_before_publish_time_only():
    now = datetime(2023, 3, 10, 12, 0, tzinfo=TIMEZONE)
    articles = [
        _article(1, datetime(2023, 3, 8, 11, 59, tzinfo=TIMEZONE)),  # just over two days old
        _article(2, datetime(2023, 3, 8, 12, 0, tzinfo=TIMEZONE)),
        _article(3, datetime(2023, 3, 10, 11, 0, tzinfo=TIMEZONE)),
        _article(4, datetime(2023, 3, 10, 13, 0, tzinfo=TIMEZONE)),  # after the publish time
    ]
    xml = news_sitemap(SITE, "Báo", articles, now)
    assert _locs(xml) == [f"{SITE}/2023/03/10/bai-3/", f"{SITE}/2023/03/08/bai-2/"]
    root = ElementTree.fromstring(xml)
    assert root.find(".//n:language", NS).text == "vi"
    assert root.find(".//n:publication_date", NS).text == "2023-03-10T11:00:00+07:00"
    assert root.find(".//n:title", NS).text == "Bài 3 & <b>"


def test_news_sitemap_caps_at_1000_entries():
    now = datetime(2023, 3, 10, 12, 0, tzinfo=TIMEZONE)
    articles = [
        _article(n, datetime(2023, 3, 10, 0, n % 60, n % 50, tzinfo=TIMEZONE)) for n in range(1200)
    ]
    assert len(_locs(news_sitemap(SITE, "Báo", articles, now))) == 1000


def test_built_site_has_sitemap_index_news_sitemap_and_robots(empty_project):
    write_article(empty_project, "cu", datetime(2022, 5, 1, 8, tzinfo=TIMEZONE))
    write_article(empty_project, "moi", datetime(2023, 3, 1, 8, tzinfo=TIMEZONE))
    output = publish_all(empty_project, datetime(2023, 3, 2, 9, tzinfo=TIMEZONE))
    index = _locs((output / "sitemap.xml").read_text("utf-8"))
    for name in ("2022", "2023", "trang", "news"):
        assert f"{SITE}/sitemaps/{name}.xml" in index
    assert _locs((output / "sitemaps/2022.xml").read_text("utf-8")) == [f"{SITE}/2022/05/01/cu/"]
    assert _locs((output / "sitemaps/news.xml").read_text("utf-8")) == [f"{SITE}/2023/03/01/moi/"]
    robots = (output / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {SITE}/sitemap.xml" in robots
    assert f"Sitemap: {SITE}/sitemaps/news.xml" in robots


def test_news_sitemap_does_not_depend_on_the_wall_clock(empty_project):
    write_article(empty_project, "moi", datetime(2023, 3, 1, 8, tzinfo=TIMEZONE))
    at = datetime(2023, 3, 2, 9, tzinfo=TIMEZONE)
    first = (publish_all(empty_project, at) / "sitemaps/news.xml").read_bytes()
    second = (publish_all(empty_project, at) / "sitemaps/news.xml").read_bytes()
    assert first == second
    assert b"/2023/03/01/moi/" in first  # counted from the publish time, not from today
