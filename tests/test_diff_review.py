"""`diff` shows what `preview` builds and `approve` approves: the submitted revision, against
the last approved one, named by its hash; for articles and static pages alike."""

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


def _revisions(root: Path, slug: str) -> tuple[str, str]:
    record = Record(load_config(root).record_path)
    try:
        row = record.article(slug) or record.page(slug)
        return row.submitted_revision, row.approved_revision
    finally:
        record.close()


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")


def test_diff_shows_the_submitted_revision_and_its_hash_even_after_the_working_copy_moved(
    newsroom, capsys
):
    submit_and_approve(newsroom, SLUG)
    index = next(newsroom.glob(f"content/articles/*/*/{SLUG}/index.md"))
    _edit(index, "dọc sông", "dọc suối")
    assert cli(newsroom, "submit", SLUG, "--as", "vitoan") == 0
    _edit(index, "dọc suối", "dọc đèo")  # after submission: not what the editor approves
    submitted, approved = _revisions(newsroom, SLUG)
    capsys.readouterr()

    assert cli(newsroom, "diff", SLUG) == 0

    lines = capsys.readouterr().out.splitlines()
    # No approve line: approve refuses while the working copy differs (docs review: the line
    # it printed was refused when copied).
    assert lines[0] == f"Bản chờ duyệt {submitted[:12]} so với bản đã duyệt {approved[:12]}"
    assert cli(newsroom, "approve", SLUG, "--as", "hoa", "--revision", submitted[:12]) == 2
    assert "-Tổ tuần tra đi dọc sông biên giới." in lines
    assert "+Tổ tuần tra đi dọc suối biên giới." in lines
    assert not any("dọc đèo" in line for line in lines)
    assert lines[-1].startswith("Lưu ý: bản làm việc đã sửa sau bản chờ duyệt (sửa index.md")
    _edit(index, "dọc đèo", "dọc suối")  # back to the submitted text
    assert cli(newsroom, "approve", SLUG, "--as", "hoa", "--revision", submitted[:12]) == 0


def test_a_revision_pinned_from_diff_is_refused_once_the_reporter_resubmits(newsroom, capsys):
    submit_and_approve(newsroom, SLUG)
    index = next(newsroom.glob(f"content/articles/*/*/{SLUG}/index.md"))
    _edit(index, "dọc sông", "dọc suối")
    assert cli(newsroom, "submit", SLUG, "--as", "vitoan") == 0
    capsys.readouterr()
    assert cli(newsroom, "diff", SLUG) == 0
    reviewed = capsys.readouterr().out.split("--revision ")[1].split()[0]
    _edit(index, "dọc suối", "dọc đèo")
    assert cli(newsroom, "submit", SLUG, "--as", "vitoan") == 0

    assert cli(newsroom, "approve", SLUG, "--as", "hoa", "--revision", reviewed) == 2

    assert f"bản {reviewed} không phải bản đang chờ duyệt" in capsys.readouterr().err
    assert _revisions(newsroom, SLUG)[1] != _revisions(newsroom, SLUG)[0]


def test_diff_without_a_submission_still_compares_the_working_copy(newsroom, capsys):
    submit_and_approve(newsroom, SLUG)
    index = next(newsroom.glob(f"content/articles/*/*/{SLUG}/index.md"))
    _edit(index, "dọc sông", "dọc suối")
    capsys.readouterr()
    assert cli(newsroom, "diff", SLUG) == 0
    out = capsys.readouterr().out
    assert "+Tổ tuần tra đi dọc suối biên giới." in out and "Bản chờ duyệt" not in out


@pytest.mark.parametrize(
    "argument", ["pages/lien-he.md", "content/pages/lien-he.md", "{root}/content/pages/lien-he.md"]
)
def test_diff_of_a_static_page_takes_what_approve_takes(newsroom, capsys, argument):
    page = newsroom / "content" / "pages" / "lien-he.md"
    page.write_text(page.read_text("utf-8") + "Đường dây nóng mới.\n", "utf-8")
    assert cli(newsroom, "submit", str(page), "--as", "dinhquang") == 0
    submitted, approved = _revisions(newsroom, "pages/lien-he.md")
    argument = argument.format(root=newsroom)
    capsys.readouterr()

    assert cli(newsroom, "diff", argument) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        f"Bản chờ duyệt {submitted[:12]} so với bản đã duyệt {approved[:12]};"
    )
    assert lines[0].endswith(f"newsroom approve pages/lien-he.md --revision {submitted[:12]}")
    assert "+Đường dây nóng mới." in lines
    assert cli(newsroom, "approve", argument, "--as", "hoa", "--revision", submitted[:12]) == 0
