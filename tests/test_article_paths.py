"""ARTICLE arguments as reporters type them: paths relative to the project root, and a
content tree where one draft is broken. Real files, real record, the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workflow_helpers import cli, make_newsroom, story

SLUG = "tuan-tra-song-bien"
FOLDER = f"content/articles/2024/05/{SLUG}"


@pytest.fixture
def newsroom(tmp_path: Path, monkeypatch) -> Path:
    """A newsroom with one article, and the project root as the working directory."""
    root = make_newsroom(tmp_path / "site")
    story(root, SLUG, "Tổ tuần tra đi dọc sông biên giới.", photo_color="#224466")
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("argument", [FOLDER, f"{FOLDER}/", f"{FOLDER}/index.md", f"./{FOLDER}"])
def test_check_relative_path_is_not_a_collision_with_itself(newsroom, capsys, argument):
    assert cli(Path("."), "check", argument) == 0
    out = capsys.readouterr().out
    assert "E109" not in out
    assert "Đã kiểm tra 1 bài: 0 lỗi" in out


def test_check_relative_path_still_finds_a_real_collision(newsroom, capsys):
    story(newsroom, SLUG, "Bài khác cùng slug.", folder="bai-khac")
    assert cli(Path("."), "check", FOLDER) == 1
    out = capsys.readouterr().out
    assert f'E109 [lỗi] slug "{SLUG}" trùng với bài content/articles/2024/05/bai-khac' in out


@pytest.mark.parametrize("argument", [f"{FOLDER}/", f"{FOLDER}/index.md"])
def test_workflow_relative_path_submit_approve_status(newsroom, capsys, argument):
    assert cli(Path("."), "submit", argument, "--as", "vitoan") == 0
    assert cli(Path("."), "approve", argument, "--as", "hoa") == 0
    capsys.readouterr()
    assert cli(Path("."), "status", argument) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{SLUG}\tđã duyệt"), captured
    assert captured.err == ""
