"""The URL table of DESIGN.md, as Pelican settings. Both configs use it; tests read it."""

from __future__ import annotations

ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
SECTION_URL = "chuyen-muc/{slug}/"
AUTHOR_URL = "tac-gia/{slug}/"
TAG_URL = "chu-de/{slug}/"
PAGE_URL = "{slug}/"
SEARCH_URL = "tim-kiem/"


def _saved(url: str) -> str:
    return url + "index.html"


PELICAN_URLS = {
    "ARTICLE_URL": ARTICLE_URL,
    "ARTICLE_SAVE_AS": _saved(ARTICLE_URL),
    "DRAFT_URL": "ban-nhap/{slug}/",
    "DRAFT_SAVE_AS": "ban-nhap/{slug}/index.html",
    "PAGE_URL": PAGE_URL,
    "PAGE_SAVE_AS": _saved(PAGE_URL),
    "CATEGORY_URL": SECTION_URL,
    "CATEGORY_SAVE_AS": _saved(SECTION_URL),
    "AUTHOR_URL": AUTHOR_URL,
    "AUTHOR_SAVE_AS": _saved(AUTHOR_URL),
    "TAG_URL": TAG_URL,
    "TAG_SAVE_AS": _saved(TAG_URL),
    "YEAR_ARCHIVE_URL": "{date:%Y}/",
    "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
    "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
    "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
    "DAY_ARCHIVE_URL": "{date:%Y}/{date:%m}/{date:%d}/",
    "DAY_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html",
    "INDEX_SAVE_AS": "index.html",
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "FEED_ALL_RSS": "feeds/all.rss.xml",
    "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
    "CATEGORY_FEED_RSS": "feeds/{slug}.rss.xml",
    # No other feeds: one site feed and one per section.
    "FEED_ATOM": None,
    "FEED_RSS": None,
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "TAG_FEED_ATOM": None,
    "TAG_FEED_RSS": None,
    "TRANSLATION_FEED_ATOM": None,
    "TRANSLATION_FEED_RSS": None,
    # The front page and the index pages of sections, authors and tags; no Pelican archive.
    "DIRECT_TEMPLATES": ["index", "categories", "authors", "tags"],
    "CATEGORIES_URL": SECTION_URL.split("{")[0],
    "CATEGORIES_SAVE_AS": _saved(SECTION_URL.split("{")[0]),
    "AUTHORS_URL": AUTHOR_URL.split("{")[0],
    "AUTHORS_SAVE_AS": _saved(AUTHOR_URL.split("{")[0]),
    "TAGS_URL": TAG_URL.split("{")[0],
    "TAGS_SAVE_AS": _saved(TAG_URL.split("{")[0]),
    "ARCHIVES_SAVE_AS": "",
}
