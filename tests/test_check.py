"""`newsroom check`: every rule with a passing and a failing case, exit codes, real content."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from pipeline import check
from pipeline.article import read_article
from pipeline.check import RULES, SITE_NAMES, YEAR, check_page, check_paths, page_address
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.page_files import page_paths
from pipeline.vietnamese import TIMEZONE
from tests.helpers import REPO, SEED_SLUG, write_article, write_photo
from tests.intake_support import jpeg_with_gps

DATE = datetime(2022, 12, 5, 8, 0, tzinfo=TIMEZONE)
PHOTO = "![Hai chiến sĩ tuần tra bên cột mốc](tuan-tra.jpg)\nChú thích ảnh.\nẢnh: Minh Tuấn"
LEAD = "Sáng 4/12, Bộ đội Biên phòng (BĐBP) tỉnh Cao Bằng tổ chức tuần tra."
BODY = f"{PHOTO}\n\nĐoạn thân bài có BĐBP và CBCS trong bảng chú giải, năm 2022."


def clean_article(root: Path, slug: str = "bai-sach", **changes) -> Path:
    """An article that passes every rule; `changes` are write_article's arguments."""
    options = {"summary": LEAD, "body": BODY, **changes}
    path = write_article(root, slug, DATE, **options)
    write_photo(path.parent / "tuan-tra.jpg")
    return path


def codes(root: Path, path: Path) -> list[str]:
    return [finding.code for finding in check_paths(root, [str(path)]).findings]


def _replace_line(path: Path, start: str, new: str) -> None:
    lines = path.read_text("utf-8").split("\n")
    lines = [new if line.startswith(start) else line for line in lines]
    path.write_text("\n".join(lines), "utf-8")


def _remove_photo(path: Path) -> None:
    (path.parent / "tuan-tra.jpg").unlink()


def _gps_photo(path: Path) -> None:
    jpeg_with_gps(path.parent / "tuan-tra.jpg")


def _broken_photo(path: Path) -> None:
    (path.parent / "tuan-tra.jpg").write_bytes(b"\xff\xd8\xff\xe0 broken")


def _nfd(path: Path) -> None:
    path.write_text(unicodedata.normalize("NFD", path.read_text("utf-8")), "utf-8")


def _collide(path: Path) -> None:
    write_article(path.parents[3], "bai-sach", DATE, folder="bai-khac", summary=LEAD)


