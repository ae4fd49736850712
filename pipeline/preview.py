"""`newsroom preview`: show what would be published, never publishing it.

With no ARTICLE, Pelican builds the working copy (drafts included) with
pelicanconf.py into preview/. With ARTICLE, the live site's approved
revisions plus exactly the article's submitted revision are materialized and
built with publishconf.py, gate included, into preview/; ARTICLE may also be
a static page, named as `approve` takes it (pages/lien-he.md), whose
submitted revision then stands in for its approved one. Either way every
page carries the "BẢN NHÁP – CHƯA DUYỆT" banner and noindex, and nothing is
written under releases/.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

from .article import INDEX_NAME, format_datetime, parse_datetime, parse_text
from .build import run_pelican
from .check import ERROR, check_paths, page_address
from .config import load_config
from .files import LockHeld, delete_later, locked, write_atomic
from .manifest import Manifest, article_url
from .page_files import PAGES_DIR, page_paths
from .pages import page_key, page_path
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
from .releases import current_release, new_release_id, release_name
from .workflow import Desk, WorkflowError, now, open_desk, slug_of

PREVIEW_DIR = "preview"
WORKING_COPY_FAILED = "xem trước bản đang viết thất bại"  # the live site is not involved
PREVIEW_CACHE = "preview"  # in the build cache: the preview's staging tree and kept articles
KEYS = "keys"  # in PREVIEW_CACHE: the page keys of the last article preview
LAST = "last.json"  # in PREVIEW_CACHE: which preview preview/ is (`_parked`)


def _replace_dir(built: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(built, target)
    shutil.rmtree(old, ignore_errors=True)


def unbuildable(root: Path) -> list[Path]:
    """What `check` finds errors in, in the working copy: article folders (a photo not added
    yet after an import, no section…) and static page files (a raw `<script>`, a slug that
    clashes…). The working-copy preview leaves them out, so that one unfinished draft does
    not stop everyone's preview."""
    content = load_config(root).content_path
    pages = content / PAGES_DIR
    found = set()
    for finding in check_paths(root, []).findings:
        if finding.severity != ERROR:
            continue
        if pages in finding.path.parents:
            found.add(finding.path)
        elif finding.path.name == INDEX_NAME:
            found.add(finding.path.parent)
    return sorted(found)


def preview_working_copy(root: Path) -> tuple[Path, list[Path]]:
    """The working copy (drafts included) built into preview/, but for the drafts and static
    pages with check errors; returns preview/ and those (article folders, page files)."""
    target = root / PREVIEW_DIR
    built = root / f".{PREVIEW_DIR}-building"
    content = load_config(root).content_path
    left_out = unbuildable(root)
    excludes = [PAGES_DIR]
    overrides: dict = {"ARTICLE_EXCLUDES": excludes}
    for path in left_out:
        if path.suffix == ".md":
            # Pelican excludes folders only: name the pages to read instead, one by one.
            overrides["PAGE_PATHS"] = [
                page.relative_to(content).as_posix()
                for page in page_paths(content)
                if page not in left_out
            ]
        else:
            excludes.append(path.relative_to(content).as_posix())
    shutil.rmtree(built, ignore_errors=True)
    try:
        run_pelican(root, "pelicanconf.py", built, overrides=overrides, failure=WORKING_COPY_FAILED)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)  # a failed preview leaves no half-built site
        raise
    _replace_dir(built, target)
    return target, left_out


def preview_submitted(root: Path, argument: str, actor: str | None) -> str:
    """Build the live site plus the submitted revision of this article or static page (given
    as `approve` takes it); return its URL path."""
    with open_desk(root, actor, need_actor=False) as desk:
        page = page_path(desk, argument)
        if page is not None:
            manifest, pages, url = _with_page(desk, page_key(desk, page))
        else:
            manifest, pages, url = _with_article(desk, argument)
        _build_preview(root, desk.record, manifest, pages)
        return url


def _with_article(desk: Desk, argument: str) -> tuple[Manifest, dict[str, bytes], str]:
    """The site as publish would plan it, the article's submitted revision as if approved."""
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
    return manifest, pages, article_url(slug, parse_datetime(entry.published))


def _with_page(desk: Desk, key: str) -> tuple[Manifest, dict[str, bytes], str]:
    """The site as publish would plan it, the page's submitted revision in place of its
    approved one (publish takes pages as `page_files` gives them: content path -> bytes)."""
    row = desk.record.page(key)
    if row is None or row.state != "submitted":  # an approved page keeps its submitted revision
        raise WorkflowError(f'trang "{key}" chưa gửi duyệt; hãy chạy newsroom submit {key} trước')
    data = desk.record.load_revision(row.submitted_revision).files[INDEX_NAME]
    pages = {**page_files(desk.record), key: data}
    return plan(desk.record, now(), pages), pages, _page_url(key, data)


