"""Sections: the `Section` field as Pelican's category, in the configured order.

Each article's category gets the name and slug from newsroom.toml; an
unknown section stops the build. The front page gets its lead story and one
block per section, and each article its neighbours in the same section. The
index pages of sections, authors and tags (/chuyen-muc/, /tac-gia/, /chu-de/)
get their entries as plain values.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Category

from pipeline.config import Config, Section

logger = logging.getLogger(__name__)

SECTIONS_BLOCK_SIZE = 5


@dataclass
class SectionBlock:
    """One section as the templates see it: its config, its category and its articles."""

    section: Section
    category: Category | None
    articles: list = field(default_factory=list)


def _config(settings) -> Config:
    return settings["NEWSROOM"]


def assign_section(instance) -> None:
    if not isinstance(instance, Article):
        return
    config = _config(instance.settings)
    name = instance.metadata.get("section", "")
    section = config.section_by_name(name) if name else None
    if section is None:
        known = ", ".join(s.name for s in config.sections)
        logger.error(
            '%s: chuyên mục "%s" không có trong newsroom.toml; hãy dùng một trong: %s',
            instance.source_path,
            name,
            known,
        )
        return
    category = Category(section.name, instance.settings)
    category.slug = section.slug
    instance.category = category
    instance.metadata["category"] = category


def link_neighbours(generator) -> None:
    """Each article learns the newer and older article in its own section."""
    for _category, articles in generator.categories:
        ordered = sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)
        for index, article in enumerate(ordered):
            article.section_newer = ordered[index - 1] if index > 0 else None
            article.section_older = ordered[index + 1] if index + 1 < len(ordered) else None


@dataclass
class FrontPage:
    """The front page as the templates see it: the lead story, up to three secondary stories
    with photos (only when the latest list is long enough), and the rest of the latest list."""

    lead: object | None
    secondary: list
    latest: list


FRONT_SECONDARY = 3
FRONT_SECONDARY_MIN_LATEST = 6  # fewer latest stories than this: all go to the "Tin mới" list


def choose_lead(articles: list):
    """The story an editor pinned (`featured`, from the manifest), else the newest with a photo."""
    featured = [a for a in articles if getattr(a, "featured", False)]
    with_photo = [a for a in articles if getattr(a, "lead_photo", None)]
    return (featured or with_photo or articles or [None])[0]


def split_front(newest: list, lead) -> FrontPage:
    latest = [a for a in newest if a is not lead]
    secondary = latest[:FRONT_SECONDARY] if len(latest) >= FRONT_SECONDARY_MIN_LATEST else []
    return FrontPage(lead, secondary, latest[len(secondary) :])


def build_front_page(generator) -> None:
    config = _config(generator.settings)
    by_slug = {category.slug: (category, articles) for category, articles in generator.categories}
    blocks = []
    for section in config.sections:
        category, articles = by_slug.get(section.slug, (None, []))
        newest = sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)
        blocks.append(SectionBlock(section, category, newest[:SECTIONS_BLOCK_SIZE]))
    generator.context["SECTION_BLOCKS"] = blocks
    # The section bar of every page: sections only, so that a page's key (site_writer) does
    # not change with each section's newest articles, which the bar does not show.
    generator.context["SECTION_MENU"] = [SectionBlock(b.section, b.category) for b in blocks]
    generator.context["SECTION_CATEGORIES"] = [b.category for b in blocks if b.category]
    newest = sorted(generator.articles, key=lambda a: (a.date, a.slug), reverse=True)
    lead = choose_lead(newest)
    generator.context["LEAD_STORY"] = lead
    generator.context["FRONT_PAGE"] = split_front(newest[: config.page_size], lead)


@dataclass(frozen=True)
class IndexEntry:
    """One line of an index page: plain values, so that the page's key (site_writer) reads
    no article (it changes only when a count, a name or a URL does)."""

    name: str
    url: str
    count: int


def _entries(pairs, order) -> tuple[IndexEntry, ...]:
    ordered = sorted(pairs, key=lambda pair: order(pair[0]))
    return tuple(IndexEntry(item.name, item.url, len(articles)) for item, articles in ordered)


def build_indexes(generator) -> None:
    """Sections in the configured order; authors and tags by slug (alphabetical, accents
    aside)."""
    places = {section.slug: n for n, section in enumerate(_config(generator.settings).sections)}
    context = generator.context
    context["SECTION_INDEX"] = _entries(generator.categories, lambda c: places.get(c.slug, 0))
    context["AUTHOR_INDEX"] = _entries(generator.authors, lambda a: a.slug)
    context["TAG_INDEX"] = _entries(generator.tags.items(), lambda t: t.slug)


def finalize(generator) -> None:
    link_neighbours(generator)
    build_front_page(generator)
    build_indexes(generator)


def register() -> None:
    signals.content_object_init.connect(assign_section)
    signals.article_generator_finalized.connect(finalize)
