"""Related articles: 3–5 earlier articles that share tags, places or the section.

Only articles published before this one are candidates, so publishing a new
article never changes an older page. Shared tags weigh most, then shared
places; the same section breaks ties and fills the list when too few share
anything. For each tag and place, the most recent RELATED_WINDOW earlier
articles that share it are the candidates.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from pelican import signals

from pipeline.article import parse_list

RELATED_MAX = 5
# Candidates sharing a tag or a place: the most recent this many earlier articles that share
# it. A tag or place shared by hundreds of stories would otherwise make every article weigh
# every other (10,000 articles: 14 million scores); news relates to recent coverage anyway.
RELATED_WINDOW = 40
RELATED_WEIGHTS = {"tag": 3, "place": 2}


def _key(article) -> tuple:
    return (article.date, article.slug)


def _places(article) -> list[str]:
    value = article.metadata.get("places", "")
    return parse_list(value) if isinstance(value, str) else list(value)


def choose_related(articles: list) -> dict[str, list]:
    """slug -> its related articles, best first, drawn only from earlier ones."""
    ordered = sorted(articles, key=_key)
    by_feature: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_section: dict[str, list[int]] = defaultdict(list)
    sections = [article.category.slug for article in ordered]
    related = {}
    # Positions in date order stand for articles: a later position is a later article, so
    # (score, position) ranks as (score, date, slug) did.
    for position, article in enumerate(ordered):
        section = sections[position]
        features = _features(article)
        scores: dict[int, int] = {}
        for feature in features:
            weight = RELATED_WEIGHTS[feature[0]]
            for other in by_feature[feature][-RELATED_WINDOW:]:
                scores[other] = scores.get(other, 0) + weight
        for other in by_section[section][-RELATED_MAX:]:
            scores.setdefault(other, 0)
        ranked = [(score + (sections[other] == section), other) for other, score in scores.items()]
        related[article.slug] = [
            ordered[other] for _rank, other in heapq.nlargest(RELATED_MAX, ranked)
        ]
        for feature in features:
            by_feature[feature].append(position)
        by_section[section].append(position)
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
