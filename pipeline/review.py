"""Looking at the desk: `status`, `queue`, `history` and `diff`.

Read-only views over the record and the working copy, for articles and static
pages alike. What a person sees (draft, scheduled, published, changed-since-approval,
and whether an earlier approved revision is still live) is derived here from the
stored state, the clock, the working copy's revision and what is live (an article's
`published_revision`; for pages, the live release's manifest). `diff` shows the
revision under review, the one `preview` builds and `approve` approves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import desk_index
from .article import INDEX_NAME, parse_datetime, parse_text
from .desk_index import Glance
from .errors import ArticleError, ArticleNotFoundError
from .page_files import page_paths
from .pages import page_key, page_path, page_revision
from .record import ArticleRecord, AuditEntry, PageRecord
from .releases import current_release
from .resolver import resolve_article
from .revisions import Revision, describe_changes, revision_hash, short, text_diff
from .slugs import make_slug
from .workflow import STATE_LABELS, Desk, _submitters, authors_of, now, slug_of, working_copy

# What a person sees of an article or page that is on the site while its record has moved on:
# the approved revision before stays live until the next publish of a newer one.
LIVE_LABELS = {
    "submitted": "đã đăng (bản sửa chờ duyệt)",
    "rejected": "đã đăng (bản sửa bị trả lại)",
    "changed": "đã đăng (đã sửa sau khi duyệt, chưa gửi duyệt)",
    "approved": "đã đăng (bản sửa đã duyệt, chờ xuất bản)",
}


@dataclass(frozen=True)
class Status:
    slug: str  # an article's slug, or a static page's path in content/ (pages/lien-he.md)
    title: str
    state: str
    folder: Path | None
    row: ArticleRecord | None
    error: str | None = None  # why the working copy cannot be read (state "unreadable")
    authors: tuple[str, ...] = ()  # as its working copy names them
    live: bool = False  # an approved revision of it is on the site
    submitted: str | None = None  # the revision waiting for review (state "submitted")
    page: bool = False  # a static page (content/pages/…)

    @property
    def label(self) -> str:
        if self.live and self.state in LIVE_LABELS:
            return LIVE_LABELS[self.state]
        return STATE_LABELS[self.state]


def display_state(row: ArticleRecord | None, working: str | None, moment: datetime) -> str:
    """What a person sees: the stored state refined by the clock and the working copy (and
    `Status.live`, from `published_revision`: whether an earlier revision is on the site)."""
    if row is None:
        return "draft"
    if row.state != "approved":
        return row.state
    if working and working != row.approved_revision:
        return "changed"
    if row.published_revision == row.approved_revision:
        return "published"
    if row.publish_at and parse_datetime(row.publish_at) > moment:
        return "scheduled"
    return "approved"


def _status_of(glance: Glance | None, working: str | None, row: ArticleRecord | None, moment):
    state = display_state(row, working, moment)
    live = bool(row and row.published_revision)
    submitted = row.submitted_revision if row and state == "submitted" else None
    if glance is None:
        assert row is not None
        return Status(row.slug, "", state, None, row, live=live, submitted=submitted)
    return Status(
        glance.slug, glance.title, state, glance.folder, row, None, glance.authors, live, submitted
    )


def _working(glance: Glance) -> str:
    try:
        return desk_index.current().working_revision(glance)
    except ArticleError:  # a photo went missing: not the approved revision any more
        return "unreadable"


def statuses(desk: Desk, argument: str | None = None) -> list[Status]:
    """Every article and static page, or the one ARTICLE names (a page by its path)."""
    moment = now()
    if argument is not None:
        key = _page_key(desk, argument)
        if key is not None:
            return _page_statuses(desk, key)
        slug = slug_of(desk, argument)
        try:
            article = resolve_article(argument, desk.content)
        except ArticleNotFoundError:
            return [_status_of(None, None, desk.record.article(slug), moment)]
        except ArticleError as error:  # the record knows it, but its working copy is broken
            folder = Path(error.path).parent if error.path else None
            return [Status(slug, "", "unreadable", folder, desk.record.article(slug), str(error))]
        glance = Glance.of(article)
        return [_status_of(glance, _working(glance), desk.record.article(slug), moment)]
    seen, result = set(), []
    every = desk.record.articles()
    by_slug = {row.slug: row for row in every}
    glances, unreadable = desk_index.current().articles(desk.content)
    for glance in glances:
        seen.add(glance.slug)
        row = by_slug.get(glance.slug)
        result.append(_status_of(glance, _working(glance), row, moment))
    by_folder = {row.folder: row for row in every}
    for index, error in unreadable:
        row = by_folder.get(index.parent.relative_to(desk.config.root).as_posix())
        slug = row.slug if row else index.parent.name
        seen.add(slug)
        result.append(Status(slug, "", "unreadable", index.parent, row, str(error)))
    for row in every:
        if row.slug not in seen:
            result.append(_status_of(None, None, row, moment))
    return result + _page_statuses(desk)


def _page_key(desk: Desk, argument: str) -> str | None:
    """The record's name of the static page ARTICLE names (as `approve` takes it: a path from
    here, the project or content/), also of one whose file is gone; None: not a page."""
    page = page_path(desk, argument)
    if page is not None:
        return page_key(desk, page)
    given = Path(argument).as_posix()
    for key in (given, given.removeprefix(f"{desk.content.name}/")):
        if key.endswith(".md") and desk.record.page(key) is not None:
            return key
    return None


def _page_statuses(desk: Desk, only: str | None = None) -> list[Status]:
    """The static pages (or the one `only` names), from their files and the record; whether
    one is live comes from the live release's manifest, as pages have no published revision
    of their own."""
    rows = {row.path: row for row in desk.record.pages()}
    files = {page_key(desk, path.resolve()): path for path in page_paths(desk.content)}
    keys = [only] if only is not None else sorted(files.keys() | rows.keys())
    live = _live_pages(desk) if keys else {}
    return [_page_status(key, files.get(key), rows.get(key), live.get(key)) for key in keys]


def _live_pages(desk: Desk) -> dict[str, str]:
    """The live release's static pages: content path -> SHA-256 of the bytes published. Only
    the manifest's `pages` are parsed (see manifest.from_json): its articles would cost
    `status` a tenth of a second more at 10,000 articles."""
    release = current_release(desk.config.root)
    text = desk.record.release_manifest(release.name) if release else None
    return json.loads(text).get("pages", {}) if text is not None else {}


def _page_status(key: str, path: Path | None, row: PageRecord | None, live: str | None):
    title, working, error = "", None, None
    if path is not None:
        try:
            revision = page_revision(path)
        except ArticleError as problem:
            error = str(problem)
        else:
            working = revision.hash
            title = parse_text(revision.text, path).fields.get("Title", "").strip()
    if error is not None:
        state = "unreadable"
    elif row is None:
        state = "draft"
    elif row.state != "approved":
        state = row.state
    elif working and working != row.approved_revision:
        state = "changed"
    elif live and revision_hash({INDEX_NAME: live}) == row.approved_revision:
        state = "published"
    else:
        state = "approved"
    submitted = row.submitted_revision if row and state == "submitted" else None
    title = f"trang tĩnh: {title}" if title else "trang tĩnh"
    return Status(key, title, state, None, None, error, (), live is not None, submitted, True)


def queue(desk: Desk) -> list[Status]:
    """What waits for the acting person: editors review, reporters fix what came back."""
    actor = desk.actor
    assert actor is not None
    mine = make_slug(actor.name)  # a person, as authors_of tells them apart
    result = []
    for status in statuses(desk):
        row = status.row
        if status.page:  # submitted pages that the acting editor never submitted
            if actor.role == "editor" and status.state == "submitted":
                if actor.id not in _submitters(desk.record, status.slug):
                    result.append(status)
        elif actor.role == "editor" and status.state == "submitted" and row:
            submitted = desk.record.load_revision(row.submitted_revision or "")
            mine_to_approve = actor.id not in _submitters(desk.record, row.slug)
            if mine_to_approve and mine not in authors_of(submitted):
                result.append(status)
        elif status.state in ("rejected", "changed", "draft", "unreadable"):
            authors = {make_slug(name) for name in status.authors}
            if (row and row.submitted_by == actor.id) or mine in authors:
                result.append(status)
    return result


def history(desk: Desk, argument: str) -> list[AuditEntry]:
    """An article's audit trail, or a static page's when ARTICLE is a page path."""
    key = _page_key(desk, argument)
    return desk.record.history(key if key is not None else slug_of(desk, argument))


@dataclass(frozen=True)
class Diff:
    """What `diff` shows: the revision under review against the last approved one (or, with
    none under review, the working copy against it)."""

    name: str  # the article's slug or the page's path: what `approve` takes
    text: str  # a unified diff of the text, then one line per photo changed
    submitted: str | None = None  # the revision under review, when there is one
    approved: str | None = None  # the last approved revision
    moved: tuple[str, ...] = ()  # how the working copy differs from the revision under review
    unreadable: str | None = None  # why the working copy cannot be read


def diff(desk: Desk, argument: str) -> Diff:
    """What an editor reviews: the submitted revision, which `preview` builds and `approve`
    approves, against the last approved one; with none submitted, what changed in the working
    copy since the last approval (or since submission, if none)."""
    key = _page_key(desk, argument)
    working: Revision | None = None
    trouble: ArticleError | None = None
    row: ArticleRecord | PageRecord | None
    if key is not None:
        name, row = key, desk.record.page(key)
        path = page_path(desk, argument)
        try:
            working = page_revision(path) if path else None
        except ArticleError as error:
            trouble = error
    else:
        try:
            _article, name, working = working_copy(desk, argument)
        except ArticleError as error:  # the submitted revision is in the record all the same
            name, trouble = slug_of(desk, argument), error
        row = desk.record.article(name)
    if row is not None and row.state == "submitted" and row.submitted_revision:
        return _submitted_diff(desk, name, row, working, trouble)
    if working is None:
        if trouble is not None:
            raise trouble
        raise ArticleNotFoundError(
            f'không thấy tệp của trang "{name}"; hãy đặt lại tệp ở {desk.content / name} '
            "rồi chạy lại (bản đã duyệt vẫn nằm trong sổ biên tập)",
            desk.content,
        )
    base = row and (row.approved_revision or row.submitted_revision)
    old = desk.record.load_revision(base) if base else None
    before = "đã duyệt" if row and base == row.approved_revision else "bản gửi duyệt"
    return Diff(name, text_diff(old, working, before), None, row.approved_revision if row else None)


def _submitted_diff(desk: Desk, name: str, row, working: Revision | None, trouble) -> Diff:
    submitted = desk.record.load_revision(row.submitted_revision)
    approved = row.approved_revision
    old = desk.record.load_revision(approved) if approved else None
    text = text_diff(
        old, submitted, f"bản đã duyệt {short(approved)}", f"bản chờ duyệt {short(submitted.hash)}"
    )
    moved = ()
    if working is not None and working.hash != submitted.hash:
        moved = tuple(describe_changes(submitted, working))
    error = str(trouble) if trouble is not None else None
    return Diff(name, text, submitted.hash, approved, moved, error)
