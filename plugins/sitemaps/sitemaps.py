"""Sitemaps: an index, one sitemap per year of articles, one for lists and pages, and news.

Each sitemap holds at most 50,000 URLs (a year with more is split into
numbered parts). The Google News sitemap lists only the articles of the two
days before the publish time, at most 1,000, with their original times.
robots.txt points to the index and the news sitemap. Nothing here depends
on the wall clock, so the same content gives the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from pelican import signals

from pipeline.article import format_datetime
from pipeline.timeline import publish_time

SITEMAPS_MAX_URLS = 50_000
SITEMAPS_NEWS_MAX = 1_000
SITEMAPS_NEWS_WINDOW = timedelta(days=2)
SITEMAPS_DIR = "sitemaps"
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{extra}>\n'
NEWS_NS = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
INDEX_URLS = ("CATEGORIES_URL", "AUTHORS_URL", "TAGS_URL")  # settings, in the context too


def _url_entry(location: str, lastmod: str | None) -> str:
    modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(location)}</loc>{modified}</url>\n"


def _urlset(entries: list[str], extra: str = "") -> str:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' + URLSET.format(extra=extra)
    return head + "".join(entries) + "</urlset>\n"


def _modified(article) -> str:
    return format_datetime(getattr(article, "modified", None) or article.date)


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)] or [[]]


def article_sitemaps(site_url: str, articles: list) -> dict[str, str]:
    """`sitemaps/YYYY.xml` (or `YYYY-N.xml` past 50,000) -> its XML."""
    by_year: dict[int, list] = defaultdict(list)
    for article in sorted(articles, key=lambda a: (a.date, a.slug)):
        by_year[article.date.year].append(article)
    files = {}
    for year, items in sorted(by_year.items()):
        parts = _chunks(items, SITEMAPS_MAX_URLS)
        for number, part in enumerate(parts, start=1):
            name = f"{year}.xml" if len(parts) == 1 else f"{year}-{number}.xml"
            entries = [_url_entry(f"{site_url}/{a.url}", _modified(a)) for a in part]
            files[f"{SITEMAPS_DIR}/{name}"] = _urlset(entries)
    return files


def news_sitemap(site_url: str, site_name: str, articles: list, now) -> str:
    """The articles of the two days before `now`, newest first, at most 1,000."""
    recent = [a for a in articles if now - SITEMAPS_NEWS_WINDOW <= a.date <= now]
    recent = sorted(recent, key=lambda a: (a.date, a.slug), reverse=True)[:SITEMAPS_NEWS_MAX]
    entries = [
        f"<url><loc>{escape(f'{site_url}/{a.url}')}</loc><news:news><news:publication>"
        f"<news:name>{escape(site_name)}</news:name><news:language>vi</news:language>"
        f"</news:publication><news:publication_date>{format_datetime(a.date)}"
        f"</news:publication_date><news:title>{escape(a.title)}</news:title></news:news></url>\n"
        for a in recent
    ]
    return _urlset(entries, NEWS_NS)


def list_sitemap(site_url: str, context: dict) -> str:
    """The front page, sections, the index pages of sections, authors and tags, and static
    pages: the entry points of the site."""
    urls = [f"{site_url}/"]
    urls += [f"{site_url}/{category.url}" for category, _ in context.get("categories", [])]
    urls += [f"{site_url}/{context[name]}" for name in INDEX_URLS if context.get(name)]
    urls += [f"{site_url}/{page.url}" for page in context.get("pages", [])]
    return _urlset([_url_entry(url, None) for url in urls])


def sitemap_index(site_url: str, names: list[str]) -> str:
    entries = "".join(f"<sitemap><loc>{escape(f'{site_url}/{n}')}</loc></sitemap>\n" for n in names)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</sitemapindex>\n"
    )


def robots(site_url: str) -> str:
    return (
        "User-agent: *\nAllow: /\n"
        f"Sitemap: {site_url}/sitemap.xml\nSitemap: {site_url}/{SITEMAPS_DIR}/news.xml\n"
    )


def write_sitemaps(generators) -> None:
    articles_generator = next(g for g in generators if hasattr(g, "articles"))
    settings = articles_generator.settings
    config = settings["NEWSROOM"]
    site_url = config.site_url
    articles = articles_generator.articles
    context = articles_generator.context
    files = article_sitemaps(site_url, articles)
    files[f"{SITEMAPS_DIR}/trang.xml"] = list_sitemap(site_url, context)
    now = publish_time(settings, articles)
    if now is not None:
        files[f"{SITEMAPS_DIR}/news.xml"] = news_sitemap(site_url, config.site_name, articles, now)
    files["sitemap.xml"] = sitemap_index(site_url, sorted(files))
    files["robots.txt"] = robots(site_url)
    output = Path(settings["OUTPUT_PATH"])
    for name, text in files.items():
        target = output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")


def register() -> None:
    signals.all_generators_finalized.connect(write_sitemaps)
