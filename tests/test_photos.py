"""The photos plugin in real builds: markup, thumbnails, crops, clean files, cache, failures."""

from __future__ import annotations

import io
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from pipeline.build import run_pelican
from pipeline.errors import BuildError
from pipeline.photos import source_hash
from pipeline.vietnamese import TIMEZONE
from tests.helpers import copy_project, page, write_article
from tests.test_renditions import detailed_photo, png_claiming
from tests.workflow_helpers import publish_all

WHEN = datetime(2024, 5, 6, 8, 0, tzinfo=TIMEZONE)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif"}
# Byte signatures of the metadata no published photo may carry.
LEAKS = {
    b"Exif\x00\x00": "EXIF",
    b"http://ns.adobe.com/xap/1.0/": "XMP",
    b"<x:xmpmeta": "XMP",
    b"Photoshop 3.0": "IPTC",
    b"8BIM": "IPTC",
    b"JFXX": "JFIF thumbnail",
}


def iptc_jpeg(path: Path) -> Path:
    """Insert an APP13 (Photoshop/IPTC) segment, as newsroom cameras and editors write one."""
    data = path.read_bytes()
    iptc = b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00\x00\x00\x00\x0a\x1c\x02\x5a\x00\x06Ha Noi"
    segment = b"\xff\xed" + (len(iptc) + 2).to_bytes(2, "big") + iptc
    path.write_bytes(data[:2] + segment + data[2:])
    return path


def write_camera_photo(path: Path, identifying: bool = True) -> Path:
    """A sideways photo with an ICC profile; `identifying` adds GPS, maker, XMP and IPTC, which
    `check` refuses (so only a preview of the working copy can carry them into a build)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    extra = {}
    if identifying:
        exif[0x010F] = "MayAnhBienPhong"
        exif.get_ifd(0x8825)[2] = (22.0, 40.0, 12.0)
        extra["xmp"] = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">don vi</x:xmpmeta>'
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    detailed_photo(path, (1000, 640), seed=3, exif=exif, icc_profile=icc, **extra)
    return iptc_jpeg(path) if identifying else path


PHOTO_BODY = """Đoạn mở đầu.

![Tổ tuần tra trên đường biên](tuan-tra.jpg)
Tổ tuần tra kiểm tra cột mốc.
Ảnh: Minh Tuấn

Đoạn giữa bài.

![Bộ đội giúp dân gặt lúa](gat-lua.jpg)
Bộ đội giúp dân gặt lúa.
Ảnh: Vi Toàn
"""


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One publish: an article with a sideways photo and a second one, a narrow photo, and an
    article whose `Image:` names its second photo."""
    root = copy_project(tmp_path_factory.mktemp("photos") / "site")
    shutil.rmtree(root / "content" / "articles")  # only ours: the samples are in built_site
    first = write_article(root, "tuan-tra-bien-gioi", WHEN, body=PHOTO_BODY)
    write_camera_photo(first.parent / "tuan-tra.jpg", identifying=False)
    detailed_photo(first.parent / "gat-lua.jpg", (800, 600), seed=5)
    narrow = write_article(
        root,
        "anh-hep",
        WHEN.replace(hour=9),
        section="Thời sự",
        body="![Chân dung chiến sĩ](chan-dung.jpg)\nChiến sĩ trẻ.\nẢnh: Đình Quang\n",
    )
    detailed_photo(narrow.parent / "chan-dung.jpg", (300, 400), seed=7)
    chosen = write_article(
        root,
        "anh-chinh-thu-hai",
        WHEN.replace(hour=7),
        section="Thời sự",
        body=(
            "![Ảnh phụ](phu.jpg)\nẢnh phụ của bài.\nẢnh: Vi Toàn\n\nĐoạn giữa.\n\n"
            "![Ảnh chính](chinh.jpg)\nẢnh chính của bài.\nẢnh: Vi Toàn\n"
        ),
        extra={"Image": "chinh.jpg"},
    )
    detailed_photo(chosen.parent / "phu.jpg", (400, 300), seed=8)
    detailed_photo(chosen.parent / "chinh.jpg", (400, 300), seed=9)
    return publish_all(root)  # approved and published, verified like every release


def srcset_widths(srcset: str) -> list[int]:
    return [int(item.split()[1][:-1]) for item in srcset.split(", ")]


