"""Rendition planning and rendering: sizes, names, crops and clean files, without a build."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from pipeline.errors import PhotoError
from pipeline.photos import probe_image, source_hash
from pipeline.renditions import (
    CROPS,
    MIN_CROP_PIXELS,
    Crop,
    Encoding,
    Job,
    crop_box,
    crop_size,
    pick_widths,
    plan_renditions,
    render_to_cache,
)

ENCODING = Encoding((("avif", 60), ("jpeg", 82), ("webp", 80)))
FORMATS = ("avif", "webp", "jpeg")


def detailed_photo(path: Path, size: tuple[int, int], seed: int = 0, **save) -> Path:
    """A small JPEG with gradients and shapes, so resizing and encoding do real work."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x, y = (seed * 37 + i * 53) % size[0], (seed * 11 + i * 29) % size[1]
        draw.ellipse((x, y, x + size[0] // 5, y + size[1] // 4), fill=(i * 20, 90 + seed, 200))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90, **save)
    return path


@pytest.mark.parametrize(
    ("width", "expected"),
    [(3000, (480, 960, 1600)), (1000, (480, 960)), (960, (480, 960)), (300, (300,))],
)
def test_pick_widths_never_above_original(width, expected):
    assert pick_widths(width, (480, 960, 1600)) == expected


@pytest.mark.parametrize("crop", [c for c in CROPS if c.size is None])
@pytest.mark.parametrize("size", [(64, 48), (300, 200), (1600, 1067), (900, 1600)])
def test_crop_size_keeps_ratio_and_minimum_pixels(crop: Crop, size):
    width, height = crop_size(crop, crop_box(size, crop.ratio))
    assert width * height >= MIN_CROP_PIXELS
    assert width <= 1200 or width * height >= MIN_CROP_PIXELS
    assert abs(width / height - crop.ratio[0] / crop.ratio[1]) < 0.02


def test_plan_renditions_names_carry_source_hash_and_cache_keys_change_with_settings():
    digest = "ab" * 32
    plan = plan_renditions(digest, (2000, 1000), (480, 960, 1600), FORMATS, ENCODING)
    assert {r.name for r in plan.renditions} == {
        f"anh/{digest[:20]}-{w}w.{ext}" for w in (480, 960, 1600) for ext in ("avif", "webp", "jpg")
    }
    assert {(r.width, r.height) for r in plan.renditions} == {(480, 240), (960, 480), (1600, 800)}
    other = plan_renditions(
        digest,
        (2000, 1000),
        (480, 960, 1600),
        FORMATS,
        Encoding((("avif", 50), *ENCODING.quality[1:])),
    )
    changed = {r.cache_name for r in other.renditions} - {r.cache_name for r in plan.renditions}
    assert {name.rsplit(".", 1)[1] for name in changed} == {"avif"}


def test_plan_renditions_lead_adds_thumbnails_and_crops():
    plan = plan_renditions(
        "cd" * 32,
        (1000, 667),
        (480, 960, 1600),
        FORMATS,
        ENCODING,
        extra_widths=(240,),
        crops=CROPS,
    )
    assert [s.width for s in plan.scales] == [960, 480, 240]
    sizes = {s.label: (s.width, s.height) for s in plan.crops}
    assert sizes["social"] == (1200, 630)
    assert sizes["16x9"] == (960, 540)


def test_render_to_cache_writes_clean_upright_files_of_planned_sizes(tmp_path: Path):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: the upright photo is portrait
    exif.get_ifd(0x8825)[2] = (21.0, 1.0, 2.0)  # GPS latitude
    source = detailed_photo(
        tmp_path / "anh.jpg", (600, 400), exif=exif, xmp=b"<x:xmpmeta>unit</x:xmpmeta>"
    )
    size = probe_image(source)
    assert size == (400, 600)
    plan = plan_renditions(
        source_hash(source), size, (480, 960), FORMATS, ENCODING, extra_widths=(240,), crops=CROPS
    )
    cache = tmp_path / "cache"
    outcome = render_to_cache(Job(source, plan, cache, ENCODING))
    assert (outcome.decoded, outcome.encoded, outcome.error) == (1, len(plan.renditions), None)
    for rendition in plan.renditions:
        data = (cache / rendition.cache_name).read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (rendition.width, rendition.height)
            assert not image.getexif()
            assert not {"exif", "xmp", "icc_profile", "photoshop"} & image.info.keys()
        assert b"xmpmeta" not in data and b"Exif\x00\x00" not in data
    again = render_to_cache(Job(source, plan, cache, ENCODING))
    assert (again.decoded, again.encoded) == (0, 0)


def test_render_to_cache_truncated_photo_reports_error_and_writes_nothing(tmp_path: Path):
    good = detailed_photo(tmp_path / "good.jpg", (400, 300))
    broken = tmp_path / "broken.jpg"
    data = good.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    plan = plan_renditions(source_hash(broken), probe_image(broken), (480,), FORMATS, ENCODING)
    outcome = render_to_cache(Job(broken, plan, tmp_path / "cache", ENCODING))
    assert outcome.error and "hỏng" in outcome.error
    assert not list((tmp_path / "cache").rglob("*.*"))


def test_render_to_cache_refuses_a_photo_replaced_after_it_was_planned(tmp_path: Path):
    """Renditions are named by the planned bytes' SHA-256: pixels of a file replaced since
    (same size, another picture) must never be kept under the planned photo's name."""
    source = detailed_photo(tmp_path / "anh.jpg", (400, 300), seed=1)
    plan = plan_renditions(source_hash(source), probe_image(source), (240,), FORMATS, ENCODING)
    detailed_photo(source, (400, 300), seed=9)  # replaced: same size, other pixels
    assert source_hash(source) != plan.source_hash
    outcome = render_to_cache(Job(source, plan, tmp_path / "cache", ENCODING))
    assert outcome.error and "đã đổi" in outcome.error and outcome.encoded == 0
    assert not list((tmp_path / "cache").rglob("*.*"))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size: what a decompression bomb looks like."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_probe_image_refuses_decompression_bomb_without_decoding(tmp_path: Path):
    bomb = tmp_path / "bom.png"
    bomb.write_bytes(png_claiming(30_000, 30_000))
    with pytest.raises(PhotoError, match="quá lớn"):
        probe_image(bomb)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("PHOTOS_FORMATS", ("jpeg", "avif")),
        ("PHOTOS_FORMATS", ("png",)),
        ("PHOTOS_QUALITY", {"avif": 0}),
        ("PHOTOS_QUALITY", {"gif": 50}),
        ("PHOTOS_AVIF_SPEED", 11),
        ("PHOTOS_THUMB_WIDTHS", (0,)),
        ("PHOTOS_FALLBACK_WIDTH", -1),
        ("PHOTOS_WORKERS", "2"),
        ("PHOTOS_SIZES", {"article": "100vw"}),
        ("PHOTOS_CACHE_PATH", 3),
    ],
)
def test_check_settings_names_each_bad_photos_setting(setting, value):
    from plugins.photos.photos import check_settings

    assert check_settings({}) == []
    (problem,) = check_settings({setting: value})
    assert problem.startswith(f"{setting}: cần")


def test_each_rendition_reaches_the_disk_before_its_name(tmp_path: Path, monkeypatch):
    """A cached rendition is trusted by its name alone: a power cut must not leave the name
    with no bytes (each file is synced, then renamed)."""
    source = detailed_photo(tmp_path / "anh.jpg", (600, 400))
    plan = plan_renditions(source_hash(source), probe_image(source), (480,), FORMATS, ENCODING)
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    outcome = render_to_cache(Job(source, plan, tmp_path / "cache", ENCODING))
    assert outcome.encoded == len(plan.renditions) == len(synced)
