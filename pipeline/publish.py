"""`newsroom publish`: the only way the public site is built.

Under one lock, a publish is a straight list of stages:
1. plan which approved revisions are due (and which are withdrawn) and
   materialize exactly those from the record into a staging content tree
   with manifest.json;
2. build a new release with publishconf.py, whose approval gate fails the
   build on any file that differs from the manifest;
3. verify the release: no broken internal reference, nothing unapproved;
4. switch `output` to it with one rename, and record what went live.
A failure or a SIGKILL at any stage leaves `output` as it was; leftovers
are removed by the next publish. `rollback` switches back to the previous
release when its files still match the digest recorded when it was verified,
and otherwise (or to re-apply withdrawals made since) rebuilds it from the
record's approved revisions.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from . import processes, release_files
from .article import format_datetime, in_date_range, out_of_range, parse_datetime
from .article_files import file_identity
from .build import discard_pelican, prepare_pelican, run_pelican
from .build_inputs import code_digest, inputs_key, remember, unchanged
from .config import Config, load_config
from .errors import NewsroomError, os_reason
from .faults import AFTER_SWITCH, fault_point
from .files import LockHeld, link_atomic, locked, write_atomic
from .manifest import (
    MANIFEST_NAME,
    Changes,
    CorrectionNotice,
    Manifest,
    ManifestArticle,
    apply_withdrawals,
    article_url,
    changed_years,
    changes,
    from_json,
    reverted,
    to_json,
    withdraw_entry,
)
from .pages import approved_pages
from .processes import start_stats, step, write_stats
from .record import (
    ArticleRecord,
    Correction,
    PendingRelease,
    PreparedManifest,
    Record,
    record_trouble,
    require_record,
)
from .record_watch import RecordWatch
from .releases import (
    KEEP_RELEASES,
    current_release,
    list_releases,
    new_release_id,
    promote,
    prune,
    release_name,
    staging_dir,
    switch_to,
    tree_digest,
)
from .revisions import file_hash, revision_hash, short
from .search import SEARCH_DIR, index_changed
from .staff import PermissionDenied, resolve_actor
from .verify import unapproved_in_year, verify_beside, verify_later
from .workflow import WorkflowError, now

LOCK_NAME = "publish.lock"
# Tests that simulate the clock set this to publish "as at" a future moment; never in production,
# where a future --at would break every embargo before its time.
FUTURE_AT_VARIABLE = "NEWSROOM_ALLOW_FUTURE_AT"

T = TypeVar("T")


class PublishBusy(NewsroomError):
    """Another publish holds the lock."""

    exit_code = 75


@dataclass(frozen=True)
class PublishResult:
    release: Path
    manifest: Manifest
    changes: Changes | None = None  # against the release that was live before
    notes: tuple[str, ...] = ()  # housekeeping after the switch that did not get done

    def summary(self) -> str:
        """The articles live, and which ones this release added, changed or took off."""
        parts = []
        if self.changes is not None:
            for label, slugs in (
                ("mới", self.changes.added),
                ("sửa", self.changes.updated),
                ("gỡ", self.changes.removed),
            ):
                if slugs:
                    parts.append(f"{label} {len(slugs)}: {some(slugs)}")
            if self.changes.featured:
                parts.append(f"bài đinh: {self.changes.featured}")
        what = "; ".join(parts) or "không bài nào thay đổi"
        return f"{len(self.manifest.live)} bài ({what})"


SHOWN_SLUGS = 3  # a publish line names at most this many articles of each kind


def some(slugs: Sequence[str], shown: int = SHOWN_SLUGS) -> str:
    """The first `shown` of `slugs`, and how many more: a line an editor reads whole."""
    more = len(slugs) - shown
    return ", ".join(slugs[:shown]) + (f" và {more} bài khác" if more > 0 else "")


@contextmanager
def publish_lock(config: Config, wait: bool = False) -> Iterator[None]:
    """One publish (or rollback) at a time; the lock dies with its process, even on SIGKILL."""
    path = config.record_path.parent / LOCK_NAME
    try:
        with locked(path, wait):
            yield
    except LockHeld:
        raise PublishBusy(
            "một lần xuất bản khác đang chạy; hãy chờ nó xong rồi chạy lại "
            "(hoặc thêm --wait để tự chờ)",
            path,
        ) from None


# 1. Plan and materialize ---------------------------------------------------


def page_files(record: Record) -> dict[str, bytes]:
    """The approved static pages, from the record: never the working copy (pipeline.pages)."""
    return approved_pages(record)


def manifest_entry(
    record: Record, row: ArticleRecord, featured: str | None, known: _Known | None = None
) -> ManifestArticle:
    """The article's entry; `known` holds what plan() read for all articles at once."""
    assert row.approved_revision and row.publish_at
    published = row.first_published or row.publish_at
    if known is None:
        files = record.revision_hashes(row.approved_revision)
        corrections = record.corrections(row.slug)
    else:
        files = known.hashes.get(row.approved_revision, {})
        corrections = known.corrections.get(row.slug, [])
    return ManifestArticle(
        slug=row.slug,
        url=article_url(row.slug, parse_datetime(published)),
        published=published,
        revision=row.approved_revision,
        files=files,
        modified=row.modified,
        corrections=tuple(CorrectionNotice(c.at, c.text) for c in corrections),
        featured=row.slug == featured,
    )


