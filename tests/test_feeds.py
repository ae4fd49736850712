"""What feed readers get: each feed names the page it stands for, and each item keeps its id."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.config import load_config
from tests.helpers import REPO

CONFIG = load_config(REPO)
SITE_URL = CONFIG.site_url
ATOM = "{http://www.w3.org/2005/Atom}"


def _sections(built_site: Path) -> list[str]:
    slugs = [s.slug for s in CONFIG.sections if (built_site / f"feeds/{s.slug}.atom.xml").is_file()]
    assert slugs
    return slugs


def _rss_feeds(built_site: Path) -> list[Path]:
    return sorted((built_site / "feeds").glob("*.rss.xml"))


def test_every_rss_guid_is_a_tag_uri_marked_as_no_permalink(built_site):
    """RSS 2.0 reads a <guid> as the item's URL unless isPermaLink="false"; ours are tag: ids."""
    feeds = _rss_feeds(built_site)
    assert len(feeds) > 1  # the site feed and the section feeds
    for feed in feeds:
        guids = ET.parse(feed).getroot().findall("channel/item/guid")
        assert guids, feed.name
        for guid in guids:
            assert guid.text.startswith("tag:"), (feed.name, guid.text)
            assert guid.get("isPermaLink") == "false", (feed.name, guid.text)


def test_rss_guid_is_the_atom_entry_id_taken_from_the_article_url_and_date(built_site):
    """The ids stay what they always were, so feed readers do not show every item again."""
    atom = ET.parse(built_site / "feeds/all.atom.xml").getroot()
    atom_ids = {
        entry.find(f"{ATOM}link").get("href"): entry.find(f"{ATOM}id").text
        for entry in atom.findall(f"{ATOM}entry")
    }
    items = ET.parse(built_site / "feeds/all.rss.xml").getroot().findall("channel/item")
    assert items
    host = urlsplit(SITE_URL).hostname
    for item in items:
        link, guid = item.findtext("link"), item.findtext("guid")
        path = urlsplit(link).path
        day = "-".join(path.strip("/").split("/")[:3])  # /YYYY/MM/DD/<slug>/
        assert guid == f"tag:{host},{day}:{path}"
        assert atom_ids[link] == guid


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_site_feed_stands_for_the_front_page(built_site, kind):
    root = ET.parse(built_site / f"feeds/all.{kind}.xml").getroot()
    if kind == "atom":
        assert root.find(f"{ATOM}id").text == f"{SITE_URL}/"
        assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE_URL}/"
    else:
        assert root.findtext("channel/link") == f"{SITE_URL}/"


def test_section_atom_feed_id_and_alternate_link_are_its_section_page(built_site):
    ids = set()
    for slug in _sections(built_site):
        root = ET.parse(built_site / f"feeds/{slug}.atom.xml").getroot()
        section_page = f"{SITE_URL}/chuyen-muc/{slug}/"
        assert root.find(f"{ATOM}id").text == section_page
        assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == section_page
        assert (built_site / f"chuyen-muc/{slug}/index.html").is_file()
        ids.add(root.find(f"{ATOM}id").text)
    assert len(ids) == len(_sections(built_site))  # no two feeds share an id


def test_section_rss_feed_links_its_section_page(built_site):
    for slug in _sections(built_site):
        channel = ET.parse(built_site / f"feeds/{slug}.rss.xml").getroot().find("channel")
        assert channel.findtext("link") == f"{SITE_URL}/chuyen-muc/{slug}/"
