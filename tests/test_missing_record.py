"""A lost record never empties the live site: commands refuse to start a fresh record beside
a live release, and a publish that would drop every live article needs --force."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.record import Record
from tests.workflow_helpers import (
    cli,
    live,
    make_newsroom,
    newsroom_process,
    story,
    submit_and_approve,
    tree,
)

SLUG = "tuan-tra-song-bien"
SENTENCE = "Tổ tuần tra đi dọc sông biên giới."


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One newsroom with one published article and a backup of its record (built once)."""
    root = make_newsroom(tmp_path_factory.mktemp("published") / "site")
    story(root, SLUG, SENTENCE)
    submit_and_approve(root, SLUG)
    assert cli(root, "publish", "--as", "hoa") == 0
    assert cli(root, "publish", "--as", "hoa", "--rebuild") == 0  # a release to roll back to
    assert cli(root, "backup", str(root.parent / "sao-luu.sqlite3"), "--as", "hoa") == 0
    return root


@pytest.fixture
def newsroom(published: Path, tmp_path: Path) -> Path:
    """A copy of the published newsroom that a test may break (`output` stays a relative link)."""
    shutil.copytree(published.parent, tmp_path / "copy", symlinks=True)
    return tmp_path / "copy" / "site"


def _lose_record(root: Path) -> Path:
    shutil.move(root / "var", root / "var.bak")
    return root / "var" / "newsroom.sqlite3"


def test_publish_if_due_refuses_without_its_record(newsroom):
    record = _lose_record(newsroom)
    before = tree(live(newsroom))
    process = newsroom_process(newsroom, "publish", "--if-due", "--as", "hoa")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2, (out, err)
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(record) in err and "newsroom restore" in err
    assert tree(live(newsroom)) == before
    assert not (newsroom / "var").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["queue", "--as", "hoa"],
        ["history", SLUG],
        ["submit", SLUG, "--as", "vitoan"],
        ["withdraw", SLUG, "--as", "hoa", "--reason", "Sai"],
        ["rollback", "--as", "hoa"],
        ["backup", "/tmp/newsroom-never-written.sqlite3", "--as", "hoa"],
    ],
)
def test_commands_refuse_to_start_a_new_record_beside_a_live_site(newsroom, capsys, args):
    record = _lose_record(newsroom)
    assert cli(newsroom, *args) == 2
    err = capsys.readouterr().err
    assert err == (
        f"newsroom: {record}: không thấy sổ biên tập trong khi trang đang đăng bản "
        f"{live(newsroom).name}; hãy trả sổ về đúng chỗ này hoặc khôi phục bằng "
        "`newsroom restore TỆP_SAO_LƯU`\n"
    )
    assert not (newsroom / "var").exists()


@pytest.mark.parametrize(
    ("source", "actor", "message"),
    [
        ("sao-luu.sqlite3", "vitoan", "chỉ biên tập viên"),
        ("khong-co.sqlite3", "hoa", "không tìm thấy tệp sao lưu"),
    ],
)
def test_refused_restore_of_a_lost_record_creates_nothing(newsroom, capsys, source, actor, message):
    _lose_record(newsroom)
    assert cli(newsroom, "restore", str(newsroom.parent / source), "--as", actor) == 2
    assert message in capsys.readouterr().err
    assert not (newsroom / "var").exists()
    assert cli(newsroom, "status") == 2  # still refused: the record is still missing


def test_restore_brings_a_lost_record_back_and_the_site_stays(newsroom, capsys):
    _lose_record(newsroom)
    assert cli(newsroom, "restore", str(newsroom.parent / "sao-luu.sqlite3"), "--as", "hoa") == 0
    assert cli(newsroom, "publish", "--if-due", "--as", "hoa") == 0
    assert "Không có gì mới" in capsys.readouterr().out


def test_publish_that_drops_every_live_article_needs_force(newsroom, capsys):
    before = tree(live(newsroom))
    record = Record(load_config(newsroom).record_path)
    try:
        record.db.execute("DELETE FROM articles")  # a damaged record that forgot its articles
    finally:
        record.close()
    assert cli(newsroom, "publish", "--if-due", "--as", "hoa") == 2
    err = capsys.readouterr().err
    assert "sẽ gỡ 1 bài đang đăng" in err and "--force" in err
    assert tree(live(newsroom)) == before
    assert cli(newsroom, "publish", "--force", "--as", "hoa") == 0
    assert "Đã xuất bản 0 bài" in capsys.readouterr().out


def test_publish_of_an_unknown_live_site_with_an_empty_record_needs_force(newsroom, capsys):
    record_path = load_config(newsroom).record_path
    for path in record_path.parent.glob(record_path.name + "*"):
        path.unlink()
    Record(record_path).close()  # an empty record, e.g. created by an older version
    releases = sorted(p.name for p in (newsroom / "releases").iterdir())
    assert len(releases) == 2
    assert cli(newsroom, "publish", "--as", "hoa") == 2
    assert "sẽ gỡ mọi bài đang đăng" in capsys.readouterr().err
    assert sorted(p.name for p in (newsroom / "releases").iterdir()) == releases
    assert SENTENCE in (live(newsroom) / "2024" / "05" / "06" / SLUG / "index.html").read_text()
