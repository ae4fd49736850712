"""`restore` over a record that is damaged or read-only: what fails is named (the backup
only when it is the backup), and a good backup brings a damaged record back without taking
back its audit log or its withdrawals; the damaged file is kept aside."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.publish import page_files, plan
from pipeline.record import Record
from pipeline.workflow import now
from tests.record_faults import damage, read_only
from tests.workflow_helpers import cli, one_approved

SLUG = "tuan-tra-song-bien"


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    root = one_approved(tmp_path / "site", SLUG)
    return root


@pytest.fixture
def backup(newsroom: Path, tmp_path: Path) -> Path:
    path = tmp_path / "sao-luu.sqlite3"
    assert cli(newsroom, "backup", str(path), "--as", "hoa") == 0
    return path


def _record_path(root: Path) -> Path:
    return load_config(root).record_path


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


def _kept_aside(root: Path) -> list[Path]:
    return sorted(_record_path(root).parent.glob("newsroom.sqlite3.hong-*[0-9]"))


def test_restore_over_a_damaged_record_replaces_it_keeping_log_withdrawal_and_damaged_file(
    newsroom, backup, capsys
):
    assert cli(newsroom, "withdraw", SLUG, "--as", "hoa", "--reason", "Sai sự thật") == 0
    damaged = damage(_record_path(newsroom), "articles")
    capsys.readouterr()
    assert cli(newsroom, "status") == 2
    assert "newsroom restore" in _one_line(capsys)  # what `status` tells the editor to do

    assert cli(newsroom, "restore", str(backup), "--as", "hoa", "--force") == 0

    [aside] = _kept_aside(newsroom)
    assert f"Sổ hỏng được cất ở {aside}" in capsys.readouterr().out
    assert aside.read_bytes() == damaged
    assert not list(aside.parent.glob("*.restore"))  # no half-built record left behind
    record = Record(_record_path(newsroom))
    try:
        row = record.article(SLUG)
        assert row.state == "withdrawn" and row.reason == "Sai sự thật"
        assert [e.action for e in record.history(SLUG)] == ["submit", "approve", "withdraw"]
        entry = record.history()[-1]
        assert entry.action == "restore" and aside.name in entry.detail
        assert SLUG not in {a.slug for a in plan(record, now(), page_files(record)).live}
    finally:
        record.close()
    capsys.readouterr()
    assert cli(newsroom, "status", SLUG) == 0
    assert "đã gỡ — lý do: Sai sự thật" in capsys.readouterr().out


def test_restore_over_a_damaged_record_that_loses_rows_needs_force_and_names_the_record(
    newsroom, backup, capsys
):
    record_path = _record_path(newsroom)
    damaged = damage(record_path, "articles")
    capsys.readouterr()
    assert cli(newsroom, "restore", str(backup), "--as", "hoa") == 2
    err = _one_line(capsys)
    assert f"{record_path}:" in err and "hỏng" in err and "--force" in err
    assert str(backup) not in err
    assert record_path.read_bytes() == damaged
    assert _kept_aside(newsroom) == []
    assert not list(record_path.parent.glob("*.restore"))


def test_restore_over_a_damaged_index_whose_rows_all_read_needs_no_force(newsroom, backup, capsys):
    record_path = _record_path(newsroom)
    before = Record(record_path)
    history = before.history()
    before.close()
    damage(record_path, "audit_by_slug")

    assert cli(newsroom, "restore", str(backup), "--as", "hoa") == 0

    assert len(_kept_aside(newsroom)) == 1
    record = Record(record_path)
    try:
        assert record.history()[:-1] == history
        assert record.article(SLUG).state == "approved"
        assert record.db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    finally:
        record.close()


def test_restore_into_a_read_only_record_names_the_record_and_its_write_permission(
    newsroom, backup, capsys
):
    record_path = _record_path(newsroom)
    before = record_path.read_bytes()
    capsys.readouterr()
    with read_only(record_path):
        assert cli(newsroom, "restore", str(backup), "--as", "hoa", "--force") == 2
    err = _one_line(capsys)
    assert f"{record_path}:" in err and "quyền ghi" in err
    assert str(backup) not in err and "bản sao lưu hỏng" not in err
    assert record_path.read_bytes() == before


def test_restore_from_a_damaged_backup_names_the_backup_and_leaves_the_record(
    newsroom, backup, capsys
):
    record_path = _record_path(newsroom)
    damage(backup, "articles")
    before = record_path.read_bytes()
    capsys.readouterr()
    assert cli(newsroom, "restore", str(backup), "--as", "hoa", "--force") == 2
    err = _one_line(capsys)
    assert f"{backup}:" in err and "bản sao lưu hỏng" in err
    assert record_path.read_bytes() == before


@pytest.mark.parametrize("table", ["release_digests", "pending_releases"])
def test_restore_finds_damage_that_merging_would_never_read(newsroom, backup, table):
    """The merge reads only some tables: the record is checked whole (quick_check) first, so
    a damaged page elsewhere is not merged into and left behind."""
    record_path = _record_path(newsroom)
    damaged = damage(record_path, table)
    assert cli(newsroom, "restore", str(backup), "--as", "hoa", "--force") == 0
    [aside] = _kept_aside(newsroom)
    assert aside.read_bytes() == damaged
    with closing(sqlite3.connect(record_path)) as db:
        assert db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
