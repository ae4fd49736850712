"""`open_image` (decodes) and `probe_image` (header only) refuse untrusted files alike: one
PhotoError that names the file and says what to do."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from pipeline.errors import PhotoError
from pipeline.photos import open_image, probe_image
from tests.test_renditions import png_claiming


def _jpeg() -> bytes:
    """A noisy photo, so that most of its bytes are pixels after the header."""
    buffer = io.BytesIO()
    Image.effect_noise((64, 48), 80).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    return buffer.getvalue()


def _emf_without_frame() -> bytes:
    """An EMF header whose frame is all zeros: Pillow divides by its width."""
    header = bytearray(88)
    header[0:4] = (1).to_bytes(4, "little")  # EMR_HEADER
    header[4:8] = (88).to_bytes(4, "little")
    header[16:20] = header[20:24] = (100).to_bytes(4, "little")  # bounds 0,0 - 100,100
    header[40:44] = b" EMF"
    return bytes(header)


BAD_FILES = {
    "khung-rong.emf": (_emf_without_frame(), "tệp ảnh hỏng hoặc bị cắt cụt"),
    "khong-co.jpg": (None, "không tìm thấy tệp ảnh"),
    "van-ban.jpg": (b"day khong phai anh", "không phải tệp ảnh"),
    "dong.gif": (_gif(), "định dạng ảnh GIF không được nhận"),
    "bom.png": (png_claiming(30_000, 30_000), "ảnh quá lớn"),
    "dau-hong.jpg": (_jpeg()[:40], "tệp ảnh hỏng hoặc bị cắt cụt"),
}


@pytest.mark.parametrize("reader", [open_image, probe_image])
@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_photos_bad_file_is_one_named_error(tmp_path: Path, reader, name):
    data, message = BAD_FILES[name]
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(PhotoError) as caught:
        reader(path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_photos_truncated_pixels_fail_to_decode_but_probe_reads_the_header(tmp_path: Path):
    path = tmp_path / "cut.jpg"
    path.write_bytes(_jpeg()[:-200])
    assert probe_image(path) == (64, 48)
    with pytest.raises(PhotoError, match="tệp ảnh hỏng hoặc bị cắt cụt"):
        open_image(path)


def test_photo_paths_resolve_as_path_resolve_does_links_included(tmp_path: Path):
    """The photos plugin's shortcut for `(folder / src).resolve()`, which its check that a
    photo lies inside the article folder relies on: a link out of the folder is followed."""
    from plugins.photos.photos import real_photo_path

    folder, outside = tmp_path / "bai", tmp_path / "ngoai"
    (folder / "con").mkdir(parents=True)
    outside.mkdir()
    (folder / "anh.jpg").write_bytes(b"x")
    (outside / "bi-mat.jpg").write_bytes(b"x")
    (folder / "lien-ket.jpg").symlink_to(outside / "bi-mat.jpg")
    (folder / "thu-muc").symlink_to(outside, target_is_directory=True)
    for src in ["anh.jpg", "lien-ket.jpg", "../ngoai/bi-mat.jpg", "thu-muc/bi-mat.jpg",
                "con/../anh.jpg", "khong-co.jpg"]:  # fmt: skip
        assert real_photo_path(folder.resolve(), src) == (folder / src).resolve(), src
    assert not real_photo_path(folder.resolve(), "lien-ket.jpg").is_relative_to(folder)
