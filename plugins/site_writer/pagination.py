"""Stable pagination: older pages numbered from the oldest, so a full page never changes.

A list's own URL shows its newest articles. Its older articles live on
`<list>/page/N/`, where page 1 holds the oldest `page_size` articles, page 2
the next ones, and so on; only full pages exist. A new article therefore
changes the list's own URL and, once a page fills, adds a page; it never
rewrites a page that readers or caches already have.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_URL = "{base}page/{number}/"


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str


@dataclass(frozen=True)
class Listing:
    """One page of a list, as the templates see it."""

    items: list
    number: int | None  # None on the list's own URL (the newest articles)
    base_url: str
    newer_url: str | None
    older_url: str | None
    pages: list[PageLink]  # every older page; filled on the list's own URL only


def newest_first(articles) -> list:
    """Newest first, articles of the same moment by slug: one order for every list and feed,
    whatever order Pelican read them in."""
    return sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)


def plan_pages(articles: list, per_page: int, base: str) -> list[tuple[str, Listing]]:
    """(save_as, listing) for the list's own page and each full older page."""
    ordered = newest_first(articles)
    total = len(ordered)
    full_pages = total // per_page if total > per_page else 0
    links = [
        PageLink(n, "/" + PAGE_URL.format(base=base, number=n)) for n in range(1, full_pages + 1)
    ]

    def url_of(number: int | None) -> str:
        return "/" + base if number is None else links[number - 1].url

    plans = []
    older_front = None
    if total > per_page:
        older_front = url_of((total - 1 - per_page) // per_page + 1)
    front = Listing(ordered[:per_page], None, "/" + base, None, older_front, links)
    plans.append((f"{base}index.html", front))
    for number in range(1, full_pages + 1):
        start = total - number * per_page  # newest-first index of this page's newest article
        listing = Listing(
            items=ordered[start : start + per_page],
            number=number,
            base_url="/" + base,
            newer_url=url_of(number + 1 if number < full_pages else None),
            older_url=url_of(number - 1) if number > 1 else None,
            pages=[],  # only the front lists every page, so a full page's bytes stay put
        )
        plans.append((PAGE_URL.format(base=base, number=number) + "index.html", listing))
    return plans
