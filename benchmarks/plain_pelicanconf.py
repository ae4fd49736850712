"""Plain Pelican, the baseline: the same version, default theme, no plugins.

Dated URLs, pagination 20 with `/page/N/` patterns (the default patterns
crash on a site with 200 tags), and feeds on, as the scale issue asks.
"""

SITENAME = "Baseline"
SITEURL = ""
FEED_DOMAIN = "https://bienphong.example.vn"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
IGNORE_FILES = ["README.md", ".*"]
STATIC_PATHS = ["articles"]
STATIC_EXCLUDES: list[str] = []
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/index.html"
DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
CATEGORY_URL = "chuyen-muc/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
TAG_URL = "chu-de/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
AUTHOR_URL = "tac-gia/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
LOAD_CONTENT_CACHE = False
