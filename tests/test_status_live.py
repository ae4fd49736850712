"""`status` and `queue` say when an article or a static page is on the site while a newer
revision waits, came back or waits for the next publish, and name the revision under review."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.record import Record
from tests.workflow_helpers import cli, newsroom_with, submit_and_approve

SLUG = "tuan-tra-song-bien"


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    return newsroom_with(tmp_path / "site", SLUG)


def _say(root: Path, capsys, *args: str) -> str:
    capsys.readouterr()
    assert cli(root, *args) == 0
    return capsys.readouterr().out


def _submitted(root: Path, slug: str) -> str:
    record = Record(load_config(root).record_path)
    try:
        return record.article(slug).submitted_revision
    finally:
        record.close()


def test_status_of_a_live_article_says_it_is_live_while_an_update_waits_or_came_back(
    newsroom, capsys
):
    submit_and_approve(newsroom, SLUG)
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    index = next(newsroom.glob(f"content/articles/*/*/{SLUG}/index.md"))
    index.write_text(index.read_text("utf-8").replace("dọc sông", "dọc bờ sông"), "utf-8")
    assert _say(newsroom, capsys, "status", SLUG).startswith(
        f"{SLUG}\tđã đăng (đã sửa sau khi duyệt, chưa gửi duyệt)\t"
    )
    assert cli(newsroom, "submit", SLUG, "--as", "vitoan") == 0
    waiting = f"{SLUG}\tđã đăng (bản sửa chờ duyệt) — bản {_submitted(newsroom, SLUG)[:12]}\t"
    assert _say(newsroom, capsys, "status", SLUG).startswith(waiting)
    assert waiting in _say(newsroom, capsys, "queue", "--as", "hoa")

    assert cli(newsroom, "reject", SLUG, "--as", "hoa", "--reason", "Thiếu nguồn") == 0
    back = f"{SLUG}\tđã đăng (bản sửa bị trả lại) — lý do: Thiếu nguồn\t"
    assert _say(newsroom, capsys, "status", SLUG).startswith(back)
    assert back in _say(newsroom, capsys, "queue", "--as", "vitoan")

    assert cli(newsroom, "submit", SLUG, "--as", "vitoan") == 0
    assert cli(newsroom, "approve", SLUG, "--as", "hoa", "--correction", "Sửa vị trí.") == 0
    assert _say(newsroom, capsys, "status", SLUG).startswith(
        f"{SLUG}\tđã đăng (bản sửa đã duyệt, chờ xuất bản)\t"
    )
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    assert _say(newsroom, capsys, "status", SLUG).startswith(f"{SLUG}\tđã đăng\t")


def test_an_article_never_published_shows_its_submitted_revision_without_live(newsroom, capsys):
    assert cli(newsroom, "submit", SLUG, "--as", "vitoan") == 0
    line = f"{SLUG}\tchờ duyệt — bản {_submitted(newsroom, SLUG)[:12]}\t"
    assert _say(newsroom, capsys, "status", SLUG).startswith(line)
    assert line in _say(newsroom, capsys, "status")


def test_status_lists_static_pages_and_takes_a_page_as_approve_does(newsroom, capsys):
    everything = _say(newsroom, capsys, "status")
    assert "pages/lien-he.md\tđã duyệt\ttrang tĩnh: Liên hệ" in everything  # not yet published
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    assert "pages/lien-he.md\tđã đăng\ttrang tĩnh: Liên hệ" in _say(newsroom, capsys, "status")
    page = newsroom / "content" / "pages" / "lien-he.md"
    page.write_text(page.read_text("utf-8") + "\nĐường dây nóng mới.\n", "utf-8")
    assert "pages/lien-he.md\tđã đăng (đã sửa sau khi duyệt" in _say(newsroom, capsys, "status")
    assert cli(newsroom, "submit", str(page), "--as", "dinhquang") == 0
    record = Record(load_config(newsroom).record_path)
    try:
        revision = record.page("pages/lien-he.md").submitted_revision
    finally:
        record.close()
    waiting = f"pages/lien-he.md\tđã đăng (bản sửa chờ duyệt) — bản {revision[:12]}\t"
    for argument in ("pages/lien-he.md", "content/pages/lien-he.md", str(page)):
        assert _say(newsroom, capsys, "status", argument).startswith(waiting), argument
    assert waiting in _say(newsroom, capsys, "status")
    assert waiting in _say(newsroom, capsys, "queue", "--as", "hoa")
    assert "pages/lien-he.md" not in _say(newsroom, capsys, "queue", "--as", "dinhquang")
    assert cli(newsroom, "approve", "pages/lien-he.md", "--as", "hoa") == 0
    assert _say(newsroom, capsys, "status", "pages/lien-he.md").startswith(
        "pages/lien-he.md\tđã đăng (bản sửa đã duyệt, chờ xuất bản)\t"
    )
