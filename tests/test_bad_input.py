"""Promise 8 through the real console command: every subcommand, given bad input, answers with
one line on stderr and a non-zero exit, never a traceback, and writes nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.record import Record
from tests.workflow_helpers import cli, make_newsroom, story, tree

NOT_AN_ARTICLE = "không phải bài viết"
NOT_FOUND = 'không tìm thấy bài viết "khong-co"'
NO_ARTICLE_NAMED = "chưa nêu bài nào"

# (arguments, a part of the one line on stderr). {dir}: an empty folder, {text}: a text file,
# {outside}: an article folder outside the project, {missing}: a path that does not exist.
CASES = [
    (["--root", "{missing}", "build"], "không tìm thấy tệp cấu hình"),
    (["--root", "{text}", "config"], "không tìm thấy tệp cấu hình"),
    (["config", "--bogus"], "tham số không nhận ra: --bogus"),
    (["staff", "add", "Sai Ma", "--name", "X", "--role", "reporter", "--as", "hoa"], "mã nhân sự"),
    (["staff", "add", "lan", "--name", "", "--role", "reporter", "--as", "hoa"], "họ tên"),
    (
        ["staff", "add", "lan", "--name", "Lan", "--role", "boss", "--as", "hoa"],
        "--role: không có 'boss'",
    ),
    (["reject", "bai-a", "--as", "hoa"], "thiếu tham số bắt buộc: --reason"),
    (["frob"], "LỆNH: không có 'frob'"),
    (["staff", "list", "--as", "hoa"], "tham số không nhận ra: --as hoa"),
    (["submit", "", "--as", "vitoan"], NO_ARTICLE_NAMED),
    (["submit", "khong-co", "--as", "vitoan"], NOT_FOUND),
    (["submit", "{text}", "--as", "vitoan"], NOT_AN_ARTICLE),
    (["submit", "{outside}", "--as", "vitoan"], "bài phải nằm trong"),
    (["submit", "bai-a", "--as", "ai-do"], '"ai-do" không có trong danh sách nhân sự'),
    (["approve", "bai-a", "--as", "hoa", "--revision", "zzz"], "không phải bản đang chờ duyệt"),
    (["approve", "bai-a", "--as", "vitoan"], "chỉ biên tập viên mới được duyệt"),
    (["reject", "bai-a", "--as", "hoa", "--reason", " "], "cần --reason"),
    (["schedule", "bai-a", "--as", "hoa", "--at", "2024-02-31 07:00"], "không có thật"),
    (["schedule", "bai-a", "--as", "hoa", "--at", ""], "phải có dạng"),
    (["feature", "", "--as", "hoa"], NO_ARTICLE_NAMED),
    (["withdraw", "khong-co", "--as", "hoa", "--reason", "x"], NOT_FOUND),
    (["queue"], "chưa rõ ai thực hiện lệnh"),
    (["status", ""], NO_ARTICLE_NAMED),
    (["status", "{dir}"], NOT_AN_ARTICLE),
    (["history", "khong-co"], NOT_FOUND),
    (["diff", "{text}"], NOT_AN_ARTICLE),
    (["preview", ""], NO_ARTICLE_NAMED),
    (["preview", "khong-co"], NOT_FOUND),
    (["publish", "--at", ""], "phải có dạng"),
    (["publish", "--at", "2024-13-01 07:00"], "không có thật"),
    (["publish", "--watch", "--interval", "-1"], "phải là số giây dương"),
    (["rollback", "--as", "hoa"], "không quay lại được"),
    (["backup", "{dir}", "--as", "hoa"], "là một thư mục"),
    (["backup", "{missing}/x.sqlite3", "--as", "hoa"], "không tồn tại"),
    (["backup", "/proc/x.sqlite3", "--as", "hoa"], "không ghi được bản sao lưu"),
    (["restore", "{dir}", "--as", "hoa"], "không tìm thấy tệp sao lưu"),
    (["restore", "{text}", "--as", "hoa"], "không phải bản sao lưu"),
    (["new", "", "--section", "Biên giới", "--author", "A"], "tiêu đề rỗng"),
    (
        ["new", "Tin mới", "--section", "Không có", "--author", "A"],
        'không có chuyên mục "Không có"',
    ),
    (["import", "{missing}"], "không tìm thấy tệp"),
    (["import", "{dir}"], "đây là thư mục"),
    (["photo", "add", "bai-a", "{dir}", "--caption", "c", "--alt", "a"], "đây là thư mục"),
    (
        ["photo", "add", "bai-a", "{text}", "--caption", "c", "--alt", "a"],
        "không phải tệp ảnh hoặc định dạng không được nhận; hãy dùng ảnh JPEG, PNG, WebP",
    ),
    (["photo", "add", "khong-co", "{text}", "--caption", "c", "--alt", "a"], NOT_FOUND),
    (["check", ""], "đường dẫn rỗng"),
    (["check", "{missing}"], "không tìm thấy bài viết"),
    (["check", "{dir}"], "thư mục không chứa bài viết nào"),
]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One small newsroom (one article submitted, one draft), and the odd paths of the table."""
    base = tmp_path_factory.mktemp("bad-input")
    root = make_newsroom(base / "site")
    story(root, "bai-a", "Câu của bài a.", photo_color="#123456")
    story(root, "bai-b", "Câu của bài b.")
    assert cli(root, "submit", "bai-a", "--as", "vitoan") == 0
    (base / "trong").mkdir()
    (base / "van-ban.txt").write_text("Không phải bài, không phải ảnh.\n", "utf-8")
    outside = base / "ngoai" / "index.md"
    outside.parent.mkdir()
    outside.write_text((root / "content/articles/2024/05/bai-b/index.md").read_text("utf-8"))
    return {
        "root": root,
        "dir": base / "trong",
        "text": base / "van-ban.txt",
        "outside": outside.parent,
        "missing": base / "khong-co",
    }


