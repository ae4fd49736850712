"""The editorial workflow: who may move an article from which state, recorded as it happens.

States live in the record (submitted, approved, rejected, withdrawn); what a
person sees (draft, scheduled, published, changed-since-approval) is derived
from the record, the clock and the working copy. The rules are a table:
action -> roles allowed and states it may start from. Separation of duties:
nobody approves an article that they submitted or whose Authors include
their byline name. Each action is one transaction with its audit entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from .article import (
    Article,
    DateOutOfRange,
    format_datetime,
    out_of_range,
    parse_datetime,
    parse_list,
    parse_text,
)
from .article_files import FolderState, Identity, file_identity, folder_state
from .check import ERROR, Checked, Finding, check_articles, run_checks
from .config import CONFIG_NAME, Config, StaffMember, load_config
from .errors import ArticleError, ArticleNotFoundError, NewsroomError
from .manifest import ARTICLES_DIR as MANIFEST_ARTICLES
from .record import ArticleRecord, Correction, Record, require_record
from .releases import current_release
from .resolver import article_slug, resolve_article
from .revisions import Revision, describe_changes, read_revision, short
from .slugs import make_slug
from .staff import PermissionDenied, resolve_actor
from .vietnamese import TIMEZONE, nfc


class WorkflowError(NewsroomError):
    """The action does not fit the article's state, or the revision is not the right one."""


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    states: frozenset[str | None]  # stored states it may start from; None: not yet recorded
    refusal: str  # why not, when the state does not allow it


ANY_ROLE = frozenset({"reporter", "editor"})
EDITOR = frozenset({"editor"})
RULES: dict[str, Rule] = {
    "submit": Rule(
        ANY_ROLE,
        frozenset({None, "submitted", "rejected", "approved"}),
        "bài đã bị gỡ, không gửi duyệt lại được",
    ),
    "approve": Rule(EDITOR, frozenset({"submitted"}), "chỉ duyệt được bài đang chờ duyệt"),
    "reject": Rule(EDITOR, frozenset({"submitted"}), "chỉ trả lại được bài đang chờ duyệt"),
    "schedule": Rule(EDITOR, frozenset({"approved"}), "chỉ hẹn giờ được bài đã duyệt"),
    "feature": Rule(
        EDITOR, frozenset({"approved", "submitted", "rejected"}), "chỉ chọn được bài đã duyệt"
    ),
    "withdraw": Rule(
        EDITOR,
        frozenset({"approved", "submitted", "rejected"}),
        "chỉ gỡ được bài đã từng được duyệt",
    ),
}

STATE_LABELS = {
    "draft": "bản nháp",
    "submitted": "chờ duyệt",
    "approved": "đã duyệt",
    "scheduled": "hẹn giờ đăng",
    "published": "đã đăng",
    "rejected": "bị trả lại",
    "changed": "đã sửa sau khi duyệt",
    "withdrawn": "đã gỡ",
    "unreadable": "không đọc được",
}

# An article's stored state, as the subject of a sentence: `bài "x" đã được duyệt: …`
STATE_PHRASES: dict[str | None, str] = {
    None: "chưa được gửi duyệt",
    "submitted": "đang chờ duyệt",
    "approved": "đã được duyệt",
    "rejected": "đã bị trả lại",
}

ACTION_LABELS = {
    "submit": "gửi duyệt",
    "approve": "duyệt",
    "reject": "trả lại",
    "schedule": "hẹn giờ",
    "feature": "chọn làm bài đinh",
    "withdraw": "gỡ bài",
    "publish": "xuất bản",
    "rollback": "quay lại bản trước",
    "restore": "khôi phục sổ biên tập",
}


@dataclass(frozen=True)
class Precheck:
    """An article checked ahead of its action, with what its findings depend on."""

    checked: Checked
    folder: FolderState  # the files beside the text: photos, other images
    config: Identity | None  # newsroom.toml: sections and glossary