# code -> how to break the clean article
BREAKERS: dict[str, list[tuple[str, Callable[[Path], None]]]] = {
    "E100": [
        ("bad header", lambda p: p.write_text("Title: A\nkhông phải trường\n", "utf-8")),
        ("repeated field", lambda p: _replace_line(p, "Slug:", "Slug: bai-sach\nTitle: Tin sửa")),
    ],
    "E101": [
        ("no lead", lambda p: _replace_line(p, "Summary:", "Summary:")),
        ("no authors", lambda p: _replace_line(p, "Authors:", "")),
        ("no title", lambda p: _replace_line(p, "Title:", "Title:")),
    ],
    "E102": [
        ("date only", lambda p: _replace_line(p, "Date:", "Date: 2022-12-05")),
        ("vn date", lambda p: _replace_line(p, "Date:", "Date: 05/12/2022 08:00")),
        ("before 1911", lambda p: _replace_line(p, "Date:", "Date: 1900-01-01T00:00:00")),
        ("year one", lambda p: _replace_line(p, "Date:", "Date: 0001-01-01T00:00:00+07:00")),
    ],
    "E103": [("unknown section", lambda p: _replace_line(p, "Section:", "Section: Thể thao"))],
    "E104": [
        ("missing file", _remove_photo),
        ("web photo", lambda p: _replace_line(p, "![", "![Mô tả](https://x.vn/a.jpg)")),
    ],
    "E105": [
        ("no caption", lambda p: _replace_line(p, "Chú thích ảnh.", "")),
        ("no alt", lambda p: _replace_line(p, "![", "![](tuan-tra.jpg)")),
    ],
    "E106": [("image field", lambda p: _replace_line(p, "Slug:", "Slug: bai-sach\nImage: x.jpg"))],
    "E107": [("nfd", _nfd)],
    "E108": [
        ("script", lambda p: p.write_text(p.read_text("utf-8") + "\n<script>x()</script>\n")),
        ("iframe", lambda p: p.write_text(p.read_text("utf-8") + '\n<iframe src="x">\n')),
        ("onerror", lambda p: p.write_text(p.read_text("utf-8") + '\n<img src=x onerror="a">\n')),
        ("html in title", lambda p: _replace_line(p, "Title:", "Title: Tin <b onmouseover=x()>")),
        ("html in tags", lambda p: _replace_line(p, "Tags:", "Tags: <svg/onload=alert(1)>")),
        (
            "encoded js link",
            lambda p: p.write_text(p.read_text("utf-8") + "\n[x](java&#115;cript:a())\n"),
        ),
        (
            "data link",
            lambda p: p.write_text(p.read_text("utf-8") + '\n<a href="data:text/html,x">x</a>\n'),
        ),
        (
            "handler on next line",
            lambda p: p.write_text(
                p.read_text("utf-8") + '\n<a href="#"\nonmouseover="x()">x</a>\n'
            ),
        ),
        (
            "remote image",
            lambda p: p.write_text(p.read_text("utf-8") + '\n<img src="https://x.vn/a.jpg">\n'),
        ),
        (  # a browser drops the tab: //x.vn/a.jpg
            "remote image behind a tab",
            lambda p: p.write_text(p.read_text("utf-8") + '\n<img src="/&#9;/x.vn/a.jpg">\n'),
        ),
        (  # a feed reader shows the title as HTML once the XML is parsed
            "encoded tag in the title",
            lambda p: _replace_line(p, "Title:", "Title: &lt;script&gt;alert(1)&lt;/script&gt;"),
        ),
        (  # "<!--" in the JSON-LD would swallow the rest of the page
            "encoded comment in the summary",
            lambda p: _replace_line(p, "Summary:", "Summary: Sapo &lt;!&#45;&#45;&lt;script&gt;"),
        ),
    ],
    "E113": [
        (
            "a link off the site",
            lambda p: _replace_line(p, "Slug:", "Slug: bai-sach\nUrl: //x.vn/a"),
        ),
        ("another template", lambda p: _replace_line(p, "Slug:", "Slug: bai-sach\nTemplate: page")),
        ("a status", lambda p: _replace_line(p, "Slug:", "Slug: bai-sach\nStatus: hidden")),
    ],
    "E114": [
        ("a control character", lambda p: _replace_line(p, "Title:", "Title: Bài\x01 sạch")),
        ("a noncharacter", lambda p: p.write_text(p.read_text("utf-8") + "\nChữ\uffff.\n")),
        (  # text that reads in another order than it is written
            "a bidirectional override",
            lambda p: p.write_text(p.read_text("utf-8") + "\nChữ \u202eđảo ngược.\n"),
        ),
        (
            "a bidirectional isolate",
            lambda p: p.write_text(p.read_text("utf-8") + "\nChữ \u2066cô lập\u2069.\n"),
        ),
        (
            "an embedding",
            lambda p: p.write_text(p.read_text("utf-8") + "\nChữ \u202bnhúng\u202c.\n"),
        ),
    ],
    "E109": [
        ("collision", _collide),
        ("bad slug", lambda p: _replace_line(p, "Slug:", "Slug: Bài Sạch")),
    ],
    "E112": [
        (
            "static link",
            lambda p: p.write_text(p.read_text("utf-8") + "\n[Ảnh gốc]({static}tuan-tra.jpg)\n"),
        ),
        ("attach link", lambda p: p.write_text(p.read_text("utf-8") + "\n[Tệp](|attach|a.pdf)\n")),
        (
            "filename link to a photo",
            lambda p: p.write_text(p.read_text("utf-8") + "\n[x]({filename}a.jpg)\n"),
        ),
        (  # the working copy's path: a publish stages articles by slug, and would not find it
            "filename link by folder",
            lambda p: p.write_text(
                p.read_text("utf-8") + "\n[x]({filename}/articles/2024/05/bai-sach/index.md)\n"
            ),
        ),
        (
            "filename link to no article",
            lambda p: p.write_text(
                p.read_text("utf-8") + "\n[x]({filename}/articles/khong-co/index.md)\n"
            ),
        ),
    ],
    "E110": [("gps", _gps_photo)],
    "E111": [("broken image", _broken_photo)],
    "W201": [("no credit", lambda p: _replace_line(p, "Ảnh: Minh Tuấn", ""))],
    "W202": [
        ("undefined", lambda p: p.write_text(p.read_text("utf-8") + "\nĐồn BPCK Lào Cai.\n")),
        (
            "defined after use",
            lambda p: p.write_text(p.read_text("utf-8") + "\nUBND xã và Ủy ban nhân dân (UBND).\n"),
        ),
        (
            "defined only in caption",
            lambda p: (
                _replace_line(p, "Chú thích ảnh.", "Trạm Kiểm soát (TKS).\n")
                or p.write_text(p.read_text("utf-8") + "\nTKS làm việc.\n")
            ),
        ),
    ],
    "W204": [
        ("misspelt place", lambda p: _replace_line(p, "Slug:", "Slug: bai-sach\nPlaces: Lạng sơn"))
    ],
    "W203": [
        (
            "byline typed at the end",
            lambda p: p.write_text(p.read_text("utf-8") + "\nMINH TUẤN\n", "utf-8"),
        ),
    ],
}
CASES = [(code, name, breaker) for code, cases in BREAKERS.items() for name, breaker in cases]


