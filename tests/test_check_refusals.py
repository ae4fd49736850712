"""What `check` refuses, submit, approve and publish refuse too, in one line: dates that the
site cannot write back, repeated header fields, and static pages on a taken address."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pipeline.publish import publish
from pipeline.vietnamese import TIMEZONE
from pipeline.workflow import WorkflowError
from tests.workflow_helpers import cli, make_newsroom, story


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    return make_newsroom(tmp_path / "site")


def _one_line(capsys: pytest.CaptureFixture) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    return err


def _set_line(path: Path, start: str, new: str) -> None:
    lines = path.read_text("utf-8").split("\n")
    path.write_text("\n".join(new if line.startswith(start) else line for line in lines), "utf-8")


def test_submit_refuses_an_article_dated_before_1911(newsroom: Path, capsys):
    path = story(newsroom, "bai-cu", "Một câu.")
    _set_line(path, "Date:", "Date: 1900-01-01T00:00:00")
    assert cli(newsroom, "submit", "bai-cu", "--as", "vitoan") == 2
    err = _one_line(capsys)
    assert f"{path}:2: bài còn lỗi: Date" in err and "01/05/1911" in err


def test_approve_refuses_a_date_moved_out_of_range_after_submit(newsroom: Path, capsys):
    path = story(newsroom, "bai-hen", "Một câu.")
    assert cli(newsroom, "submit", "bai-hen", "--as", "vitoan") == 0
    _set_line(path, "Date:", "Date: 0001-01-01T00:00:00+07:00")
    assert cli(newsroom, "approve", "bai-hen", "--as", "bientapvien") == 2
    assert f"{path}:2: bài còn lỗi: Date" in _one_line(capsys)
    assert cli(newsroom, "status") == 0  # nothing out of range reached the record
    assert cli(newsroom, "queue", "--as", "bientapvien") == 0


def test_submit_and_approve_refuse_an_article_with_a_repeated_field(newsroom: Path, capsys):
    path = story(newsroom, "bai-hai", "Một câu.")
    assert cli(newsroom, "submit", "bai-hai", "--as", "vitoan") == 0
    capsys.readouterr()
    _set_line(path, "Slug:", "Slug: bai-hai\nTitle: Bài hai tiêu đề (sửa)")
    assert cli(newsroom, "approve", "bai-hai", "--as", "bientapvien") == 2
    assert f"{path}:8: trường Title lặp lại (đã có ở dòng 1)" in _one_line(capsys)
    assert cli(newsroom, "submit", "bai-hai", "--as", "vitoan") == 2
    assert f"{path}:8: trường Title lặp lại" in _one_line(capsys)


@pytest.mark.parametrize("at", ["1900-01-01 00:00", "2100-01-01 00:00"])
def test_publish_at_outside_the_date_range_is_refused_in_one_line(newsroom: Path, capsys, at):
    assert cli(newsroom, "publish", "--at", at, "--as", "bientapvien") == 2
    err = _one_line(capsys)
    assert f'thời điểm "{at}" nằm ngoài khoảng ngày mà trang nhận' in err
    assert not (newsroom / "output").exists()


def test_schedule_at_outside_the_date_range_is_refused_in_one_line(newsroom: Path, capsys):
    story(newsroom, "bai-hen", "Một câu.")
    assert cli(newsroom, "submit", "bai-hen", "--as", "vitoan") == 0
    assert cli(newsroom, "approve", "bai-hen", "--as", "bientapvien") == 0
    capsys.readouterr()
    assert cli(newsroom, "schedule", "bai-hen", "--at", "1911-04-30 23:59", "--as", "hoa") == 2
    assert "nằm ngoài khoảng ngày mà trang nhận" in _one_line(capsys)
    assert cli(newsroom, "status") == 0


def test_publish_refuses_an_at_outside_the_date_range(newsroom: Path):
    with pytest.raises(WorkflowError, match="nằm ngoài khoảng ngày"):
        publish(newsroom, datetime(1900, 1, 1, tzinfo=TIMEZONE), "bientapvien")
    assert not (newsroom / "output").exists()


@pytest.mark.parametrize(
    ("slug", "says"),
    [
        ("2022", 'slug "2022" trùng với địa chỉ /2022/'),
        ("lien-he", 'slug "lien-he" trùng với trang'),
        ("Bad Slug", 'Slug "Bad Slug" phải là chữ thường ASCII'),
    ],
)
def test_page_submit_and_approve_refuse_a_bad_or_taken_slug(
    newsroom: Path, capsys, slug: str, says: str
):
    path = newsroom / "content" / "pages" / "trang-moi.md"
    path.write_text("Title: Trang mới\nSlug: trang-moi\n\nx\n", "utf-8")
    assert cli(newsroom, "submit", str(path), "--as", "vitoan") == 0
    capsys.readouterr()
    path.write_text(f"Title: Trang mới\nSlug: {slug}\n\nx\n", "utf-8")
    assert cli(newsroom, "approve", str(path), "--as", "bientapvien") == 2
    assert f"{path}:2: trang còn lỗi: {says}" in _one_line(capsys)
    assert cli(newsroom, "submit", str(path), "--as", "vitoan") == 2
    assert f"{path}:2: trang còn lỗi: {says}" in _one_line(capsys)
