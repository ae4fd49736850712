"""A strict path to the public site: any problem fails it with one line, and the live site
stays as it was. Content goes live through `make site`'s path (submit, approve, publish), so
a problem is caught by `submit`'s checks or by the strict build, whichever comes first."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.build import run_pelican
from pipeline.cli import main
from pipeline.errors import BuildError, NewsroomError
from pipeline.vietnamese import TIMEZONE
from tests.helpers import REPO, SEED_SLUG, write_article, write_photo
from tests.workflow_helpers import publish_all


def _make_site(root: Path) -> subprocess.CompletedProcess:
    """What `make site` runs, its sample editor standing for the desk (`--all`): every article
    in content/ submitted and approved, then publish."""
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "approve_samples.py"), str(root), "--all"],
        capture_output=True,
        text=True,
    )


def _snapshot(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in output.rglob("*") if p.is_file()}


@pytest.fixture
def live_project(empty_project: Path) -> Path:
    """A small project with one good article, already built and live."""
    folder = write_article(
        empty_project,
        "tuan-tra-song-phuong",
        datetime(2023, 2, 1, 9, tzinfo=TIMEZONE),
        body=(
            "![Ảnh minh họa: đường tuần tra](tuan-tra.jpg)\n"
            "Tổ tuần tra trên đường biên.\nẢnh: Minh Tuấn"
        ),
    ).parent
    write_photo(folder / "tuan-tra.jpg")
    publish_all(empty_project)
    return empty_project


def _fails_cleanly(root: Path, *expected: str) -> str:
    live = (root / "output").resolve()
    before = _snapshot(live)
    result = _make_site(root)
    assert result.returncode in (1, 2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in lines[0]
    assert (root / "output").resolve() == live
    assert _snapshot(live) == before
    assert not list((root / "releases").glob(".building-*"))
    return lines[0]


def test_build_missing_photo_names_article_line_and_file(live_project):
    article = next((live_project / "content/articles").rglob("index.md"))
    text = article.read_text("utf-8").replace("tuan-tra.jpg", "khong-co.jpg")
    article.write_text(text, "utf-8")
    line = _fails_cleanly(live_project, "index.md:", "khong-co.jpg")
    assert "tuan-tra-song-phuong/index.md:9:" in line


def test_build_corrupt_photo_fails(live_project):
    photo = next((live_project / "content/articles").rglob("tuan-tra.jpg"))
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    _fails_cleanly(live_project, "tuan-tra.jpg")


def test_build_plugin_that_fails_to_load_fails_the_build(live_project):
    conf = live_project / "pelicanconf.py"
    conf.write_text(conf.read_text("utf-8") + '\nPLUGINS = [*PLUGINS, "khong_ton_tai"]\n', "utf-8")
    _fails_cleanly(live_project, "khong_ton_tai")


def test_build_slug_collision_names_both_files(live_project):
    write_article(
        live_project,
        "tuan-tra-song-phuong",
        datetime(2023, 2, 1, 9, tzinfo=TIMEZONE),
        folder="ban-sao",
    )
    line = _fails_cleanly(live_project, "tuan-tra-song-phuong")
    assert "ban-sao/index.md" in line
    assert "tuan-tra-song-phuong/index.md" in line


def test_build_unknown_section_lists_the_known_ones(live_project):
    write_article(
        live_project, "bai-moi", datetime(2023, 2, 2, 9, tzinfo=TIMEZONE), section="Thể thao"
    )
    _fails_cleanly(live_project, "bai-moi/index.md", "Thể thao", "Biên giới")


def test_build_invalid_date_fails(live_project):
    path = write_article(live_project, "bai-sai-ngay", datetime(2023, 2, 2, 9, tzinfo=TIMEZONE))
    path.write_text(
        path.read_text("utf-8").replace("2023-02-02T09:00:00+07:00", "2023-02-31"), "utf-8"
    )
    _fails_cleanly(live_project, "bai-sai-ngay")


def test_build_success_switches_output_and_keeps_old_release(live_project):
    old = (live_project / "output").resolve()
    new = publish_all(live_project)
    assert (live_project / "output").resolve() == new != old
    assert old.is_dir()


def test_build_error_is_a_newsroom_error_for_library_callers(live_project):
    (live_project / "content/articles").joinpath("x").mkdir()
    bad = write_article(live_project, SEED_SLUG, datetime(2023, 2, 3, tzinfo=TIMEZONE), section="?")
    assert bad.is_file()
    with pytest.raises(NewsroomError):
        publish_all(live_project)


def test_a_build_that_cannot_write_says_so_in_vietnamese_and_not_to_run_check(project, tmp_path):
    """A full disk or a folder that may not be written is the machine's trouble: the line says
    which path and what to look at, not Python's English, and not `newsroom check`."""
    blocker = tmp_path / "tep"
    blocker.write_text("x", "utf-8")  # the output folder would go under a file
    with pytest.raises(BuildError) as failed:
        run_pelican(project, "pelicanconf.py", blocker / "out")
    said = failed.value.message
    assert "lỗi đọc/ghi tệp (một phần của đường dẫn là tệp, không phải thư mục)" in said
    assert str(blocker) in said and "chỗ trống trên đĩa" in said
    assert "Errno" not in said and "newsroom check" not in said


def test_make_site_on_a_published_newsroom_approves_nothing_and_never_a_rejected_article(
    live_project,
):
    """`make site` sets up the samples; in a working newsroom it must not publish a draft no
    editor has seen, nor override a rejection (it submitted and approved them all)."""
    write_article(live_project, "bai-nhap", datetime(2023, 2, 2, 9, tzinfo=TIMEZONE))
    result = _make_site_plain(live_project)
    assert result.returncode == 0, result.stderr
    assert "Đã duyệt 0 bài mẫu mới" in result.stdout
    assert not list((live_project / "output").resolve().rglob("bai-nhap"))


def test_the_sample_editor_never_approves_a_rejected_article(empty_project):
    """Not even once the reporter has edited it since (its state is then no longer just
    "rejected"): an editor's decision stands until an editor changes it."""
    path = write_article(empty_project, "bai-bi-tra", datetime(2023, 2, 2, 9, tzinfo=TIMEZONE))

    def run(*argv: str) -> None:
        assert main(["--root", str(empty_project), *argv]) == 0

    run("submit", "bai-bi-tra", "--as", "dinhquang")
    run("reject", "bai-bi-tra", "--as", "bientapvien", "--reason", "Chưa đạt")
    path.write_text(path.read_text("utf-8") + "\nCâu sửa sau khi bị trả lại.\n", "utf-8")
    result = _make_site_plain(empty_project)
    assert result.returncode == 0, result.stderr
    assert not list((empty_project / "output").resolve().rglob("bai-bi-tra"))


def _make_site_plain(root: Path) -> subprocess.CompletedProcess:
    """Exactly what `make site` runs."""
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "approve_samples.py"), str(root)],
        capture_output=True,
        text=True,
    )
