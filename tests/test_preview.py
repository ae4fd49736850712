"""`pelican content` with pelicanconf.py is the development preview: preview/, never output/."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from pipeline.build import run_pelican
from pipeline.cli import main
from pipeline.errors import BuildError
from tests.helpers import SEED_URL
from tests.workflow_helpers import publish_all


def test_pelican_preview_writes_into_preview_and_leaves_output_alone(project):
    live = publish_all(project)
    before = sorted(p.relative_to(live) for p in live.rglob("*"))
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "preview" / SEED_URL / "index.html").is_file()
    assert (project / "output").resolve() == live
    assert sorted(p.relative_to(live) for p in live.rglob("*")) == before


def test_pelican_preview_with_bad_config_exits_with_the_config_message(project):
    config = project / "newsroom.toml"
    config.write_text(
        config.read_text("utf-8").replace('default_time = "07:00"', 'default_time = "7h"')
    )
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "site.default_time" in result.stdout + result.stderr
    assert not (project / "preview").exists()


def _draft(project, slug: str, data: bytes):
    draft = project / "content" / "articles" / "2026" / "11" / slug / "index.md"
    draft.parent.mkdir(parents=True)
    draft.write_bytes(data)
    return draft


def test_working_copy_preview_leaves_out_the_drafts_with_errors_and_names_them(project, capsys):
    """One reporter's unfinished draft (a photo not added yet, not UTF-8) must not stop
    everyone's preview."""
    _draft(project, "nhap", "Title: Làm\n\nx\n".encode("cp1258"))  # not UTF-8
    photo = "Title: Chờ ảnh\nDate: 2026-11-02T07:00:00+07:00\nSection: Thời sự\n"
    photo += "Authors: Vi Toàn\nSummary: Sapo.\nSlug: cho-anh\n\n![Ảnh](anh-1.jpg)\nChú thích.\n"
    _draft(project, "cho-anh", photo.encode())
    assert main(["--root", str(project), "preview"]) == 0
    said = capsys.readouterr().out
    assert "Bỏ qua 2 bài còn lỗi (cho-anh, nhap); xem lỗi bằng newsroom check" in said
    assert (project / "preview" / SEED_URL / "index.html").is_file()
    assert not list((project / "preview").rglob("cho-anh"))


def test_failed_working_copy_preview_leaves_no_half_built_site_and_says_what_to_do(project, capsys):
    theme = project / "theme"
    shared = theme.resolve()  # the test project links the repository's theme: change a copy
    theme.unlink()
    shutil.copytree(shared, theme)
    (theme / "templates" / "base.html").write_text("{% if %}", "utf-8")
    assert main(["--root", str(project), "preview"]) == 1
    said = capsys.readouterr().err.strip()
    assert len(said.splitlines()) == 1
    assert said.startswith("newsroom: xem trước bản đang viết thất bại")  # not "trang đang đăng"
    assert "TemplateSyntaxError" in said
    assert not [p.name for p in project.iterdir() if p.name.startswith(".preview")]
    assert not (project / "preview").exists()


def test_a_build_that_pelican_cannot_read_a_file_of_says_to_run_check(project, tmp_path):
    """Pelican names the file, not what is wrong with it: the line says where to look."""
    _draft(project, "nhap", "Title: Làm\n\nx\n".encode("cp1258"))  # not UTF-8, and unchecked
    with pytest.raises(BuildError) as failed:
        run_pelican(project, "pelicanconf.py", tmp_path / "out")
    assert "Could not process articles/2026/11/nhap/index.md" in failed.value.message
    assert "hãy chạy newsroom check với tệp này" in failed.value.message


def test_working_copy_preview_leaves_out_the_static_pages_with_errors_and_builds_the_others(
    project, capsys
):
    """A page Pelican cannot read (not UTF-8) is left out as a draft with errors is; the
    other pages and the articles are still previewed."""
    pages = project / "content" / "pages"
    (pages / "loi.md").write_bytes(b"Title: Trang l\xf4i\n\nN\xf4i dung.\n")  # Latin-1
    _draft(project, "nhap", "Title: Làm\n\nx\n".encode("cp1258"))
    assert main(["--root", str(project), "preview"]) == 0
    said = capsys.readouterr().out
    assert (
        "Bỏ qua 1 bài và 1 trang còn lỗi (nhap, pages/loi.md); xem lỗi bằng newsroom check" in said
    )
    preview = project / "preview"
    assert (preview / SEED_URL / "index.html").is_file()
    assert not (preview / "trang-loi").exists()
    assert (preview / "gioi-thieu" / "index.html").is_file()
    assert (preview / "lien-he" / "index.html").is_file()
    assert (preview / "404.html").is_file()
