"""Photo renditions: every size and format the site serves, made from one decode.

The build plans a photo's renditions from its header alone (`probe_image`),
so names, sizes and srcset are known without touching pixels. Rendering then
decodes the source once (`open_image`, `clean_image`), resizes progressively
from the largest size down (1600 -> 960 -> 480), crops the social and search
images from the largest size, and encodes each missing rendition into the
cache. Cache file names carry the source hash and a digest of everything
that shapes the bytes, so a changed photo or setting makes new files only
for itself. `render_to_cache` runs in worker processes, so it takes and
returns plain values.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from .errors import PhotoError
from .files import write_atomic
from .photos import clean_image, image_bytes, open_image

# Bump when rendering changes in a way that changes bytes, to retire old cache files.
RENDER_VERSION = 1
HASH_PREFIX = 20  # hex digits of the source hash in every published file name
MIN_CROP_PIXELS = 50_000  # news search engines ignore smaller images
CROP_MAX_WIDTH = 1200


@dataclass(frozen=True)
class Format:
    pillow: str  # Pillow's format name
    mime: str
    extension: str


FORMATS: dict[str, Format] = {
    "avif": Format("AVIF", "image/avif", "avif"),
    "webp": Format("WEBP", "image/webp", "webp"),
    "jpeg": Format("JPEG", "image/jpeg", "jpg"),
}


@dataclass(frozen=True)
class Encoding:
    """Encoder settings; all of them are part of every cache key."""

    quality: tuple[tuple[str, int], ...]  # (format, quality) pairs
    avif_speed: int = 6

    def quality_of(self, fmt: str) -> int:
        return dict(self.quality)[fmt]


@dataclass(frozen=True)
class Crop:
    """A fixed-aspect image cut from the centre: the social card and the search crops."""

    label: str  # "social", "16x9", "4x3", "1x1"
    ratio: tuple[int, int]
    size: tuple[int, int] | None = None  # exact output size, else fit to CROP_MAX_WIDTH


CROPS: tuple[Crop, ...] = (
    Crop("social", (40, 21), (1200, 630)),
    Crop("16x9", (16, 9)),
    Crop("4x3", (4, 3)),
    Crop("1x1", (1, 1)),
)


@dataclass(frozen=True)
class Step:
    """One picture in the resize chain (a width) or one crop, in some formats."""

    label: str  # "960w" or a crop label
    width: int
    height: int
    formats: tuple[str, ...]
    box: tuple[int, int, int, int] | None = None  # crop box in the chain's largest picture


@dataclass(frozen=True)
class Rendition:
    """One published file: `anh/<source hash>-<label>.<ext>`."""

    label: str
    format: str
    width: int
    height: int
    name: str  # path in the output, e.g. "anh/0a1b...-960w.avif"
    cache_name: str  # path in the cache, with the digest of its spec


@dataclass(frozen=True)
class Plan:
    """Everything one source becomes; the same from its header as from its pixels."""

    source_hash: str
    size: tuple[int, int]  # upright size of the source
    scales: tuple[Step, ...]  # widest first, each resized from the one before
    crops: tuple[Step, ...]  # cut from the widest scale
    renditions: tuple[Rendition, ...] = field(default=())
    # (label, format) -> rendition: pages ask for dozens of renditions of each photo they show
    _by_label: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_label: dict[tuple[str, str], Rendition] = {}
        for rendition in self.renditions:
            by_label.setdefault((rendition.label, rendition.format), rendition)
        object.__setattr__(self, "_by_label", by_label)

    def find(self, label: str, fmt: str) -> Rendition | None:
        return self._by_label.get((label, fmt))


def height_for(size: tuple[int, int], width: int) -> int:
    return max(1, round(size[1] * width / size[0]))


def pick_widths(width: int, wanted: tuple[int, ...]) -> tuple[int, ...]:
    """The wanted widths the source can fill; a narrower source gives just its own width."""
    fitting = tuple(w for w in wanted if w <= width)
    return fitting or (width,)


def crop_box(size: tuple[int, int], ratio: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest centred box of `ratio` inside `size`."""
    width, height = size
    if width * ratio[1] > height * ratio[0]:
        box_w, box_h = round(height * ratio[0] / ratio[1]), height
    else:
        box_w, box_h = width, round(width * ratio[1] / ratio[0])
    left, top = (width - box_w) // 2, (height - box_h) // 2
    return (left, top, left + box_w, top + box_h)


