"""Editorial facts from manifest.json: dates, corrections, the featured story, withdrawals.

The article file is the approved revision byte for byte; what the workflow
decided about it comes from the manifest: the publication time (which the
URL uses), the modified time, the "Đính chính" notices, the `featured`
flag (the sections plugin pins that story on the front page), and a short
notice page at the URL of each withdrawn article (which appears in no list,
feed or index, since its text is not in the build at all). Without a
manifest (the preview) it does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pelican import signals
from pelican.contents import Article

from pipeline.article import parse_datetime
from pipeline.manifest import Manifest, ManifestArticle, read_manifest

WITHDRAWN_TEMPLATE = "withdrawn"


@dataclass(frozen=True)
class Correction:
    """One "Đính chính" notice as the templates see it."""

    date: datetime
    text: str


@dataclass(frozen=True)
class WithdrawnNotice:
    withdrawn_at: datetime | None


# What the build in progress needs of its manifest (one build per process, see
# pipeline.pelican_run): the live articles by source path until every article is read (then
# forgotten: 10,000 entries with their file lists), and the withdrawn ones until the end.
_current: dict[str, bool] = {}
_by_source: dict[str, ManifestArticle] = {}
_withdrawn: list[ManifestArticle] = []


def load_manifest(pelican) -> None:
    _current.clear()
    _by_source.clear()
    _withdrawn.clear()
    path = pelican.settings.get("NEWSROOM_MANIFEST")
    if path:
        manifest: Manifest = read_manifest(Path(path))
        _current["managed"] = True
        _by_source.update(manifest.by_source())
        _withdrawn.extend(manifest.withdrawn)


def forget_live_articles(_generator) -> None:
    _by_source.clear()


def apply_manifest(instance) -> None:
    if not _current.get("managed") or not isinstance(instance, Article):
        return
    source = Path(instance.source_path).relative_to(instance.settings["PATH"]).as_posix()
    entry = _by_source.get(source)
    if entry is None:  # the approval gate reports it
        return
    published = parse_datetime(entry.published)
    instance.slug = entry.slug
    instance.date = published
    instance.metadata["date"] = published
    instance.modified = parse_datetime(entry.modified) if entry.modified else published
    instance.corrections = [Correction(parse_datetime(c.date), c.text) for c in entry.corrections]
    instance.featured = entry.featured


def write_withdrawn(generator, writer) -> None:
    if not _current.get("managed"):
        return
    template = generator.get_template(WITHDRAWN_TEMPLATE)
    for entry in _withdrawn:
        notice = WithdrawnNotice(parse_datetime(entry.withdrawn_at) if entry.withdrawn_at else None)
        writer.write_file(
            f"{entry.url}index.html",
            template,
            generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"],
            withdrawn=notice,
        )


@dataclass(frozen=True)
class WithdrawnLink:
    """What a `{filename}` link to a withdrawn article leads to: its notice page."""

    url: str


def answer_withdrawn_links(generator) -> None:
    """`article_generator_finalized`: a link to a withdrawn article by its slug
    (plugins/slugs) leads to the notice at its URL, as the article's old links do; the
    article that links it is not taken off with it."""
    found = generator.context["generated_content"]
    for entry in _withdrawn:
        found.setdefault(f"{entry.folder}/index.md", WithdrawnLink(entry.url))


def register() -> None:
    signals.initialized.connect(load_manifest)
    signals.article_generator_finalized.connect(answer_withdrawn_links)
    signals.content_object_init.connect(apply_manifest)
    signals.article_generator_pretaxonomy.connect(forget_live_articles)
    signals.article_writer_finalized.connect(write_withdrawn)