def test_check_clean_article_has_no_findings(empty_project: Path):
    path = clean_article(empty_project)
    assert check_paths(empty_project, [str(path)]).findings == []


@pytest.mark.parametrize(("code", "name", "breaker"), CASES, ids=[f"{c}-{n}" for c, n, _ in CASES])
def test_check_rule_finds_problem(empty_project: Path, code: str, name: str, breaker):
    path = clean_article(empty_project)
    breaker(path)
    found = check_paths(empty_project, [str(path)]).findings
    assert code in [finding.code for finding in found], found
    finding = next(f for f in found if f.code == code)
    assert finding.severity == ("warning" if code.startswith("W") else "error")
    assert finding.line >= 1
    assert finding.message[:1].islower() or finding.message[:1].isupper()


def test_check_every_rule_is_covered():
    assert set(RULES) <= set(BREAKERS)


@pytest.mark.parametrize(
    "extra",
    [
        "\nỦy ban nhân dân (UBND) xã, sau đó UBND họp.\n",  # defined at first use
        "\nCông tác đảng, công tác chính trị (CTĐ, CTCT); CTĐ.\n",  # two at once
        "\nPhòng chống ma túy và tội phạm (PCMT&TP), rồi PCMT&TP.\n",
        "\nCác QP-AN và CBCS trong bảng chú giải.\n",  # in the glossary
        "\nĐại hội XIII của Đảng.\n",  # a Roman numeral is no abbreviation
        "\n`<script>` và `HTML` là mã, không phải thẻ.\n",  # a code span is text
        "\nXem [bài này]({filename}/articles/bai-sach/index.md#doan-2).\n",  # by its slug
    ],
)
def test_check_text_that_passes(empty_project: Path, extra: str):
    path = clean_article(empty_project)
    path.write_text(path.read_text("utf-8") + extra, "utf-8")
    assert codes(empty_project, path) == []


def test_check_lead_defines_abbreviation_for_body(empty_project: Path):
    path = clean_article(
        empty_project, summary="Trạm Kiểm soát (TKS) làm việc.", body=f"{PHOTO}\n\nTKS."
    )
    assert codes(empty_project, path) == []