@dataclass(frozen=True)
class _Known:
    hashes: dict[str, dict[str, str]]  # approved revision -> its files' hashes
    corrections: dict[str, list[Correction]]  # slug -> its corrections


def is_due(row: ArticleRecord, moment: datetime) -> bool:
    """Whether the article is on the site at `moment`: approved, not withdrawn, and published
    before or due by then. (pipeline/record_watch.py `next_due` asks the record the same in
    SQL, for the watcher; a test holds the two to each other.)"""
    if not (row.approved_revision and row.publish_at) or row.state == "withdrawn":
        return False
    return bool(row.first_published) or parse_datetime(row.publish_at) <= moment


def plan(record: Record, moment: datetime, pages: dict[str, bytes]) -> Manifest:
    """The site as the record says it should be at `moment`: due approvals and withdrawals."""
    rows = [row for row in record.articles() if row.approved_revision and row.publish_at]
    due = [row for row in rows if is_due(row, moment)]
    featured_rows = sorted((r for r in due if r.featured_at), key=lambda r: r.featured_at or "")
    featured = featured_rows[-1].slug if featured_rows else None
    known = _Known(record.approved_hashes(), record.all_corrections())
    articles = [manifest_entry(record, row, featured, known) for row in due]
    for row in rows:
        if row.state == "withdrawn" and row.first_published:
            entry = manifest_entry(record, row, None, known)
            gone = withdraw_entry(entry, row.withdrawn_at or "")
            articles.append(gone)
    return Manifest(
        at=format_datetime(moment),
        articles=tuple(sorted(articles, key=lambda a: a.slug)),
        pages={path: file_hash(data) for path, data in pages.items()},
    )


STATE_NAME = ".materialized.json"
PAGE_KEYS = "page-keys"  # one file per release: what each page was rendered from
ARTICLES_CACHE = "articles"  # read articles kept whole (plugins/photos/article_cache.py)
RELATED_CACHE = "related.json"  # each article's related list (plugins/related)


def build_cache(config: Config) -> Path:
    """Where publishes keep what makes the next one fast: the staging tree and the reader
    cache. A stable path outside `releases/`; deleting it only makes one publish slower."""
    return config.root / ".cache" / "build"


def _written(path: Path) -> list[int] | None:
    """The file's identity as the state keeps it (JSON): any write changes it, since ctime
    cannot be set back from user space."""
    found = file_identity(path)
    return list(found) if found else None


def _wanted_files(manifest: Manifest) -> dict[str, tuple[str, ManifestArticle | None]]:
    """Content path -> (SHA-256, the article it belongs to; None for a static page)."""
    wanted: dict[str, tuple[str, ManifestArticle | None]] = {
        path: (digest, None) for path, digest in manifest.pages.items()
    }
    for article in manifest.live:
        for path, digest in article.files.items():
            wanted[f"{article.folder}/{path}"] = (digest, article)
    return wanted


def _remove_unwanted(content: Path, wanted: dict) -> None:
    """Every file and link under `content` that the manifest does not list goes, and then
    every folder left empty (deepest first). One listing per folder, no `stat`."""

    def clear(folder: str, prefix: str) -> bool:  # whether anything is left in `folder`
        with os.scandir(folder) as listing:
            entries = list(listing)
        left = False
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if clear(entry.path, f"{name}/"):
                    left = True
                else:
                    os.rmdir(entry.path)
            elif name in wanted:
                left = True
            else:  # a file, or a link (to a folder too) that the manifest does not list
                os.unlink(entry.path)
        return left

    clear(os.fspath(content), "")


