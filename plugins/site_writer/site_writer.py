"""Our Pelican writer: stable pagination for every list, feeds with absolute links, and pages
rendered on every core (parallel.py).

Pages link site-root relative (`/2022/11/...`) so the site works on any host
and offline; feed readers need absolute URLs, so feeds get the site's URL.
Feeds carry each article's lead photo as an enclosure with its real size in
bytes, so they are written last, once the photos plugin has published the
photos (its `finalized` receiver runs before ours: PLUGINS order). A section's
feed names its section page as its link and Atom id, and every item keeps its
`tag:` id, which RSS marks as no permalink (readers key on the id).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from feedgenerator import Enclosure
from pelican import signals

from .assets import add_asset_filter
from .pagination import PAGE_URL, newest_first, plan_pages
from .parallel import ParallelWriter, forget_shown_html, render_all

logger = logging.getLogger(__name__)

ROOT_RELATIVE = re.compile(r'(\s(?:src|href)=")/(?!/)')
SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')
ENCLOSURE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}

# Feeds asked for during the build, written at `finalized` (see the module docstring).
_deferred_feeds: list[tuple] = []


def absolutize(html: str, domain: str) -> str:
    """Site-root links and image candidates in `html` made absolute on `domain`."""
    html = ROOT_RELATIVE.sub(rf"\1{domain}/", html)

    def candidates(match: re.Match[str]) -> str:
        parts = [p.strip() for p in match.group(2).split(",")]
        fixed = [domain + p if p.startswith("/") and not p.startswith("//") else p for p in parts]
        return match.group(1) + ", ".join(fixed) + match.group(3)

    return SRCSET.sub(candidates, html)


def _base(url: str | None) -> str:
    """The list's own URL, with a trailing slash (`''` for the front page)."""
    url = (url or "").lstrip("/")
    if url.endswith("index.html"):
        url = url[: -len("index.html")]
    return url


class NewsroomWriter(ParallelWriter):
    _home: str | None = None  # the page the feed being written stands for (`_feed_home`)

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
        articles = (paginated or {}).get("articles", kwargs.get("articles"))
        paginated_templates = self.settings["PAGINATED_TEMPLATES"]
        if template_name not in paginated_templates or articles is None or not name:
            return super().write_file(name, template, context, relative_urls, paginated,
                                      template_name, override_output, url, **kwargs)  # fmt: skip
        per_page = paginated_templates[template_name] or self.settings["DEFAULT_PAGINATION"]
        base = _base(url or name)
        for save_as, listing in plan_pages(list(articles), per_page, base):
            page_url = (
                base
                if listing.number is None
                else PAGE_URL.format(base=base, number=listing.number)
            )
            super().write_file(save_as, template, context, relative_urls, {}, template_name,
                               override_output, page_url, listing=listing, **kwargs)  # fmt: skip
        return None

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):  # fmt: skip
        domain = self.settings["FEED_DOMAIN"]
        items = newest_first(elements)  # as every list: which items make the cut is fixed too
        home = self._feed_home(items, path, domain)
        _deferred_feeds.append((self, home, items, {**context, "SITEURL": domain}, path, url,
                                feed_type, override_output, feed_title))  # fmt: skip

    def _feed_home(self, items, path, domain: str) -> str:
        """The page a feed stands for: its section's page for a section feed, else the site."""
        category = getattr(items[0], "category", None) if items else None
        if category is not None:
            feeds = (
                self.settings.get("CATEGORY_FEED_ATOM"),
                self.settings.get("CATEGORY_FEED_RSS"),
            )
            if path in {str(f).format(slug=category.slug) for f in feeds if f}:
                return f"{domain}/{category.url}"
        return f"{domain}/"

    def write_feed_now(self, home: str, *args) -> None:
        self._home = home
        super().write_feed(*args)

    def _create_new_feed(self, feed_type, feed_title, context):
        feed = super()._create_new_feed(feed_type, feed_title, context)
        if self._home:
            feed.feed["link"] = feed.feed["id"] = self._home  # Atom id and alternate, RSS link
        return feed

    def _add_item_to_the_feed(self, feed, item):
        super()._add_item_to_the_feed(feed, item)
        domain = self.settings["FEED_DOMAIN"]
        added = feed.items[-1]
        # The id is Pelican's tag: URI, as it always was; RSS reads a <guid> as a URL unless
        # told otherwise.
        added["unique_id_is_permalink"] = False
        for key in ("description", "content"):
            if added.get(key):
                added[key] = absolutize(added[key], domain)
        photo = getattr(item, "lead_photo", None)
        if photo is not None:
            added["enclosures"] = [self._enclosure(photo.url, domain)]

    def _enclosure(self, url: str, domain: str) -> Enclosure:
        path = Path(self.output_path) / url.lstrip("/")
        if not path.is_file():
            logger.error("ảnh đại diện %s chưa có trong bản dựng khi ghi feed", url)
            return Enclosure(domain + url, "0", "image/jpeg")
        kind = ENCLOSURE_TYPES.get(path.suffix.lower(), "image/jpeg")
        return Enclosure(domain + url, str(path.stat().st_size), kind)


def use_writer(pelican):
    return NewsroomWriter


def write_feeds(pelican) -> None:
    while _deferred_feeds:
        writer, *arguments = _deferred_feeds.pop(0)
        writer.write_feed_now(*arguments)
        forget_shown_html()


def register() -> None:
    signals.generator_init.connect(add_asset_filter)
    signals.get_writer.connect(use_writer)
    signals.finalized.connect(render_all)  # pages render on every core (parallel.py)
    signals.finalized.connect(write_feeds)
