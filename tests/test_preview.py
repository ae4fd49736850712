"""`pelican content` with pelicanconf.py is the development preview: preview/, never output/."""

from __future__ import annotations

import subprocess
import sys

from pipeline.cli import main
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


def test_failed_working_copy_preview_leaves_no_half_built_site_and_says_what_to_do(project, capsys):
    draft = project / "content" / "articles" / "2026" / "11" / "nhap" / "index.md"
    draft.parent.mkdir(parents=True)
    draft.write_bytes("Title: Làm\n\nx\n".encode("cp1258"))  # not UTF-8
    assert main(["--root", str(project), "preview"]) == 1
    said = capsys.readouterr().err.strip()
    assert len(said.splitlines()) == 1
    assert "articles/2026/11/nhap/index.md" in said and "newsroom check" in said
    assert said.startswith("newsroom: xem trước bản đang viết thất bại")  # not "trang đang đăng"
    assert not [p.name for p in project.iterdir() if p.name.startswith(".preview")]
    assert not (project / "preview").exists()
