"""Looking at the desk: `status`, `queue`, `history` and `diff`.

Read-only views over the record and the working copy. What a person sees
(draft, scheduled, published, changed-since-approval) is derived here from
the stored state, the clock and the working copy's revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import desk_index
from .article import parse_datetime
from .desk_index import Glance
from .errors import ArticleError, ArticleNotFoundError
from .pages import page_key, page_path
from .record import ArticleRecord, AuditEntry
from .resolver import resolve_article
from .revisions import text_diff
from .slugs import make_slug
from .workflow import STATE_LABELS, Desk, _submitters, authors_of, now, slug_of, working_copy


@dataclass(frozen=True)
class Status:
    slug: str
    title: str
    state: str
    folder: Path | None
    row: ArticleRecord | None
    error: str | None = None  # why the working copy cannot be read (state "unreadable")
    authors: tuple[str, ...] = ()  # as its working copy names them

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def display_state(row: ArticleRecord | None, working: str | None, moment: datetime) -> str:
    """What a person sees: the stored state refined by the clock and the working copy."""
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
    if glance is None:
        return Status(row.slug, "", display_state(row, working, moment), None, row)  # type: ignore[union-attr]
    state = display_state(row, working, moment)
    return Status(glance.slug, glance.title, state, glance.folder, row, None, glance.authors)


def _working(glance: Glance) -> str:
    try:
        return desk_index.current().working_revision(glance)
    except ArticleError:  # a photo went missing: not the approved revision any more
        return "unreadable"


def statuses(desk: Desk, argument: str | None = None) -> list[Status]:
    moment = now()
    if argument is not None:
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
    return result


def queue(desk: Desk) -> list[Status]:
    """What waits for the acting person: editors review, reporters fix what came back."""
    actor = desk.actor
    assert actor is not None
    mine = make_slug(actor.name)  # a person, as authors_of tells them apart
    result = []
    for status in statuses(desk):
        row = status.row
        if actor.role == "editor" and status.state == "submitted" and row:
            submitted = desk.record.load_revision(row.submitted_revision or "")
            mine_to_approve = actor.id not in _submitters(desk.record, row.slug)
            if mine_to_approve and mine not in authors_of(submitted):
                result.append(status)
        elif status.state in ("rejected", "changed", "draft", "unreadable"):
            authors = {make_slug(name) for name in status.authors}
            if (row and row.submitted_by == actor.id) or mine in authors:
                result.append(status)
    if actor.role == "editor":
        result += _pages_waiting(desk)
    return result


def _pages_waiting(desk: Desk) -> list[Status]:
    """Submitted static pages that the acting editor never submitted (pipeline.pages)."""
    assert desk.actor is not None
    return [
        Status(row.path, "trang tĩnh", "submitted", None, None)
        for row in desk.record.pages()
        if row.state == "submitted" and desk.actor.id not in _submitters(desk.record, row.path)
    ]


def history(desk: Desk, argument: str) -> list[AuditEntry]:
    """An article's audit trail, or a static page's when ARTICLE is a page path."""
    page = page_path(desk, argument)
    return desk.record.history(page_key(desk, page) if page else slug_of(desk, argument))


def diff(desk: Desk, argument: str) -> str:
    """What changed since the last approved revision (or since submission, if none)."""
    _article, slug, working = working_copy(desk, argument)
    row = desk.record.article(slug)
    base = row and (row.approved_revision or row.submitted_revision)
    old = desk.record.load_revision(base) if base else None
    return text_diff(old, working)