def test_check_finding_points_at_line(empty_project: Path):
    path = clean_article(empty_project)
    _replace_line(path, "Section:", "Section: Thể thao")
    (finding,) = check_paths(empty_project, [str(path)]).findings
    assert finding.line == 3
    assert finding.format().endswith(
        ':3: E103 [lỗi] không có chuyên mục "Thể thao"; hãy chọn: Thời sự, Biên giới, '
        "Quốc phòng – An ninh, Xây dựng lực lượng, Đời sống Biên phòng"
    )


def test_check_exit_codes(empty_project: Path, capsys: pytest.CaptureFixture):
    path = clean_article(empty_project)
    root = ["--root", str(empty_project), "check"]
    assert main([*root, str(path)]) == 0
    _replace_line(path, "Ảnh: Minh Tuấn", "")
    assert main([*root, str(path)]) == 0  # a warning alone passes
    assert main([*root, "--strict", str(path)]) == 1
    _replace_line(path, "Section:", "Section: Thể thao")
    assert main([*root, str(path)]) == 1
    out = capsys.readouterr().out.strip().split("\n")
    assert out[-1] == "Đã kiểm tra 1 bài: 1 lỗi, 1 cảnh báo."
    assert any(" E103 [lỗi] " in line for line in out)


def test_check_accepts_slug_and_folder(empty_project: Path):
    path = clean_article(empty_project)
    _replace_line(path, "Section:", "Section: Thể thao")
    assert codes(empty_project, Path("bai-sach")) == ["E103"]
    assert codes(empty_project, path.parent) == ["E103"]
    assert check_paths(empty_project, [str(empty_project / "content")]).errors == 1


def test_check_without_paths_scans_images_under_content(empty_project: Path):
    clean_article(empty_project)
    jpeg_with_gps(empty_project / "content" / "images" / "logo.jpg")
    (finding,) = check_paths(empty_project, []).findings
    assert finding.code == "E110" and "vị trí GPS" in finding.message
    # what to do, whole: save a clean copy under a new name, then move the original out
    assert "--replace logo.jpg" in finding.message and "ra khỏi thư mục bài" in finding.message


def test_check_real_content_has_no_errors():
    report = check_paths(REPO, [])
    assert report.articles >= 1
    assert report.errors == 0, [f.format() for f in report.findings]


def test_check_bad_path_is_one_error(empty_project: Path, capsys: pytest.CaptureFixture):
    assert main(["--root", str(empty_project), "check", "khong-co"]) == 2
    assert "không tìm thấy bài viết" in capsys.readouterr().err


def test_check_photo_with_transparency_is_fine(empty_project: Path):
    path = clean_article(empty_project)
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(path.parent / "logo.png")
    assert codes(empty_project, path) == []


def test_check_decodes_an_unchanged_image_once_and_a_replaced_one_again(
    empty_project: Path, monkeypatch: pytest.MonkeyPatch
):
    path = clean_article(empty_project)
    copy = clean_article(empty_project, "bai-chep")
    (copy.parent / "tuan-tra.jpg").unlink()
    (copy.parent / "tuan-tra.jpg").hardlink_to(path.parent / "tuan-tra.jpg")  # as a shared photo
    opened: list[Path] = []
    real = check.open_image
    monkeypatch.setattr(check, "open_image", lambda p: opened.append(p) or real(p))
    assert codes(empty_project, path) == codes(empty_project, copy) == []
    assert codes(empty_project, path) == []
    assert len(opened) == 1
    jpeg_with_gps(path.parent / "tuan-tra.jpg")
    (finding,) = check_paths(empty_project, [str(copy)]).findings
    assert finding.code == "E110"
    assert finding.path.resolve() == (copy.parent / "tuan-tra.jpg").resolve()
    assert len(opened) == 2


