"""`newsroom preview PAGE`: the live site plus a static page's submitted revision, as an
article preview builds an article's. Every test builds real sites into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import page
from tests.workflow_helpers import cli, live, make_newsroom, one_approved, tree

LIVE_PHONE = "069.000.0000"  # content/pages/lien-he.md, approved and published
SUBMITTED_PHONE = "069.111.1111"
UNSUBMITTED_PHONE = "069.222.2222"


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A newsroom with one article and its static pages approved and published."""
    root = one_approved(tmp_path / "site")
    assert cli(root, "publish", "--as", "bientapvien") == 0
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_page_preview_shows_the_submitted_revision_and_leaves_the_live_site_alone(
    published, capsys
):
    contact = published / "content" / "pages" / "lien-he.md"
    _edit(contact, LIVE_PHONE, SUBMITTED_PHONE)
    assert cli(published, "submit", "pages/lien-he.md", "--as", "dinhquang") == 0
    _edit(contact, SUBMITTED_PHONE, UNSUBMITTED_PHONE)  # an edit after submitting
    releases = sorted(p.name for p in (published / "releases").iterdir())
    shown, before = live(published), tree(live(published))
    # An article preview first: the page preview takes from it only what did not change.
    assert cli(published, "preview", "tuan-tra-song-bien", "--as", "hoa") == 0
    capsys.readouterr()

    assert cli(published, "preview", "pages/lien-he.md", "--as", "hoa") == 0

    assert capsys.readouterr().out.strip() == "Bản xem trước: preview/lien-he/"
    html = page(published / "preview", "lien-he/")
    text = html.select_one(".static-page").get_text()
    assert SUBMITTED_PHONE in text
    assert LIVE_PHONE not in text and UNSUBMITTED_PHONE not in text
    assert html.select_one(".preview-banner").get_text() == "BẢN NHÁP – CHƯA DUYỆT"
    assert html.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
    # The rest of the site is the live one: its article, and its other pages as approved.
    assert (published / "preview" / "2024/05/06/tuan-tra-song-bien/index.html").is_file()
    assert "Giới thiệu" in page(published / "preview", "gioi-thieu/").select_one("h1").get_text()
    # Nothing live changed, and no release was made.
    assert live(published) == shown and tree(live(published)) == before
    assert LIVE_PHONE in page(live(published), "lien-he/").select_one(".static-page").get_text()
    assert sorted(p.name for p in (published / "releases").iterdir()) == releases


@pytest.mark.parametrize(
    "argument",
    ["pages/quang-cao.md", "content/pages/quang-cao.md", "{root}/content/pages/quang-cao.md"],
)
def test_page_preview_refuses_a_page_with_nothing_submitted_in_one_line(
    published, capsys, argument
):
    new_page = published / "content" / "pages" / "quang-cao.md"
    new_page.write_text("Title: Quảng cáo\nSlug: quang-cao\n\nBảng giá quảng cáo.\n", "utf-8")
    capsys.readouterr()

    assert cli(published, "preview", argument.format(root=published), "--as", "hoa") != 0

    said = capsys.readouterr().err.strip()
    assert len(said.splitlines()) == 1
    assert "pages/quang-cao.md" in said and "chưa gửi duyệt" in said
    assert "newsroom submit" in said
    assert not (published / "preview").exists()


def test_a_page_with_nothing_submitted_since_its_approval_is_refused_as_an_article_is(
    tmp_path, capsys
):
    root = make_newsroom(tmp_path / "site")  # its static pages approved, nothing submitted
    assert cli(root, "preview", "pages/lien-he.md") == 2
    assert "chưa gửi duyệt" in capsys.readouterr().err
