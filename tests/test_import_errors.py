"""Bad input through the real console script: one line on stderr, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SEED_SLUG
from tests.intake_support import run_newsroom

BAD_FILES = {
    "rong.txt": (b"", "tệp rỗng"),
    "anh.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "ảnh PNG"),
    "nhiphan.dat": (bytes(range(256)), "nhị phân"),
    "khong-tieu-de.txt": ("Thứ hai, 28/11/2022\n\n– Chỉ có sapo.\n".encode(), "tiêu đề"),
    "ngay-sai.txt": ("Thứ hai, 31/02/2022\n\nTiêu đề\n\n– Sapo.\n".encode(), "31/02/2022"),
    "gio-sai.txt": ("Thứ hai, 28/11/2022 | 25:10\n\nTiêu đề\n\n– Sapo.\n".encode(), "25:10"),
    "ngay-qua-cu.txt": ("Thứ hai, 01/01/1900\n\nTiêu đề\n\n– Sapo.\n".encode(), "ngoài khoảng"),
    "nam-mot.txt": ("Thứ hai, 01/01/0001\n\nTiêu đề\n\n– Sapo.\n".encode(), "ngoài khoảng"),
    "hong.docx": (b"PK\x03\x04garbage", ".docx hỏng"),
    "legacy.txt": (
        "Hµ Néi ViÖt Nam ".encode("cp1252") * 3 + "Haø Noäi ".encode("cp1252") * 6,
        "VNI",
    ),
}


def assert_one_line_error(result, name: str, message: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1, result.stderr
    assert name in lines[0] and message in lines[0], lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("name", BAD_FILES)
def test_import_bad_input_is_one_line(empty_project: Path, tmp_path: Path, name: str):
    data, message = BAD_FILES[name]
    source = tmp_path / name
    source.write_bytes(data)
    result = run_newsroom("--root", str(empty_project), "import", str(source), cwd=tmp_path)
    assert_one_line_error(result, name, message)
    assert not list((empty_project / "content" / "articles").rglob("*"))


def test_import_missing_file_is_one_line(empty_project: Path, tmp_path: Path):
    result = run_newsroom("--root", str(empty_project), "import", "khong-co.txt", cwd=tmp_path)
    assert_one_line_error(result, "khong-co.txt", "không tìm thấy tệp")


def test_photo_add_unreadable_image_is_one_line(project: Path, tmp_path: Path):
    source = tmp_path / "anh-hong.jpg"
    source.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20))
    before = sorted((project / "content").rglob("*"))
    result = run_newsroom(
        "--root", str(project), "photo", "add", SEED_SLUG, str(source),
        "--caption", "Chú thích", "--alt", "Mô tả", cwd=tmp_path,
    )  # fmt: skip
    assert_one_line_error(result, "anh-hong.jpg", "ảnh")
    assert sorted((project / "content").rglob("*")) == before


def test_check_through_console_script(project: Path):
    result = run_newsroom("check", cwd=project)
    assert result.returncode == 0, result.stdout
    assert ": 0 lỗi, " in result.stdout.strip().split("\n")[-1]


BROKEN_AFTER_BOM = (
    b"\xef\xbb\xbf"
    + (
        "Thứ hai, 28/11/2022\n\nBài có BOM hỏng về tuần tra biên giới\n\n"
        "– Ngày 16/9, Bộ đội Biên phòng tỉnh Lạng Sơn tổ chức tuần tra.\n\n"
    ).encode()
    + b"\xe0\xe1 N\xe9i dung b\xe0i vi\xeat.\n\n\xc4\x90\xc3\x8cNH QUANG\n"
)


@pytest.mark.parametrize(
    ("options", "where", "message"),
    [
        ([], ":7: ", "UTF-8"),
        (["--encoding", "tcvn3"], ":1: ", "TCVN3"),
        (["--encoding", "tcvn3", "--dry-run"], ":1: ", "TCVN3"),
        (["--encoding", "vni"], ":3: ", "VNI"),
    ],
    ids=["detected", "named-tcvn3", "named-tcvn3-dry-run", "named-vni"],
)
def test_import_refuses_byte_outside_the_encoding_naming_line_and_writes_nothing(
    empty_project: Path, tmp_path: Path, options: list[str], where: str, message: str
):
    source = tmp_path / "bom-hong.txt"
    source.write_bytes(BROKEN_AFTER_BOM)
    result = run_newsroom(
        "--root", str(empty_project), "import", str(source), "--section", "bien-gioi", *options,
        cwd=tmp_path,
    )  # fmt: skip
    assert_one_line_error(result, f"bom-hong.txt{where}", message)
    assert "\ufffd" not in result.stderr
    assert not list((empty_project / "content" / "articles").rglob("*"))