def test_check_tells_how_to_link_an_article_by_its_slug(empty_project: Path):
    path = clean_article(empty_project)
    link = "[x]({filename}/articles/2024/05/bai-sach/index.md)"
    path.write_text(path.read_text("utf-8") + f"\n{link}\n", "utf-8")
    [finding] = check_paths(empty_project, [str(path)]).findings
    assert finding.code == "E112" and finding.line == len(path.read_text("utf-8").split("\n")) - 1
    assert "hãy dẫn theo slug: {filename}/articles/bai-sach/index.md" in finding.message


@pytest.mark.parametrize(
    ("field", "value"),
    [("Date", "1900-01-01T00:00:00"), ("Modified", "2100-01-01T00:00:00+07:00")],
)
def test_check_out_of_range_date_gives_the_range_not_the_iso_form(
    empty_project: Path, field: str, value: str
):
    path = clean_article(empty_project, extra={"Modified": "2022-12-06T08:00:00+07:00"})
    _replace_line(path, f"{field}:", f"{field}: {value}")
    (finding,) = check_paths(empty_project, [str(path)]).findings
    assert finding.code == "E102"
    assert finding.line == read_article(path).field_lines[field]
    assert f'{field} "{value}" nằm ngoài khoảng ngày' in finding.message
    assert "01/05/1911" in finding.message and "ISO" not in finding.message


def test_check_names_the_line_of_a_repeated_field(empty_project: Path):
    path = clean_article(empty_project)
    _replace_line(path, "Summary:", f"Summary: {LEAD}\nAuthors: Vi Toàn")
    (finding,) = check_paths(empty_project, [str(path)]).findings
    assert (finding.code, finding.line) == ("E100", 7)
    assert "trường Authors lặp lại (đã có ở dòng 4)" in finding.message


def write_page(root: Path, header: str, name: str = "trang-moi.md") -> Path:
    path = root / "content" / "pages" / name
    path.write_text(f"Title: Trang mới\n{header}\n\nNội dung trang.\n", "utf-8")
    return path


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("Slug: 2022", "/2022/ mà trang web dùng cho lưu trữ bài theo năm"),
        ("Slug: 2031", "/2031/ mà trang web dùng cho lưu trữ bài theo năm"),  # a future year
        ("Slug: chuyen-muc", "/chuyen-muc/"),
        ("Slug: tac-gia", "/tac-gia/"),
        ("Slug: chu-de", "/chu-de/"),
        ("Slug: feeds", "/feeds/"),
        ("Slug: page", "/page/"),
        ("Slug: anh", "/anh/"),
        ("Slug: pagefind", "/pagefind/"),
        ("Slug: sitemaps", "/sitemaps/"),
        ("Slug: theme", "/theme/"),
        ("Slug: ban-nhap", "/ban-nhap/"),
        ("Slug: lien-he", "trùng với trang content/pages/lien-he.md"),
        ("Slug: tim-kiem", "trùng với trang content/pages/tim-kiem.md"),
        ("Slug: Bad Slug", "phải là chữ thường ASCII"),
        ("Slug: trang-moi\nSave_as: index.html", 'Save_as "index.html" trùng với địa chỉ'),
    ],
)
def test_check_page_slug_must_be_valid_and_free(
    empty_project: Path, monkeypatch: pytest.MonkeyPatch, header: str, says: str
):
    monkeypatch.chdir(empty_project)
    path = write_page(empty_project, header)
    report = check_paths(empty_project, [str(path)])
    (finding,) = report.findings
    assert (finding.code, finding.severity) == ("E109", "error")
    assert finding.line == len(header.split("\n")) + 1  # the Slug, or the Save_as
    assert says in finding.message