def crop_size(crop: Crop, box: tuple[int, int, int, int]) -> tuple[int, int]:
    """Exact for the social card; else at most CROP_MAX_WIDTH wide, at least MIN_CROP_PIXELS."""
    if crop.size:
        return crop.size
    rw, rh = crop.ratio
    box_w = box[2] - box[0]
    width = min(box_w, CROP_MAX_WIDTH)
    height = round(width * rh / rw)
    if width * height < MIN_CROP_PIXELS:
        k = math.ceil(math.sqrt(MIN_CROP_PIXELS / (rw * rh)))
        width, height = rw * k, rh * k
    return (width, height)


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr((RENDER_VERSION, *parts)).encode()).hexdigest()[:12]


def plan_renditions(
    source_hash: str,
    size: tuple[int, int],
    widths: tuple[int, ...],
    formats: tuple[str, ...],
    encoding: Encoding,
    *,
    extra_widths: tuple[int, ...] = (),
    crops: tuple[Crop, ...] = (),
    crop_format: str = "jpeg",
) -> Plan:
    """The renditions of one source of upright `size`; `extra_widths` are list thumbnails."""
    chain = sorted(
        set(pick_widths(size[0], widths)) | {w for w in extra_widths if w <= size[0]},
        reverse=True,
    )
    scales = tuple(Step(f"{w}w", w, height_for(size, w), formats) for w in chain)
    top = (scales[0].width, scales[0].height)
    crop_steps = []
    for crop in crops:
        box = crop_box(top, crop.ratio)
        width, height = crop_size(crop, box)
        crop_steps.append(Step(crop.label, width, height, (crop_format,), box))
    short = source_hash[:HASH_PREFIX]
    renditions = []
    for index, step in enumerate([*scales, *crop_steps]):
        # A scale's pixels depend on every wider scale before it; a crop's on the widest.
        lineage = tuple((s.width, s.height) for s in scales[:index]) if step.box is None else top
        for fmt in step.formats:
            ext = FORMATS[fmt].extension
            digest = _digest(
                size, lineage, step, fmt, encoding.quality_of(fmt), encoding.avif_speed
            )
            renditions.append(
                Rendition(
                    label=step.label,
                    format=fmt,
                    width=step.width,
                    height=step.height,
                    name=f"anh/{short}-{step.label}.{ext}",
                    cache_name=f"{short[:2]}/{short}-{step.label}-{digest}.{ext}",
                )
            )
    return Plan(source_hash, size, scales, tuple(crop_steps), tuple(renditions))


