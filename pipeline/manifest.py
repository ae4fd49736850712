"""manifest.json: the seam's one source of workflow facts for the build.

`newsroom publish` writes it beside the staging content tree. For each
article it gives the revision hash and the hash of every file, the
publication and modified times, the corrections and the withdrawn state.
The approval gate checks the content against it; the editorial plugin
renders dates, corrections, withdrawal notices and the featured story from
it. A withdrawn article keeps only what its notice needs: no title, no text.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path

from .article import parse_datetime
from .urls import ARTICLE_URL

MANIFEST_NAME = "manifest.json"
ARTICLES_DIR = "articles"


@dataclass(frozen=True)
class CorrectionNotice:
    date: str  # ISO 8601 with +07:00
    text: str


@dataclass(frozen=True)
class ManifestArticle:
    slug: str
    url: str  # site path, e.g. 2022/11/28/<slug>/
    published: str  # first publication time, ISO 8601 with +07:00
    revision: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # path in the bundle -> SHA-256
    modified: str | None = None
    corrections: tuple[CorrectionNotice, ...] = ()
    withdrawn: bool = False
    withdrawn_at: str | None = None
    featured: bool = False

    @property
    def folder(self) -> str:
        """The bundle's folder in the staging content tree."""
        return f"{ARTICLES_DIR}/{self.slug}"

    @property
    def source_files(self) -> dict[str, str]:
        return {f"{self.folder}/{path}": digest for path, digest in self.files.items()}


@dataclass(frozen=True)
class Manifest:
    at: str  # the publish time that decided what is due
    articles: tuple[ManifestArticle, ...]
    pages: dict[str, str] = field(default_factory=dict)  # content path -> SHA-256

    @property
    def live(self) -> list[ManifestArticle]:
        return [a for a in self.articles if not a.withdrawn]

    @property
    def withdrawn(self) -> list[ManifestArticle]:
        return [a for a in self.articles if a.withdrawn]

    def source_files(self) -> dict[str, str]:
        """Every content file the build may read, with its hash."""
        files = dict(self.pages)
        for article in self.live:
            files.update(article.source_files)
        return files

    def by_source(self) -> dict[str, ManifestArticle]:
        return {f"{a.folder}/index.md": a for a in self.live}

    def same_content(self, other: Manifest | None) -> bool:
        """Whether two manifests publish the same site (the deciding time aside)."""
        return other is not None and (self.articles, self.pages) == (other.articles, other.pages)


@dataclass(frozen=True)
class Changes:
    """What a manifest changes on the site against the one before it, article by article."""

    added: tuple[str, ...]  # slugs live now and not before
    updated: tuple[str, ...]  # live in both, another revision (or notice) now
    removed: tuple[str, ...]  # live before and not now (withdrawn)
    featured: str | None  # the front page's lead, when it is another article now


def changes(before: Manifest | None, after: Manifest) -> Changes:
    was = {a.slug: a for a in before.live} if before is not None else {}
    now = {a.slug: a for a in after.live}

    def lead(articles: dict[str, ManifestArticle]) -> str | None:
        return next((slug for slug, a in articles.items() if a.featured), None)

    def edited(slug: str) -> bool:  # being the lead or not is not an edit of the article
        before, after = was[slug], now[slug]
        if before == after:  # most articles: no copies made (0.1 s at 10,000 articles)
            return False
        return replace(after, featured=False) != replace(before, featured=False)

    return Changes(
        added=tuple(sorted(now.keys() - was.keys())),
        updated=tuple(sorted(slug for slug in now.keys() & was.keys() if edited(slug))),
        removed=tuple(sorted(was.keys() - now.keys())),
        featured=lead(now) if lead(now) != lead(was) else None,
    )


def reverted(before: Manifest | None, after: Manifest) -> tuple[str, ...]:
    """Articles live in both whose text `after` takes back to another approved revision: what
    a rollback undoes of the corrections made since the release it goes back to."""
    was = {a.slug: a.revision for a in before.live} if before is not None else {}
    return tuple(sorted(a.slug for a in after.live if was.get(a.slug, a.revision) != a.revision))


def changed_years(before: Manifest | None, after: Manifest, change: Changes) -> set[str]:
    """The years of the site whose articles `change` adds, edits or takes away (an article
    whose date moved counts in both years)."""
    slugs = {*change.added, *change.updated, *change.removed}
    return {
        article.url[:4]
        for manifest in (before, after)
        if manifest is not None
        for article in manifest.articles
        if article.slug in slugs
    }


def article_url(slug: str, published: datetime) -> str:
    return ARTICLE_URL.format(date=published, slug=slug)


def _fields(value) -> dict:
    """A manifest dataclass as JSON sees it (the shape `asdict` gives, without its deep
    copies: a 10,000-article manifest is written twice per publish)."""
    return {item.name: getattr(value, item.name) for item in fields(value)}


def to_json(manifest: Manifest) -> str:
    """One line (json's C encoder; with `indent` it encodes in Python, ten times slower)."""
    return canonical_json(manifest)


def canonical_json(data) -> str:
    """The manifest's text form, of a Manifest or of the data `json` reads back from it
    (pipeline.manifest_store rebuilds texts with it)."""
    text = json.dumps(
        data, default=_fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return text + "\n"


def from_json(text: str) -> Manifest:
    data = json.loads(text)
    articles = tuple(
        ManifestArticle(
            **{
                **item,
                "corrections": tuple(CorrectionNotice(**c) for c in item.get("corrections", [])),
            }
        )
        for item in data["articles"]
    )
    return Manifest(at=data["at"], articles=articles, pages=data.get("pages", {}))


_last_read: dict[str, tuple[tuple, Manifest]] = {}


def read_manifest(path: Path) -> Manifest:
    """The manifest in `path`. Several plugins read it in one build: the same file (same
    inode, size and times) is parsed once."""
    stat = os.stat(path)
    identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    known = _last_read.get(str(path))
    if known is not None and known[0] == identity:
        return known[1]
    manifest = from_json(path.read_text("utf-8"))
    _last_read.clear()
    _last_read[str(path)] = (identity, manifest)
    return manifest


def withdraw_entry(article: ManifestArticle, withdrawn_at: str) -> ManifestArticle:
    """What stays of a withdrawn article: where it was and when it went."""
    return ManifestArticle(
        slug=article.slug,
        url=article.url,
        published=article.published,
        withdrawn=True,
        withdrawn_at=withdrawn_at,
    )


def apply_withdrawals(manifest: Manifest, withdrawn: dict[str, str]) -> Manifest:
    """An older manifest with every withdrawal made since applied (for rollback)."""
    articles = tuple(
        withdraw_entry(a, withdrawn[a.slug]) if a.slug in withdrawn and not a.withdrawn else a
        for a in manifest.articles
    )
    return replace(manifest, articles=articles)


def published_time(article: ManifestArticle) -> datetime:
    return parse_datetime(article.published)
