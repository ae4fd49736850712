"""`newsroom new`: an article folder from the template, with every field."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pipeline.article import FIELDS, read_article
from pipeline.check import check_paths
from pipeline.cli import main
from pipeline.errors import NewsroomError
from pipeline.new_article import new_article
from pipeline.vietnamese import TIMEZONE

NOW = datetime(2022, 12, 5, 9, 41, 37, tzinfo=TIMEZONE)


def test_new_creates_template_with_every_field(empty_project: Path):
    path = new_article(
        empty_project, "Tuần tra  trên biển", "bien-gioi", ["NGỌC ANH", "vi toàn"], NOW
    )
    assert path == empty_project / "content/articles/2022/12/tuan-tra-tren-bien/index.md"
    text = path.read_text("utf-8")
    written = [line.split(":", 1)[0] for line in text.split("\n\n", 1)[0].split("\n")]
    assert written == [name for name in FIELDS if name != "Modified"]
    article = read_article(path)
    assert article.title == "Tuần tra trên biển"
    assert article.fields["Date"] == "2022-12-05T09:41:00+07:00"
    assert article.section == "Biên giới"
    assert article.authors == ["Ngọc Anh", "Vi Toàn"]
    assert article.slug == "tuan-tra-tren-bien"
    assert article.body == ""


def test_new_cli_prints_path(empty_project: Path, capsys: pytest.CaptureFixture):
    code = main(
        ["--root", str(empty_project), "new", "Tin mới", "--section", "Thời sự", "--author", "A"]
    )
    printed = Path(capsys.readouterr().out.strip())
    assert code == 0
    assert printed.name == "index.md" and printed.parent.name == "tin-moi"
    assert printed.is_file()


def test_new_article_fails_check_until_lead_is_written(empty_project: Path):
    path = new_article(empty_project, "Tin mới", "Thời sự", ["Minh Tuấn"], NOW)
    report = check_paths(empty_project, [str(path)])
    assert [(f.code, f.message.split(":")[0]) for f in report.findings] == [
        ("E101", "thiếu sapo (phần mở đầu)")
    ]
    path.write_text(path.read_text("utf-8").replace("Summary:", "Summary: Sapo."), "utf-8")
    assert check_paths(empty_project, [str(path)]).errors == 0


def test_new_unknown_section_lists_sections(empty_project: Path, capsys: pytest.CaptureFixture):
    code = main(
        ["--root", str(empty_project), "new", "Tin", "--section", "Thể thao", "--author", "A"]
    )
    error = capsys.readouterr().err
    assert code == 2
    assert 'không có chuyên mục "Thể thao"' in error and "Biên giới" in error
    assert not list((empty_project / "content/articles").rglob("*"))


def test_new_same_title_is_refused_and_same_slug_is_numbered(empty_project: Path):
    first = new_article(empty_project, "Tin A!", "Thời sự", ["A"], NOW)
    with pytest.raises(NewsroomError, match="đã có") as refused:
        new_article(empty_project, "Tin A!", "Thời sự", ["A"], NOW)
    assert "hãy đặt tiêu đề khác, hoặc sửa chính bài đó" in refused.value.message
    assert "nhập lại" not in refused.value.message  # `new`, not an import
    second = new_article(empty_project, "Tin A?", "Thời sự", ["A"], NOW)
    assert (first.parent.name, second.parent.name) == ("tin-a", "tin-a-2")
    assert read_article(second).slug == "tin-a-2"


@pytest.mark.parametrize(
    ("title", "authors", "message"),
    [("   ", ["A"], "tiêu đề rỗng"), ("Tin", ["  "], "thiếu tác giả"), ("!!!", ["A"], "slug")],
)
def test_new_bad_arguments(empty_project: Path, title: str, authors: list[str], message: str):
    with pytest.raises(NewsroomError, match=message):
        new_article(empty_project, title, "Thời sự", authors, NOW)
