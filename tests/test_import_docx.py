"""`newsroom import` of Word files: mammoth, then the HTML path; embedded photos are cleaned."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from pipeline.article import read_article
from pipeline.errors import NewsroomError
from pipeline.import_docx import MAX_UNPACKED
from pipeline.importer import import_files
from pipeline.photos import identifying_metadata
from tests.helpers import page
from tests.intake_support import jpeg_bytes_with_gps, make_docx
from tests.workflow_helpers import publish_all

PARAGRAPHS = [
    ("", "Thứ sáu, 09/12/2022 | 10:15"),
    ("Title", "Đồn Biên phòng Hữu Nghị tổ chức ngày hội tòng quân"),
    ("", "(BP) - Sáng 8/12, Đồn Biên phòng Hữu Nghị, BĐBP Lạng Sơn tổ chức ngày hội."),
    ("image", "Thanh niên nhận hoa trước giờ lên đường"),
    ("", "Các tân binh nhận hoa chúc mừng của lãnh đạo địa phương. Ảnh: Thu Hà"),
    ("", "Ngày hội có 40 thanh niên tham gia, trong đó có 12 đoàn viên ưu tú."),
    ("", "TIN, ẢNH: THU HÀ"),
]


def test_import_docx_article_with_photo(empty_project: Path, tmp_path: Path):
    source = make_docx(tmp_path / "bai.docx", PARAGRAPHS, jpeg_bytes_with_gps())
    (written,) = import_files(empty_project, [source], section="bien-gioi")
    article = read_article(written.folder / "index.md")
    assert article.title == "Đồn Biên phòng Hữu Nghị tổ chức ngày hội tòng quân"
    assert article.fields["Date"] == "2022-12-09T10:15:00+07:00"
    assert article.section == "Biên giới"
    assert article.summary == "Sáng 8/12, Đồn Biên phòng Hữu Nghị, BĐBP Lạng Sơn tổ chức ngày hội."
    assert article.authors == ["Thu Hà"]
    (photo,) = article.photos
    assert photo.alt == "Thanh niên nhận hoa trước giờ lên đường"
    assert photo.caption == "Các tân binh nhận hoa chúc mừng của lãnh đạo địa phương."
    assert photo.credit == "Thu Hà"
    stored = written.folder / photo.src
    assert stored.is_file()
    assert identifying_metadata(stored) == []
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    assert "Ngày hội có 40 thanh niên tham gia" in article.body
    assert "THU HÀ" not in article.body


def test_import_docx_broken_file(empty_project: Path, tmp_path: Path):
    source = tmp_path / "hong.docx"
    source.write_bytes(b"PK\x03\x04 not really a zip archive")
    with pytest.raises(NewsroomError, match=r"\.docx hỏng") as error:
        import_files(empty_project, [source])
    assert error.value.path == str(source)


def test_import_docx_refuses_encoding_option(empty_project: Path, tmp_path: Path):
    source = make_docx(tmp_path / "bai.docx", PARAGRAPHS, jpeg_bytes_with_gps())
    with pytest.raises(NewsroomError, match="--encoding"):
        import_files(empty_project, [source], encoding="vni")


def test_import_docx_article_builds_with_captioned_photo(empty_project: Path, tmp_path: Path):
    source = make_docx(tmp_path / "bai.docx", PARAGRAPHS, jpeg_bytes_with_gps())
    (written,) = import_files(empty_project, [source], section="Biên giới")
    output = publish_all(empty_project)  # approved through the real commands, then published
    html = page(output, f"2022/12/09/{written.folder.name}/")
    figure = html.select_one("article figure") or html.select_one("figure")
    assert figure is not None
    assert figure.img["alt"] == "Thanh niên nhận hoa trước giờ lên đường"
    assert "Các tân binh nhận hoa chúc mừng" in figure.figcaption.get_text()
    assert "Ảnh: Thu Hà" in figure.figcaption.get_text()
    assert "Sáng 8/12, Đồn Biên phòng Hữu Nghị" in html.get_text()


def test_import_docx_a_short_line_without_full_stop_is_text_not_a_photo(
    empty_project: Path, tmp_path: Path
):
    """Word marks its photos: an unstyled subheading or list item stays text (it became a
    figure waiting for a photo file that never existed)."""
    paragraphs = [
        *PARAGRAPHS[:-1],
        ("", "Nhiều mô hình hay trong công tác dân vận"),
        PARAGRAPHS[-1],
    ]
    paragraphs.insert(-1, ("", "Đoạn cuối của bài viết về ngày hội tòng quân."))
    source = make_docx(tmp_path / "bai.docx", paragraphs, jpeg_bytes_with_gps())
    (written,) = import_files(empty_project, [source], section="bien-gioi")
    article = read_article(written.folder / "index.md")
    assert len(article.photos) == 1
    assert "Nhiều mô hình hay trong công tác dân vận" in article.body


def test_import_docx_names_a_refused_photo_by_its_words_not_words_own_name(
    empty_project: Path, tmp_path: Path
):
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    source = make_docx(tmp_path / "bai.docx", PARAGRAPHS, buffer.getvalue())
    with pytest.raises(NewsroomError) as refused:
        import_files(empty_project, [source], section="bien-gioi")
    said = str(refused.value)
    assert '"Thanh niên nhận hoa trước giờ lên đường"' in said and "GIF" in said


def test_import_docx_that_unpacks_to_far_more_than_an_article_is_refused_unread(
    empty_project: Path, tmp_path: Path
):
    """A 434 KB file unpacking to 150 MB of XML took 2.9 GB of memory, then a traceback."""
    source = tmp_path / "bom.docx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * 2**20
            for _ in range(MAX_UNPACKED // 2**20 + 1):
                member.write(chunk)
    assert source.stat().st_size < 2**20
    with pytest.raises(NewsroomError, match=r"giải nén ra \d+ MB, quá lớn"):
        import_files(empty_project, [source], section="bien-gioi")


def test_import_docx_a_paragraph_in_words_caption_style_is_the_photos_caption(
    empty_project: Path, tmp_path: Path
):
    """Short, or ending with a full stop: Word's Caption style says what it is."""
    paragraphs = [*PARAGRAPHS]
    paragraphs[4] = ("Caption", "Lễ bàn giao nhà.")
    source = make_docx(tmp_path / "bai.docx", paragraphs, jpeg_bytes_with_gps())
    (written,) = import_files(empty_project, [source], section="bien-gioi")
    (photo,) = read_article(written.folder / "index.md").photos
    assert photo.caption == "Lễ bàn giao nhà."
