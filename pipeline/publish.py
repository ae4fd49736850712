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
release and re-applies every withdrawal made since.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .article import format_datetime, parse_datetime
from .build import run_pelican
from .config import Config, load_config
from .errors import NewsroomError
from .faults import fault_point
from .manifest import (
    MANIFEST_NAME,
    CorrectionNotice,
    Manifest,
    ManifestArticle,
    apply_withdrawals,
    article_url,
    from_json,
    to_json,
    withdraw_entry,
)
from .record import ArticleRecord, Record
from .releases import (
    KEEP_RELEASES,
    current_release,
    list_releases,
    new_release_id,
    promote,
    prune,
    staging_dir,
    switch_to,
)
from .revisions import file_hash
from .search import index_changed
from .staff import actor_id, resolve_actor
from .verify import verify_release
from .workflow import now

SYSTEM_ACTOR = "he-thong"
LOCK_NAME = "publish.lock"


class PublishBusy(NewsroomError):
    """Another publish holds the lock."""

    exit_code = 75


@dataclass(frozen=True)
class PublishResult:
    release: Path
    manifest: Manifest


@contextmanager
def publish_lock(config: Config, wait: bool = False) -> Iterator[None]:
    """One publish (or rollback) at a time; the lock dies with its process, even on SIGKILL."""
    path = config.record_path.parent / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise PublishBusy(
                "một lần xuất bản khác đang chạy; hãy chờ nó xong rồi chạy lại "
                "(hoặc thêm --wait để tự chờ)",
                path,
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# 1. Plan and materialize ---------------------------------------------------


def page_files(config: Config) -> dict[str, bytes]:
    pages = config.content_path / "pages"
    if not pages.is_dir():
        return {}
    return {
        path.relative_to(config.content_path).as_posix(): path.read_bytes()
        for path in sorted(pages.rglob("*"))
        if path.is_file() and not path.name.startswith(".") and path.name != "README.md"
    }


def manifest_entry(record: Record, row: ArticleRecord, featured: str | None) -> ManifestArticle:
    assert row.approved_revision and row.publish_at
    published = row.first_published or row.publish_at
    return ManifestArticle(
        slug=row.slug,
        url=article_url(row.slug, parse_datetime(published)),
        published=published,
        revision=row.approved_revision,
        files=record.revision_hashes(row.approved_revision),
        modified=row.modified,
        corrections=tuple(CorrectionNotice(c.at, c.text) for c in record.corrections(row.slug)),
        featured=row.slug == featured,
    )


def plan(record: Record, moment: datetime, pages: dict[str, bytes]) -> Manifest:
    """The site as the record says it should be at `moment`: due approvals and withdrawals."""
    rows = [row for row in record.articles() if row.approved_revision and row.publish_at]
    due = [
        row
        for row in rows
        if row.state != "withdrawn"
        and (row.first_published or parse_datetime(row.publish_at or "") <= moment)
    ]
    featured_rows = sorted((r for r in due if r.featured_at), key=lambda r: r.featured_at or "")
    featured = featured_rows[-1].slug if featured_rows else None
    articles = [manifest_entry(record, row, featured) for row in due]
    for row in rows:
        if row.state == "withdrawn" and row.first_published:
            gone = withdraw_entry(manifest_entry(record, row, None), row.withdrawn_at or "")
            articles.append(gone)
    return Manifest(
        at=format_datetime(moment),
        articles=tuple(sorted(articles, key=lambda a: a.slug)),
        pages={path: file_hash(data) for path, data in pages.items()},
    )


STATE_NAME = ".materialized.json"


def build_cache(config: Config) -> Path:
    """Where publishes keep what makes the next one fast: the staging tree and the reader
    cache. A stable path outside `releases/`; deleting it only makes one publish slower."""
    return config.root / ".cache" / "build"


def _identity(path: Path) -> list[int] | None:
    """What changes whenever a file is written (ctime cannot be set back from user space)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def _write(path: Path, data: bytes) -> None:
    """Whole-file replace by rename, so a killed publish never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


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
    for path in sorted(content.rglob("*"), reverse=True):
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif path.relative_to(content).as_posix() not in wanted:
            path.unlink()


def materialize(record: Record, manifest: Manifest, pages: dict[str, bytes], staging: Path) -> Path:
    """Make the staging tree exactly the approved revisions (from the record, never the working
    copy) and the manifest. The tree may hold an earlier publish's files: only files whose
    approved bytes differ from what this function last wrote there are written again."""
    content = staging / "content"
    content.mkdir(parents=True, exist_ok=True)
    state_path = staging / STATE_NAME
    try:
        known = json.loads(state_path.read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        known = {}
    wanted = _wanted_files(manifest)
    _remove_unwanted(content, wanted)
    written: dict[str, list] = {}
    loaded: tuple[str, dict[str, bytes]] = ("", {})  # one revision in memory at a time
    for number, (path, (digest, article)) in enumerate(sorted(wanted.items())):
        target = content / path
        identity = _identity(target)
        if identity is None or known.get(path) != [digest, identity]:
            if article is None:
                data = pages[path]
            else:
                if loaded[0] != article.slug:
                    loaded = (article.slug, record.load_revision(article.revision or "").files)
                data = loaded[1][path[len(article.folder) + 1 :]]
            _write(target, data)
            identity = _identity(target)
        written[path] = [digest, identity]
        if number == 0:
            fault_point("materialize")
    state_path.write_text(json.dumps(written, sort_keys=True), "utf-8")
    (staging / MANIFEST_NAME).write_text(to_json(manifest), "utf-8")
    return content


# 2. Build ------------------------------------------------------------------


def build_release(
    root: Path,
    staging: Path,
    output: Path,
    publish_time: datetime,
    preview: bool = False,
    previous: Path | None = None,
    reader_cache: Path | None = None,
) -> None:
    """Pelican with publishconf.py over the staging tree (the gate checks the manifest), then
    the search index of the years that changed since `previous` (the live release);
    time-relative output counts from `publish_time`. Articles read are kept in
    `reader_cache` (plugins/photos/reader_cache.py) when given."""
    overrides: dict = {"NEWSROOM_MANIFEST": str(staging / MANIFEST_NAME)}
    if reader_cache:
        overrides["PHOTOS_READER_CACHE_PATH"] = str(reader_cache)
    if preview:
        overrides["NEWSROOM_PREVIEW"] = True
    try:
        run_pelican(root, "publishconf.py", output, staging / "content", publish_time, overrides)
        index_changed(output, previous)
    except BaseException:
        shutil.rmtree(output, ignore_errors=True)
        raise


# 4. Switch and record ------------------------------------------------------


def _switch(root: Path, config: Config, built: Path, release_id: str) -> Path:
    release = promote(built, release_id)
    fault_point("switch")
    switch_to(root, release)
    prune(config.releases_path, keep=KEEP_RELEASES, live=release)
    return release


def _record_publication(
    record: Record,
    manifest: Manifest,
    pages: dict[str, bytes],
    release: Path,
    actor: str,
    kind: str = "publish",
    restores: str | None = None,
) -> None:
    """One transaction: the release (its pages kept for rollback), and each article that
    went live or changed."""
    with record.transaction():
        for data in pages.values():
            record.store_blob(data)
        record.add_release(release.name, manifest.at, kind, restores, to_json(manifest))
        for article in manifest.live:
            row = record.article(article.slug)
            if row is None or row.published_revision == article.revision:
                continue
            row.published_revision = article.revision
            row.first_published = row.first_published or article.published
            record.save_article(row)
            record.log(manifest.at, actor, "publish", article.slug, article.revision, release.name)
        record.log(manifest.at, actor, kind, None, None, release.name)


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


def _actor_name(config: Config, given: str | None) -> str:
    """Who the audit log names: `--as` or NEWSROOM_USER if given, else the system."""
    return resolve_actor(config, given).id if actor_id(given) else SYSTEM_ACTOR


def _release_manifest(
    root: Path, config: Config, record: Record, manifest: Manifest, pages: dict[str, bytes]
) -> tuple[Path, str]:
    """Stages 1–3 for one manifest: a verified release folder that is not yet live."""
    release_id = new_release_id()
    staging = build_cache(config) / "staging"
    built = staging_dir(config.releases_path, release_id)
    try:
        materialize(record, manifest, pages, staging)
        build_release(
            root,
            staging,
            built,
            parse_datetime(manifest.at),
            previous=current_release(root),
            reader_cache=build_cache(config) / "readers",
        )
        verify_release(built, manifest)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    return built, release_id


def publish(
    root: Path | str = ".",
    at: datetime | None = None,
    given_actor: str | None = None,
    wait: bool = False,
    only_if_due: bool = False,
) -> PublishResult | None:
    """Publish every due approved revision; with `only_if_due`, only when the site would change."""
    root = Path(root).resolve()
    config = load_config(root)
    actor = _actor_name(config, given_actor)
    with publish_lock(config, wait):
        record = Record(config.record_path)
        try:
            _clean_leftovers(config, record, root)
            pages = page_files(config)
            manifest = plan(record, at or now(), pages)
            if only_if_due and manifest.same_content(live_manifest(root, record)):
                return None
            built, release_id = _release_manifest(root, config, record, manifest, pages)
            release = _switch(root, config, built, release_id)
            _record_publication(record, manifest, pages, release, actor)
            return PublishResult(release, manifest)
        finally:
            record.close()


def live_manifest(root: Path, record: Record) -> Manifest | None:
    live = current_release(root)
    row = record.release(live.name) if live else None
    return from_json(row.manifest) if row else None


def watch(
    root: Path | str,
    interval: float,
    rounds: int | None = None,
    report=print,
    given_actor: str | None = None,
) -> None:
    """Publish each time something falls due (or is withdrawn); `rounds` bounds it for tests."""
    done = 0
    while rounds is None or done < rounds:
        result = publish(root, given_actor=given_actor, wait=True, only_if_due=True)
        if result:
            report(f"Đã xuất bản: {result.release.name} ({len(result.manifest.live)} bài)")
        done += 1
        if rounds is None or done < rounds:
            time.sleep(interval)


def rollback(root: Path | str = ".", given_actor: str | None = None) -> Path:
    """Switch back to the release before the live one, with every later withdrawal re-applied."""
    root = Path(root).resolve()
    config = load_config(root)
    actor = _actor_name(config, given_actor)
    with publish_lock(config):
        record = Record(config.record_path)
        try:
            return _rollback(root, config, record, actor)
        finally:
            record.close()


def _rollback(root: Path, config: Config, record: Record, actor: str) -> Path:
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
    old = from_json(target.manifest)
    withdrawn = {
        row.slug: row.withdrawn_at or "" for row in record.articles() if row.state == "withdrawn"
    }
    fixed = apply_withdrawals(old, withdrawn)
    moment = format_datetime(now())
    if fixed == old:
        release = config.releases_path / target.id
        switch_to(root, release)
        with record.transaction():
            record.log(moment, actor, "rollback", None, None, target.id)
        return release
    pages = {path: record.load_blob(digest) for path, digest in fixed.pages.items()}
    built, release_id = _release_manifest(root, config, record, fixed, pages)
    release = _switch(root, config, built, release_id)
    _record_publication(record, fixed, pages, release, actor, "rollback", target.id)
    return release
