"""Published photos are upright copies with no GPS, camera or other metadata."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PIL import Image

from pipeline.build import run_pelican
from pipeline.vietnamese import TIMEZONE
from tests.helpers import page, write_article

GPS_IFD = 0x8825
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112


def _camera_photo(path: Path) -> None:
    """A JPEG as a phone writes it: GPS position, camera make and model, rotated 90°."""
    exif = Image.Exif()
    exif[MAKE] = "Canon"
    exif[MODEL] = "EOS 5D"
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (21.0, 50.0, 7.0), 3: "E", 4: (106.0, 45.0, 2.0)}
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (80, 40), "#6b8e23").save(path, "JPEG", exif=exif, comment=b"secret unit")


def test_published_photo_has_no_gps_or_camera_metadata_and_is_upright(empty_project):
    folder = write_article(
        empty_project,
        "don-bien-phong",
        datetime(2023, 3, 1, 8, tzinfo=TIMEZONE),
        body="![Ảnh minh họa: cổng đồn](cong-don.jpg)\nCổng đồn Biên phòng.\nẢnh: Vi Toàn",
    ).parent
    source = folder / "cong-don.jpg"
    _camera_photo(source)
    assert Image.open(source).getexif().get_ifd(GPS_IFD)  # the source really carries GPS

    # `check` refuses such a file at submit; the build must strip it all the same, so this
    # runs the real Pelican build of the working copy (the preview settings), not a publish.
    output = empty_project / "built"
    run_pelican(empty_project, "pelicanconf.py", output)
    img = page(output, "2023/03/01/don-bien-phong/").select_one("figure img")
    published = output / img["src"].lstrip("/")
    with Image.open(published) as image:
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert "comment" not in image.info
        assert image.size == (40, 80)  # the EXIF rotation was applied
    assert (img["width"], img["height"]) == ("40", "80")
    assert b"Canon" not in published.read_bytes() and b"secret" not in published.read_bytes()
    assert not any(
        p.name == "cong-don.jpg" for p in output.rglob("*")
    )  # the original is not copied