def materialize(record: Record, manifest: Manifest, pages: dict[str, bytes], staging: Path) -> Path:
    """Make the staging tree exactly the approved revisions (from the record, never the working
    copy) and the manifest. The tree may hold an earlier publish's files: only files whose
    approved bytes differ from what this function last wrote there are written again. The
    state file keeps, per file, the manifest's digest, the identity of the file as written and
    the SHA-256 of the bytes written; when those are the approved bytes, the build takes that
    hash instead of reading the file again while its identity holds
    (`pipeline.photos.remember_staged`). Anything else in the state only costs a rewrite.

    Files of equal bytes written by one call are one file under several names (hard links),
    as the record keeps them once: a photo used by many articles is written once. Each name
    made changes the file's ctime, so the identity of every name of it is taken again at
    once. Only files written by the same call share one: a later publish never gives a new
    name to a file it did not write. (Replacing or removing one name of a shared file still
    changes the others' ctime; the next publish then writes them again: a cost, never a
    file trusted that was not written.)"""
    content = staging / "content"
    content.mkdir(parents=True, exist_ok=True)
    state_path = staging / STATE_NAME
    try:
        known = json.loads(state_path.read_text("utf-8"))
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}  # damaged: every file is written again
    wanted = _wanted_files(manifest)
    _remove_unwanted(content, wanted)
    written: dict[str, list] = {}
    names: dict[str, tuple[str, list]] = {}  # SHA-256 -> a file of those bytes, its identity
    revision: tuple[str, dict[str, str]] = ("", {})  # its files' hashes, one article at a time
    for number, (path, (digest, article)) in enumerate(sorted(wanted.items())):
        target = content / path
        identity = _written(target)
        before = known.get(path)
        if identity is not None and before == [digest, identity, digest]:  # approved bytes
            written[path] = before
        else:
            if article is None:
                actual = hashlib.sha256(pages[path]).hexdigest()
            else:
                if revision[0] != article.revision:
                    revision = (article.revision or "", _revision_files(record, article))
                actual = revision[1][path[len(article.folder) + 1 :]]
            same = names.get(actual)  # bytes this call wrote already: one more name, no read
            if same is None or not _linked(content / same[0], target):
                # Read only now; a file from the record is checked against its hash as it is read.
                data = pages[path] if article is None else record.load_blob(actual)
                write_atomic(target, data)  # a killed publish leaves no half-written file
                same = names[actual] = (path, [])
            identity = same[1]  # one file, one identity: every name's entry holds this list
            identity[:] = _written(target) or ()  # which this name just changed
            written[path] = [digest, identity, actual]
        if number == 0:
            fault_point("materialize")
    write_atomic(state_path, json.dumps(written, sort_keys=True).encode("utf-8"))
    write_atomic(staging / MANIFEST_NAME, to_json(manifest).encode("utf-8"))
    return content


def _revision_files(record: Record, article: ManifestArticle) -> dict[str, str]:
    """The record's files of the article's revision (path -> SHA-256), checked against the
    revision's id; each file's bytes are checked against their hash when they are read."""
    files = record.revision_hashes(article.revision or "")
    if not files or revision_hash(files) != article.revision:
        raise NewsroomError(f"bản {short(article.revision)} trong sổ biên tập bị hỏng", record.path)
    return files


def _linked(source: Path, target: Path) -> bool:
    """`target` made another name of `source`, unless the file system refuses (too many
    names for one file, or no hard links): then the caller writes it."""
    try:
        link_atomic(source, target)
    except OSError:
        return False
    return True


# 2. Build ------------------------------------------------------------------


