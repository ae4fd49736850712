"""Pelican's archive lists, built in one pass instead of one pass per list.

Pelican 4.12 builds the list of each tag, section and author page by asking,
for every article of the site, whether it is in that page's list (`a in
articles` on a plain list), and each year, month and day archive by walking
every article of the site. At 10,000 articles that is about 6 s of a build
spent comparing objects, in every publish (and more with day archives,
which plain Pelican does not make). Here the lists that Pelican fills answer
`in` from a set of identities (articles compare by identity), and period
archives are filled from one walk, and each tag's date-ordered list from one
index of the site's order. Pelican still does all the grouping,
naming and ordering; the results are the same lists, which the tests check
against Pelican's own code.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.writers import FileOverwriteFailedError

logger = logging.getLogger(__name__)


class Members(list):
    """A list whose `in` looks up identities in a set, kept in step with every change."""

    __slots__ = ("_ids",)

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self._ids: set[int] | None = None

    def __contains__(self, item) -> bool:
        if self._ids is None:
            self._ids = {id(member) for member in self}
        if id(item) in self._ids:
            return True
        # equal but not identical (values that define ==): what a list answers
        return type(item).__eq__ is not object.__eq__ and list.__contains__(self, item)


def _changing(name: str):
    method = getattr(list, name)

    def change(self, *args):
        self._ids = None
        return method(self, *args)

    change.__name__ = name
    return change


for _name in (
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "clear",
    "__setitem__",
    "__delitem__",
    "__iadd__",
    "__imul__",
):
    setattr(Members, _name, _changing(_name))


def use_members(generator) -> None:
    """Before Pelican sorts articles into tags, sections and authors."""
    for name in ("tags", "categories", "authors"):
        found = getattr(generator, name, None)
        if isinstance(found, dict):
            members = {key: Members(listed) for key, listed in found.items()}
            setattr(generator, name, defaultdict(Members, members))


_pelican_period_archives = ArticlesGenerator._build_period_archives


def period_archives(self, sorted_articles, articles, settings):
    """Pelican's period archives; each archive's `articles` filled from one walk of the site."""
    archives = _pelican_period_archives(self, sorted_articles, [], settings)
    for periods in archives.values():
        holding: dict[int, list[list]] = defaultdict(list)
        for archive in periods:
            for article in archive["dates"]:
                holding[id(article)].append(archive["articles"])
        for article in articles:
            for listed in holding.get(id(article), ()):
                listed.append(article)
    return archives


ArticlesGenerator._build_period_archives = period_archives
_pelican_generate_tags = ArticlesGenerator.generate_tags


def generate_tags(self, write) -> None:
    """Pelican's tag pages, each with its `dates` (the tag's articles in the order of the
    site's `dates`) taken from one index of that order: Pelican tests every article of the
    site for each tag (200 tags and 10,000 articles: two million tests)."""
    place = {id(article): number for number, article in enumerate(self.dates)}
    template = self.get_template("tag")
    for tag, articles in self.tags.items():
        numbers = sorted({place[id(a)] for a in articles if id(a) in place})
        dates = [self.dates[number] for number in numbers]
        try:
            write(tag.save_as, template, self.context, tag=tag, url=tag.url, articles=articles,
                  dates=dates, template_name="tag", blog=True, page_name=tag.page_name,
                  all_articles=self.articles)  # fmt: skip
        except FileOverwriteFailedError:
            if tag.slug:  # as Pelican: a tag whose slug is empty has no page of its own
                logger.error('Failed to write Tag page for "%s".', tag)
                raise
            logger.info('Tag "%s" has an invalid slug; skipping writing tag page...', tag)


ArticlesGenerator.generate_tags = generate_tags


def register() -> None:
    signals.article_generator_pretaxonomy.connect(use_members)
