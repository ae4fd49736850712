"""`newsroom photo add`: validate, clean and store a photo, then add its figure to the article."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from pipeline.article import read_article
from pipeline.cli import main
from pipeline.errors import NewsroomError, PhotoError
from pipeline.importer import import_files
from pipeline.photo_add import add_photo
from pipeline.photos import identifying_metadata
from tests.helpers import SEED_SLUG
from tests.intake_support import SEED_TEXT, cmyk_jpeg, huge_png, jpeg_with_gps, png_with_alpha


def _add(project: Path, photo: Path, **words):
    options = {"caption": "Chú thích ảnh.", "alt": "Mô tả ảnh", "credit": "Minh Tuấn", **words}
    return add_photo(project, SEED_SLUG, photo, **options)


def test_photo_add_jpeg_with_gps_and_rotation(project: Path, tmp_path: Path):
    source = jpeg_with_gps(tmp_path / "IMG_0001.JPG", size=(120, 80), orientation=6)
    assert {"vị trí GPS", "số sê-ri máy ảnh", "XMP"} <= set(identifying_metadata(source))
    added = _add(project, source, credit="Ảnh: Minh Tuấn")
    assert added.photo.name == "img-0001.jpg"
    with Image.open(added.photo) as image:
        assert image.format == "JPEG"
        assert image.size == (80, 120)  # turned upright
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "photoshop"} & set(image.info)
        # the white mark at the top-left of the sensor is now at the top-right
        assert image.getpixel((70, 5))[0] > 200 and image.getpixel((5, 5))[0] < 120
    assert identifying_metadata(added.photo) == []
    article = read_article(added.article)
    last = article.photos[-1]
    assert (last.src, last.alt, last.caption, last.credit) == (
        "img-0001.jpg",
        "Mô tả ảnh",
        "Chú thích ảnh.",
        "Minh Tuấn",
    )
    assert article.title.startswith("Cụm thi đua số 1")  # the rest of the article is kept
    assert len(article.photos) == 2


def test_photo_add_alt_text_with_brackets_keeps_the_figure(project: Path, tmp_path: Path):
    source = jpeg_with_gps(tmp_path / "ban-do.jpg", size=(120, 80))
    added = _add(project, source, alt="Bản đồ [minh họa] khu vực")
    last = read_article(added.article).photos[-1]
    assert (last.src, last.alt) == (added.photo.name, "Bản đồ [minh họa] khu vực")


def test_photo_add_cmyk_jpeg_becomes_srgb(project: Path, tmp_path: Path):
    added = _add(project, cmyk_jpeg(tmp_path / "cmyk.jpg"))
    with Image.open(added.photo) as image:
        assert (image.format, image.mode) == ("JPEG", "RGB")
        red, green, blue = image.getpixel((30, 20))
        assert red > 180 and green < 120 and blue < 120  # magenta + yellow ink is red


def test_photo_add_png_with_alpha_stays_png(project: Path, tmp_path: Path):
    added = _add(project, png_with_alpha(tmp_path / "logo.png"))
    assert added.photo.suffix == ".png"
    with Image.open(added.photo) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((5, 5))[3] == 0 and image.getpixel((40, 5))[3] == 255


def test_photo_add_webp_becomes_jpeg(project: Path, tmp_path: Path):
    source = tmp_path / "anh.webp"
    Image.new("RGB", (30, 20), "#225588").save(source, "WEBP")
    added = _add(project, source)
    with Image.open(added.photo) as image:
        assert (added.photo.name, image.format, image.size) == ("anh.jpg", "JPEG", (30, 20))


def test_photo_add_heic_becomes_jpeg(project: Path, tmp_path: Path):
    source = tmp_path / "iphone.heic"
    Image.new("RGB", (64, 48), "#228833").save(source, "HEIF")
    added = _add(project, source)
    assert added.photo.name == "iphone.jpg"
    with Image.open(added.photo) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))


def test_photo_add_caps_the_longest_side(project: Path, tmp_path: Path):
    toml = project / "newsroom.toml"
    toml.write_text(toml.read_text("utf-8").replace("max_side = 2400", "max_side = 50"), "utf-8")
    added = _add(project, jpeg_with_gps(tmp_path / "big.jpg", size=(200, 100), orientation=1))
    with Image.open(added.photo) as image:
        assert image.size == (50, 25)


def test_photo_add_same_name_twice_gets_numbered(project: Path, tmp_path: Path):
    source = png_with_alpha(tmp_path / "logo.png")
    assert _add(project, source).photo.name == "logo.png"
    assert _add(project, source).photo.name == "logo-2.png"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: Image.new("RGB", (8, 8)).save(p, "GIF") or p, "GIF không được nhận"),
        (lambda p: p.write_bytes(jpeg_with_gps(p).read_bytes()[:300]) and p, "hỏng"),
        (lambda p: p.write_bytes(b"not an image") and p, "không phải tệp ảnh"),
        (lambda p: huge_png(p), "quá lớn"),
    ],
    ids=["gif", "truncated", "text", "bomb"],
)
def test_photo_add_rejects_bad_images(project: Path, tmp_path: Path, make, message: str):
    source = tmp_path / "anh.img"
    make(source)
    before = (project / "content").rglob("*")
    before = sorted(before)
    with pytest.raises(PhotoError, match=message) as error:
        _add(project, source)
    assert error.value.path == str(source)
    assert sorted((project / "content").rglob("*")) == before


@pytest.mark.parametrize(
    ("words", "message"), [({"caption": " "}, "chú thích"), ({"alt": ""}, "mô tả")]
)
def test_photo_add_requires_caption_and_alt(project: Path, tmp_path: Path, words, message):
    with pytest.raises(NewsroomError, match=message):
        _add(project, png_with_alpha(tmp_path / "a.png"), **words)


def test_photo_add_cli_by_folder(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture):
    folder = project / "content/articles/2022/11" / SEED_SLUG
    source = png_with_alpha(tmp_path / "a.png")
    args = ["--root", str(project), "photo", "add", str(folder), str(source)]
    code = main([*args, "--caption", "Chú thích", "--alt", "Mô tả"])
    assert code == 0
    assert capsys.readouterr().out.strip() == str(folder / "a.png")
    assert read_article(folder).photos[-1].credit == ""


def test_photo_add_unknown_article(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture):
    source = png_with_alpha(tmp_path / "a.png")
    args = ["--root", str(project), "photo", "add", "khong-co-bai", str(source)]
    assert main([*args, "--caption", "C", "--alt", "M"]) == 2
    assert "không tìm thấy bài viết" in capsys.readouterr().err


def test_photo_add_replace_fills_imported_caption(empty_project: Path, tmp_path: Path):
    (written,) = import_files(empty_project, [SEED_TEXT])
    before = read_article(written.folder)
    (missing,) = before.photos
    source = jpeg_with_gps(tmp_path / "le-trao-co.jpg")
    added = add_photo(empty_project, SEED_SLUG, source, None, None, "Văn Long", missing.src)
    after = read_article(added.article)
    (photo,) = after.photos
    assert (photo.src, photo.caption, photo.alt, photo.credit) == (
        missing.src,  # the figure keeps its name, so an `Image` naming it still holds
        missing.caption,
        missing.alt,
        "Văn Long",
    )
    assert after.body.replace("\nẢnh: Văn Long", "") == before.body
    assert identifying_metadata(added.photo) == []


def test_photo_add_replace_of_a_photo_still_there_keeps_it_and_follows_the_lead_image(
    empty_project: Path, tmp_path: Path
):
    """E110's advice: a clean copy replaces a figure whose file (the original, with GPS) is
    still in the folder. The original is never overwritten, and `Image` follows the figure
    to its new name (it named a photo the article no longer had: E106)."""
    (written,) = import_files(empty_project, [SEED_TEXT])
    (missing,) = read_article(written.folder).photos
    original = jpeg_with_gps(written.folder / missing.src)
    kept = original.read_bytes()
    index = written.folder / "index.md"
    text = index.read_text("utf-8")
    index.write_text(text.replace("Slug:", f"Image: {missing.src}\nSlug:", 1), "utf-8")
    source = jpeg_with_gps(tmp_path / "ban-sach.jpg")
    added = add_photo(empty_project, SEED_SLUG, source, None, None, "", missing.src)
    after = read_article(added.article)
    (photo,) = after.photos
    assert photo.src != missing.src and added.photo.name == photo.src
    assert after.fields["Image"] == photo.src
    assert original.read_bytes() == kept


def test_photo_add_replace_unknown_figure(project: Path, tmp_path: Path):
    with pytest.raises(PhotoError, match=r"anh-giu-cho\.jpg"):
        add_photo(project, SEED_SLUG, png_with_alpha(tmp_path / "a.png"), "C", "A", "", "x.jpg")