def build_release(
    root: Path,
    staging: Path,
    output: Path,
    publish_time: datetime,
    preview: bool = False,
    previous: Path | None = None,
    reader_cache: Path | None = None,
    page_keys: Path | None = None,
    beside_search: Callable[[], T] | None = None,
    previous_files: dict[str, list] | None = None,
    article_cache: Path | None = None,
    previous_keys: Path | None = None,
    copy_search: bool = False,
    after_year: Callable[[str], object] | None = None,
    likely_years: Collection[str] = (),
    check_photos: bool = False,
) -> T | None:
    """Pelican with publishconf.py over the staging tree (the gate checks the manifest), then
    the search index of the years that changed since `previous` (the live release), while
    `beside_search()` runs (it must not read the search folder; its result is returned);
    `previous_files` is the file list of `previous` (pipeline/release_files.py), when kept;
    time-relative output counts from `publish_time`. Articles read are kept in
    `reader_cache` (plugins/photos/reader_cache.py) when given. With `page_keys` (a folder
    of one key file per release), pages whose inputs did not change since `previous` are
    taken from it (plugins/site_writer/page_keys.py; its keys are `previous_keys`, by default
    the key file named after it), and, with both, articles are kept whole beside the reader
    cache (plugins/photos/article_cache.py), or in `article_cache` when given (with the
    reader cache: a build whose staging tree is not publish's). With `copy_search`, search
    bundles kept from `previous` are copied, not linked. `after_year(year)` runs once each
    year is indexed again, the `likely_years` looked at first (pipeline/search.py
    index_changed). With `check_photos`, every cached rendition's size is looked at, and an
    empty one rendered again (PHOTOS_CHECK_CACHE)."""
    overrides: dict = {
        "NEWSROOM_MANIFEST": str(staging / MANIFEST_NAME),
        "NEWSROOM_STAGED_STATE": str(staging / STATE_NAME),
    }
    build = code_digest(root) if page_keys or article_cache else ""
    if reader_cache:
        overrides["PHOTOS_READER_CACHE_PATH"] = str(reader_cache)
        if article_cache or page_keys:
            articles = article_cache or reader_cache.parent / ARTICLES_CACHE
            overrides["PHOTOS_ARTICLE_CACHE_PATH"] = str(articles)
            overrides["PHOTOS_ARTICLE_CACHE_BUILD"] = build
            overrides["RELATED_CACHE_PATH"] = str(articles.parent / RELATED_CACHE)
            overrides["RELATED_CACHE_BUILD"] = build
    if page_keys:
        overrides["SITE_WRITER_BUILD"] = build
        overrides["SITE_WRITER_KEYS"] = str(page_keys / f"{release_name(output)}.json")
        if previous:
            overrides["SITE_WRITER_PREVIOUS"] = str(previous)
            keys = previous_keys or page_keys / f"{previous.name}.json"
            overrides["SITE_WRITER_PREVIOUS_KEYS"] = str(keys)
    if preview:
        overrides["NEWSROOM_PREVIEW"] = True
    if check_photos:
        overrides["PHOTOS_CHECK_CACHE"] = True
    try:
        with step("pelican"):
            content = staging / "content"
            run_pelican(root, "publishconf.py", output, content, publish_time, overrides)
        return _search_beside(
            output, previous, beside_search, previous_files, copy_search, after_year, likely_years
        )
    except BaseException:
        shutil.rmtree(output, ignore_errors=True)
        raise


def _search_beside(
    output: Path,
    previous: Path | None,
    work: Callable[[], T] | None,
    listed: dict | None = None,
    copy: bool = False,
    after_year: Callable[[str], object] | None = None,
    likely: Collection[str] = (),
) -> T | None:
    """The search index (Pagefind processes, on a thread of their own) and `work` on this
    thread at once; the index is always finished (or its processes stopped, on Ctrl-C)
    before anything else happens to `output`, and `work`'s failure is the one reported
    when both fail."""

    def search() -> None:
        with step("search"):
            index_changed(output, previous, listed, copy, after_year, likely)

    if work is None:
        search()
        return None
    with ThreadPoolExecutor(max_workers=1) as pool:
        indexing = pool.submit(search)
        try:
            result = work()
            wait([indexing])
        except BaseException as error:
            if not isinstance(error, Exception):  # Ctrl-C, or told to stop: stop Pagefind too
                processes.stop_all()
            wait([indexing])
            raise
    indexing.result()
    return result


# 4. Switch and record ------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """`--if-due` and `--watch` left the site as it is, and why."""

    reason: str


NOTHING_DUE = "Không có gì mới đến giờ đăng; trang giữ nguyên."
NOTHING_CHANGED = (
    "Trang đang đăng đã dựng từ đúng các bản đã duyệt, mã và cấu hình này; không cần dựng lại "
    "(thêm --rebuild để dựng lại)."
)
ROUND_FAILED = "Vòng xuất bản thất bại, trang đang đăng giữ nguyên; sẽ thử lại ở vòng sau"
HELD = (
    "Trang đang giữ bản đã quay lại (newsroom rollback); --if-due và --watch không xuất bản "
    "cho đến khi biên tập viên chạy newsroom publish."
)


def _go_live(
    root: Path,
    config: Config,
    record: Record,
    release: Path,
    pending: PendingRelease,
    pages,
    prepared: PreparedManifest | None = None,
    manifest: Manifest | None = None,
) -> tuple[str, ...]:
    """Record the switch as pending, switch `output`, then record it as done, and prune old
    releases. A kill between the switch and the record leaves a pending row that `_reconcile`
    completes; a failure there says that the release is live. Returns the notes of
    housekeeping not done. `prepared` and `manifest`: the pending manifest, as the record keeps
    it and read."""
    with record.transaction():
        for data in pages.values():
            record.store_blob(data)
        record.add_pending(pending)
    fault_point("switch")
    switch_to(root, release)
    fault_point(AFTER_SWITCH)
    try:
        _record_publication(record, pending, prepared=prepared, manifest=manifest)
    except (sqlite3.Error, OSError) as error:  # the site has changed: say so, not just "failed"
        reason = record_trouble(error) if isinstance(error, sqlite3.Error) else os_reason(error)
        raise NewsroomError(
            f"bản phát hành {release.name} đã lên trang, nhưng sổ biên tập chưa ghi nhận được "
            f"({reason}); lần xuất bản hay quay lại tới sẽ ghi bù",
            record.path,
        ) from None
    return tuple(
        note
        for note in (
            _housekeeping(
                "dọn các bản phát hành cũ", prune, config.releases_path, KEEP_RELEASES, release
            ),
            _housekeeping("dọn khóa trang của các bản đã xóa", _prune_page_keys, config),
        )
        if note
    )