def test_check_page_slug_must_not_repeat_an_article_slug(
    empty_project: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(empty_project)
    clean_article(empty_project)
    path = write_page(empty_project, "Slug: bai-sach")
    (finding,) = check_page(path.resolve(), load_config(empty_project))
    assert finding.code == "E109" and finding.line == 2
    assert finding.message.startswith('slug "bai-sach" trùng với bài content/articles/2022/12/')


def test_check_page_without_slug_is_checked_by_the_slug_made_from_its_title(
    empty_project: Path,
):
    path = empty_project / "content" / "pages" / "lien-he-2.md"
    path.write_text("Title: Liên hệ\n\nNội dung.\n", "utf-8")
    (finding,) = check_paths(empty_project, [str(path)]).findings
    assert finding.code == "E109" and 'slug "lien-he" trùng với trang' in finding.message


def test_check_page_with_a_free_slug_passes(empty_project: Path):
    path = write_page(empty_project, "Slug: quy-dinh-ban-quyen")
    assert check_paths(empty_project, [str(path)]).findings == []
    assert check_paths(empty_project, []).errors == 0  # and the pages it now sits beside


def test_site_names_cover_every_top_level_name_of_a_published_site(built_site: Path):
    """A page may not take a name that the site writes at its top level: SITE_NAMES must know
    each one that a real publish writes, other than the pages' own."""
    config = load_config(REPO)
    pages = {
        page_address(read_article(path))[1].split("/")[0]
        for path in page_paths(config.content_path)
    }
    unknown = [
        entry.name
        for entry in built_site.iterdir()
        if entry.name not in pages and entry.name not in SITE_NAMES and not YEAR.match(entry.name)
    ]
    assert unknown == []


def test_a_misspelt_place_is_named_with_the_gazetteers_spelling(empty_project: Path):
    path = clean_article(empty_project)
    _replace_line(path, "Slug:", "Slug: bai-sach\nPlaces: Lạng sơn, Quảng Ninh")
    (finding,) = check_paths(empty_project, [str(path)]).findings
    assert (
        finding.code == "W204"
        and finding.line
        == path.read_text("utf-8").split("\n").index("Places: Lạng sơn, Quảng Ninh") + 1
    )
    assert '"Lạng sơn"' in finding.message and 'có phải "Lạng Sơn"' in finding.message


@pytest.mark.parametrize("text", ["Title: ???\n\nx\n", "Title: Trang\nSave_as: /\n\nx\n"])
def test_check_page_without_an_address_of_its_own_is_an_error(
    empty_project: Path, monkeypatch: pytest.MonkeyPatch, text: str
):
    """Pelican would write it outside the site, or nowhere: say so before the build does."""
    monkeypatch.chdir(empty_project)
    path = empty_project / "content" / "pages" / "trang-moi.md"
    path.write_text(text, "utf-8")
    (finding,) = check_paths(empty_project, [str(path)]).findings
    assert (
        finding.code == "E109" and "trang không có địa chỉ riêng; hãy ghi Slug" in finding.message
    )


def test_check_names_the_article_in_the_photo_add_command_of_e110(project: Path):
    folder = project / "content" / "articles" / "2022" / "11" / SEED_SLUG
    jpeg_with_gps(folder / "anh-gps.jpg")
    (finding,) = [f for f in check_paths(project, [str(folder)]).findings if f.code == "E110"]
    assert f"`newsroom photo add {SEED_SLUG} " in finding.message


def test_an_index_md_that_links_to_a_file_elsewhere_is_refused(empty_project: Path, tmp_path):
    """Its text would come from outside the project, where no review sees it change."""
    path = clean_article(empty_project)
    outside = tmp_path / "ngoai" / "index.md"
    outside.parent.mkdir()
    outside.write_text(path.read_text("utf-8"), "utf-8")
    path.unlink()
    path.symlink_to(outside)
    found = check_paths(empty_project, [str(path.parent)]).findings
    assert [(f.code, f.severity) for f in found] == [("E100", "error")]
    assert "liên kết (symlink)" in found[0].message


def test_a_file_that_starts_with_a_byte_order_mark_is_no_invisible_character(empty_project):
    path = clean_article(empty_project)
    path.write_text("\ufeff" + path.read_text("utf-8"), "utf-8")
    assert "E114" not in codes(empty_project, path)
