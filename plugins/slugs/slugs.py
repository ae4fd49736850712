"""URL slugs: python-slugify everywhere, the `Slug` field kept, and no two pages on one URL."""

from __future__ import annotations

import logging
from collections import defaultdict

from pelican import signals

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


def register() -> None:
    signals.article_generator_context.connect(fill_slug)
    signals.page_generator_context.connect(fill_slug)
    signals.article_generator_pretaxonomy.connect(slugify_taxonomies)
    signals.all_generators_finalized.connect(check_collisions)
