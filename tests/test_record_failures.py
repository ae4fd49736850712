"""An error of the record file itself is one line that names the file and says what helps:
its write permission for a read-only record, a restore for a damaged one."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from tests.record_faults import damage, read_only
from tests.workflow_helpers import cli, one_approved, story

APPROVED = "tuan-tra-song-bien"
WRITTEN = "don-bien-phong"


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    """One approved article, not yet published, and one written but not submitted."""
    root = one_approved(tmp_path / "site", APPROVED)
    story(root, WRITTEN, "Đồn biên phòng tổ chức họp dân.")
    return root


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    "args",
    [
        ["submit", WRITTEN, "--as", "vitoan"],
        ["withdraw", APPROVED, "--as", "hoa", "--reason", "Sai sự thật"],
        ["publish", "--as", "hoa"],
    ],
    ids=["submit", "withdraw", "publish"],
)
def test_writing_a_read_only_record_names_it_and_says_to_check_its_write_permission(
    newsroom, capsys, args
):
    record_path = load_config(newsroom).record_path
    before = record_path.read_bytes()
    capsys.readouterr()
    with read_only(record_path):
        assert cli(newsroom, *args) == 2
    err = _one_line(capsys)
    assert f"{record_path}: " in err and "quyền ghi" in err
    assert "hãy thử lại" not in err and "restore" not in err  # neither would help
    assert record_path.read_bytes() == before


def test_a_damaged_record_is_named_with_how_to_restore_it(newsroom, capsys):
    record_path = load_config(newsroom).record_path
    damage(record_path, "articles")
    capsys.readouterr()
    assert cli(newsroom, "status") == 2
    err = _one_line(capsys)
    assert f"{record_path}: " in err and "hỏng" in err
    assert "newsroom restore TỆP_SAO_LƯU" in err


def test_a_record_that_cannot_be_opened_names_it_and_what_to_check(newsroom, capsys):
    record_path = load_config(newsroom).record_path
    capsys.readouterr()
    with read_only(record_path.parent):  # its journal cannot be made beside it
        assert cli(newsroom, "status") == 2
    err = _one_line(capsys)
    assert f"{record_path}: " in err
    assert "hãy kiểm tra" in err and "thư mục chứa nó" in err
