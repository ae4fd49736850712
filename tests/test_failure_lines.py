"""The one line a failure gets: it names the path the problem is at, and a reader that went
away (`newsroom status | head -1`) ends the command quietly."""

from __future__ import annotations

import errno
import subprocess
import sys

from pipeline.failure_lines import failure
from tests.workflow_helpers import newsroom_with


def test_a_refused_write_of_a_rename_or_link_names_where_it_writes(tmp_path):
    refused = OSError(errno.EACCES, "Permission denied", "releases/2026", None, "site/output.tmp")
    line, status = failure(tmp_path, refused)
    assert line.startswith("site/output.tmp: ") and "không có quyền" in line and status == 2
    missing = OSError(errno.ENOENT, "No such file", "releases/2026", None, "site/output.tmp")
    assert failure(tmp_path, missing)[0].startswith("releases/2026: ")  # what it reads is gone


def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path):
    root = newsroom_with(tmp_path / "site", "tuan-tra-song-bien", "don-bien-phong")
    command = [sys.executable, "-m", "pipeline.cli", "--root", str(root), "status"]
    process = subprocess.Popen(
        [*command, "--as", "bientapvien"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()  # as `| head -1` does once it has its line
    _out, err = process.communicate(timeout=60)
    assert err.decode() == "" and process.returncode == 141