@dataclass
class Desk:
    """One person at the editorial desk: config, record and who is acting."""

    config: Config
    record: Record
    actor: StaffMember | None
    # Articles checked together (see `prechecked`), by the real path of their index.md.
    prechecks: dict[str, Precheck] = field(default_factory=dict)

    @property
    def content(self) -> Path:
        return self.config.content_path


@contextmanager
def open_desk(
    root: Path | str, given_actor: str | None, need_actor: bool = True, new_record: bool = False
) -> Iterator[Desk]:
    """The desk; a missing record is created only for a new newsroom (no live site) or when
    `new_record` (restore)."""
    config = load_config(root)
    actor = resolve_actor(config, given_actor) if need_actor or given_actor else None
    if not new_record:
        require_record(config.record_path, current_release(config.root))
    record = Record(config.record_path)
    try:
        yield Desk(config, record, actor)
    finally:
        record.close()


def now() -> datetime:
    return datetime.now(TIMEZONE).replace(microsecond=0)


def parse_at(text: str) -> datetime:
    """`YYYY-MM-DD HH:MM` in Asia/Ho_Chi_Minh, as `--at` takes it."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", text.strip()):
        raise WorkflowError(
            f'thời điểm "{text}" phải có dạng "YYYY-MM-DD HH:MM", ví dụ "2024-05-06 07:00"'
        )
    try:
        return parse_datetime(text.strip())
    except DateOutOfRange:
        raise WorkflowError(
            out_of_range(f'thời điểm "{text}"') + "; hãy chọn thời điểm khác"
        ) from None
    except ValueError:
        raise WorkflowError(f'thời điểm "{text}" không có thật; hãy kiểm tra ngày giờ') from None


# Checks --------------------------------------------------------------------


def _require_clean(desk: Desk, article: Article) -> None:
    """`check` errors block submit and approve."""
    refuse_errors(_findings(desk, article), "bài")


def refuse_errors(findings: list[Finding], what: str) -> None:
    """One line naming the first error of `findings` (of an article or a page: `what`)."""
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        first = errors[0]
        more = f" (và {len(errors) - 1} lỗi khác; chạy newsroom check)" if len(errors) > 1 else ""
        raise ArticleError(f"{what} còn lỗi: {first.message}{more}", first.path, first.line)


def _findings(desk: Desk, article: Article) -> list[Finding]:
    """The article's findings: from its precheck while what they depend on is unchanged (its
    text as parsed, the files in its folder, newsroom.toml), else from a check now."""
    if desk.prechecks:
        path = article.path.resolve()
        known = desk.prechecks.get(str(path))
        if (
            known is not None
            and known.checked.article is not None
            and _same_text(known.checked.article, article)
            and known.folder == folder_state(path.parent)
            and known.config == file_identity(desk.config.root / CONFIG_NAME)
        ):
            return known.checked.findings
    return run_checks(article, desk.config)


def _same_text(checked: Article, current: Article) -> bool:
    return (
        checked.fields,
        checked.field_lines,
        checked.body,
        checked.body_line,
        checked.photos,
    ) == (
        current.fields,
        current.field_lines,
        current.body,
        current.body_line,
        current.photos,
    )


@contextmanager
def prechecked(desk: Desk, arguments: Iterable[str]) -> Iterator[None]:
    """Check the named articles together, with one look at the whole site instead of one per
    article; each `submit` or `approve` in the block then reuses its article's findings while
    they still hold (see `_findings`), and checks again otherwise. Other articles are seen as
    they were when the block began. Each action still runs in full: its own transaction,
    permission and separation-of-duties checks and audit entry. An argument that names no
    article is skipped here and reported by its own action."""
    articles = (desk.content / "articles").resolve()
    targets = {}
    for argument in arguments:
        try:
            path = resolve_article(argument, desk.content).path.resolve()
        except NewsroomError:
            continue
        if path.is_relative_to(articles):  # others are refused by working_copy
            targets[path] = folder_state(path.parent)  # before the check reads anything
    config = file_identity(desk.config.root / CONFIG_NAME)
    try:
        checked = check_articles(desk.config.root, list(targets))
    except NewsroomError:
        checked = {}  # each action checks on its own, and reports what is wrong
    desk.prechecks = {
        str(path): Precheck(found, targets[path], config) for path, found in checked.items()
    }
    try:
        yield
    finally:
        desk.prechecks = {}


# Looking articles up -------------------------------------------------------


def working_copy(desk: Desk, argument: str) -> tuple[Article, str, Revision]:
    """The article's working copy, which must live in this project's content/articles."""
    article = resolve_article(argument, desk.content)
    if not article.folder.resolve().is_relative_to((desk.content / "articles").resolve()):
        raise ArticleNotFoundError(
            f"bài phải nằm trong {desk.content / 'articles'}; hãy chuyển thư mục bài vào đó "
            "(newsroom new hoặc newsroom import)",
            article.path,
        )
    return article, article_slug(article), read_revision(article)


def slug_of(desk: Desk, argument: str) -> str:
    """The slug ARTICLE names: a working copy, or a slug only the record still knows (also
    when a folder of that name now holds another slug: the record's article is the one)."""
    try:
        slug = article_slug(resolve_article(argument, desk.content))
    except (ArticleNotFoundError, ArticleError):  # gone, or its working copy is broken
        if desk.record.article(argument):
            return argument
        raise
    if slug != argument and desk.record.article(argument) is not None:
        return argument
    return slug


def _allow(desk: Desk, action: str, row: ArticleRecord | None, slug: str) -> StaffMember:
    rule = RULES[action]
    actor = desk.actor
    if actor is None or actor.role not in rule.roles:
        raise PermissionDenied(
            f"chỉ biên tập viên mới được {ACTION_LABELS[action]}",
            desk.config.root / "newsroom.toml",
        )
    state = row.state if row else None
    if state == "withdrawn":
        raise WorkflowError(
            f'bài "{slug}" đã bị gỡ; gỡ bài là vĩnh viễn, không {ACTION_LABELS[action]} được nữa'
        )
    if state not in rule.states:
        raise WorkflowError(f'bài "{slug}" {STATE_PHRASES[state]}: {rule.refusal}')
    return actor


def _log(desk: Desk, at: datetime, action: str, slug: str, revision: str | None, detail=""):
    assert desk.actor is not None
    desk.record.log(format_datetime(at), desk.actor.id, action, slug, revision, detail)


def _require_text(value: str | None, option: str) -> str:
    if not value or not value.strip():
        raise WorkflowError(f"cần {option} với nội dung cụ thể")
    return nfc(value.strip())


# Actions -------------------------------------------------------------------


def submit(desk: Desk, argument: str) -> ArticleRecord:
    article, slug, revision = working_copy(desk, argument)
    _require_clean(desk, article)
    at = now()
    folder = str(article.folder.relative_to(desk.config.root))
    with desk.record.transaction():
        row = desk.record.article(slug)
        actor = _allow(desk, "submit", row, slug)
        _keep_slug(desk, article, slug, folder)
        desk.record.store_revision(slug, revision, format_datetime(at))
        row = replace(
            row or ArticleRecord(slug, "", "submitted"),
            folder=folder,
            state="submitted",
            submitted_revision=revision.hash,
            submitted_by=actor.id,
            submitted_at=format_datetime(at),
            reason=None,
        )
        desk.record.save_article(row)
        _log(desk, at, "submit", slug, revision.hash)
    return row


def _keep_slug(desk: Desk, article: Article, slug: str, folder: str) -> None:
    """A slug is written once: the article's URL. A folder already submitted under another
    slug would become a second article, its first one staying approved or on the site."""
    earlier = [other for other in desk.record.slugs_in(folder) if other != slug]
    if earlier:
        raise WorkflowError(
            f'bài này đã gửi duyệt với slug "{earlier[0]}"; slug không đổi sau khi gửi (địa chỉ '
            f'bài phải giữ nguyên): hãy để lại "Slug: {earlier[0]}"',
            article.path,
            article.field_lines.get("Slug"),
        )


def authors_of(revision: Revision) -> set[str]:
    """The revision's authors as the site tells them apart: by the slug of their author page
    (`/tac-gia/<slug>/`), so spacing, case and accents do not make another person."""
    fields = parse_text(revision.text, Path("index.md")).fields
    return {make_slug(name) for name in parse_list(fields.get("Authors", ""))}


def _submitters(record: Record, slug: str) -> set[str]:
    """Everyone who ever submitted any revision of the article, from the audit log: a second
    submitter does not clear the first one's conflict of interest."""
    return {entry.actor for entry in record.history(slug) if entry.action == "submit"}


def approvable_revision(desk: Desk, actor: StaffMember, row, key: str, wanted: str | None):
    """The submitted revision that an approval of `key` (article slug or page path) applies to,
    after the checks every approval makes: the revision asked for, and separation of duties."""
    assert row is not None and row.submitted_revision
    if wanted and not row.submitted_revision.startswith(wanted):
        raise WorkflowError(
            f"bản {wanted} không phải bản đang chờ duyệt ({short(row.submitted_revision)})"
        )
    submitted = desk.record.load_revision(row.submitted_revision)
    _separate_duties(actor, row, submitted, _submitters(desk.record, key))
    return submitted


def _separate_duties(
    actor: StaffMember, row: ArticleRecord, submitted: Revision, submitters: set[str]
) -> None:
    if row.submitted_by == actor.id or actor.id in submitters:
        raise PermissionDenied(
            f'không được tự duyệt bài mình đã gửi ("{row.slug}"); hãy nhờ biên tập viên khác duyệt'
        )
    if make_slug(actor.name) in authors_of(submitted):
        raise PermissionDenied(
            f'không được duyệt bài mình là tác giả ("{row.slug}"); hãy nhờ biên tập viên khác duyệt'
        )


def _publication_time(article: Article) -> str:
    """The Date field, the default publication time, as the record stores it."""
    try:
        return format_datetime(parse_datetime(article.fields.get("Date", "")))
    except ValueError:
        line = article.field_lines.get("Date")
        raise ArticleError("Date phải có dạng ISO 8601 có giờ", article.path, line) from None


def approve(
    desk: Desk,
    argument: str,
    revision: str | None = None,
    note: str = "",
    correction: str | None = None,
) -> ArticleRecord:
    article, slug, working = working_copy(desk, argument)
    _require_clean(desk, article)
    at = now()
    with desk.record.transaction():
        row = desk.record.article(slug)
        actor = _allow(desk, "approve", row, slug)
        submitted = approvable_revision(desk, actor, row, slug, revision)
        if working.hash != submitted.hash:
            changes = "; ".join(describe_changes(submitted, working))
            raise WorkflowError(
                f"bài đã sửa sau khi gửi duyệt ({changes}); phóng viên cần gửi duyệt lại",
                article.path,
            )
        if correction is not None:
            correction = _require_text(correction, "--correction")
            if not row.published_revision:
                raise WorkflowError("--correction chỉ dùng cho bài đã đăng")
            desk.record.add_correction(
                Correction(slug, working.hash, format_datetime(at), correction)
            )
        republished = row.published_revision and row.published_revision != working.hash
        publish_at = row.publish_at or _publication_time(article)
        row = replace(
            row,
            state="approved",
            approved_revision=working.hash,
            approved_by=actor.id,
            approved_at=format_datetime(at),
            publish_at=publish_at,
            modified=format_datetime(at) if republished else row.modified,
            reason=None,
        )
        desk.record.save_article(row)
        detail = "; ".join(
            part
            for part in (nfc(note.strip()), f"Đính chính: {correction}" if correction else "")
            if part
        )
        _log(desk, at, "approve", slug, working.hash, detail)
    return row


def submit_many(desk: Desk, arguments: list[str]) -> list[ArticleRecord]:
    """`submit` for each article in turn, checked together (see `prechecked`). Stops at the
    first that fails, with its error; the ones before it stay submitted."""
    with prechecked(desk, arguments):
        return [submit(desk, argument) for argument in arguments]


def approve_many(desk: Desk, arguments: list[str], note: str = "") -> list[ArticleRecord]:
    """`approve` for each article in turn (its submitted revision), checked together (see
    `prechecked`). Stops at the first that fails, with its error; the ones before it stay
    approved."""
    with prechecked(desk, arguments):
        return [approve(desk, argument, note=note) for argument in arguments]


def reject(desk: Desk, argument: str, reason: str) -> ArticleRecord:
    slug = slug_of(desk, argument)
    reason = _require_text(reason, "--reason (lý do trả lại)")
    at = now()
    with desk.record.transaction():
        row = desk.record.article(slug)
        _allow(desk, "reject", row, slug)
        assert row is not None
        row = replace(row, state="rejected", reason=reason)
        desk.record.save_article(row)
        _log(desk, at, "reject", slug, row.submitted_revision, reason)
    return row


def schedule(desk: Desk, argument: str, when: datetime) -> ArticleRecord:
    slug = slug_of(desk, argument)
    at = now()
    with desk.record.transaction():
        row = desk.record.article(slug)
        _allow(desk, "schedule", row, slug)
        assert row is not None
        if row.first_published:
            raise WorkflowError(
                f'bài "{slug}" đã đăng lúc {row.first_published}; không hẹn giờ lại'
            )
        if when <= at:  # the publication time dates the URL: a slip of the year buries it
            raise WorkflowError(
                f"--at {format_datetime(when)} đã qua; hẹn giờ là để đăng sau này — hãy chọn "
                "thời điểm sắp tới, hoặc để bài đăng ở lần xuất bản tới theo Date của bài"
            )
        row = replace(row, publish_at=format_datetime(when))
        desk.record.save_article(row)
        _log(desk, at, "schedule", slug, row.approved_revision, format_datetime(when))
    return row


def feature(desk: Desk, argument: str) -> ArticleRecord:
    slug = slug_of(desk, argument)
    at = now()
    with desk.record.transaction():
        row = desk.record.article(slug)
        _allow(desk, "feature", row, slug)
        assert row is not None
        if not row.approved_revision:
            raise WorkflowError(f'bài "{slug}" chưa được duyệt: {RULES["feature"].refusal}')
        row = replace(row, featured_at=format_datetime(at))
        desk.record.save_article(row)
        _log(desk, at, "feature", slug, row.approved_revision)
    return row


def withdraw(desk: Desk, argument: str, reason: str) -> ArticleRecord:
    slug = slug_of(desk, argument)
    reason = _require_text(reason, "--reason (lý do gỡ bài)")
    at = now()
    with desk.record.transaction():
        row = desk.record.article(slug)
        actor = _allow(desk, "withdraw", row, slug)
        assert row is not None
        if not row.approved_revision:
            raise WorkflowError(f'bài "{slug}": {RULES["withdraw"].refusal}')
        row = replace(
            row,
            state="withdrawn",
            withdrawn_at=format_datetime(at),
            withdrawn_by=actor.id,
            reason=reason,
            featured_at=None,
        )
        desk.record.save_article(row)
        _log(desk, at, "withdraw", slug, row.approved_revision, reason)
    return row


def linking_to(desk: Desk, slug: str) -> list[str]:
    """The articles and static pages whose approved text links the article `slug`
    (`{filename}/articles/<slug>/index.md`, the one form `check` lets through): once it is
    withdrawn, their links lead to its withdrawal notice."""
    return desk.record.texts_containing(f"/{MANIFEST_ARTICLES}/{slug}/index.md", slug)
