"""Helpers for workflow and publish tests: a small newsroom with staff, and the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from pipeline.cli import main
from pipeline.publish import PublishResult, publish
from pipeline.samples import approve_samples
from pipeline.staff import add_staff
from pipeline.vietnamese import TIMEZONE
from tests.helpers import REPO, copy_project, write_article, write_photo

# id -> (byline name, role); bientapvien and dinhquang are already in newsroom.toml.
STAFF = {
    "hoa": ("Lê Thị Hoa", "editor"),
    "minhtuan": ("Minh Tuấn", "editor"),  # also the default author of tests.helpers articles
    "vitoan": ("Vi Toàn", "reporter"),
}
PAST = datetime(2024, 5, 6, 7, 0, tzinfo=TIMEZONE)


def make_newsroom(root: Path) -> Path:
    """The project without sample articles, with two more editors and one more reporter; its
    static pages approved through the real commands, as `make site` does."""
    copy_project(root)
    shutil.rmtree(root / "content" / "articles")
    (root / "content" / "articles").mkdir()
    for member_id, (name, role) in STAFF.items():
        add_staff(root, "bientapvien", member_id, name, role)
    approve_samples(root, main, publish=False)
    return root


def story(
    root: Path,
    slug: str,
    sentence: str,
    date: datetime = PAST,
    photo_color: str | None = None,
    **fields,
) -> Path:
    """An article by Vi Toàn with a unique sentence (and, optionally, a unique photo)."""
    body = sentence
    folder = root / "content" / "articles" / f"{date:%Y}" / f"{date:%m}" / slug
    if photo_color:
        write_photo(folder / "anh.jpg", color=photo_color)
        body = f"![Ảnh minh họa {slug}](anh.jpg)\nChú thích ảnh.\nẢnh: Vi Toàn\n\n{sentence}"
    fields.setdefault("authors", "Vi Toàn")
    return write_article(root, slug, date, body=body, **fields)


def cli(root: Path, *args: str) -> int:
    """Run `newsroom --root ROOT ARGS…` in this process, as the console script does."""
    return main(["--root", str(root), *args])


def submit_and_approve(root: Path, slug: str, editor: str = "bientapvien") -> None:
    assert cli(root, "submit", slug, "--as", "vitoan") == 0
    assert cli(root, "approve", slug, "--as", editor) == 0


# The tests' usual articles, each with its own sentence (found in the built pages).
SENTENCES = {
    "tuan-tra-song-bien": "Tổ tuần tra đi dọc sông biên giới.",
    "don-bien-phong": "Đồn Biên phòng đón Tết cùng dân bản.",
}


def newsroom_with(root: Path, *slugs: str) -> Path:
    """A newsroom in `root` with these usual articles written (SENTENCES), none submitted."""
    root = make_newsroom(root)
    for slug in slugs:
        story(root, slug, SENTENCES[slug])
    return root


def one_approved(root: Path, slug: str = "tuan-tra-song-bien") -> Path:
    """A newsroom in `root` with one article submitted and approved, not yet published."""
    root = newsroom_with(root, slug)
    submit_and_approve(root, slug)
    return root


def newsroom_process(root: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    """`newsroom ARGS…` as a separate process (for concurrency and SIGKILL tests)."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "--root", str(root), *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def tree(path: Path) -> dict[str, bytes]:
    """Every file under `path` (following the `output` symlink) with its bytes."""
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def lose_record(root: Path) -> None:
    """The editorial record gone, its WAL too (a disk lost, a folder deleted)."""
    for path in (root / "var").glob("newsroom.sqlite3*"):
        path.unlink()


def restore_after_losing_record(root: Path, backup: Path) -> None:
    """A backup taken now, the record then lost, and restored from that backup (the CLI)."""
    assert cli(root, "backup", str(backup), "--as", "hoa") == 0
    lose_record(root)
    assert cli(root, "restore", str(backup), "--as", "hoa") == 0


def live(root: Path) -> Path:
    return (root / "output").resolve()


def publish_all(root: Path, at: datetime | None = None) -> Path:
    """What `make site` does: every article in content/ submitted by the sample reporter and
    approved by the sample editor through the real commands, then published (as at `at`).
    Returns the live release. Tests of the reader site build through this, never around it."""
    approve_samples(root, main, publish=False, after_publishing=True)
    result = publish(root, at, "bientapvien", rebuild=True)
    assert isinstance(result, PublishResult)
    return result.release
