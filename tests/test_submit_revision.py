"""`submit` names the revision it recorded, so an editor can approve exactly that one."""

from __future__ import annotations

import re
from pathlib import Path

from tests.workflow_helpers import cli, make_newsroom, story, submit_and_approve

SLUG = "tuan-tra-song-bien"


def _printed_revision(out: str) -> str:
    match = re.search(r"\(bản ([0-9a-f]{12})\)", out)
    assert match, out
    return match.group(1)


def test_submit_prints_the_submitted_revision_after_an_approval(tmp_path: Path, capsys):
    root = make_newsroom(tmp_path / "site")
    index = story(root, SLUG, "Tổ tuần tra đi dọc sông biên giới.")
    submit_and_approve(root, SLUG)
    approved = _printed_revision(capsys.readouterr().out.splitlines()[-1])
    index.write_text(index.read_text("utf-8").replace("dọc sông", "dọc bờ sông"), "utf-8")
    assert cli(root, "submit", SLUG, "--as", "vitoan") == 0
    submitted = _printed_revision(capsys.readouterr().out)
    assert submitted != approved
    assert cli(root, "approve", SLUG, "--as", "hoa", "--revision", submitted) == 0
    assert f"Đã duyệt {SLUG} (bản {submitted})" in capsys.readouterr().out