class CacheListing:
    """Which files the rendition cache holds, one folder listing at a time: a build asks
    about some 200,000 renditions at 10,000 articles, kept in at most 256 folders."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self._folders: dict[str, set[str]] = {}

    def has(self, cache_name: str) -> bool:
        folder, _slash, name = cache_name.rpartition("/")
        names = self._folders.get(folder)
        if names is None:
            try:
                with os.scandir(self.cache / folder) as entries:
                    names = {entry.name for entry in entries if entry.is_file()}
            except OSError:
                names = set()
            self._folders[folder] = names
        return name in names


def missing(plan: Plan, cache: Path, listing: CacheListing | None = None) -> list[Rendition]:
    """The renditions of `plan` not in the cache (asked of `listing`, when given, which
    lists each folder once)."""
    if listing is not None:
        return [r for r in plan.renditions if not listing.has(r.cache_name)]
    return [r for r in plan.renditions if not (cache / r.cache_name).is_file()]


@dataclass(frozen=True)
class Job:
    """One source to render in a worker: plain values only, so it pickles cheaply."""

    path: Path
    plan: Plan
    cache: Path
    encoding: Encoding
    threads: int = 1  # encoder threads; 1 when a process pool already uses every core


@dataclass(frozen=True)
class Outcome:
    path: Path
    decoded: int  # images decoded: 1 or 0
    encoded: int  # renditions written to the cache
    error: str | None = None


def _save_avif(image: Image.Image, buffer: io.BytesIO, quality: int, job: Job) -> None:
    image.save(
        buffer,
        "AVIF",
        quality=quality,
        speed=job.encoding.avif_speed,
        max_threads=job.threads,
    )


def _save_webp(image: Image.Image, buffer: io.BytesIO, quality: int, job: Job) -> None:
    image.save(buffer, "WEBP", quality=quality)


def _save_jpeg(image: Image.Image, buffer: io.BytesIO, quality: int, job: Job) -> None:
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)


SAVERS: dict[str, Callable[[Image.Image, io.BytesIO, int, Job], None]] = {
    "avif": _save_avif,
    "webp": _save_webp,
    "jpeg": _save_jpeg,
}


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: the JPEG fallback has no alpha, and every format shows the same picture."""
    if image.mode == "RGB":
        return image
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _encode_step(image: Image.Image, step: Step, todo: dict, job: Job) -> int:
    count = 0
    for fmt in step.formats:
        rendition = todo.get((step.label, fmt))
        if rendition is None:
            continue
        buffer = io.BytesIO()
        SAVERS[fmt](image, buffer, job.encoding.quality_of(fmt), job)
        # Named by its spec, so trusted by its name alone: its bytes reach the disk first.
        write_atomic(job.cache / rendition.cache_name, buffer.getvalue(), durable=True)
        count += 1
    return count


def _planned_bytes(job: Job) -> bytes:
    """The source's bytes, read once: the renditions are named by the SHA-256 of the bytes
    planned (read earlier in the build), so pixels decoded from another version of the file
    (replaced meanwhile) would be kept, and published, under the approved photo's name."""
    data = image_bytes(job.path)
    if hashlib.sha256(data).hexdigest() != job.plan.source_hash:
        raise PhotoError("tệp ảnh đã đổi trong khi dựng trang; hãy dựng lại", job.path)
    return data


def render(job: Job) -> int:
    """Decode once, resize down the chain, cut the crops; return how many files were written."""
    todo = {(r.label, r.format): r for r in missing(job.plan, job.cache)}
    if not todo:
        return 0
    source = open_image(job.path, _planned_bytes(job))
    image = _flatten(clean_image(source, max(source.size)))
    if image.size != job.plan.size:
        raise PhotoError(
            f"kích thước ảnh đọc được {image.size} khác đầu tệp {job.plan.size}; hãy xuất lại ảnh",
            job.path,
        )
    written = 0
    widest = None
    for step in job.plan.scales:
        image = image.resize((step.width, step.height), Image.Resampling.LANCZOS)
        widest = widest or image
        written += _encode_step(image, step, todo, job)
    for step in job.plan.crops:
        assert widest is not None and step.box is not None  # a plan has at least one scale
        cut = widest.resize((step.width, step.height), Image.Resampling.LANCZOS, box=step.box)
        written += _encode_step(cut, step, todo, job)
    return written


def render_to_cache(job: Job) -> Outcome:
    """`render` for a worker process: errors come back as text, with nothing half-written."""
    try:
        if not missing(job.plan, job.cache):
            return Outcome(job.path, 0, 0)
        return Outcome(job.path, 1, render(job))
    except PhotoError as error:
        return Outcome(job.path, 1, 0, error.message)
    except (OSError, ValueError) as error:
        return Outcome(job.path, 1, 0, f"không tạo được ảnh thu nhỏ ({error}); hãy xuất lại ảnh")
