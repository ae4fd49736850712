"""What a reader gets from the real content, checked in the built HTML, CSS and feeds."""

from __future__ import annotations

import gzip
import hashlib
import re
import unicodedata
from html import unescape

import feedparser
import pytest
from bs4 import BeautifulSoup

from pipeline.config import load_config
from tests.helpers import REPO, SEED_URL, page
from tests.site_scan import is_internal, references, target_file

SITE_URL = load_config(REPO).site_url


def _seed_source() -> list[str]:
    text = unicodedata.normalize("NFC", (REPO / "tests/fixtures/seed-article.txt").read_text())
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_seed_article_is_published_at_its_dated_url(built_site):
    assert (built_site / SEED_URL / "index.html").is_file()


def test_seed_article_title_dateline_lead_and_byline(built_site):
    lines = _seed_source()
    html = page(built_site, SEED_URL)
    assert html.find("h1").get_text(strip=True) == lines[1]
    dateline = " ".join(lines[0].split())  # the copied text has two spaces after the comma
    assert html.select_one(".dateline").get_text(strip=True) == dateline == "Thứ hai, 28/11/2022"
    assert html.select_one(".dateline time")["datetime"] == "2022-11-28T07:00:00+07:00"
    assert html.select_one(".sapo").get_text(strip=True) == lines[3]  # "– Ngày 16/9, …"
    assert lines[3].startswith("– ")
    assert html.select_one(".byline").get_text(strip=True) == "ĐÌNH QUANG – VI TOÀN"


def test_seed_article_body_is_the_published_text_exactly(built_site):
    lines = _seed_source()
    html = page(built_site, SEED_URL)
    paragraphs = [p.get_text() for p in html.select(".story-body > p")]
    assert paragraphs == lines[4:-1]  # typos included ("178 lươt tập thể")


def test_seed_article_photo_is_a_figure_with_alt_and_caption(built_site):
    lines = _seed_source()
    figure = page(built_site, SEED_URL).select_one(".story-body figure")
    img = figure.find("img")
    assert "giữ chỗ" in img["alt"]
    assert img["width"] and img["height"]
    assert figure.find("figcaption").get_text(strip=True) == lines[2]
    assert (built_site / img["src"].lstrip("/")).is_file()


def test_seed_article_marks_abbreviations_once_at_first_use(built_site):
    html = page(built_site, SEED_URL)
    abbrs = html.select("abbr")
    assert {a.get_text(): a["title"] for a in abbrs} == {
        "BĐBP": "Bộ đội Biên phòng",
        "TĐKT": "thi đua khen thưởng",
        "TĐQT": "thi đua quyết thắng",
    }
    assert len(abbrs) == 3
    assert abbrs[0].find_parent(class_="sapo") is not None  # first use is in the lead


