"""`newsroom import A B`: all the articles are written, or none of them."""

from __future__ import annotations

from pathlib import Path

from tests.intake_support import run_newsroom


def article(date: str, title: str) -> str:
    return (
        f"Thứ hai, {date}\n\n{title}\n\n"
        "– Ngày 16/9, Bộ đội Biên phòng tỉnh Lạng Sơn tổ chức tuần tra.\n\n"
        "Nội dung bài viết.\n\nĐÌNH QUANG\n"
    )


def import_two(project: Path, folder: Path):
    """`newsroom import a.txt b.txt`: an article of 2019, then one of 2021 (whose year folder
    the tests make impossible to write)."""
    first = folder / "a.txt"
    first.write_text(article("28/11/2019", "Bài thứ nhất về tuần tra biên giới"), "utf-8")
    second = folder / "b.txt"
    second.write_text(article("06/12/2021", "Bài thứ hai về tuần tra biên giới"), "utf-8")
    return run_newsroom("--root", str(project), "import", str(first), str(second), cwd=folder)


def tree(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


def test_import_that_fails_writing_a_later_file_takes_back_the_earlier_articles(
    empty_project: Path, tmp_path: Path
):
    articles = empty_project / "content" / "articles"
    (articles / "2021").write_text("một tệp nằm chỗ thư mục năm 2021\n", "utf-8")
    before = tree(articles)
    result = import_two(empty_project, tmp_path)

    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1, result.stderr
    assert "2021/12/bai-thu-hai-ve-tuan-tra-bien-gioi" in lines[0]
    assert "chưa bài nào được nhập" in lines[0] and "1 bài" in lines[0]
    # the system's reason in Vietnamese (its own text is English: "Not a directory")
    assert "một phần của đường dẫn là tệp" in lines[0] and "Not a directory" not in lines[0]
    # The first article, and the 2019/11 folders made for it, are gone; nothing else moved.
    assert tree(articles) == before
    assert (articles / "2021").read_text("utf-8") == "một tệp nằm chỗ thư mục năm 2021\n"


def test_import_rollback_keeps_folders_that_existed_before_the_run(
    empty_project: Path, tmp_path: Path
):
    articles = empty_project / "content" / "articles"
    neighbour = articles / "2019" / "11" / "bai-da-co"
    neighbour.mkdir(parents=True)
    (neighbour / "index.md").write_text("Title: Bài đã có\n", "utf-8")
    (articles / "2021").write_text("", "utf-8")
    before = {path: path.read_bytes() for path in tree(articles) if path.is_file()}
    result = import_two(empty_project, tmp_path)

    assert result.returncode == 2, result
    assert {path: path.read_bytes() for path in tree(articles) if path.is_file()} == before
    assert sorted(p.name for p in (articles / "2019" / "11").iterdir()) == ["bai-da-co"]
