"""`newsroom preview`: show what would be published, never publishing it.

With no ARTICLE, Pelican builds the working copy (drafts included) with
pelicanconf.py into preview/. With ARTICLE, the live site's approved
revisions plus exactly the article's submitted revision are materialized and
built with publishconf.py, gate included, into preview/. Either way every
page carries the "BẢN NHÁP – CHƯA DUYỆT" banner and noindex, and nothing is
written under releases/.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from .article import format_datetime, parse_datetime, parse_text
from .build import run_pelican
from .manifest import article_url
from .publish import build_release, manifest_entry, materialize, page_files, plan
from .record import Record
from .workflow import WorkflowError, now, open_desk, slug_of

PREVIEW_DIR = "preview"


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


def _build_preview(root: Path, record: Record, manifest, pages) -> None:
    with tempfile.TemporaryDirectory(dir=root, prefix=".preview-staging-") as folder:
        staging = Path(folder)
        materialize(record, manifest, pages, staging)
        built = staging / "site"
        build_release(root, staging, built, parse_datetime(manifest.at), preview=True)
        _replace_dir(built, root / PREVIEW_DIR)