def _housekeeping(what: str, work: Callable, *args) -> str:
    """Work after the switch that the live site does not depend on: a failure is a note
    (the publish succeeded), "" when it was done."""
    try:
        work(*args)
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        return f"chưa {what}{where}: {os_reason(error)}; trang mới vẫn đang đăng"
    return ""


def _prune_page_keys(config: Config) -> None:
    """Page keys and file lists only serve releases that still exist."""
    kept = {f"{r.name}.json" for r in list_releases(config.releases_path)}
    for name in (PAGE_KEYS, release_files.FOLDER):
        folder = build_cache(config) / name
        for path in folder.glob("*.json") if folder.is_dir() else []:
            if path.name not in kept:
                path.unlink(missing_ok=True)


def _record_publication(
    record: Record,
    pending: PendingRelease,
    note: str = "",
    prepared: PreparedManifest | None = None,
    manifest: Manifest | None = None,
) -> None:
    """One transaction: the release (or the switch back to one), each article whose place on
    the site changed, and the audit entries. Afterwards each article's `published_revision` is
    the revision live now (None: off the site), after a publish as after a rollback. The
    audit time is the real clock; a simulated `--at` and a late (reconciled) record are
    details. `prepared` and `manifest`: see _go_live."""
    moment = format_datetime(now())
    manifest = manifest if manifest is not None else from_json(pending.manifest)
    parts = [pending.release, f"--at {manifest.at}" if pending.simulated else "", note]
    detail = "; ".join(part for part in parts if part)
    action = "publish" if pending.kind == "publish" else "rollback"
    with record.transaction():
        record.drop_pending(pending.release)
        moves = _site_moves(record, manifest, pending.release, action == "rollback")
        if pending.kind != "switch":
            record.add_release(
                pending.release, moment, pending.kind, pending.restores, pending.manifest, prepared
            )
            record.set_release_digest(pending.release, pending.digest)
        for row, revision, what in moves:
            record.save_article(row)
            if what is not None:
                said = "; ".join(part for part in (what, detail) if part)
                record.log(moment, pending.actor, action, row.slug, revision, said)
        record.log(moment, pending.actor, action, None, None, detail)


def _site_moves(
    record: Record, manifest: Manifest, release: str, rollback: bool
) -> list[tuple[ArticleRecord, str | None, str | None]]:
    """Each article whose place on the site `manifest` changes, as the record knew it (its
    `published_revision`): its row as it is to be saved, the revision its audit entry names
    (the one live now, or the one that left) and what happened (None: no entry). Call inside
    the record's transaction, before `release` is added to it."""
    rows = {row.slug: row for row in record.articles()}
    live = {article.slug: article for article in manifest.live}
    moves: list[tuple[ArticleRecord, str | None, str | None]] = []
    for slug, article in live.items():
        row = rows.get(slug)
        if row is None or row.published_revision == article.revision:
            continue
        what = ""  # a publish's entry says no more than it always did
        if rollback:
            before = row.published_revision
            what = f"trở lại bản này thay bản {short(before)}" if before else "lên lại trang"
        row.published_revision = article.revision
        row.first_published = row.first_published or article.published
        moves.append((row, article.revision, what))
    gone = [row for row in rows.values() if row.published_revision and row.slug not in live]
    left_before = _withdrawn_in_last_release(record, release) if gone else set()
    for row in gone:
        before, row.published_revision = row.published_revision, None
        if row.slug in left_before:  # it left at a publish recorded before this rule: no
            moves.append((row, None, None))  # entry, whose time would be wrong
        elif row.state == "withdrawn":
            moves.append((row, before, "rời khỏi trang: bài đã gỡ"))
        elif rollback:
            moves.append((row, before, "rời khỏi trang: bản phát hành quay lại chưa có bài này"))
        else:
            moves.append((row, before, "rời khỏi trang"))
    return moves


