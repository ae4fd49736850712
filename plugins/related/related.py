"""Related articles: 3–5 earlier articles that share tags, places or the section.

Only articles published before this one are candidates, so publishing a new
article never changes an older page. Shared tags weigh most, then shared
places; the same section breaks ties and fills the list when too few share
anything.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict

from pelican import signals

from pipeline.article import parse_list

RELATED_MAX = 5
RELATED_WEIGHTS = {"tag": 3, "place": 2}


def _key(article) -> tuple:
    return (article.date, article.slug)


def _places(article) -> list[str]:
    value = article.metadata.get("places", "")
    return parse_list(value) if isinstance(value, str) else list(value)


def choose_related(articles: list) -> dict[str, list]:
    """slug -> its related articles, best first, drawn only from earlier ones."""
    ordered = sorted(articles, key=_key)
    rank = {id(a): index for index, a in enumerate(ordered)}
    by_feature: dict[tuple[str, str], list] = defaultdict(list)
    by_section: dict[str, list] = defaultdict(list)
    section_rank: dict[int, int] = {}
    for article in ordered:
        for feature in _features(article):
            by_feature[feature].append(article)
        section_rank[id(article)] = len(by_section[article.category.slug])
        by_section[article.category.slug].append(article)
    related = {}
    for article in ordered:
        here, section = rank[id(article)], article.category.slug
        scores: Counter = Counter()
        candidates = {}
        for feature in _features(article):
            for other in by_feature[feature]:
                if rank[id(other)] >= here:
                    break  # lists are in date order: the rest are later
                scores[id(other)] += RELATED_WEIGHTS[feature[0]]
                candidates[id(other)] = other
        position = section_rank[id(article)]
        for other in by_section[section][max(0, position - RELATED_MAX) : position]:
            candidates[id(other)] = other
        # The best RELATED_MAX, as sorting all of them would give (keys are unique), without
        # sorting the hundreds that share a place on a large site.
        related[article.slug] = heapq.nlargest(
            RELATED_MAX,
            candidates.values(),
            key=lambda c: (scores[id(c)] + (c.category.slug == section), _key(c)),
        )
    return related


def _features(article) -> list[tuple[str, str]]:
    features = [("tag", tag.slug) for tag in getattr(article, "tags", [])]
    return features + [("place", place) for place in _places(article)]


def attach_related(generator) -> None:
    related = choose_related(generator.articles)
    for article in generator.articles:
        article.related = related.get(article.slug, [])


def register() -> None:
    signals.article_generator_finalized.connect(attach_related)
