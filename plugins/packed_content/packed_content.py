"""Article HTML kept compressed in memory from reading to rendering.

A build holds every article of the site until it ends, but shows an
article's HTML only on that article's page and in the feeds. At 10,000
articles the HTML alone is about 70 MB of Python strings; compressed, about
a quarter of that. An article is packed once every plugin that changes its
HTML has run on it (sanitize, abbreviations, all on `content_object_init`,
in no fixed order): when the next article is read, or when reading ends.
Pelican unpacks it through its own hook, `_get_content`, when a page or a
feed shows it. The packed bytes are an attribute of the article, so page
keys still see the HTML change.
"""

from __future__ import annotations

import zlib

from pelican import signals
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

LEVEL = 1  # the fastest: packing 10,000 articles costs about 0.6 s, unpacking one 30 µs

_waiting: list[Article] = []  # read, with plugins possibly still to run on it


class PackedHTML:
    """An article's HTML as compressed UTF-8; called, it gives the HTML back. It also says
    whether the HTML links other content by its source (`{filename}…`), which Pelican
    resolves only as a page shows it (plugins/site_writer/page_keys.py)."""

    def __init__(self, html: str, links_by_source: bool) -> None:
        self.data = zlib.compress(html.encode("utf-8", "surrogatepass"), LEVEL)
        self.links_by_source = links_by_source

    def __call__(self) -> str:
        return zlib.decompress(self.data).decode("utf-8", "surrogatepass")


def _marked(html: str, settings) -> bool:
    """Whether the HTML may hold a `{filename}`-style link at all (with Pelican's default
    marks, `{…}` or `|…|`: most articles have neither, and are not searched)."""
    if settings.get("INTRASITE_LINK_REGEX") != DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]:
        return True
    return "{" in html or "|" in html


def pack(article: Article) -> None:
    html = article._content
    if not isinstance(html, str) or not html or "_get_content" in vars(article):
        return
    links = (
        _marked(html, article.settings)
        and article._get_intrasite_link_regex().search(html) is not None
    )
    article._get_content = PackedHTML(html, links)
    article._content = ""


def pack_waiting(*_args, **_kwargs) -> None:
    while _waiting:
        pack(_waiting.pop())


def wait_to_pack(instance) -> None:
    """The article read before this one has had every plugin run on it: pack that one."""
    pack_waiting()
    if isinstance(instance, Article):
        _waiting.append(instance)


def register() -> None:
    signals.content_object_init.connect(wait_to_pack)
    signals.article_generator_pretaxonomy.connect(pack_waiting)
