"""Development preview: `pelican content` writes the working copy into preview/.

Every setting comes from newsroom.toml through pipeline.config; this file
only turns it into Pelican's vocabulary. publishconf.py builds on it.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from pipeline.config import load_config  # noqa: E402
from pipeline.errors import ConfigError  # noqa: E402
from pipeline.urls import PELICAN_URLS  # noqa: E402

try:
    NEWSROOM = load_config(ROOT)
except ConfigError as error:
    raise SystemExit(str(error)) from None

SITENAME = NEWSROOM.site_name
SITESUBTITLE = NEWSROOM.tagline
SITEURL = ""  # links are site-root relative, so the site works on any host and offline
CANONICAL_SITEURL = NEWSROOM.site_url
FEED_DOMAIN = NEWSROOM.site_url
DEFAULT_LANG = NEWSROOM.language
TIMEZONE = "Asia/Ho_Chi_Minh"

PATH = str(ROOT / "content")
OUTPUT_PATH = str(ROOT / "preview")
DELETE_OUTPUT_DIRECTORY = True
THEME = str(ROOT / "theme")
PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = [
    "house_style",
    "slugs",
    "sections",
    "url_memo",  # each URL formatted once, once slugs and dates are final
    "archive_lists",  # tag, section, author and period lists in one pass (Pelican: one per list)
    "photos",
    "sanitize",
    "abbreviations",
    "packed_content",  # article HTML compressed in memory until its page renders
    "related",
    "sitemaps",
    "news_metadata",
    "site_writer",
]
PLUGINS += ["editorial"]  # dates, corrections, featured story, withdrawals from manifest.json
NEWSROOM_MANIFEST = None  # set by `newsroom publish` (pipeline/publish.py) for each build
NEWSROOM_PREVIEW = True  # every preview page carries the draft banner and noindex

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
ARTICLE_EXCLUDES = ["pages"]
IGNORE_FILES = ["README.md", ".*"]
STATIC_PATHS: list[str] = []
READERS = {"html": None, "rst": None}
ARTICLE_TRANSLATION_ID = None  # no translations: a second article on one slug is an error
PAGE_TRANSLATION_ID = None
DEFAULT_CATEGORY = ""
USE_FOLDER_AS_CATEGORY = False
SLUGIFY_SOURCE = "title"
FORMATTED_FIELDS = ["summary"]
DEFAULT_PAGINATION = NEWSROOM.page_size
PAGINATED_TEMPLATES = {
    "index": None,
    "category": None,
    "author": None,
    "tag": None,
    "period_archives": None,
}
DEFAULT_DATE_FORMAT = "%d/%m/%Y"
# Every value a template prints is escaped unless Python marked it safe HTML (the sanitized
# content and lead, the JSON-LD), so a quote or "<" in a title can never break a page.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
    "autoescape": True,
}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {"smart_quotes": False},
    },
    "output_format": "html5",
}
FEED_MAX_ITEMS = 30
RSS_FEED_SUMMARY_ONLY = True
LOAD_CONTENT_CACHE = False
# Photo renditions are cached between builds outside output/ and releases/ (plugins/photos);
# NEWSROOM_PHOTOS_CACHE lets tests and CI share one cache across project copies.
PHOTOS_CACHE_PATH = os.environ.get("NEWSROOM_PHOTOS_CACHE") or str(ROOT / ".cache" / "renditions")
TYPOGRIFY = False

globals().update(PELICAN_URLS)