def test_build_article_photo_is_captioned_responsive_picture(photo_site: Path):
    figures = page(photo_site, "2024/05/06/tuan-tra-bien-gioi/").select("figure.photo")
    assert len(figures) == 2
    lead, second = figures
    sources = lead.select("picture > source")
    assert [s["type"] for s in sources] == ["image/avif", "image/webp"]
    img = lead.select_one("picture > img")
    # The camera photo is 1000x640 stored sideways: upright it is 640 wide.
    assert srcset_widths(img["srcset"]) == [480]
    assert all(srcset_widths(s["srcset"]) == [480] for s in sources)
    assert img["src"].endswith("-480w.jpg") and (img["width"], img["height"]) == ("480", "750")
    assert img["alt"] == "Tổ tuần tra trên đường biên" and img["sizes"]
    assert img["decoding"] == "async" and img["fetchpriority"] == "high"
    assert not img.has_attr("loading")
    second_img = second.select_one("picture > img")
    assert second_img["loading"] == "lazy" and not second_img.has_attr("fetchpriority")
    assert (
        lead.figcaption.get_text(" ", strip=True) == "Tổ tuần tra kiểm tra cột mốc. Ảnh: Minh Tuấn"
    )


def test_build_image_field_chooses_the_lead_photo(photo_site: Path):
    first, second = page(photo_site, "2024/05/06/anh-chinh-thu-hai/").select("figure.photo img")
    assert first["loading"] == "lazy" and not first.has_attr("fetchpriority")
    assert second["fetchpriority"] == "high" and not second.has_attr("loading")
    thumb = page(photo_site, "chuyen-muc/thoi-su/").select_one(
        '.story-item .thumb[href$="/anh-chinh-thu-hai/"] img'
    )
    chinh = photo_site.parent.parent / "content/articles/2024/05/anh-chinh-thu-hai/chinh.jpg"
    assert thumb["src"].startswith(f"/anh/{source_hash(chinh)[:20]}-")


def test_build_narrow_photo_is_never_enlarged(photo_site: Path):
    img = page(photo_site, "2024/05/06/anh-hep/").select_one("figure.photo picture > img")
    assert srcset_widths(img["srcset"]) == [300]
    assert (img["width"], img["height"]) == ("300", "400")


def test_build_lists_use_small_renditions(photo_site: Path):
    front = page(photo_site, "")
    lead = front.select_one(".lead-photo picture > img")
    assert lead["fetchpriority"] == "high" and lead["srcset"]
    section = page(photo_site, "chuyen-muc/thoi-su/")
    first = section.select_one(".newest > .story-item:first-child .thumb picture > img")
    assert first["fetchpriority"] == "high"  # drawn large at the top of the list
    later = section.select(".newest > .story-item:not(:first-child) .thumb picture > img")
    thumbs = front.select(".section-photo picture > img") + later
    assert thumbs and later
    for img in [first, *thumbs]:
        assert max(srcset_widths(img["srcset"])) <= 480  # these sources are at most 800 wide
        picture = img.parent
        assert [s["type"] for s in picture.select("source")] == ["image/avif", "image/webp"]
    assert all(img["loading"] == "lazy" for img in thumbs)


def test_build_lead_photo_gets_social_and_search_crops(photo_site: Path):
    anh = photo_site / "anh"
    sizes = {}
    for label in ("social", "16x9", "4x3", "1x1"):
        assert len(list(anh.glob(f"*-{label}.jpg"))) == 3, label  # one per lead photo
    for path in anh.glob("*-*.jpg"):
        label = path.stem.split("-", 1)[1]
        with Image.open(path) as image:
            sizes.setdefault(label, set()).add(image.size)
    assert sizes["social"] == {(1200, 630)}
    for label, ratio in (("16x9", 16 / 9), ("4x3", 4 / 3), ("1x1", 1.0)):
        for width, height in sizes[label]:
            assert width * height >= 50_000
            assert abs(width / height - ratio) < 0.02


def _leaks(path: Path) -> list[str]:
    data = path.read_bytes()
    found = [name for marker, name in LEAKS.items() if marker in data]
    with Image.open(io.BytesIO(data)) as image:
        if image.getexif():
            found.append("EXIF")
        if image.info.get("icc_profile"):
            found.append("ICC")  # none at all: browsers read untagged images as sRGB
        found += [key for key in ("xmp", "photoshop", "exif") if image.info.get(key)]
    return found


