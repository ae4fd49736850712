"""`newsroom preview`: show what would be published, never publishing it.

With no ARTICLE, Pelican builds the working copy (drafts included) with
pelicanconf.py into preview/. With ARTICLE, the live site's approved
revisions plus exactly the article's submitted revision are materialized and
built with publishconf.py, gate included, into preview/. Either way every
page carries the "BẢN NHÁP – CHƯA DUYỆT" banner and noindex, and nothing is
written under releases/.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from .article import format_datetime, parse_datetime, parse_text
from .build import run_pelican
from .config import load_config
from .manifest import article_url
from .publish import (
    ARTICLES_CACHE,
    build_cache,
    build_release,
    manifest_entry,
    materialize,
    page_files,
    plan,
)
from .record import Record
from .releases import current_release
from .workflow import WorkflowError, now, open_desk, slug_of

PREVIEW_DIR = "preview"
PREVIEW_CACHE = "preview"  # in the build cache: the preview's staging tree and kept articles


def _replace_dir(built: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(built, target)
    shutil.rmtree(old, ignore_errors=True)


def preview_working_copy(root: Path) -> Path:
    target = root / PREVIEW_DIR
    built = root / f".{PREVIEW_DIR}-building"
    shutil.rmtree(built, ignore_errors=True)
    run_pelican(root, "pelicanconf.py", built)
    _replace_dir(built, target)
    return target


def preview_article(root: Path, argument: str, actor: str | None) -> str:
    """Build the live site plus this article's submitted revision; return its URL path."""
    with open_desk(root, actor, need_actor=False) as desk:
        slug = slug_of(desk, argument)
        row = desk.record.article(slug)
        if row is None or not row.submitted_revision:
            raise WorkflowError(f'bài "{slug}" chưa gửi duyệt; hãy chạy newsroom submit trước')
        revision = desk.record.load_revision(row.submitted_revision)
        date = parse_datetime(_date_field(revision.text))
        candidate = replace(
            row,
            approved_revision=row.submitted_revision,
            publish_at=row.publish_at or format_datetime(date),
            featured_at=None,
        )
        pages = page_files(desk.record)
        manifest = plan(desk.record, now(), pages)
        entry = manifest_entry(desk.record, candidate, None)
        others = tuple(a for a in manifest.articles if a.slug != slug)
        manifest = replace(manifest, articles=(*others, entry))
        _build_preview(root, desk.record, manifest, pages)
        return article_url(slug, parse_datetime(entry.published))


def _date_field(text: str) -> str:
    return parse_text(text, Path("index.md")).fields.get("Date", "")


@contextmanager
def _one_at_a_time(folder: Path) -> Iterator[None]:
    """One article preview at a time (they share a staging tree); the next one waits. The lock
    dies with its process, even on SIGKILL."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_preview(root: Path, record: Record, manifest, pages) -> None:
    """As a publish builds: a staging tree of its own written again only where the revisions
    changed since the last preview, articles kept whole between previews, the reader cache
    shared with publish (its entries are named by the bytes read, so an unapproved text is
    only ever read back for the same text), and the search index of every year whose pages
    index the same taken from the live release. Every page is rendered (each carries the
    preview banner, so none is the live page)."""
    cache = build_cache(load_config(root))
    own = cache / PREVIEW_CACHE
    with _one_at_a_time(own):
        staging = own / "staging"
        materialize(record, manifest, pages, staging)
        built = Path(tempfile.mkdtemp(dir=root, prefix=f".{PREVIEW_DIR}-building-"))
        try:
            build_release(
                root,
                staging,
                built,
                parse_datetime(manifest.at),
                preview=True,
                previous=current_release(root),
                reader_cache=cache / "readers",
                article_cache=own / ARTICLES_CACHE,
            )
            _replace_dir(built, root / PREVIEW_DIR)
        finally:
            shutil.rmtree(built, ignore_errors=True)
