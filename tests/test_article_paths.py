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


BROKEN = "ban-nhap-hong"


@pytest.fixture
def broken(newsroom: Path) -> Path:
    """Another reporter's draft saved in a legacy encoding: not UTF-8."""
    index = newsroom / "content" / "articles" / "2024" / "05" / BROKEN / "index.md"
    index.parent.mkdir(parents=True)
    index.write_bytes("Title: Bản nháp hỏng\n\nNội dung.\n".encode("utf-16"))
    return index


@pytest.mark.parametrize(
    "args",
    [
        ["submit", SLUG, "--as", "vitoan"],
        ["queue", "--as", "hoa"],
        ["status"],
        ["status", SLUG],
        ["history", SLUG],
        ["diff", SLUG],
    ],
)
def test_resolver_one_broken_draft_blocks_nobody_else(newsroom, broken, capsys, args):
    assert cli(Path("."), *args) == 0
    assert capsys.readouterr().err == ""


def test_status_lists_a_broken_draft_with_its_error(newsroom, broken, capsys):
    assert cli(Path("."), "submit", SLUG, "--as", "vitoan") == 0
    capsys.readouterr()
    assert cli(Path("."), "status") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{SLUG}\tchờ duyệt")
    assert lines[1].startswith(
        f"{BROKEN}\tkhông đọc được — {broken}:1: tệp không phải UTF-8; hãy lưu lại với mã UTF-8"
    )


def test_resolver_reports_the_broken_draft_when_it_is_the_one_asked_for(newsroom, broken, capsys):
    assert cli(Path("."), "submit", BROKEN, "--as", "vitoan") == 2
    err = capsys.readouterr().err
    assert err == f"newsroom: {broken}:1: tệp không phải UTF-8; hãy lưu lại với mã UTF-8\n"


def test_withdraw_and_history_work_when_the_working_copy_broke(newsroom, capsys):
    assert cli(Path("."), "submit", SLUG, "--as", "vitoan") == 0
    assert cli(Path("."), "approve", SLUG, "--as", "hoa") == 0
    (newsroom / FOLDER / "index.md").write_bytes(b"\xff\xfe\x00broken")
    assert cli(Path("."), "withdraw", SLUG, "--as", "hoa", "--reason", "Sai sự thật") == 0
    capsys.readouterr()
    assert cli(Path("."), "history", SLUG) == 0
    assert "gỡ bài" in capsys.readouterr().out
    assert cli(Path("."), "status", SLUG) == 0
    assert capsys.readouterr().out.startswith(f"{SLUG}\tkhông đọc được — ")