@pytest.fixture(scope="module")
def camera_preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A preview of a working copy whose photo still carries GPS, camera, XMP and IPTC."""
    root = copy_project(tmp_path_factory.mktemp("camera") / "site")
    shutil.rmtree(root / "content" / "articles")
    article = write_article(root, "anh-may-anh", WHEN, body=PHOTO_BODY)
    write_camera_photo(article.parent / "tuan-tra.jpg")
    detailed_photo(article.parent / "gat-lua.jpg", (800, 600), seed=5)
    return preview(root)


def test_built_site_images_carry_no_metadata(
    photo_site: Path, built_site: Path, camera_preview: Path
):
    assert _leaks(camera_preview.parent / "content/articles/2024/05/anh-may-anh/tuan-tra.jpg")
    images = [
        path
        for site in (photo_site, built_site, camera_preview)
        for path in site.rglob("*")
        if path.suffix.lower() in IMAGE_SUFFIXES
    ]
    assert len(images) > 30
    assert {path: _leaks(path) for path in images if _leaks(path)} == {}


def test_build_writes_renditions_named_by_source_hash_only(photo_site: Path):
    import hashlib

    names = {p.name for p in (photo_site / "anh").iterdir()}
    folder = (
        photo_site.parent.parent / "content" / "articles" / "2024" / "05" / "tuan-tra-bien-gioi"
    )
    digest = hashlib.sha256((folder / "tuan-tra.jpg").read_bytes()).hexdigest()[:20]
    assert {n for n in names if n.startswith(digest)} >= {
        f"{digest}-480w.avif",
        f"{digest}-social.jpg",
    }
    assert not list(photo_site.rglob("tuan-tra.jpg"))  # the original itself is never published


def _stats(cache: Path) -> dict:
    return json.loads((cache / "stats.json").read_text("utf-8"))


def preview(root: Path) -> Path:
    """A strict build of the working copy with pelicanconf.py, as `newsroom preview` runs it."""
    target = root / "preview"
    run_pelican(root, "pelicanconf.py", target)
    return target


def test_rendition_cache_rebuild_decodes_only_changed_photos(
    empty_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    cache = tmp_path / "own-cache"
    monkeypatch.setenv("NEWSROOM_PHOTOS_CACHE", str(cache))
    one = write_article(empty_project, "bai-mot", WHEN, body="![Một](mot.jpg)\nẢnh: A\n")
    two = write_article(empty_project, "bai-hai", WHEN.replace(hour=9), body="![Hai](hai.jpg)\n")
    detailed_photo(one.parent / "mot.jpg", (500, 400), seed=11)
    detailed_photo(two.parent / "hai.jpg", (520, 400), seed=12)

    preview(empty_project)
    cold = _stats(cache)
    assert (cold["sources"], cold["decoded"], cold["reused"]) == (2, 2, 0)

    preview(empty_project)
    warm = _stats(cache)
    assert (warm["decoded"], warm["encoded"]) == (0, 0)
    assert warm["reused"] == warm["published"] == cold["published"]

    # A rendition deleted from the cache by hand is made again, and only that one.
    deleted = next(cache.glob("*/*.avif"))
    deleted.unlink()
    preview(empty_project)
    assert (_stats(cache)["encoded"], deleted.is_file()) == (1, True)

    detailed_photo(two.parent / "hai.jpg", (520, 400), seed=13)
    output = preview(empty_project)
    changed = _stats(cache)
    assert changed["decoded_files"] == [str(two.parent / "hai.jpg")]
    assert changed["encoded"] == cold["encoded"] // 2
    assert len(list((output / "anh").iterdir())) == cold["published"]


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("missing", "không tìm thấy ảnh hong.jpg"),
        ("truncated", "hỏng hoặc bị cắt cụt"),
        ("not-an-image", "không phải tệp ảnh"),
        ("bomb", "quá lớn"),
    ],
)
def test_build_broken_photo_fails_naming_article_and_file(empty_project: Path, damage, expected):
    article = write_article(empty_project, "bai-loi", WHEN, body="![Ảnh lỗi](hong.jpg)\n")
    photo = article.parent / "hong.jpg"
    if damage == "truncated":
        data = detailed_photo(photo, (400, 300), seed=21).read_bytes()
        photo.write_bytes(data[: len(data) // 2])
    elif damage == "not-an-image":
        photo.write_text("không phải ảnh", "utf-8")
    elif damage == "bomb":
        photo.write_bytes(png_claiming(30_000, 30_000))
    with pytest.raises(BuildError) as failure:
        preview(empty_project)
    message = str(failure.value)
    assert "content/articles/2024/05/bai-loi/index.md" in message
    assert "hong.jpg" in message and expected in message


def test_build_news_metadata_uses_the_lead_photo_crops(photo_site: Path):
    soup = page(photo_site, "2024/05/06/tuan-tra-bien-gioi/")
    social = soup.find("meta", attrs={"property": "og:image"})["content"]
    assert social.startswith("https://") and social.endswith("-social.jpg")
    assert soup.find("meta", attrs={"property": "og:image:width"})["content"] == "1200"
    documents = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    (news,) = [d for d in documents if d.get("@type") == "NewsArticle"]
    assert [url.rsplit("-", 1)[1] for url in news["image"]] == ["16x9.jpg", "4x3.jpg", "1x1.jpg"]
