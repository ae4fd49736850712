"""Approve the sample articles through the real commands, then publish: what `make site` runs.

It sets up a fresh clone's sample site: an article or static page whose working copy is
already the approved revision is left alone; any other goes through `newsroom submit` (as
the first reporter) and `newsroom approve` (as the first editor who neither submitted nor
wrote it), exactly as people would. Then `newsroom publish --wait` as the first editor, which
also picks up changes to the theme, plugins or settings. Once the site has been published,
it approves nothing more: in a working newsroom `make site` would otherwise publish drafts and
edits no editor has seen. A rejected article or page is never approved by it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .article import read_article
from .config import StaffMember, load_config
from .errors import NewsroomError
from .page_files import page_paths
from .pages import page_revision
from .review import statuses
from .slugs import make_slug
from .workflow import open_desk

Command = Callable[[list[str]], int]


def _first(staff: tuple[StaffMember, ...], role: str, avoid: set[str]) -> StaffMember:
    for member in staff:
        if member.role == role and member.id not in avoid and make_slug(member.name) not in avoid:
            return member
    raise NewsroomError(f"newsroom.toml cần một nhân sự vai trò {role} khác tác giả của bài mẫu")


def _plan(root: Path) -> list[tuple[str, str, list[str]]]:
    """(slug or page path, state, authors' slugs) for each article and page in content/."""
    with open_desk(root, None, need_actor=False) as desk:
        result = []
        for status in statuses(desk):
            if status.folder is None:
                continue
            authors = [make_slug(a) for a in read_article(status.folder).authors]
            result.append((status.slug, status.state, authors))
        for path in page_paths(desk.content):
            row = desk.record.page(path.relative_to(desk.content).as_posix())
            working = page_revision(path).hash
            state = "draft"
            if row and row.approved_revision == working:
                state = "approved"
            elif row and row.state == "submitted" and row.submitted_revision == working:
                state = "submitted"
            result.append((str(path), state, []))
        return result


class CommandFailed(NewsroomError):
    """A command failed; it has already printed its one line, so nothing more is said."""

    def __init__(self, exit_code: int):
        super().__init__("")
        self.exit_code = exit_code


def approve_samples(
    root: Path | str, run: Command, publish: bool = True, after_publishing: bool = False
) -> list[str]:
    """Submit and approve every article not yet approved as it stands (none once the site has
    been published, unless `after_publishing`: tests that stand for an editor), then publish;
    return the slugs approved. A failing command raises CommandFailed."""
    root = Path(root).resolve()
    config = load_config(root)
    base = ["--root", str(root)]
    done = []
    plan = [] if not after_publishing and _published(root) else _plan(root)
    for slug, state, authors in plan:
        if state in ("approved", "scheduled", "published", "withdrawn"):
            continue
        known = _row(root, slug)
        if known is not None and known.state == "rejected":
            continue  # an editor's decision, whatever the working copy says since
        reporter = _first(config.staff, "reporter", set())
        if state != "submitted":
            _run(run, [*base, "submit", slug, "--as", reporter.id])
        row = _row(root, slug)
        submitter = (row.submitted_by if row else None) or reporter.id
        editor = _first(config.staff, "editor", {submitter, *authors})
        _run(run, [*base, "approve", slug, "--as", editor.id, "--note", "Duyệt bài mẫu"])
        done.append(slug)
    if publish:
        publisher = _first(config.staff, "editor", set())
        _run(run, [*base, "publish", "--wait", "--as", publisher.id])
    return done


def _row(root: Path, slug: str):
    """The record's row of an article (by slug) or a static page (by its path)."""
    with open_desk(root, None, need_actor=False) as desk:
        page = Path(slug)
        if page.is_absolute():
            return desk.record.page(page.relative_to(desk.content).as_posix())
        return desk.record.article(slug)


def _published(root: Path) -> bool:
    with open_desk(root, None, need_actor=False) as desk:
        return bool(desk.record.releases())


def _run(run: Command, argv: list[str]) -> None:
    code = run(argv)
    if code:
        raise CommandFailed(code)
