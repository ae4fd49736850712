"""`pelican content` with pelicanconf.py is the development preview: preview/, never output/."""

from __future__ import annotations

import subprocess
import sys

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
