"""Submitting and approving many articles at once: checked together, each still acted on in
full (transaction, permissions, separation of duties, audit entry), through the library and
through `newsroom submit A B …` / `newsroom approve A B …`."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import article_files, check, desk_index, workflow
from pipeline.errors import ArticleError
from pipeline.staff import PermissionDenied
from pipeline.workflow import (
    approve,
    approve_many,
    open_desk,
    prechecked,
    submit,
    submit_many,
)
from tests.intake_support import jpeg_with_gps
from tests.workflow_helpers import PAST, cli, make_newsroom, story

SLUGS = ["tuan-tra-song-bien", "moc-bien-gioi", "ngu-dan-tren-bien"]


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    root = make_newsroom(tmp_path / "site")
    for slug, color in zip(SLUGS, ("#224466", "#446622", "#662244"), strict=True):
        story(root, slug, f"Câu chuyện riêng của bài {slug}.", photo_color=color)
    return root


def _folder(root: Path, slug: str) -> str:
    return str(root / "content" / "articles" / f"{PAST:%Y}" / f"{PAST:%m}" / slug)


def _folders(root: Path) -> list[str]:
    return [_folder(root, slug) for slug in SLUGS]


def _states(root: Path, slugs=SLUGS) -> list[str | None]:
    with open_desk(root, None, need_actor=False) as desk:
        return [row.state if (row := desk.record.article(slug)) else None for slug in slugs]


def test_batch_submits_and_approves_each_article_with_its_own_audit_entries(newsroom):
    with open_desk(newsroom, "vitoan") as desk:
        submitted = submit_many(desk, SLUGS)
    with open_desk(newsroom, "bientapvien") as desk:
        approved = approve_many(desk, _folders(newsroom), note="Duyệt cả loạt")
        for slug in SLUGS:
            entries = desk.record.history(slug)
            assert [(e.actor, e.action) for e in entries] == [
                ("vitoan", "submit"),
                ("bientapvien", "approve"),
            ]
            assert entries[1].detail == "Duyệt cả loạt"
    assert [row.slug for row in approved] == SLUGS
    assert [row.approved_revision for row in approved] == [
        row.submitted_revision for row in submitted
    ]
    assert _states(newsroom) == ["approved"] * 3


def test_batch_keeps_separation_of_duties(newsroom):
    with open_desk(newsroom, "hoa") as desk:
        submit_many(desk, SLUGS)
        with pytest.raises(PermissionDenied, match="không được tự duyệt bài mình đã gửi"):
            approve_many(desk, SLUGS)
    assert _states(newsroom) == ["submitted"] * 3


def test_batch_refuses_a_check_error_with_the_single_submit_message(newsroom):
    bad = story(newsroom, "thieu-tom-tat", "Thân bài.", summary="").parent
    with open_desk(newsroom, "vitoan") as desk:
        with pytest.raises(ArticleError) as single:
            submit(desk, str(bad))
    arguments = [SLUGS[0], str(bad), SLUGS[1]]
    with open_desk(newsroom, "vitoan") as desk:
        with pytest.raises(ArticleError) as batch:
            submit_many(desk, arguments)
    assert "bài còn lỗi" in str(single.value) and "Summary" in str(single.value)
    assert str(batch.value) == str(single.value)
    assert _states(newsroom, [SLUGS[0], "thieu-tom-tat", SLUGS[1]]) == ["submitted", None, None]


def test_batch_refuses_a_slug_collision_with_the_single_approve_message(newsroom):
    with open_desk(newsroom, "vitoan") as desk:
        submit_many(desk, SLUGS)
    story(newsroom, SLUGS[1], "Bản chép lại dưới thư mục khác.", folder="ban-chep")
    with open_desk(newsroom, "bientapvien") as desk:
        with pytest.raises(ArticleError) as single:
            approve(desk, _folder(newsroom, SLUGS[1]))
    with open_desk(newsroom, "bientapvien") as desk:
        with pytest.raises(ArticleError) as batch:
            approve_many(desk, _folders(newsroom))
    assert "trùng với bài" in str(single.value) and "ban-chep" in str(single.value)
    assert str(batch.value) == str(single.value)
    assert _states(newsroom) == ["approved", "submitted", "submitted"]


def test_article_changed_after_the_batch_check_is_checked_again(newsroom):
    """Findings are reused only while the text and the files beside it are as checked."""
    folders = _folders(newsroom)
    with open_desk(newsroom, "vitoan") as desk, prechecked(desk, folders):
        submit(desk, folders[0])
        index = Path(folders[1]) / "index.md"
        index.write_text(index.read_text("utf-8") + "\n<script>alert(1)</script>\n", "utf-8")
        with pytest.raises(ArticleError, match="liên kết nguy hiểm"):
            submit(desk, folders[1])
        jpeg_with_gps(Path(folders[2]) / "anh.jpg")
        with pytest.raises(ArticleError, match="vị trí GPS"):
            submit(desk, folders[2])
    assert _states(newsroom) == ["submitted", None, None]


def test_config_changed_after_the_batch_check_is_checked_again(newsroom):
    with open_desk(newsroom, "vitoan") as desk:
        submit_many(desk, SLUGS)
    config = newsroom / "newsroom.toml"
    with open_desk(newsroom, "bientapvien") as desk, prechecked(desk, SLUGS):
        config.write_text(config.read_text("utf-8").replace('"Biên giới"', '"Biên cương"'))
        with pytest.raises(ArticleError, match='chuyên mục "Biên giới"'):
            approve(desk, SLUGS[0])
    assert _states(newsroom) == ["submitted"] * 3


def test_batch_looks_at_the_site_once_and_parses_each_article_once(newsroom, monkeypatch):
    walks, parses = [], []
    real_walk, real_read = check.index_files, article_files.read_article
    monkeypatch.setattr(check, "index_files", lambda *a, **k: walks.append(a) or real_walk(*a, **k))
    monkeypatch.setattr(article_files, "read_article", lambda p: parses.append(p) or real_read(p))
    monkeypatch.setattr(desk_index, "read_article", lambda p: parses.append(p) or real_read(p))

    def no_single_check(*args):
        raise AssertionError("checked one by one")

    monkeypatch.setattr(workflow, "run_checks", no_single_check)
    extra = story(newsroom, "bai-khong-gui", "Bài chưa gửi duyệt.")
    with open_desk(newsroom, "vitoan") as desk:
        submit_many(desk, _folders(newsroom))
    assert len(walks) == 1
    expected = [str(Path(folder, "index.md").resolve()) for folder in _folders(newsroom)]
    assert sorted(parses) == sorted([*expected, str(extra.resolve())])


# The command line ----------------------------------------------------------------------------


def test_cli_submits_and_approves_several_articles_and_a_page_one_line_each(newsroom, capsys):
    page = newsroom / "content" / "pages" / "gioi-thieu.md"
    page.write_text(page.read_text("utf-8") + "\nĐoạn mới.\n", "utf-8")
    assert cli(newsroom, "submit", *SLUGS, str(page), "--as", "vitoan") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" (bản")[0] for line in lines] == [
        *(f"Đã gửi duyệt {slug}" for slug in SLUGS),
        "Đã gửi duyệt pages/gioi-thieu.md",
    ]
    assert cli(newsroom, "approve", *SLUGS, "content/pages/gioi-thieu.md", "--as", "hoa") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" (bản")[0] for line in lines] == [
        *(f"Đã duyệt {slug}" for slug in SLUGS),
        "Đã duyệt pages/gioi-thieu.md",
    ]
    assert _states(newsroom) == ["approved"] * 3
    with open_desk(newsroom, None, need_actor=False) as desk:
        assert desk.record.page("pages/gioi-thieu.md").approved_by == "hoa"


@pytest.mark.parametrize("option", [["--revision", "abc"], ["--correction", "Sửa tên"]])
def test_cli_revision_or_correction_with_two_articles_is_refused(newsroom, capsys, option):
    assert cli(newsroom, "submit", *SLUGS[:2], "--as", "vitoan") == 0
    capsys.readouterr()
    assert cli(newsroom, "approve", *SLUGS[:2], *option, "--as", "bientapvien") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "--revision và --correction chỉ dùng khi duyệt một bài" in captured.err
    assert _states(newsroom, SLUGS[:2]) == ["submitted", "submitted"]


def test_cli_stops_at_the_failing_article_and_names_it(newsroom, capsys):
    story(newsroom, "thieu-tom-tat", "Thân bài.", summary="")
    assert cli(newsroom, "submit", SLUGS[0], "thieu-tom-tat", SLUGS[1], "--as", "vitoan") == 2
    captured = capsys.readouterr()
    assert [line.split(" (bản")[0] for line in captured.out.splitlines()] == [
        f"Đã gửi duyệt {SLUGS[0]}"
    ]
    (error,) = captured.err.strip().splitlines()
    assert "bài còn lỗi" in error
    assert error.endswith('(dừng ở "thieu-tom-tat"; 1 bài trước đó đã gửi duyệt)')
    assert _states(newsroom, [SLUGS[0], "thieu-tom-tat", SLUGS[1]]) == ["submitted", None, None]
