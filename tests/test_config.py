"""newsroom.toml is validated once, and every bad key is named in one message."""

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.errors import ConfigError
from tests.helpers import REPO

BAD = """
[site]
name = ""
url = "ftp://example"
default_time = "25:00"
colour = "red"
[site.legal]
licence = "x"
agency = "y"
editor_in_chief = "z"
address = "w"
[[sections]]
slug = "Bien Gioi"
name = "Biên giới"
[[sections]]
slug = "thoi-su"
[photos]
max_side = -1
widths = [960, 480]
[paths]
record = "var/x.sqlite3"
[[staff]]
id = "a"
name = "A"
role = "admin"
"""

BAD_KEYS = [
    "site.name",
    "site.url",
    "site.default_time",
    "site.colour",
    "sections[1].slug",
    "sections[2].name",
    "photos.max_side",
    "photos.widths",
    "paths.releases",
    "staff[1].role",
]


def test_load_config_reads_the_project_config():
    config = load_config(REPO)
    assert [s.slug for s in config.sections][:2] == ["thoi-su", "bien-gioi"]
    assert config.default_time.strftime("%H:%M") == "07:00"
    assert config.glossary["BĐBP"] == "Bộ đội Biên phòng"
    assert config.legal.licence


def test_load_config_names_every_bad_key_in_one_error(tmp_path):
    (tmp_path / "newsroom.toml").write_text(BAD, "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path / "newsroom.toml"))
    for key in BAD_KEYS:
        assert key in message, key
    assert "site.legal" not in message.replace("site.legal.", "")  # the legal table itself is fine


def test_load_config_reports_toml_syntax_error_with_line(tmp_path):
    (tmp_path / "newsroom.toml").write_text('[site]\nname = "x\n', "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 2


def test_load_config_missing_file_says_where_to_run(tmp_path):
    with pytest.raises(ConfigError, match="không tìm thấy tệp cấu hình"):
        load_config(tmp_path)


def test_cli_bad_config_prints_one_line_and_exits_2(tmp_path):
    (tmp_path / "newsroom.toml").write_text(BAD, "utf-8")
    for command in (["config"], ["build"]):
        result = subprocess.run(
            [sys.executable, "-m", "pipeline.cli", "--root", str(tmp_path), *command],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert all(key in lines[0] for key in BAD_KEYS)
        assert not (Path(tmp_path) / "releases").exists()
        assert not (Path(tmp_path) / "output").exists()
