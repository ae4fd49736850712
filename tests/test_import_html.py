"""`newsroom import` of HTML: a news page, a word-processor export, and an old table layout."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from pipeline.article import parse_text, read_article
from pipeline.errors import NewsroomError, PhotoError
from pipeline.importer import import_files
from pipeline.photos import identifying_metadata
from tests.intake_support import FIXTURES, cp1258_bytes, jpeg_with_gps

JUNK = [
    "Quảng cáo",
    "Chia sẻ",
    "Tin liên quan",
    "Tin khác",
    "Trang chủ",
    "Bình luận",
    "Bài viết rất hay",
    "dataLayer",
    "font-family",
    "Giấy phép",
    "Bản quyền",
    "Đọc nhiều",
    "28/11/2026",  # the site header's "today", not the article's date
    "tuần tra</a>",
    "DocumentProperties",
    "Báo Mẫu",  # the site's logo and name
]


def dry_run(root: Path, path: Path) -> str:
    return import_files(root, [path], dry_run=True)[0].text


@pytest.fixture
def root(empty_project: Path) -> Path:
    return empty_project


def test_import_html_news_page(root: Path):
    text = dry_run(root, FIXTURES / "news-page.html")
    article = parse_text(text, Path("index.md"))
    assert article.title == "Tuần tra song phương trên tuyến biên giới Việt - Lào"
    assert article.fields["Date"] == "2022-12-06T15:40:00+07:00"
    assert article.summary.startswith("Ngày 5/12, Đồn Biên phòng Cửa khẩu Quốc tế Nậm Cắn")
    assert article.authors == ["Minh Tuấn"]
    (photo,) = article.photos
    assert photo.alt == "Hai tổ tuần tra đi trên đường mòn ven suối"
    assert photo.caption == "Lực lượng hai bên tuần tra trên tuyến biên giới."
    assert photo.credit == "Minh Tuấn"
    assert photo.src == "tuan-tra-song-phuong.jpg"  # on the web: named, not downloaded
    assert article.body.count("\n\n") == 3  # the photo and three paragraphs
    assert article.places == ["Nghệ An"]
    for junk in JUNK:
        assert junk not in text, junk


def test_import_html_word_export_stores_clean_local_image(root: Path, tmp_path: Path):
    source = tmp_path / "word-export.html"
    shutil.copy(FIXTURES / "word-export.html", source)
    jpeg_with_gps(tmp_path / "word-export_files" / "image001.jpg", size=(90, 60))
    (written,) = import_files(root, [source])
    article = read_article(written.folder / "index.md")
    assert article.title == "Bộ đội Biên phòng tỉnh Quảng Trị giúp dân thu hoạch lúa"
    assert article.fields["Date"] == "2022-12-08T07:00:00+07:00"
    assert article.summary.startswith("Những ngày qua, cán bộ, chiến sĩ Bộ đội Biên phòng (BĐBP)")
    assert article.authors == ["Đức Thịnh", "Hoàng Long"]
    assert article.abbreviations == {"BĐBP": "Bộ đội Biên phòng", "UBND": "Ủy ban nhân dân"}
    (photo,) = article.photos
    assert photo.caption.startswith("Cán bộ, chiến sĩ Đồn Biên phòng A Dơi giúp đồng bào")
    assert photo.credit == "Thanh Hà"
    stored = written.folder / photo.src
    assert identifying_metadata(stored) == []
    with Image.open(stored) as image:
        assert image.size == (60, 90)  # the EXIF rotation was applied
        assert not image.getexif()
    text = (written.folder / "index.md").read_text("utf-8")
    for junk in JUNK:
        assert junk not in text, junk


def test_import_html_without_article_or_main(root: Path):
    text = dry_run(root, FIXTURES / "old-portal.html")
    article = parse_text(text, Path("index.md"))
    assert article.title == "Đồn Biên phòng Cửa khẩu Cầu Treo tặng quà học sinh nghèo"
    assert article.fields["Date"] == "2022-12-04T07:00:00+07:00"
    assert article.summary.startswith("Sáng 3/12, Đồn Biên phòng Cửa khẩu Cầu Treo")
    assert article.authors == ["Nguyễn Hồng Nhung"]
    (photo,) = article.photos
    assert photo.caption == "Cán bộ Đồn Biên phòng Cửa khẩu Cầu Treo trao quà cho các em học sinh"
    assert photo.credit == "Hồng Nhung"
    for junk in JUNK:
        assert junk not in text, junk


def test_import_html_in_windows_1258(root: Path, tmp_path: Path):
    source = tmp_path / "cu.htm"
    source.write_bytes(cp1258_bytes((FIXTURES / "old-portal.html").read_text("utf-8")))
    assert dry_run(root, source) == dry_run(root, FIXTURES / "old-portal.html")


def test_import_html_broken_embedded_image_is_refused(root: Path, tmp_path: Path):
    source = tmp_path / "bai.html"
    source.write_text(
        "<h1>Tiêu đề</h1><p>– Sapo.</p><p><img src='data:image/jpeg;base64,/9j/4AAQSkZJRg=='></p>",
        "utf-8",
    )
    with pytest.raises(PhotoError, match=r"ảnh hỏng|không phải tệp ảnh") as error:
        import_files(root, [source])
    assert error.value.path == str(source)
    assert error.value.message.startswith("ảnh anh.jpeg: ")
    assert not list((root / "content" / "articles").rglob("*"))


def _imported_body(root: Path, tmp_path: Path, body: str):
    """The article a news page with this body (after its title, dateline and lead) gives."""
    source = tmp_path / "bai.html"
    source.write_text(
        "<article><h1>Tiêu đề bài</h1><p>Thứ hai, 28/11/2022</p><p>– Sapo của bài.</p>"
        f"{body}</article>",
        "utf-8",
    )
    return parse_text(dry_run(root, source), source)


def test_import_html_subheading_is_not_a_caption(root: Path, tmp_path: Path):
    body = (
        "<p>Đoạn một.</p><h2>Nâng cao chất lượng công tác tuần tra biên giới</h2><p>Đoạn hai.</p>"
    )
    article = _imported_body(root, tmp_path, body)
    assert article.photos == []
    assert "\n\n## Nâng cao chất lượng công tác tuần tra biên giới\n\n" in article.body


def test_import_html_linked_photo_and_following_caption(root: Path, tmp_path: Path):
    source = tmp_path / "bai.html"
    source.write_text(
        "<body><div id='noi-dung'><p>Thứ hai, 28/11/2022</p><p>Tiêu đề bài</p>"
        "<p>(BP) - Sapo của bài.</p><a href='lon.jpg'><img src='nho.jpg' alt='Cột mốc'></a>"
        "<p><em>Cột mốc 512 sau khi được tu sửa (Ảnh: Văn Long)</em></p>"
        "<p>Đoạn thân bài đủ dài để vùng này là vùng nội dung chính của trang.</p></div></body>",
        "utf-8",
    )
    article = parse_text(dry_run(root, source), source)
    assert article.title == "Tiêu đề bài"
    (photo,) = article.photos
    assert (photo.src, photo.alt, photo.caption, photo.credit) == (
        "nho.jpg",
        "Cột mốc",
        "Cột mốc 512 sau khi được tu sửa",
        "Văn Long",
    )


HTML_PIECES = st.sampled_from(
    ["<p>", "</p>", "<h1>", "</h1>", "<h2>", "<figure>", '<img src="a.jpg" alt="x">',
     "<figcaption>", "<br>", '<div class="sapo">', "</div>", "<table><tr><td>", "<article>",
     "<!--c-->", "<![if !vml]>", "Thứ hai, 28/11/2022", "– Sapo", "ĐÌNH QUANG", "Ảnh: A",
     "<script>x</script>", '<img src="data:image/png;base64,iVBOR">', '<img src="../x.jpg">',
     '<p class="author">', "<main>", "&nbsp;", "<time datetime='2022-02-30'>"]
)  # fmt: skip


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pieces=st.lists(st.one_of(HTML_PIECES, st.text(max_size=20)), max_size=25))
def test_import_html_dry_run_never_crashes(root: Path, tmp_path: Path, pieces: list[str]):
    source = tmp_path / "trang.html"
    source.write_bytes("".join(pieces).encode("utf-8", errors="surrogatepass"))
    try:
        text = dry_run(root, source)
    except NewsroomError:
        return
    assert parse_text(text, source).title


def test_import_html_libreoffice_export_in_windows_1258(root: Path):
    source = FIXTURES / "libreoffice-cp1258.html"
    assert b"windows-1258" in source.read_bytes()
    article = parse_text(dry_run(root, source), source)
    assert article.title == "Tiêu đề của bài viết từ LibreOffice"
    assert article.authors == ["Nguyễn Văn An"]
    assert article.summary == "Sapo của bài viết."
    (photo,) = article.photos
    assert (photo.src, photo.credit) == ("bai-html-abc.jpg", "Xuân Mai")


def test_import_html_list_items_and_table_cells_are_text_not_photos(root: Path, tmp_path: Path):
    """A short line without a full stop is a photo's caption in plain text, where the photo
    itself is left out; HTML marks its photos, so there it is a list item or a cell."""
    body = (
        "<ul><li>Hỗ trợ 120 lượt tàu cá vào tránh trú bão an toàn</li>"
        "<li>Tổ chức 35 buổi tuyên truyền pháp luật cho ngư dân</li></ul>"
        "<table><tr><td>Đồn Biên phòng cửa khẩu quốc tế Lào Cai</td></tr></table>"
        "<p>Đoạn cuối.</p>"
    )
    article = _imported_body(root, tmp_path, body)
    assert article.photos == []
    assert "Hỗ trợ 120 lượt tàu cá vào tránh trú bão an toàn" in article.body
    assert "Đồn Biên phòng cửa khẩu quốc tế Lào Cai" in article.body


def test_import_html_saved_page_with_lazy_images_keeps_the_real_photos(root: Path, tmp_path: Path):
    """A saved news page loads its photos lazily: `src` is a placeholder (an SVG, a spacer GIF)
    and the photo is in data-src, data-original or srcset. The page was refused, or its photo
    files left out without a word."""
    files = tmp_path / "bai_files"
    files.mkdir()
    for name in ("anh1.jpg", "anh2.jpg", "anh3-960.jpg"):
        jpeg_with_gps(files / name, size=(120, 80))
    jpeg_with_gps(files / "anh3-480.jpg", size=(60, 40))
    Image.new("P", (1, 1)).save(files / "blank.gif")
    svg = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
    source = tmp_path / "bai.html"
    source.write_text(
        "<article><h1>Tiêu đề bài</h1><p>Thứ hai, 28/11/2022</p><p>– Sapo của bài.</p>"
        f'<figure><img src="{svg}" data-src="bai_files/anh1.jpg" alt="Một">'
        "<figcaption>Ảnh thứ nhất</figcaption></figure>"
        '<figure><img src="bai_files/blank.gif" data-original="bai_files/anh2.jpg" alt="Hai">'
        "<figcaption>Ảnh thứ hai</figcaption></figure>"
        '<figure><img srcset="bai_files/anh3-480.jpg 480w, bai_files/anh3-960.jpg 960w" alt="Ba">'
        "<figcaption>Ảnh thứ ba</figcaption></figure>"
        "<p>Đoạn cuối.</p></article>",
        "utf-8",
    )
    (written,) = import_files(root, [source])
    article = read_article(written.folder / "index.md")
    assert [p.alt for p in article.photos] == ["Một", "Hai", "Ba"]
    assert all((written.folder / p.src).is_file() for p in article.photos)
    with Image.open(written.folder / article.photos[2].src) as image:
        assert max(image.size) == 120  # the largest of the srcset


def test_import_html_reads_decomposed_text_and_drops_invisible_characters(
    root: Path, tmp_path: Path
):
    """Unikey's "Unicode tổ hợp" writes decomposed letters: the places and abbreviations of
    such a page were not found. Soft hyphens and direction overrides show nothing."""
    html = (
        "<article><h1>Tuần tra ở Điện Biên</h1><p>Thứ hai, 28/11/2022</p>"
        "<p>– Sáng 27/11, Đồn Biên phòng (ĐBP) tỉnh Điện Biên ra quân.</p>"
        "<p>Đoạn thân\u00adbài \u202eđảo\u202c ngược.</p></article>"
    )
    source = tmp_path / "bai.html"
    source.write_text(unicodedata.normalize("NFD", html), "utf-8")
    text = dry_run(root, source)
    article = parse_text(text, source)
    assert "Điện Biên" in article.fields["Places"]
    assert "ĐBP" in article.fields["Abbreviations"]
    assert not {"\u00ad", "\u202e", "\u202c"} & set(text)


def test_import_html_a_line_break_mid_sentence_keeps_one_paragraph(root: Path, tmp_path: Path):
    """Word's Shift+Enter (a `<br>`) split a sentence into two paragraphs, as plain text's line
    breaks no longer do."""
    body = "<p>Các lực lượng đã phối hợp chặt chẽ<br>và hoàn thành nhiệm vụ.</p><p>Đoạn cuối.</p>"
    article = _imported_body(root, tmp_path, body)
    assert "Các lực lượng đã phối hợp chặt chẽ và hoàn thành nhiệm vụ." in article.body
