"""After a rollback (switched back or rebuilt) and after the publish that takes a withdrawn
article off, the record says what readers see: each article's published revision, its
`status`, its history and the rollback's own lines. Real releases in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.record import Record
from tests.workflow_helpers import (
    cli,
    live,
    newsroom_with,
    submit_and_approve,
)

MAY = "2024/05/06"


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    return newsroom_with(tmp_path / "site", "tuan-tra-song-bien", "don-bien-phong")


def _rows(root: Path) -> dict:
    record = Record(load_config(root).record_path)
    try:
        return {row.slug: row for row in record.articles()}
    finally:
        record.close()


def _history(root: Path, slug: str) -> list:
    record = Record(load_config(root).record_path)
    try:
        return record.history(slug)
    finally:
        record.close()


def _say(root: Path, capsys, *args: str) -> str:
    capsys.readouterr()
    assert cli(root, *args) == 0
    return capsys.readouterr().out


def _correct(root: Path, slug: str, old: str, new: str) -> None:
    index = root / "content" / "articles" / "2024" / "05" / slug / "index.md"
    index.write_text(index.read_text("utf-8").replace(old, new), "utf-8")
    assert cli(root, "submit", slug, "--as", "vitoan") == 0
    assert cli(root, "approve", slug, "--as", "hoa", "--correction", "Sửa vị trí.") == 0


@pytest.mark.parametrize("rebuilt", [False, True], ids=["switched-back", "rebuilt"])
def test_rollback_leaves_the_record_and_status_as_the_site_is(newsroom, capsys, rebuilt):
    """A rollback takes off an article the older release never had and puts a corrected one
    back to its text of before: status, the row and each history say so, and so does the
    rollback, whether the older release is switched back in or rebuilt from the record."""
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    first = live(newsroom)
    original = _rows(newsroom)["tuan-tra-song-bien"].published_revision
    _correct(newsroom, "tuan-tra-song-bien", "dọc sông", "dọc bờ sông")
    submit_and_approve(newsroom, "don-bien-phong")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    corrected = _rows(newsroom)["tuan-tra-song-bien"].published_revision
    if rebuilt:  # a release changed after it was verified is rebuilt, never switched in
        (first / "gia-mao.html").write_text("Bài giả mạo", "utf-8")

    said = _say(newsroom, capsys, "rollback", "--as", "bientapvien").splitlines()

    assert (live(newsroom) == first) is not rebuilt
    assert not (live(newsroom) / MAY / "don-bien-phong").exists()
    assert said[1].startswith("Lưu ý: 1 bài trở lại bản trước khi sửa (tuan-tra-song-bien)")
    assert said[2].startswith("Lưu ý: 1 bài rời khỏi trang vì bản phát hành này chưa có")
    assert "(don-bien-phong)" in said[2] and "newsroom publish" in said[2]
    rows = _rows(newsroom)
    assert rows["tuan-tra-song-bien"].published_revision == original != corrected
    assert rows["don-bien-phong"].published_revision is None
    assert _say(newsroom, capsys, "status", "don-bien-phong").startswith(
        "don-bien-phong\tđã duyệt\t"
    )
    assert _say(newsroom, capsys, "status", "tuan-tra-song-bien").startswith(
        "tuan-tra-song-bien\tđã đăng (bản sửa đã duyệt, chờ xuất bản)\t"
    )
    off = _history(newsroom, "don-bien-phong")[-1]
    assert (off.action, off.revision) == ("rollback", rows["don-bien-phong"].approved_revision)
    assert off.detail.startswith("rời khỏi trang")
    back = _history(newsroom, "tuan-tra-song-bien")[-1]
    assert (back.action, back.revision) == ("rollback", original)
    assert f"thay bản {corrected[:12]}" in back.detail

    assert cli(newsroom, "publish", "--as", "bientapvien") == 0  # the editor puts both back
    for slug in ("tuan-tra-song-bien", "don-bien-phong"):
        assert _say(newsroom, capsys, "status", slug).startswith(f"{slug}\tđã đăng\t")
        assert _history(newsroom, slug)[-1].action == "publish"


def test_the_publish_that_takes_a_withdrawn_article_off_dates_it_in_its_history(newsroom, capsys):
    for slug in ("tuan-tra-song-bien", "don-bien-phong"):
        submit_and_approve(newsroom, slug)
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    live_revision = _rows(newsroom)["don-bien-phong"].published_revision
    assert cli(newsroom, "withdraw", "don-bien-phong", "--as", "hoa", "--reason", "Sai") == 0
    assert _history(newsroom, "don-bien-phong")[-1].action == "withdraw"  # still on the site

    assert cli(newsroom, "publish", "--as", "bientapvien") == 0

    release = live(newsroom).name
    left = _history(newsroom, "don-bien-phong")[-1]
    assert (left.action, left.actor, left.revision) == ("publish", "bientapvien", live_revision)
    assert left.detail == f"rời khỏi trang: bài đã gỡ; {release}"
    assert _rows(newsroom)["don-bien-phong"].published_revision is None
    assert cli(newsroom, "publish", "--rebuild", "--as", "bientapvien") == 0
    assert _history(newsroom, "don-bien-phong")[-1] == left  # it left once


def test_a_rollback_that_applies_a_withdrawal_names_it_and_dates_it(newsroom, capsys):
    for slug in ("tuan-tra-song-bien", "don-bien-phong"):
        submit_and_approve(newsroom, slug)
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    _correct(newsroom, "tuan-tra-song-bien", "dọc sông", "dọc bờ sông")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    assert cli(newsroom, "withdraw", "don-bien-phong", "--as", "hoa", "--reason", "Sai") == 0

    said = _say(newsroom, capsys, "rollback", "--as", "bientapvien")

    assert "Đã gỡ khỏi trang 1 bài đã có lệnh gỡ (don-bien-phong)" in said
    assert "rời khỏi trang vì bản phát hành này chưa có" not in said
    left = _history(newsroom, "don-bien-phong")[-1]
    assert (left.action, left.detail.split(";")[0]) == ("rollback", "rời khỏi trang: bài đã gỡ")
    assert _rows(newsroom)["don-bien-phong"].published_revision is None


def test_a_withdrawal_that_an_older_record_left_marked_published_gets_no_late_entry(
    newsroom,
):
    """A record kept before the record followed the site still names the revision of an
    article withdrawn and taken off long ago: the next publish sets it right without writing
    that it left now."""
    for slug in ("tuan-tra-song-bien", "don-bien-phong"):
        submit_and_approve(newsroom, slug)
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    revision = _rows(newsroom)["don-bien-phong"].published_revision
    assert cli(newsroom, "withdraw", "don-bien-phong", "--as", "hoa", "--reason", "Sai") == 0
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    entries = _history(newsroom, "don-bien-phong")
    record = Record(load_config(newsroom).record_path)
    try:  # as an older record left it
        row = record.article("don-bien-phong")
        row.published_revision = revision
        record.save_article(row)
    finally:
        record.close()

    _correct(newsroom, "tuan-tra-song-bien", "dọc sông", "dọc bờ sông")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0

    assert _history(newsroom, "don-bien-phong") == entries
    assert _rows(newsroom)["don-bien-phong"].published_revision is None
