"""Our Pelican writer: stable pagination for every list, feeds with absolute links, and pages
rendered on every core (parallel.py).

Pages link site-root relative (`/2022/11/...`) so the site works on any host
and offline; feed readers need absolute URLs, so feeds get the site's URL.
"""

from __future__ import annotations

import re

from pelican import signals

from .pagination import PAGE_URL, plan_pages
from .parallel import ParallelWriter, render_all

ROOT_RELATIVE = re.compile(r'(\s(?:src|href)=")/(?!/)')


def _base(url: str | None) -> str:
    """The list's own URL, with a trailing slash (`''` for the front page)."""
    url = (url or "").lstrip("/")
    if url.endswith("index.html"):
        url = url[: -len("index.html")]
    return url


class NewsroomWriter(ParallelWriter):
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
        return super().write_feed(elements, {**context, "SITEURL": domain}, path, url,
                                  feed_type, override_output, feed_title)  # fmt: skip

    def _add_item_to_the_feed(self, feed, item):
        super()._add_item_to_the_feed(feed, item)
        domain = self.settings["FEED_DOMAIN"]
        added = feed.items[-1]
        for key in ("description", "content"):
            if added.get(key):
                added[key] = ROOT_RELATIVE.sub(rf"\1{domain}/", added[key])


def use_writer(pelican):
    return NewsroomWriter


def register() -> None:
    signals.get_writer.connect(use_writer)
    signals.finalized.connect(render_all)  # pages render on every core (parallel.py)
