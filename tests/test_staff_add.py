"""`newsroom staff add`: a name is stored on one line, in NFC, as `newsroom new` keeps a byline."""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

from tests.intake_support import run_newsroom


def staff_add(project: Path, member_id: str, name: str):
    return run_newsroom(
        "--root", str(project), "staff", "add", member_id, "--name", name, "--role", "reporter",
        "--as", "bientapvien", cwd=project,
    )  # fmt: skip


def test_staff_add_puts_a_name_with_line_breaks_and_controls_on_one_line(project: Path):
    config = project / "newsroom.toml"
    before = config.read_text("utf-8")
    decomposed = unicodedata.normalize("NFD", "Lê Thị")
    result = staff_add(project, "nv1", f"{decomposed}\n\x07Hoa\r\nid = 1\u2028")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "Đã thêm nv1: Lê Thị Hoa id = 1 (phóng viên)\n"
    after = config.read_text("utf-8")
    assert len(after.splitlines()) == len(before.splitlines()) + 5  # a blank line and 4 lines
    staff = tomllib.loads(after)["staff"]
    assert staff[-1] == {"id": "nv1", "name": "Lê Thị Hoa id = 1", "role": "reporter"}
    assert [line for line in after.splitlines() if line.startswith("id = 1")] == []
    listed = run_newsroom("--root", str(project), "staff", "list", cwd=project)
    assert listed.stdout.splitlines()[-1] == "nv1\tLê Thị Hoa id = 1\tphóng viên"


def test_staff_add_refuses_a_name_of_only_spaces_and_controls_in_one_line(project: Path):
    config = project / "newsroom.toml"
    before = config.read_bytes()
    result = staff_add(project, "nv2", "\x01 \n\t\x1b")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1, result.stderr
    assert "newsroom.toml" in lines[0] and "họ tên không được rỗng" in lines[0]
    assert "--name" in lines[0]
    assert config.read_bytes() == before
