"""`newsroom import` of plain text in the newspaper's layout."""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.article import parse_text, read_article
from pipeline.check import check_paths
from pipeline.cli import main
from pipeline.conventions import strip_lead_in, with_lead_in
from pipeline.errors import NewsroomError
from pipeline.figures import parse_photos
from pipeline.importer import import_files
from tests.helpers import REPO, SEED_SLUG
from tests.intake_support import FIXTURES, SEED_TEXT, cp1258_bytes

SEED_ARTICLE = REPO / "content" / "articles" / "2022" / "11" / SEED_SLUG / "index.md"
SHARED_SEED = REPO.parent / "shared" / "000_bf372a22eaafa31c.txt"
SEED_SOURCES = [SEED_TEXT, *([SHARED_SEED] if SHARED_SEED.is_file() else [])]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the real configuration and no articles yet."""
    folder = tmp_path_factory.mktemp("root")
    (folder / "newsroom.toml").write_bytes((REPO / "newsroom.toml").read_bytes())
    return folder


def dry_run(root: Path, path: Path, **options) -> str:
    return import_files(root, [path], dry_run=True, **options)[0].text


def imported(root: Path, path: Path, **options):
    return parse_text(dry_run(root, path, **options), path)


def write(tmp_path: Path, text: str, name: str = "bai.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def paragraphs(article) -> list[str]:
    photo_lines = {photo.line for photo in article.photos}
    blocks, start = [], article.body_line
    for number, block in enumerate(article.body.split("\n\n")):
        del number
        if start not in photo_lines:
            blocks.append(block.strip())
        start += block.count("\n") + 2
    return blocks


@pytest.mark.parametrize("source", SEED_SOURCES, ids=lambda p: p.parent.name)
def test_import_seed_reproduces_published_article(root: Path, source: Path):
    published = read_article(SEED_ARTICLE)
    article = imported(root, source)
    for name in ("Title", "Date", "Authors", "Summary", "Slug", "Places", "Abbreviations"):
        assert article.fields[name] == published.fields[name], name
    assert article.fields["Event_date"] == published.fields["Event_date"]
    assert [p.caption for p in article.photos] == [p.caption for p in published.photos]
    assert paragraphs(article) == paragraphs(published)
    assert article.authors == ["Đình Quang", "Vi Toàn"]


def test_import_writes_folder_that_check_reports_missing_photo(empty_project: Path):
    written = import_files(empty_project, [SEED_TEXT], section="Xây dựng lực lượng")
    index = written[0].folder / "index.md"
    assert index == empty_project / "content/articles/2022/11" / SEED_SLUG / "index.md"
    article = read_article(index)
    assert article.section == "Xây dựng lực lượng"
    report = check_paths(empty_project, [str(index)])
    assert [f.code for f in report.findings if f.severity == "error"] == ["E104"]
    assert report.findings[0].line == article.photos[0].line


def test_import_without_a_section_leaves_the_field_for_the_reporter_to_fill(
    empty_project: Path, tmp_path: Path
):
    source = write(tmp_path, "Thứ hai, 28/11/2022\n\nTin A!\n\n– Nội dung một.\n")
    (written,) = import_files(empty_project, [source])
    text = (written.folder / "index.md").read_text("utf-8").split("\n")
    assert "Section:" in text  # an empty line to fill in, as `new` writes every field
    report = check_paths(empty_project, [str(written.folder)])
    lines = {f.line for f in report.findings if f.code == "E101" and "Section" in f.message}
    assert lines == {text.index("Section:") + 1}


def test_import_never_overwrites_the_same_article(project: Path):
    before = {p: p.read_bytes() for p in (project / "content/articles").rglob("*") if p.is_file()}
    with pytest.raises(NewsroomError, match="đã có"):
        import_files(project, [SEED_TEXT])
    after = {p: p.read_bytes() for p in (project / "content/articles").rglob("*") if p.is_file()}
    assert after == before


def test_import_same_slug_other_title_gets_suffix(empty_project: Path, tmp_path: Path):
    first = write(tmp_path, "Thứ hai, 28/11/2022\n\nTin A!\n\n– Nội dung một.\n", "a.txt")
    second = write(tmp_path, "Thứ hai, 28/11/2022\n\nTin A?\n\n– Nội dung hai.\n", "b.txt")
    written = import_files(empty_project, [first, second])
    assert [w.folder.name for w in written] == ["tin-a", "tin-a-2"]


def test_import_dry_run_writes_nothing(empty_project: Path):
    before = sorted(empty_project.rglob("*"))
    text = dry_run(empty_project, SEED_TEXT)
    assert text.startswith("Title: Cụm thi đua số 1")
    assert sorted(empty_project.rglob("*")) == before


def test_import_bad_file_in_batch_writes_nothing(empty_project: Path, tmp_path: Path):
    bad = write(tmp_path, "Thứ hai, 31/02/2022\n\nTiêu đề\n\n– Sapo.\n", "bad.txt")
    with pytest.raises(NewsroomError, match="31/02/2022"):
        import_files(empty_project, [SEED_TEXT, bad])
    assert not list((empty_project / "content/articles").rglob("*"))


@pytest.mark.parametrize(
    ("dateline", "date"),
    [
        ("Thứ hai,  28/11/2022", "2022-11-28T07:00:00+07:00"),
        ("THỨ HAI, 28/11/2022 | 15:30", "2022-11-28T15:30:00+07:00"),
        ("thứ hai , 28 / 11 / 2022   |   9:05", "2022-11-28T09:05:00+07:00"),
        ("Chủ nhật, 4/12/2022", "2022-12-04T07:00:00+07:00"),
        ("Thứ 2, 28/11/2022 - 18h45", "2022-11-28T18:45:00+07:00"),
    ],
)
def test_import_dateline_variants(root: Path, tmp_path: Path, dateline: str, date: str):
    path = write(tmp_path, f"{dateline}\n\nTiêu đề bài\n\n– Sapo của bài.\n\nThân bài.\n")
    assert imported(root, path).fields["Date"] == date


@pytest.mark.parametrize("lead_in", ["– ", "- ", "(BP) – ", "(BP) - ", "(BP)- "])
def test_import_lead_in_is_dropped(root: Path, tmp_path: Path, lead_in: str):
    path = write(
        tmp_path, f"Thứ hai, 28/11/2022\n\nTiêu đề\n\n{lead_in}Sáng 27/11, sapo.\n\nThân.\n"
    )
    article = imported(root, path)
    assert article.summary == "Sáng 27/11, sapo."
    assert article.fields["Event_date"] == "2022-11-27"
    assert "Sáng 27/11" not in article.body


@pytest.mark.parametrize(
    ("byline", "authors", "credit"),
    [
        ("ĐÌNH QUANG – VI TOÀN", "Đình Quang, Vi Toàn", ""),
        ("Bài, ảnh: MINH TUẤN", "Minh Tuấn", "Minh Tuấn"),
        ("Bài và ảnh: NGỌC ANH", "Ngọc Anh", "Ngọc Anh"),
        ("Tin, ảnh: HỒNG NHUNG", "Hồng Nhung", "Hồng Nhung"),
        ("Bài: THU HÀ", "Thu Hà", ""),
    ],
)
def test_import_byline_variants(root: Path, tmp_path: Path, byline: str, authors: str, credit: str):
    text = (
        "Thứ hai, 28/11/2022\n\nTiêu đề\n\nChú thích ảnh đầu bài về buổi lễ tại đơn vị\n\n"
        f"– Sapo.\n\nThân bài.\n\n{byline}\n"
    )
    article = imported(root, write(tmp_path, text))
    assert article.fields["Authors"] == authors
    assert article.photos[0].credit == credit
    assert byline not in article.body


def test_import_caption_with_credit_between_paragraphs(root: Path, tmp_path: Path):
    text = (
        "Thứ hai, 28/11/2022\n\nTiêu đề\n\n– Sapo.\n\nĐoạn một.\n\n"
        "Các đại biểu tham quan mô hình tại đồn. Ảnh: Văn Long\n\nĐoạn hai.\n\nTHU HÀ\n"
    )
    article = imported(root, write(tmp_path, text))
    (photo,) = article.photos
    assert (photo.caption, photo.credit) == ("Các đại biểu tham quan mô hình tại đồn.", "Văn Long")
    assert photo.alt
    assert paragraphs(article) == ["Đoạn một.", "Đoạn hai."]


def test_import_escapes_markdown_and_html(root: Path, tmp_path: Path):
    text = (
        "Thứ hai, 28/11/2022\n\nTiêu đề\n\n– Sapo.\n\n- Không phải danh sách.\n\n"
        "1. Không phải danh sách số.\n\n<script>alert(1)</script> và *sao*.\n"
    )
    article = imported(root, write(tmp_path, text))
    assert "\\- Không phải" in article.body
    assert "1\\. Không phải" in article.body
    assert "<script>" not in article.body
    assert "\\*sao\\*" in article.body


def test_import_windows_1258_file(root: Path, tmp_path: Path):
    path = tmp_path / "cp1258.txt"
    path.write_bytes(cp1258_bytes(SEED_TEXT.read_text("utf-8")))
    article = imported(root, path)
    assert article.title.startswith("Cụm thi đua số 1 Bộ đội Biên phòng")
    assert article.authors == ["Đình Quang", "Vi Toàn"]


def test_import_nfd_file_becomes_nfc(root: Path, tmp_path: Path):
    path = write(tmp_path, unicodedata.normalize("NFD", SEED_TEXT.read_text("utf-8")))
    text = dry_run(root, path)
    assert unicodedata.is_normalized("NFC", text)
    assert "Cụm thi đua" in text


def test_import_tcvn3_fixture(root: Path, tmp_path: Path):
    article = imported(root, FIXTURES / "tcvn3.txt")
    assert article.title == "Đồn biên phòng Na Mèo ra quân tuần tra bảo vệ mốc quốc giới"
    assert article.fields["Date"] == "2022-12-02T07:00:00+07:00"
    assert article.summary.startswith("Ngày 1/12, Đồn biên phòng Na Mèo")
    assert article.authors == ["Lê Văn Đông"]
    assert article.places == ["Thanh Hóa"]


def test_import_vni_fixture(root: Path, tmp_path: Path):
    article = imported(root, FIXTURES / "vni.txt")
    assert article.title == "Người lính quân hàm xanh giúp dân vùng lũ Kiên Giang"
    assert article.fields["Date"] == "2022-12-10T08:30:00+07:00"
    assert article.abbreviations == {"BĐBP": "Bộ đội Biên phòng"}
    assert article.authors == ["Quốc Trưởng"]


def test_import_encoding_option_overrides_detection(root: Path, tmp_path: Path):
    data = (FIXTURES / "vni.txt").read_bytes()
    path = tmp_path / "vni.txt"
    path.write_bytes(data)
    assert imported(root, path, encoding="vni").title.startswith("Người lính")
    with pytest.raises(NewsroomError, match="tiêu đề"):
        imported(root, write(tmp_path, "– Chỉ có sapo, không có tiêu đề.\n", "x.txt"))


def test_import_hard_wrapped_text_is_joined(root: Path, tmp_path: Path):
    text = (
        "Thứ hai, 28/11/2022\n\nTiêu đề\n\n– Sapo.\n\nĐây là một đoạn văn bị ngắt\n"
        "dòng giữa câu khi sao chép.\n"
    )
    assert paragraphs(imported(root, write(tmp_path, text))) == [
        "Đây là một đoạn văn bị ngắt dòng giữa câu khi sao chép."
    ]


def test_import_places_from_gazetteer(root: Path, tmp_path: Path):
    text = "Thứ hai, 28/11/2022\n\nTin Cà Mau\n\n– Sapo ở Cà Mau và An Giang.\n\nHà Nội.\n"
    assert imported(root, write(tmp_path, text)).places == ["Cà Mau", "An Giang"]


def _never_crashes(root: Path, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bai.txt"
    path.write_bytes(data)
    try:
        text = import_files(root, [path], dry_run=True)[0].text
    except NewsroomError:
        return
    assert unicodedata.is_normalized("NFC", text)
    article = parse_text(text, path)  # what import writes, our own reader reads back
    assert article.title and article.fields["Date"] and article.slug
    assert len(article.photos) == len(parse_photos(article.body))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=400))
def test_import_dry_run_never_crashes_on_text(root: Path, tmp_path: Path, text: str):
    _never_crashes(root, tmp_path, text.encode("utf-8", errors="surrogatepass"))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400))
def test_import_dry_run_never_crashes_on_bytes(root: Path, tmp_path: Path, data: bytes):
    _never_crashes(root, tmp_path, data)


LAYOUT_LINES = st.sampled_from(
    ["Thứ hai, 28/11/2022", "Thứ ba, 31/02/2022 | 25:00", "– Sapo.", "(BP) - ", "Ảnh: X",
     "BÀI, ẢNH: A – B", "Tiêu đề", "", "<script>", "- ", "![x](y)", "Ngày 16/9, a (BĐBP)"]
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(st.one_of(LAYOUT_LINES, st.text(max_size=40)), max_size=12))
def test_import_dry_run_never_crashes_on_layout_like_text(
    root: Path, tmp_path: Path, lines: list[str]
):
    _never_crashes(root, tmp_path, "\n".join(lines).encode("utf-8", errors="surrogatepass"))


def test_import_collects_abbreviations_defined_together(root: Path, tmp_path: Path):
    text = (
        "Thứ ba, 20/12/2022\n\nTổng kết\n\n– Ngày 19/12, Bộ Chỉ huy (BCH) tổng kết công tác "
        "đảng, công tác chính trị (CTĐ, CTCT) và quốc phòng – an ninh (QP-AN).\n\nThân (Lào).\n"
    )
    assert imported(root, write(tmp_path, text)).abbreviations == {
        "BCH": "Bộ Chỉ huy",
        "CTĐ": "công tác đảng",
        "CTCT": "công tác chính trị",
        "QP-AN": "quốc phòng – an ninh",
    }


def test_import_cli_dry_run_names_each_file(root: Path, capsys: pytest.CaptureFixture):
    tcvn3, vni = FIXTURES / "tcvn3.txt", FIXTURES / "vni.txt"
    assert main(["--root", str(root), "import", "--dry-run", str(tcvn3), str(vni)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"==> {tcvn3} <==\nTitle: Đồn biên phòng Na Mèo")
    assert f"\n\n==> {vni} <==\nTitle: Người lính" in out
    assert not (root / "content").exists()


def test_import_cli_prints_new_paths(empty_project: Path, capsys: pytest.CaptureFixture):
    assert main(["--root", str(empty_project), "import", str(SEED_TEXT)]) == 0
    printed = Path(capsys.readouterr().out.splitlines()[0])  # then the photos still to add
    assert printed == empty_project / "content/articles/2022/11" / SEED_SLUG / "index.md"
    assert printed.is_file()


@pytest.mark.parametrize(
    ("html", "shown"),
    [("<p>Ngày 16/9, hội nghị.</p>", "<p>– Ngày 16/9, hội nghị.</p>"), ("Sapo.", "– Sapo.")],
)
def test_the_page_puts_back_the_lead_in_that_import_takes_off(html: str, shown: str):
    assert with_lead_in(html) == shown
    text = BeautifulSoup(shown, "html.parser").get_text()
    assert strip_lead_in(text) == BeautifulSoup(html, "html.parser").get_text()


@pytest.mark.parametrize("typed", ["<p>– Sáng 28/11, hội nghị.</p>", "<p>(BP) - Sáng 28/11.</p>"])
def test_a_lead_typed_with_its_lead_in_is_not_given_a_second_one(typed: str):
    assert with_lead_in(typed) == typed


def test_import_says_which_photos_still_need_their_file_and_how(empty_project: Path, capsys):
    """Plain text leaves its photos out: the import names them and the command to add each."""
    assert main(["--root", str(empty_project), "import", str(SEED_TEXT)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].endswith("index.md")
    assert said[1].startswith("  còn 1 ảnh chưa có tệp (")
    assert "newsroom photo add cum-thi-dua-so-1" in said[1] and "--replace TÊN" in said[1]


@pytest.mark.parametrize(
    ("dateline", "date"),
    [
        ("Thứ Hai, ngày 28/11/2022", "2022-11-28T07:00:00+07:00"),
        ("28/11/2022 07:45", "2022-11-28T07:45:00+07:00"),
        ("Cập nhật: 28/11/2022", "2022-11-28T07:00:00+07:00"),
        ("Ngày 28 tháng 11 năm 2022", "2022-11-28T07:00:00+07:00"),
        ("28/11/22", "2022-11-28T07:00:00+07:00"),
    ],
)
def test_import_reads_the_datelines_papers_print(
    empty_project: Path, tmp_path: Path, dateline, date
):
    """Each of these became the title (and its slug), the real title a photo caption."""
    source = tmp_path / "bai.txt"
    source.write_text(
        f"{dateline}\n\nĐồn Biên phòng A Pa Chải tuần tra bảo vệ mốc quốc giới\n\n"
        "– Sáng 27/11, đơn vị ra quân.\n\nĐoạn thân bài.\n",
        "utf-8",
    )
    (prepared,) = import_files(empty_project, [source], dry_run=True)
    article = parse_text(prepared.text, source)
    assert article.title == "Đồn Biên phòng A Pa Chải tuần tra bảo vệ mốc quốc giới"
    assert article.fields["Date"] == date
    assert article.photos == []


def test_import_refuses_the_same_article_again_when_its_slug_was_already_taken(
    empty_project: Path, tmp_path: Path
):
    """Another article had the title's slug, so the first import took `-2`; the second import
    of the same file made `-3`. The same file twice in one command made `-2` beside it too."""
    source = tmp_path / "bai.txt"
    source.write_text(
        "Thứ hai, 28/11/2022\n\nTuần tra biên giới\n\n– Sáng 27/11, đơn vị ra quân.\n", "utf-8"
    )
    other = tmp_path / "khac.txt"
    other.write_text(
        "Thứ hai, 28/11/2022\n\nTuần tra: biên giới\n\n– Sáng 27/11, đơn vị khác.\n", "utf-8"
    )
    import_files(empty_project, [other])  # takes the slug tuan-tra-bien-gioi first
    (first,) = import_files(empty_project, [source])
    assert first.folder.name == "tuan-tra-bien-gioi-2"
    with pytest.raises(NewsroomError, match="bài cùng tiêu đề đã có"):
        import_files(empty_project, [source])
    fresh = tmp_path / "moi.txt"
    fresh.write_text(source.read_text("utf-8").replace("Tuần tra biên giới", "Bài mới"), "utf-8")
    with pytest.raises(NewsroomError, match="bài cùng tiêu đề đã có"):
        import_files(empty_project, [fresh, fresh], dry_run=True)


def test_an_imported_article_folder_has_the_mode_of_any_new_folder(empty_project: Path):
    """Its staging folder came from mkdtemp (0700): other desk accounts could not read it."""
    (written,) = import_files(empty_project, [SEED_TEXT])
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(written.folder.stat().st_mode) == 0o777 & ~mask
