"""Finding every article's index.md without pathlib's glob, and the per-process caches that
let a check before each submit and approve stay cheap on a large site."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipeline import article_files
from pipeline.article_files import index_files, iter_article_paths, read_once
from pipeline.check import check_paths
from tests.helpers import write_article
from tests.workflow_helpers import PAST


def _touch(path: Path, text: str = "Title: x\n\nThân bài.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    """Names whose order differs between strings and path parts, nesting, links."""
    root = tmp_path / "articles"
    for relative in (
        "2024/05/a/index.md",
        "2024/05/a-b/index.md",
        "2024/05/a.b/index.md",
        "2024/05/a/nested/index.md",
        "2024/05/Z/index.md",
        "2024/05/.hidden/index.md",
        "2024/index.md",
    ):
        _touch(root / relative)
    (root / "2024/05/no-article").mkdir()
    _touch(root / "2024/05/no-article/anh.jpg")
    outside = _touch(tmp_path / "elsewhere" / "dir" / "index.md")
    (root / "2024/06").mkdir()
    (root / "2024/06/linked-folder").symlink_to(outside.parent, target_is_directory=True)
    (root / "2024/06/linked-file").mkdir()
    (root / "2024/06/linked-file/index.md").symlink_to(outside)
    (root / "2024/06/dangling").mkdir()
    (root / "2024/06/dangling/index.md").symlink_to(tmp_path / "missing.md")
    return root


def test_index_files_finds_what_sorted_glob_finds(tricky: Path):
    expected = sorted(tricky.glob("**/index.md"))
    assert [Path(path) for path in index_files(str(tricky))] == expected
    assert iter_article_paths(tricky.parent) == expected


def test_index_files_resolves_only_linked_index_files(tricky: Path):
    resolved = index_files(str(tricky.resolve()), resolve_links=True)
    assert resolved == [str(path.resolve()) for path in sorted(tricky.glob("**/index.md"))]
    assert str((tricky.parent / "elsewhere" / "dir" / "index.md").resolve()) in resolved


def test_index_files_of_a_missing_folder_is_empty(tmp_path: Path):
    assert index_files(str(tmp_path / "missing")) == []


def _scandirs(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = os.scandir

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(article_files.os, "scandir", counting)
    return calls


def test_settled_folders_are_listed_once_and_again_after_a_change(tricky: Path, monkeypatch):
    monkeypatch.setattr(article_files, "SETTLE_NS", 0)  # as if every folder were old
    index_files(str(tricky))
    calls = _scandirs(monkeypatch)
    before = index_files(str(tricky))
    assert calls == []
    time.sleep(0.05)  # past the timestamp granularity
    added = _touch(tricky / "2024/05/moi/index.md")
    after = index_files(str(tricky))
    assert calls == [str(tricky / "2024/05"), str(tricky / "2024/05/moi")]
    assert set(after) == {*before, str(added)}
    assert after == [str(path) for path in sorted(tricky.glob("**/index.md"))]


def test_recently_changed_folder_is_listed_every_time(tricky: Path, monkeypatch):
    """Timestamps are coarse: a folder changed in the same tick as our listing could change
    again without its stat identity changing, so its listing is not kept."""
    index_files(str(tricky))
    calls = _scandirs(monkeypatch)
    index_files(str(tricky))
    assert str(tricky / "2024/05") in calls


def test_read_once_parses_an_unchanged_file_once(tmp_path: Path, monkeypatch):
    path = _touch(tmp_path / "index.md")
    reads: list[str] = []
    real = article_files.read_article
    monkeypatch.setattr(article_files, "read_article", lambda p: reads.append(p) or real(p))
    first = read_once(str(path))
    assert read_once(str(path)) is first
    _touch(path, "Title: khác hẳn\n\nThân bài mới.\n")
    assert read_once(str(path)).title == "khác hẳn"
    assert len(reads) == 2


def test_new_article_in_a_known_folder_collides_at_the_next_check(empty_project: Path):
    """The caches never hide a new article from the slug check of the next action."""
    first = write_article(empty_project, "trung-slug", PAST, folder="bai-mot")
    assert check_paths(empty_project, [str(first)]).errors == 0
    second = write_article(empty_project, "trung-slug", PAST, folder="bai-hai")
    (finding,) = check_paths(empty_project, [str(first)]).findings
    assert finding.code == "E109" and "bai-hai" in finding.message
    (finding,) = check_paths(empty_project, [str(second)]).findings
    assert finding.code == "E109" and "bai-mot" in finding.message
