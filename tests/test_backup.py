"""`backup` and `restore` keep the record's promises: a bad target gets one line and leaves
no file behind, and a restore never takes back an audit entry or a withdrawal."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.publish import page_files, plan
from pipeline.record import Record
from pipeline.workflow import now
from tests.workflow_helpers import (
    cli,
    one_approved,
    restore_after_losing_record,
    story,
    submit_and_approve,
)

SLUG = "tuan-tra-song-bien"


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    root = one_approved(tmp_path / "site", SLUG)
    return root


def _files(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("khong-co/thu-muc/x.db", "không tồn tại"),
        ("sao-luu", "là một thư mục"),
        ("", "là một thư mục"),
        ("tep-thuong/x.db", "không tồn tại"),
        ("site/var/newsroom.sqlite3", "là chính sổ biên tập"),
    ],
)
def test_backup_bad_target_is_one_line_and_writes_nothing(
    newsroom, tmp_path, capsys, monkeypatch, target, message
):
    (tmp_path / "sao-luu").mkdir()
    (tmp_path / "tep-thuong").write_text("x", "utf-8")
    monkeypatch.chdir(tmp_path)
    before = {folder: _files(folder) for folder in (tmp_path, tmp_path / "sao-luu")}
    record_before = (newsroom / "var" / "newsroom.sqlite3").read_bytes()
    assert cli(newsroom, "backup", target, "--as", "hoa") == 2
    assert message in _one_line(capsys)
    assert {folder: _files(folder) for folder in before} == before
    assert (newsroom / "var" / "newsroom.sqlite3").read_bytes() == record_before


def test_backup_unwritable_folder_is_one_line(newsroom, capsys):
    assert cli(newsroom, "backup", "/proc/sao-luu.sqlite3", "--as", "hoa") == 2
    assert "không ghi được bản sao lưu" in _one_line(capsys)
    assert not Path("/proc/sao-luu.sqlite3").exists()


def test_backup_replaces_an_older_backup_and_leaves_no_temporary(newsroom, tmp_path, capsys):
    target = tmp_path / "sao-luu.sqlite3"
    target.write_bytes(b"old")
    assert cli(newsroom, "backup", str(target), "--as", "hoa") == 0
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
    assert sorted(_files(tmp_path)) == ["sao-luu.sqlite3", "site"]


def _record(root: Path) -> Record:
    return Record(load_config(root).record_path)


def test_restore_keeps_withdrawal_and_audit_made_after_the_backup(newsroom, tmp_path, capsys):
    backup = tmp_path / "sao-luu.sqlite3"
    assert cli(newsroom, "backup", str(backup), "--as", "hoa") == 0
    assert cli(newsroom, "withdraw", SLUG, "--as", "hoa", "--reason", "Sai sự thật") == 0
    capsys.readouterr()

    assert cli(newsroom, "restore", str(backup), "--as", "hoa") == 2
    assert "thiếu 1 mục nhật ký" in _one_line(capsys)
    assert cli(newsroom, "restore", str(backup), "--as", "hoa", "--force") == 0

    record = _record(newsroom)
    try:
        assert record.article(SLUG).state == "withdrawn"
        assert [entry.action for entry in record.history(SLUG)] == ["submit", "approve", "withdraw"]
        assert record.history()[-1].action == "restore"
        manifest = plan(record, now(), page_files(record))
        assert SLUG not in {article.slug for article in manifest.live}
    finally:
        record.close()
    capsys.readouterr()
    assert cli(newsroom, "status", SLUG) == 0
    assert "đã gỡ — lý do: Sai sự thật" in capsys.readouterr().out


def test_restore_into_a_lost_record_brings_the_log_back(newsroom, tmp_path):
    restore_after_losing_record(newsroom, tmp_path / "sao-luu.sqlite3")
    record = _record(newsroom)
    try:
        assert record.article(SLUG).state == "approved"
        assert [e.action for e in record.history(SLUG)] == ["submit", "approve"]
        assert record.history()[-1].action == "restore"
    finally:
        record.close()


@pytest.mark.parametrize("source", ["khong-co.sqlite3", "thu-muc", "hong.sqlite3"])
def test_restore_bad_source_is_one_line(newsroom, tmp_path, capsys, source):
    (tmp_path / "thu-muc").mkdir()
    (tmp_path / "hong.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    before = (newsroom / "var" / "newsroom.sqlite3").read_bytes()
    assert cli(newsroom, "restore", str(tmp_path / source), "--as", "hoa") == 2
    _one_line(capsys)
    assert (newsroom / "var" / "newsroom.sqlite3").read_bytes() == before


def test_restore_keeps_a_withdrawal_of_an_article_the_backup_never_knew(newsroom, tmp_path):
    backup = tmp_path / "sao-luu.sqlite3"
    assert cli(newsroom, "backup", str(backup), "--as", "hoa") == 0
    story(newsroom, "bai-moi", "Bài viết sau lần sao lưu.")
    submit_and_approve(newsroom, "bai-moi")
    assert cli(newsroom, "withdraw", "bai-moi", "--as", "hoa", "--reason", "Sai") == 0
    assert cli(newsroom, "restore", str(backup), "--as", "hoa", "--force") == 0
    record = _record(newsroom)
    try:
        row = record.article("bai-moi")
        assert row.state == "withdrawn"
        assert "Bài viết sau lần sao lưu." in record.load_revision(row.approved_revision).text
        assert "bai-moi" not in {a.slug for a in plan(record, now(), page_files(record)).live}
    finally:
        record.close()


def test_restore_from_a_backup_whose_name_has_uri_characters(newsroom, tmp_path):
    restore_after_losing_record(newsroom, tmp_path / "sao lưu #1? 100%.sqlite3")
    record = _record(newsroom)
    try:
        assert record.article(SLUG).state == "approved"
    finally:
        record.close()


def test_restore_of_the_record_itself_is_refused_and_logs_nothing(newsroom, capsys):
    """`backup` refuses the record as its target; `restore` took it as a source, said it had
    restored, and added a restore entry to the audit log."""
    record = newsroom / "var" / "newsroom.sqlite3"
    before = record.read_bytes()
    assert cli(newsroom, "restore", str(record), "--as", "hoa") == 2
    said = _one_line(capsys)
    assert "là chính sổ biên tập" in said and str(record) in said
    assert record.read_bytes() == before
