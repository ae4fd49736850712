"""Related articles: 3–5 earlier articles that share tags, places or the section.

Only articles published before this one are candidates, so publishing a new
article never changes an older page. Shared tags weigh most, then shared
places; the same section breaks ties and fills the list when too few share
anything. For each tag and place, the most recent RELATED_WINDOW earlier
articles that share it are the candidates.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections import defaultdict
from pathlib import Path

from pelican import signals

from pipeline.article import parse_list
from pipeline.files import write_atomic

RELATED_MAX = 5
# Candidates sharing a tag or a place: the most recent this many earlier articles that share
# it. A tag or place shared by hundreds of stories would otherwise make every article weigh
# every other (10,000 articles: 14 million scores); news relates to recent coverage anyway.
RELATED_WINDOW = 40
RELATED_WEIGHTS = {"tag": 3, "place": 2}
# Where each article's list is kept between builds, for the build (code and settings) with
# this key: pipeline/publish.py sets both.
RELATED_CACHE_PATH = ""
RELATED_CACHE_BUILD = ""
FORMAT = 1


def _key(article) -> tuple:
    return (article.date, article.slug)


def _places(article) -> list[str]:
    value = article.metadata.get("places", "")
    return parse_list(value) if isinstance(value, str) else list(value)


def choose_related(articles: list, kept: dict[str, list] | None = None) -> dict[str, list]:
    """slug -> its related articles, best first, drawn only from earlier ones.

    An article's list depends only on its own section and features and on the articles
    before it, in order, with theirs: `_Prefix` keys it by exactly that. With `kept` (slug ->
    [key, related slugs], from an earlier build), an article whose key is unchanged takes its
    list from there, not from scoring; `kept` is left holding every article's."""
    ordered = sorted(articles, key=_key)
    by_feature: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_section: dict[str, list[int]] = defaultdict(list)
    sections = [article.category.slug for article in ordered]
    by_slug = {article.slug: article for article in ordered}
    before = dict(kept or {})
    prefix = _Prefix()
    related = {}
    # Positions in date order stand for articles: a later position is a later article, so
    # (score, position) ranks as (score, date, slug) did.
    for position, article in enumerate(ordered):
        section = sections[position]
        features = _features(article)
        key = prefix.add(article.slug, section, features)
        known = before.get(article.slug)
        if known is not None and known[0] == key and all(s in by_slug for s in known[1]):
            related[article.slug] = [by_slug[slug] for slug in known[1]]
            for feature in features:
                by_feature[feature].append(position)
            by_section[section].append(position)
            continue
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
    if kept is not None:
        kept.clear()
        kept.update(
            (a.slug, [k, [other.slug for other in related[a.slug]]])
            for a, k in zip(ordered, prefix.keys, strict=True)
        )
    return related


class _Prefix:
    """Keys of the articles in date order: each covers the article's slug, section and
    features and, through the key before it, those of every earlier article."""

    def __init__(self) -> None:
        self.state = b""
        self.keys: list[str] = []

    def add(self, slug: str, section: str, features: list) -> str:
        own = repr((slug, section, features)).encode("utf-8", "surrogatepass")
        self.state = hashlib.blake2b(self.state + own, digest_size=16).digest()
        self.keys.append(self.state.hex())
        return self.keys[-1]


def _features(article) -> list[tuple[str, str]]:
    features = [("tag", tag.slug) for tag in getattr(article, "tags", [])]
    return features + [("place", place) for place in _places(article)]


def attach_related(generator) -> None:
    settings = generator.settings
    path, build = settings.get("RELATED_CACHE_PATH"), settings.get("RELATED_CACHE_BUILD")
    kept = _load(path, build) if path and build else None
    before = dict(kept) if kept is not None else None
    related = choose_related(generator.articles, kept)
    for article in generator.articles:
        article.related = related.get(article.slug, [])
    if kept is not None and kept != before:
        _save(path, build, kept)


def _load(path: str, build: str) -> dict[str, list]:
    """The kept lists of the build `build`; lost, damaged or another build's: none."""
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
        if data["format"] == FORMAT and data["build"] == build:
            return dict(data["articles"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return {}


def _save(path: str, build: str, kept: dict[str, list]) -> None:
    try:
        write_atomic(
            Path(path),
            json.dumps({"format": FORMAT, "build": build, "articles": kept}).encode("utf-8"),
        )
    except OSError:
        pass  # only the next build's time is lost


def register() -> None:
    signals.article_generator_finalized.connect(attach_related)
