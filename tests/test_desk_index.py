"""Desk commands on a large site look again only at the articles that changed since the last
command (pipeline.desk_index), and never show or check what an article said before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import article_files, desk_index
from tests.helpers import write_photo
from tests.workflow_helpers import cli, make_newsroom, story, submit_and_approve

INDEX = desk_index.FOLDER / desk_index.INDEX_FILE


@pytest.fixture
def settled(monkeypatch):
    """Every file counts as settled: no test waits two seconds for its files to age."""
    monkeypatch.setattr(article_files, "SETTLE_NS", -(10**12))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = make_newsroom(tmp_path / "site")
    story(root, "bai-mot", "Câu của bài một.", photo_color="#336699")
    story(root, "bai-hai", "Câu của bài hai.")
    submit_and_approve(root, "bai-mot")
    return root


def _parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = desk_index.read_article
    monkeypatch.setattr(desk_index, "read_article", lambda p: parsed.append(str(p)) or real(p))
    return parsed


def _status(root: Path, capsys) -> dict[str, tuple[str, str]]:
    capsys.readouterr()
    assert cli(root, "status") == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    # articles only: static pages follow them, by path (pages/…)
    return {slug: (state, title) for slug, state, title in rows if not slug.startswith("pages/")}


def _rewrite(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")


def test_a_second_command_reads_no_unchanged_article_and_sees_the_same(
    site, settled, monkeypatch, capsys
):
    first = _status(site, capsys)
    assert (site / INDEX).is_file()
    parsed = _parses(monkeypatch)
    assert _status(site, capsys) == first
    assert cli(site, "check", "bai-hai") == 0
    assert parsed == []  # bai-hai, named, is read in full by check itself, not here
    assert first["bai-mot"][0] == "đã duyệt" and first["bai-hai"][0] == "bản nháp"


def test_an_article_written_since_is_read_again(site, settled, monkeypatch, capsys):
    _status(site, capsys)
    index = site / "content/articles/2024/05/bai-hai/index.md"
    assert index.is_file(), sorted(p.as_posix() for p in site.glob("content/articles/*/*/*"))
    _rewrite(index, "Title: ", "Title: Mới: ")
    parsed = _parses(monkeypatch)
    after = _status(site, capsys)
    assert parsed == [str(index)]
    assert after["bai-hai"][1].startswith("Mới: ")


def test_a_photo_replaced_after_approval_shows_the_article_changed(site, settled, capsys):
    assert _status(site, capsys)["bai-mot"][0] == "đã duyệt"
    photo = next(site.glob("content/articles/*/*/bai-mot/anh.jpg"))
    write_photo(photo, color="#993366")  # same name, new bytes
    assert _status(site, capsys)["bai-mot"][0] == "đã sửa sau khi duyệt"
    photo.unlink()
    assert _status(site, capsys)["bai-mot"][0] == "đã sửa sau khi duyệt"  # and no traceback


def test_a_slug_taken_since_the_last_command_is_a_collision(site, settled, capsys):
    _status(site, capsys)  # every article's slug in the index
    one = next(site.glob("content/articles/*/*/bai-mot/index.md"))
    two = next(site.glob("content/articles/*/*/bai-hai/index.md"))
    _rewrite(one, "Slug: bai-mot", "Slug: trung")
    _rewrite(two, "Slug: bai-hai", "Slug: trung")
    capsys.readouterr()
    assert cli(site, "check", str(two.parent)) == 1
    assert 'slug "trung"' in capsys.readouterr().out


def test_a_file_written_within_the_clock_tick_is_not_kept(site, monkeypatch, capsys):
    monkeypatch.setattr(article_files, "SETTLE_NS", 10**15)  # every file written "just now"
    first = _status(site, capsys)
    kept = json.loads((site / INDEX).read_text("utf-8"))
    assert kept["glances"] == {} and kept["hashes"] == {}
    parsed = _parses(monkeypatch)
    assert _status(site, capsys) == first
    assert len(parsed) == 2  # read again by the next command


@pytest.mark.parametrize("damage", ["not json", "wrong shape", "wrong types", "other format"])
def test_a_damaged_index_only_makes_the_command_read_everything(
    site, settled, monkeypatch, capsys, damage
):
    first = _status(site, capsys)
    path = site / INDEX
    kept = json.loads(path.read_text("utf-8"))
    if damage == "not json":
        path.write_bytes(b"\x00{")
    elif damage == "wrong shape":
        path.write_text(json.dumps({"format": 1, "glances": [1, 2]}), "utf-8")
    elif damage == "wrong types":
        for entry in kept["glances"].values():
            entry[1] = [5, None, "x", [[1, "a"]]]
        for entry in kept["hashes"].values():
            entry[1] = 7
        path.write_text(json.dumps(kept), "utf-8")
    else:
        path.write_text(json.dumps({**kept, "format": 0}), "utf-8")
    parsed = _parses(monkeypatch)
    assert _status(site, capsys) == first
    assert len(parsed) == 2
    parsed.clear()
    assert _status(site, capsys) == first
    assert parsed == []  # written again whole


def test_a_deleted_article_leaves_the_index(site, settled, capsys):
    _status(site, capsys)
    folder = next(site.glob("content/articles/*/*/bai-hai"))
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    story(site, "bai-ba", "Câu của bài ba.")
    assert set(_status(site, capsys)) == {"bai-mot", "bai-ba"}
    kept = json.loads((site / INDEX).read_text("utf-8"))
    assert not any("bai-hai" in key for key in kept["glances"])


def test_a_same_size_edit_with_its_mtime_set_back_is_read_again(site, settled, capsys):
    _status(site, capsys)
    index = next(site.glob("content/articles/*/*/bai-hai/index.md"))
    before = index.stat()
    text = index.read_text("utf-8")
    index.write_text(text.replace("Title: Bài bai-hai", "Title: Bài bai-HAI"), "utf-8")
    os.utime(index, ns=(before.st_atime_ns, before.st_mtime_ns))  # only the ctime tells
    assert index.stat().st_size == before.st_size
    assert _status(site, capsys)["bai-hai"][1] == "Bài bai-HAI"


def test_odd_photo_files_are_missing_photos_not_a_hang_or_a_traceback(site, settled, capsys):
    folder = next(site.glob("content/articles/*/*/bai-mot"))
    _status(site, capsys)
    (folder / "anh.jpg").unlink()
    os.mkfifo(folder / "anh.jpg")  # reading it would wait forever
    assert _status(site, capsys)["bai-mot"][0] == "đã sửa sau khi duyệt"
    (folder / "anh.jpg").unlink()
    (folder / "anh.jpg").symlink_to("/dev/null")
    assert _status(site, capsys)["bai-mot"][0] == "đã sửa sau khi duyệt"
    _rewrite(folder / "index.md", "](anh.jpg)", "](a\x00b.jpg)")
    assert _status(site, capsys)["bai-mot"][0] == "đã sửa sau khi duyệt"


def test_a_folder_name_that_is_not_utf8_is_kept_and_read_back(site, settled, capsys):
    month = next(site.glob("content/articles/*/*/bai-hai")).parent
    odd = os.path.join(os.fsencode(month), b"bai-\xff")
    os.mkdir(odd)
    text = (month / "bai-hai" / "index.md").read_text("utf-8").replace("bai-hai", "bai-la")
    with open(os.path.join(odd, b"index.md"), "w", encoding="utf-8") as file:
        file.write(text)
    first = _status(site, capsys)
    assert "bai-la" in first
    assert _status(site, capsys) == first
    assert "bai-\\udcff" in (site / INDEX).read_text("ascii")  # kept, as an escape


def test_a_command_that_fails_keeps_nothing(site, settled, capsys):
    (site / INDEX).unlink(missing_ok=True)
    index = next(site.glob("content/articles/*/*/bai-hai/index.md"))
    _rewrite(index, "Câu của bài hai.", "Câu <script>alert(1)</script>")
    assert cli(site, "check", str(index.parent)) == 1  # the others looked at, then a finding
    assert not (site / INDEX).exists()


def test_an_entry_of_the_wrong_shape_is_read_again(site, settled, monkeypatch, capsys):
    first = _status(site, capsys)
    kept = json.loads((site / INDEX).read_text("utf-8"))
    for table in ("glances", "hashes"):
        kept[table] = {key: {} for key in kept[table]}
    (site / INDEX).write_text(json.dumps(kept), "utf-8")
    assert _status(site, capsys) == first


def test_a_pipe_named_index_md_is_reported_not_waited_on(site, settled):
    folder = next(site.glob("content/articles/*/*/bai-mot")).parent / "bai-ong"
    folder.mkdir()
    os.mkfifo(folder / "index.md")  # reading it would wait forever
    command = [sys.executable, "-m", "pipeline.cli", "--root", str(site), "status"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr
    assert "bai-ong/index.md" in done.stdout + done.stderr
    assert "không phải tệp thường" in done.stdout + done.stderr