def test_article_page_parts_come_in_reading_order(built_site):
    html = str(page(built_site, SEED_URL))
    markers = [
        'class="breadcrumb"',
        "<h1",
        'class="dateline"',
        'class="sapo"',
        'class="story-body"',
    ]
    markers += ['class="byline"', 'class="tags"']
    positions = [html.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_article_breadcrumb_links_to_its_section(built_site):
    crumb = page(built_site, SEED_URL).select_one(".breadcrumb")
    assert "/chuyen-muc/xay-dung-luc-luong/" in [a["href"] for a in crumb.find_all("a")]


@pytest.mark.parametrize(
    ("url", "heading"),
    [("2022/", "Năm 2022"), ("2022/11/", "Tháng 11/2022"), ("2022/11/28/", "Thứ hai, 28/11/2022")],
)
def test_date_archives_list_the_seed_under_house_style_heading(built_site, url, heading):
    html = page(built_site, url)
    assert html.find("h1").get_text(" ", strip=True).startswith(heading)
    assert f"/{SEED_URL}" in [a["href"] for a in html.select(".story-title a")]


def test_section_author_and_tag_pages_list_the_seed(built_site):
    for url in ("chuyen-muc/xay-dung-luc-luong/", "tac-gia/dinh-quang/", "tac-gia/vi-toan/"):
        links = [a["href"] for a in page(built_site, url).select(".story-title a")]
        assert f"/{SEED_URL}" in links, url
    assert (built_site / "chu-de/thi-dua-khen-thuong/index.html").is_file()


@pytest.mark.parametrize(
    ("url", "folder"),
    [("chuyen-muc/", "chuyen-muc"), ("tac-gia/", "tac-gia"), ("chu-de/", "chu-de")],
)
def test_index_pages_list_every_section_author_and_tag_with_its_count(built_site, url, folder):
    html = page(built_site, url)
    entries = {
        item.a["href"]: int(item.select_one(".count").get_text().split()[0])
        for item in html.select(".index-list li")
    }
    # every list page of that kind, and no other, with as many articles as its list shows
    lists = sorted(p.parent.name for p in (built_site / folder).glob("*/index.html"))
    assert sorted(href.strip("/").split("/")[-1] for href in entries) == lists
    for href, count in entries.items():
        shown = page(built_site, href).select(".story-title a")
        numbered = list((built_site / href.strip("/") / "page").glob("*/index.html"))
        assert count >= len(shown) and (count == len(shown)) == (not numbered), href
    footer = {a["href"] for a in page(built_site, SEED_URL).select("footer a")}
    assert f"/{url}" in footer
    assert f"{SITE_URL}/{url}</loc>" in (built_site / "sitemaps" / "trang.xml").read_text("utf-8")


def test_section_index_follows_the_configured_order(built_site):
    names = [a.get_text() for a in page(built_site, "chuyen-muc/").select(".index-list a")]
    configured = [s.name for s in load_config(REPO).sections]
    assert names == [name for name in configured if name in names]


def test_static_pages_and_404_exist(built_site):
    assert page(built_site, "gioi-thieu/").find("h1").get_text(strip=True) == "Giới thiệu"
    assert page(built_site, "lien-he/").find("h1").get_text(strip=True) == "Liên hệ"
    assert "Không tìm thấy" in (built_site / "404.html").read_text("utf-8")


def test_footer_carries_the_legal_information_from_config(built_site):
    legal = load_config(REPO).legal
    footer = page(built_site, SEED_URL).select_one("footer.site-footer").get_text(" ", strip=True)
    for value in (legal.licence, legal.agency, legal.editor_in_chief, legal.address):
        assert value in footer


def test_every_internal_reference_resolves_to_a_file(built_site):
    broken = []
    checked = 0
    for file, reference, url in references(built_site):
        if not is_internal(url, SITE_URL):
            continue
        checked += 1
        if not target_file(built_site, url, SITE_URL).is_file():
            broken.append(f"{file.relative_to(built_site)} -> {reference}")
    assert checked > 100
    assert broken == []


def test_pages_make_no_external_requests(built_site):
    for file in built_site.rglob("*.html"):
        soup = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        loaded = [t.get("src") for t in soup.find_all(["img", "script", "source", "iframe"])]
        loaded += [
            t.get("href") for t in soup.find_all("link") if "alternate" not in t.get("rel", [])
        ]
        loaded += [t.get("href") for t in soup.find_all("link", rel="canonical")]
        external = [u for u in loaded if u and re.match(r"^(https?:)?//", u)]
        external = [u for u in external if not u.startswith(SITE_URL)]
        assert external == [], file


@pytest.mark.parametrize("name", ["all.atom.xml", "all.rss.xml"])
def test_site_feeds_parse_without_errors(built_site, name):
    feed = feedparser.parse((built_site / "feeds" / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    links = [entry.link for entry in feed.entries]
    assert f"{SITE_URL}/{SEED_URL}" in links


def test_every_section_has_atom_and_rss_feeds_that_parse(built_site):
    config = load_config(REPO)
    published = {p.name.split(".")[0] for p in (built_site / "chuyen-muc").iterdir()}
    assert published
    for section in config.sections:
        if section.slug not in published:
            continue
        for kind in ("atom", "rss"):
            feed = feedparser.parse((built_site / f"feeds/{section.slug}.{kind}.xml").read_bytes())
            assert not feed.bozo, (section.slug, kind, feed.get("bozo_exception"))
            assert feed.entries


def test_seed_article_page_weight_is_under_30_kb_gzipped(built_site):
    html_file = built_site / SEED_URL / "index.html"
    soup = BeautifulSoup(html_file.read_text("utf-8"), "html.parser")
    files = [html_file]
    files += [
        target_file(built_site, link["href"], "")
        for link in soup.find_all("link", rel="stylesheet")
    ]
    files += [
        target_file(built_site, script["src"], "") for script in soup.find_all("script", src=True)
    ]
    total = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    assert len(files) >= 2
    assert total <= 30 * 1024, total


def test_site_is_in_vietnamese_with_viewport_and_print_stylesheet(built_site):
    html = page(built_site, SEED_URL)
    assert html.find("html")["lang"] == "vi"
    assert html.find("meta", attrs={"name": "viewport"})
    assert html.find("link", rel="stylesheet", media="print")


@pytest.mark.parametrize("name", ["all.atom.xml", "all.rss.xml"])
def test_feeds_carry_the_lead_photo_as_an_enclosure_with_its_size(built_site, name):
    feed = feedparser.parse((built_site / "feeds" / name).read_bytes())
    seed = next(e for e in feed.entries if e.link == f"{SITE_URL}/{SEED_URL}")
    (enclosure,) = seed.enclosures
    assert enclosure.type == "image/jpeg"
    photo = built_site / enclosure.href.removeprefix(SITE_URL + "/")
    assert int(enclosure.length) == photo.stat().st_size
    with_photos = [e for e in feed.entries if e.get("enclosures")]
    assert len(with_photos) >= 10


def test_feed_content_links_and_image_candidates_are_absolute(built_site):
    text = (built_site / "feeds/all.atom.xml").read_text("utf-8")
    assert not re.search(r'(src|href)="/(?!/)', unescape(text))
    for srcset in re.findall(r'srcset="([^"]*)"', unescape(text)):
        assert all(c.strip().startswith(SITE_URL) for c in srcset.split(","))


def test_section_rail_is_on_section_pages_only(built_site):
    """Archives by date, tag and author do not show each section's newest story, so that they
    are not rendered again whenever any section has news (plugins/site_writer/page_keys.py)."""
    assert page(built_site, "chuyen-muc/bien-gioi/").select_one("aside.rail") is not None
    for url in ["chu-de/bien-gioi-viet-nam-lao/", "2022/11/", "tac-gia/dinh-quang/"]:
        listing = page(built_site, url)
        assert listing.select_one("aside.rail") is None, url
        assert listing.select_one(".list-body .story-list, .list-body li"), url


LISTS_WITH_NEWEST = ["chuyen-muc/bien-gioi/", "2022/", "tac-gia/dinh-quang/", "chu-de/vung-bien/"]


@pytest.mark.parametrize("url", LISTS_WITH_NEWEST)
def test_list_page_loads_its_first_story_photo_at_once_and_the_others_lazily(built_site, url):
    """The first story of a list's newest page is drawn large at the top: its photo is the
    page's largest element, which a lazy load would hold back until layout."""
    items = page(built_site, url).select(".story-list.newest > .story-item")
    first = items[0].select_one(".thumb picture > img")
    assert first is not None, "the sample list's newest story has a photo"
    assert first["fetchpriority"] == "high" and not first.has_attr("loading")
    rest = [img for item in items[1:] for img in item.select(".thumb picture > img")]
    assert all(img["loading"] == "lazy" and not img.has_attr("fetchpriority") for img in rest)


def test_older_pages_of_the_front_list_have_their_own_title(built_site):
    site_name = load_config(REPO).site_name
    front = page(built_site, "").title.get_text()
    older = sorted((built_site / "page").glob("*/index.html"))
    assert older, "the samples fill more than one page of the newest list"
    titles = []
    for file in older:
        number = file.parent.name
        html = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        assert html.find("h1").get_text(" ", strip=True) == f"Tin mới – Trang {number}"
        titles.append(html.title.get_text())
        assert titles[-1] == f"Tin mới – Trang {number} – {site_name}"
    assert front not in titles
    assert len(set(titles)) == len(titles)


def test_every_theme_file_a_page_names_carries_its_content_digest(built_site):
    """So a server may let browsers keep /theme/ for good: each name changes with its file."""
    html = (built_site / "index.html").read_text("utf-8")
    named = re.findall(r'(?:href|src)="/theme/([^"?]+)(?:\?v=([0-9a-f]+))?"', html)
    assert {path for path, _ in named} >= {"css/site.css", "css/print.css", "img/logo.svg"}
    for path, version in named:
        digest = hashlib.sha256((built_site / "theme" / path).read_bytes()).hexdigest()
        assert version == digest[:10], path