def _audit(root: Path) -> list:
    record = Record(load_config(root).record_path)
    try:
        return record.history()
    finally:
        record.close()


def _newsroom(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NEWSROOM_USER"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(("args", "message"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_cli_bad_input_is_one_line_and_writes_nothing(desk, args, message):
    root = desk["root"]
    args = [arg.format(**{k: str(v) for k, v in desk.items()}) for arg in args]
    files, audit = tree(root / "content"), _audit(root)
    listed = sorted(p.name for p in root.iterdir())
    kept = tree(root / ".cache") if (root / ".cache").is_dir() else {}
    result = _newsroom(root, *args)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert message in result.stderr
    assert result.stdout == ""
    assert tree(root / "content") == files
    assert _audit(root) == audit
    assert sorted(p.name for p in root.iterdir()) == listed
    assert (tree(root / ".cache") if (root / ".cache").is_dir() else {}) == kept


def test_cli_every_subcommand_is_in_the_table():
    from pipeline.cli import make_parser

    parser = make_parser()
    commands = parser._subparsers._group_actions[0].choices  # the registered subcommands
    covered = {next(a for a in args if not a.startswith("-") and "{" not in a) for args, _ in CASES}
    covered |= {args[2] for args, _ in CASES if args[0] == "--root"}
    assert set(commands) <= covered


@pytest.mark.parametrize("taken", ["var", "releases"])
def test_cli_a_file_where_a_project_folder_goes_is_one_line(tmp_path, taken):
    root = make_newsroom(tmp_path / "site")
    story(root, "bai-a", "Câu của bài a.")
    if taken == "releases":
        assert cli(root, "submit", "bai-a", "--as", "vitoan") == 0
        assert cli(root, "approve", "bai-a", "--as", "hoa") == 0
    shutil.rmtree(root / taken, ignore_errors=True)
    (root / taken).write_text("một tệp chiếm chỗ thư mục", "utf-8")
    result = _newsroom(root, "publish", "--as", "hoa")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{root / taken}: " in result.stderr
    assert not (root / "output").exists()


@pytest.mark.parametrize(
    "args", [["--help"], ["publish", "--help"], ["staff", "add", "--help"], ["import", "--help"]]
)
def test_cli_help_is_in_vietnamese(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli(Path("."), *args)
    assert exit_.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("cách dùng: newsroom") and "hiện hướng dẫn này rồi thoát" in shown
    assert "usage:" not in shown and "options:" not in shown and "show this help" not in shown
    assert not {"ROOT", "SECTION", "ENCODING", "NAME"} & set(re.findall(r"[A-Z]{3,}", shown))