def _page_url(key: str, data: bytes) -> str:
    """Where the build puts the page: its Url field, or the address of its slug."""
    page = parse_text(data.decode("utf-8"), Path(key))
    url = page.fields.get("Url", "").strip().lstrip("/")
    return url or page_address(page)[1].removesuffix("index.html")


def _date_field(text: str) -> str:
    return parse_text(text, Path("index.md")).fields.get("Date", "")


def _build_preview(root: Path, record: Record, manifest, pages) -> None:
    """As a publish builds: a staging tree of its own written again only where the revisions
    changed since the last preview, articles kept whole between previews, the reader cache
    shared with publish (its entries are named by the bytes read, so an unapproved text is
    only ever read back for the same text), pages whose inputs did not change taken from the
    last article preview (`_parked`), and the search index of every year whose pages index
    the same taken from that preview, or copied from the live release."""
    cache = build_cache(load_config(root))
    own = cache / PREVIEW_CACHE
    with _one_at_a_time(own / "lock"):  # article previews share a staging tree
        _recover(root)
        staging = own / "staging"
        materialize(record, manifest, pages, staging)
        build_id = new_release_id()
        parked = root / f".{PREVIEW_DIR}-previous-{build_id}"
        last = _parked(root / PREVIEW_DIR, parked, own)
        built = root / f".building-{PREVIEW_DIR}-{build_id}"  # beside preview/: one rename
        try:
            build_release(
                root,
                staging,
                built,
                parse_datetime(manifest.at),
                preview=True,
                previous=parked if last else current_release(root),
                reader_cache=cache / "readers",
                page_keys=own / KEYS,
                article_cache=own / ARTICLES_CACHE,
                previous_keys=own / KEYS / f"{last}.json" if last else None,
                copy_search=not last,  # preview/ never shares a file with the live site
            )
            shown = {"keys": release_name(built), "folder": _folder_identity(built)}
            (own / LAST).unlink(missing_ok=True)
            _replace_dir(built, root / PREVIEW_DIR)
            write_atomic(own / LAST, json.dumps(shown).encode())
            for keys in (own / KEYS).iterdir():
                if keys.name != f"{shown['keys']}.json":
                    keys.unlink(missing_ok=True)
        finally:
            shutil.rmtree(built, ignore_errors=True)
            if parked.exists() and not (root / PREVIEW_DIR).exists():
                os.replace(parked, root / PREVIEW_DIR)  # a failed preview leaves the last one
            shutil.rmtree(parked, ignore_errors=True)


@contextmanager
def _one_at_a_time(lock: Path) -> Iterator[None]:
    """The preview lock; an editor whose preview waits for another is told so, once."""
    with ExitStack() as held:
        try:
            held.enter_context(locked(lock, wait=False))
        except LockHeld:
            print("Đang chờ một bản xem trước khác dựng xong…", file=sys.stderr, flush=True)
            held.enter_context(locked(lock))
        yield


def _recover(root: Path) -> None:
    """What an article preview killed half-way left (SIGKILL, a closed terminal): the last
    preview put back where it was parked, if nothing has taken its place, and the rest
    deleted in the background. Called under the preview lock, so none of it is in use."""
    parked = sorted(root.glob(f".{PREVIEW_DIR}-previous-*"))  # ids sort by time
    if parked and not (root / PREVIEW_DIR).exists():
        os.replace(parked.pop(), root / PREVIEW_DIR)
    doomed = [*parked, *root.glob(f".building-{PREVIEW_DIR}-*")]
    if doomed:
        delete_later(doomed)


def _folder_identity(folder: Path) -> list[int]:
    """What changes when a folder is replaced or an entry is added to or removed from it (a
    rename changes only its ctime, so ctime is left out)."""
    stat = folder.stat()
    return [stat.st_dev, stat.st_ino, stat.st_mtime_ns]


def _parked(shown: Path, parked: Path, own: Path) -> str | None:
    """preview/ moved to `parked` for the length of this preview, where nothing else writes;
    the id of the article preview it still is, if it is (its page keys are then good for
    it): the folder has the identity that preview gave it before showing it. A working-copy
    preview replaces the folder, and Pelican writing into it empties it first, which changes
    it. Its pages are taken again by hard link, so nothing may write into preview/ in place;
    nothing does."""
    try:
        os.replace(shown, parked)
    except OSError:
        return None  # no preview yet
    try:
        last = json.loads((own / LAST).read_text("utf-8"))
        same = _folder_identity(parked) == last["folder"]
        found = last["keys"] if same and (own / KEYS / f"{last['keys']}.json").is_file() else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if isinstance(found, str) else None
