"""URL slugs: python-slugify everywhere, the `Slug` field kept, and no two pages on one URL.

An article links another by its slug: `{filename}/articles/<slug>/index.md`. That
is the other article's path in the tree a publish builds (pipeline/publish.py
stages each article as `articles/<slug>/`); in the working copy, where articles
sit in `articles/YYYY/MM/<slug>/`, each article (and draft) also answers to that
path, so one link works in every build. A withdrawn article's link leads to its
notice (plugins/editorial). A link to an article that this build does not
publish (not due yet, never approved) shows as its text alone, until a build
publishes that article: it never names an embargoed story's address, and one
article's link never stops a publish of all the others.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from collections import defaultdict
from html import unescape
from urllib.parse import unquote, urlparse

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from pipeline.manifest import ARTICLES_DIR
from pipeline.slugs import make_slug

logger = logging.getLogger(__name__)


def fill_slug(generator, metadata: dict) -> None:
    """An article without a `Slug` field gets one from its title, as `newsroom new` would."""
    if not metadata.get("slug") and metadata.get("title"):
        metadata["slug"] = make_slug(metadata["title"])


def slugify_taxonomies(generator) -> None:
    """Authors and tags get python-slugify slugs, the same ones the pipeline computes."""
    for article in generator.articles:
        for wrapper in [*getattr(article, "authors", []), *getattr(article, "tags", [])]:
            wrapper.slug = make_slug(wrapper.name)


def _report_collisions(items) -> None:
    by_url: dict[str, list] = defaultdict(list)
    for item in items:
        by_url[item.save_as].append(item)
    for url, same in sorted(by_url.items()):
        if len(same) > 1:
            first, second = same[0].source_path, same[1].source_path
            logger.error(
                '%s: slug "%s" trùng với %s (cùng địa chỉ %s); hãy đổi trường Slug của một bài',
                second,
                same[1].slug,
                first,
                url,
            )


def check_collisions(generators) -> None:
    """Pelican would silently let one article overwrite another; we stop the build instead."""
    items = []
    for generator in generators:
        items += getattr(generator, "articles", []) + getattr(generator, "drafts", [])
        items += getattr(generator, "pages", []) + getattr(generator, "hidden_pages", [])
    _report_collisions(items)


def by_slug(article) -> str:
    """The path an article answers to in `{filename}` links."""
    return f"{ARTICLES_DIR}/{article.slug}/index.md"


def link_by_slug(generators) -> None:
    """`all_generators_finalized` (pages are known too, links not yet resolved): every
    article and draft answers to its slug's path, and a `{filename}` link, in an article or
    a page, to no item of this build becomes its text."""
    if not generators:
        return
    articles = [a for g in generators if isinstance(g, ArticlesGenerator) for a in g.articles]
    drafts = [a for g in generators if isinstance(g, ArticlesGenerator) for a in g.drafts]
    pages = [
        p for g in generators if isinstance(g, PagesGenerator) for p in [*g.pages, *g.hidden_pages]
    ]
    found = generators[0].context["generated_content"]
    for article in [*articles, *drafts]:
        found.setdefault(by_slug(article), article)
    for item in [*articles, *drafts, *pages]:
        missing = {
            written
            for written, candidates in _file_links(item)
            if all(found.get(candidate) is None for candidate in candidates)
        }
        if missing:
            _unlink(item, missing)


LINK = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*(["'])[{|]filename[|}](?P<value>.*?)\1[^>]*>(?P<text>.*?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)


def _unlink(item, missing: set[str]) -> None:
    """Each link of the item's HTML (and summary) to a path of `missing`, as its text."""

    def text(match: re.Match[str]) -> str:
        return (
            match.group("text")
            if urlparse(match.group("value")).path in missing
            else match.group(0)
        )

    packed = vars(item).get("_get_content")
    if packed is not None:
        item._get_content = type(packed)(LINK.sub(text, packed()), packed.links_by_source)
    elif isinstance(vars(item).get("_content"), str):
        item._content = LINK.sub(text, item._content)
    if isinstance(vars(item).get("_summary"), str):
        item._summary = LINK.sub(text, item._summary)
    if isinstance(item.metadata.get("summary"), str):
        item.metadata["summary"] = LINK.sub(text, item.metadata["summary"])


def _file_links(article) -> list[tuple[str, list[str]]]:
    """Each `{filename}` link of the article, with the content paths Pelican looks it up by
    (from the content root when it starts with "/", else from the article's folder; as
    written, then unquoted)."""
    packed = vars(article).get("_get_content")
    if packed is not None and not getattr(packed, "links_by_source", True):
        texts = []  # plugins/packed_content found no such link when it packed the HTML
    else:
        texts = [packed() if packed is not None else getattr(article, "_content", "")]
    summary = vars(article).get("_summary")
    texts += [summary] if isinstance(summary, str) else []
    regex = article._get_intrasite_link_regex()
    targets = []
    for text in texts:
        for match in regex.finditer(text or ""):
            if match.group("what") != "filename":
                continue
            written = urlparse(match.group("value")).path
            forms = (written, unquote(written), urlparse(unescape(match.group("value"))).path)
            targets.append((written, [_resolved(article, form) for form in forms]))
    return targets


def _resolved(article, path: str) -> str:
    if path.startswith("/"):
        return path[1:]
    folder = os.path.dirname(article.relative_source_path).replace(os.sep, "/")
    return posixpath.normpath(posixpath.join(folder, path))


def register() -> None:
    signals.all_generators_finalized.connect(link_by_slug)
    signals.article_generator_context.connect(fill_slug)
    signals.page_generator_context.connect(fill_slug)
    signals.article_generator_pretaxonomy.connect(slugify_taxonomies)
    signals.all_generators_finalized.connect(check_collisions)