def _withdrawn_in_last_release(record: Record, release: str) -> set[str]:
    """The articles withdrawn in the latest release recorded before `release`: already off
    the site, whatever their `published_revision` still says (a record kept before it
    followed the site)."""
    earlier = [r for r in record.releases() if r.id != release]
    text = record.release_manifest(earlier[-1].id) if earlier else None
    return {a.slug for a in from_json(text).withdrawn} if text else set()


def _reconcile(root: Path, record: Record) -> None:
    """Complete the record of a switch that a kill interrupted (the live release is the pending
    one), or forget a switch that never happened (its folder is then a leftover)."""
    live = current_release(root)
    for pending in record.pending_releases():
        if live is not None and live.name == pending.release:
            _record_publication(record, pending, "ghi sổ bù sau khi bị ngắt")
        else:
            with record.transaction():
                record.drop_pending(pending.release)


def _clean_leftovers(config: Config, record: Record, root: Path) -> None:
    """Remove what killed publishes left: staging trees and releases that never went live."""
    releases = config.releases_path
    if not releases.is_dir():
        return
    for leftover in [*releases.glob(".building-*"), *releases.glob(".staging-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    known = {r.id for r in record.releases()}
    live = current_release(root)
    for release in list_releases(releases):
        if release.name not in known and release != live:
            shutil.rmtree(release, ignore_errors=True)


def _start(root: Path, config: Config, record: Record) -> None:
    """What every publish and rollback does first, under the lock."""
    _reconcile(root, record)
    _clean_leftovers(config, record, root)


def _editor(config: Config, given: str | None, action: str) -> str:
    """Publishing and rolling back are editorial acts: `--as` or NEWSROOM_USER must name an
    editor (cron and --watch run with NEWSROOM_USER set to the duty editor)."""
    actor = resolve_actor(config, given)
    if actor.role != "editor":
        raise PermissionDenied(
            f"chỉ biên tập viên mới được {action}", config.root / "newsroom.toml"
        )
    return actor.id


def _check_at(at: datetime | None) -> None:
    """A real publish never runs "as at" a future moment: that would break every embargo. Nor
    at a moment that no stored date can carry (pipeline/article.py: EARLIEST..LATEST)."""
    if at is not None and not in_date_range(at):
        raise WorkflowError(
            out_of_range(f"--at {at.isoformat(sep=' ', timespec='minutes')}")
            + "; hãy bỏ --at hoặc chọn thời điểm khác"
        )
    if at is not None and at > now() and os.environ.get(FUTURE_AT_VARIABLE) != "1":
        raise WorkflowError(
            f"--at {format_datetime(at)} ở tương lai; xuất bản trước giờ sẽ phá lệnh hẹn giờ — "
            "hãy bỏ --at hoặc dùng newsroom schedule"
        )


def _release_manifest(
    root: Path,
    config: Config,
    record: Record,
    manifest: Manifest,
    pages: dict[str, bytes],
    likely_years: Collection[str] = (),
    rebuild: bool = False,
) -> tuple[Path, str, PreparedManifest]:
    """Stages 1–3 for one manifest: a verified release (promoted, not yet live), its tree
    digest (which rollback checks before switching back to it), and its manifest as the record
    will keep it (made while the search index is written). `likely_years`: the years whose
    search the publish's changes touch, looked at first. `rebuild`: also look at every cached
    photo rendition (`publish --rebuild`)."""
    release_id = new_release_id()
    cache = build_cache(config)
    staging = cache / "staging"
    built = staging_dir(config.releases_path, release_id)
    previous = current_release(root)
    known = release_files.load(cache, previous)
    verified = frozenset(n for n, e in known.items() if e[0] != "L") if known else None
    searched: list[str] = []  # what each year's search results hold that they must not

    def verify_pages() -> tuple[release_files.ReleaseFiles, list, PreparedManifest]:
        with step("verify"):
            files = release_files.describe(built, known, skip=SEARCH_DIR)
            problems = verify_beside(built, manifest, files, verified, SEARCH_DIR)
        return files, problems, record.prepare_manifest(to_json(manifest))

    try:
        with step("materialize"):
            materialize(record, manifest, pages, staging)
        pages_files, waiting, prepared = build_release(
            root,
            staging,
            built,
            parse_datetime(manifest.at),
            previous=previous,
            reader_cache=cache / "readers",
            page_keys=cache / PAGE_KEYS,
            beside_search=verify_pages,
            previous_files=known,
            after_year=lambda year: searched.extend(unapproved_in_year(built, manifest, year)),
            likely_years=likely_years,
            check_photos=rebuild,
        )
        with step("verify"):
            search_files = release_files.describe(built, known, folder=SEARCH_DIR)
            files = release_files.joined(pages_files, search_files)
            verify_later(built, files, waiting, SEARCH_DIR, searched)
            digest = release_files.digest(files)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    release = promote(built, release_id)
    release_files.save(cache, release_id, files)
    return release, digest, prepared


def _refuse_emptying(root: Path, record: Record, manifest: Manifest, live: Manifest | None) -> None:
    """Stop a publish that would drop every article of the live site (neither live nor
    withdrawn any more): that is a lost or wrong record, not an editorial decision. `live`:
    the live release's manifest."""
    if current_release(root) is None:
        return
    now_live = {article.slug for article in live.live} if live else set()
    planned = {article.slug for article in manifest.articles}
    unknown_site = live is None and not planned  # a live site that this record never made
    if unknown_site or (now_live and not now_live & planned):
        count = f"{len(now_live)} bài" if now_live else "mọi bài"
        raise NewsroomError(
            f"lần xuất bản này sẽ gỡ {count} đang đăng khỏi trang: sổ biên tập có thể bị mất "
            "hoặc sai; hãy kiểm tra hoặc khôi phục bằng `newsroom restore TỆP_SAO_LƯU` "
            "(thêm --force nếu thật sự muốn)",
            record.path,
        )


def publish(
    root: Path | str = ".",
    at: datetime | None = None,
    given_actor: str | None = None,
    wait: bool = False,
    only_if_due: bool = False,
    force: bool = False,
    rebuild: bool = False,
) -> PublishResult | Skipped:
    """Publish every due approved revision. With `only_if_due` (cron, --watch), only when the
    site would change, and never while a rollback holds the site. A publish that would take
    every live article off the site needs `force`. When the live release was built from
    exactly these inputs (pipeline.build_inputs), there is nothing to do unless `rebuild`."""
    root = Path(root).resolve()
    config = load_config(root)
    actor = _editor(config, given_actor, "xuất bản")
    _check_at(at)
    start_stats()
    require_record(config.record_path, current_release(root))
    with publish_lock(config, wait):
        record = Record(config.record_path)
        try:
            _reconcile(root, record)
            pages = page_files(record)
            manifest = plan(record, at or now(), pages)
            try:
                live = live_manifest(root, record)
            except NewsroomError:
                if not force:
                    raise
                live = None  # a damaged record: --force publishes over it
            if not force:  # before cleaning, which removes releases that the record does not know
                _refuse_emptying(root, record, manifest, live)
            _clean_leftovers(config, record, root)
            if only_if_due and record.last_site_action() == "rollback":
                return Skipped(HELD)
            if only_if_due and manifest.same_content(live):
                return Skipped(NOTHING_DUE)
            key = inputs_key(root, manifest)
            if not rebuild and unchanged(build_cache(config), current_release(root), key):
                return Skipped(NOTHING_CHANGED)
            prepare_pelican(root)  # it starts while the publish materializes (pipeline/build.py)
            change = changes(live, manifest)
            years = changed_years(live, manifest, change)
            release, digest, prepared = _release_manifest(
                root, config, record, manifest, pages, years, rebuild
            )
            pending = PendingRelease(
                release.name, "publish", None, prepared.text, digest, actor, at is not None
            )
            with step("switch"):
                notes = _go_live(root, config, record, release, pending, pages, prepared, manifest)
            remembered = _housekeeping(
                "ghi nhớ đầu vào của lần dựng", remember, build_cache(config), release, key
            )
            stats = _housekeeping("ghi số đo của lần xuất bản", write_stats)
            notes += tuple(note for note in (remembered, stats) if note)
            return PublishResult(release, manifest, change, notes)
        finally:
            discard_pelican()
            record.close()


def live_manifest(root: Path, record: Record) -> Manifest | None:
    live = current_release(root)
    text = record.release_manifest(live.name) if live else None
    return from_json(text) if text is not None else None


def _say(line: str) -> None:
    print(line, flush=True)  # a journal or a log file sees each line when it happens


def watch(
    root: Path | str,
    interval: float,
    rounds: int | None = None,
    report=_say,
    given_actor: str | None = None,
    failure: Callable[[Exception], str] = str,
) -> None:
    """Publish each time something falls due (or is withdrawn); `rounds` bounds it for tests.
    Between two rounds it waits at most `interval` seconds: less when the record changes (an
    approval, a withdrawal) or a scheduled article falls due (pipeline.record_watch). A hold
    after a rollback is reported once, when it starts. A round that fails (the record busy, a
    build stopped by a bad file, a full disk) is reported with `failure(error)`'s line, and the
    next round tries again: the live site is as it was, and embargoes still fall due. Only who
    publishes is checked once, first: no later round could mend it."""
    config = load_config(Path(root).resolve())
    _editor(config, given_actor, "xuất bản")
    done, last = 0, ""
    watcher = RecordWatch(config.record_path)
    try:
        while rounds is None or done < rounds:
            watcher.mark(now())  # before the round reads the record: what comes after is news
            try:
                result = publish(root, given_actor=given_actor, wait=True, only_if_due=True)
            except (NewsroomError, OSError, sqlite3.Error) as error:
                said = f"{ROUND_FAILED}: {failure(error)}"
                if said != last:  # the same failure, round after round, is said once
                    report(said)
                last = said
            else:
                if isinstance(result, PublishResult):
                    report(f"Đã xuất bản: {result.release.name}, {result.summary()}")
                    for note in result.notes:
                        report(f"Lưu ý: {note}")
                elif result.reason == HELD and last != HELD:
                    report(HELD)
                last = result.reason if isinstance(result, Skipped) else ""
            done += 1
            if rounds is None or done < rounds:
                watcher.wait(interval, now)
    finally:
        watcher.close()


@dataclass(frozen=True)
class RolledBack:
    release: Path
    reverted: tuple[str, ...]  # articles whose corrected text goes back to the one before
    removed: tuple[str, ...] = ()  # articles off the site now: the release had none of them
    withdrawn: tuple[str, ...] = ()  # articles off the site now: withdrawn since it was live
    notes: tuple[str, ...] = ()  # housekeeping after the switch that did not get done


def rollback(
    root: Path | str = ".", given_actor: str | None = None, wait: bool = False
) -> RolledBack:
    """Switch back to the release before the live one, with every later withdrawal re-applied
    (corrections are not: their articles go back to the text of that release, and are named;
    articles that it never had leave the site, and are named too); `--if-due` and `--watch`
    then hold until an editor publishes explicitly. With `wait`, a publish under way is
    waited for."""
    root = Path(root).resolve()
    config = load_config(root)
    actor = _editor(config, given_actor, "quay lại bản phát hành trước")
    require_record(config.record_path, current_release(root))
    with publish_lock(config, wait):
        record = Record(config.record_path)
        try:
            _start(root, config, record)
            return _rollback(root, config, record, actor)
        finally:
            record.close()


def _rollback(root: Path, config: Config, record: Record, actor: str) -> RolledBack:
    rows = {r.id: r for r in record.releases()}
    live = current_release(root)
    current = rows.get(live.name) if live else None
    if current is None:
        raise NewsroomError("trang đang đăng không do newsroom publish tạo; không quay lại được")
    position = (
        rows[current.restores] if current.kind == "rollback" and current.restores else current
    )
    earlier = [
        r
        for r in rows.values()
        if r.kind == "publish" and r.seq < position.seq and (config.releases_path / r.id).is_dir()
    ]
    if not earlier:
        raise NewsroomError("không còn bản phát hành nào trước bản đang đăng để quay lại")
    target = max(earlier, key=lambda r: r.seq)
    old_text = record.release_manifest(target.id) or ""
    old = from_json(old_text)
    withdrawn = {
        row.slug: row.withdrawn_at or "" for row in record.articles() if row.state == "withdrawn"
    }
    fixed = apply_withdrawals(old, withdrawn)
    before = live_manifest(root, record)
    back = reverted(before, fixed)
    removed, gone_withdrawn = _taken_off(before, fixed, withdrawn)
    release = config.releases_path / target.id
    digest = record.release_digest(target.id)
    if fixed == old and digest == tree_digest(release):
        pending = PendingRelease(target.id, "switch", None, old_text, digest, actor, False)
        notes = _go_live(root, config, record, release, pending, {})
        return RolledBack(release, back, removed, gone_withdrawn, notes)
    # Withdrawals since, or a release changed after it was verified: rebuild it from the record.
    pages = {path: record.load_blob(digest) for path, digest in fixed.pages.items()}
    release, digest, prepared = _release_manifest(root, config, record, fixed, pages)
    pending = PendingRelease(
        release.name, "rollback", target.id, prepared.text, digest, actor, False
    )
    notes = _go_live(root, config, record, release, pending, pages, prepared, fixed)
    return RolledBack(release, back, removed, gone_withdrawn, notes)


def _taken_off(
    before: Manifest | None, after: Manifest, withdrawn: Collection[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The articles live in `before` and not in `after`: those that `after`'s release never
    had, and those withdrawn since."""
    now_live = {article.slug for article in after.live}
    gone = {a.slug for a in before.live if a.slug not in now_live} if before else set()
    return tuple(sorted(gone - set(withdrawn))), tuple(sorted(gone & set(withdrawn)))
