"""Article photos: captioned, responsive, metadata-free renditions, cached outside the output.

The Markdown reader gets the `pipeline.figures` extension with a renderer
that finds each photo beside its article, checks its header (failing the
build on a missing or unsafe file) and writes a <picture> with AVIF and WebP
sources and a JPEG fallback. Sizes come from the header alone, so reading
never decodes pixels. Once every article is read, the sources whose
renditions are not in the cache are rendered in a process pool (one decode
each, see `pipeline.renditions`), while Pelican writes the pages; when the
build is finalized the cached files are linked into the output and the work
done is recorded in `stats.json` in the cache.
"""

from __future__ import annotations

import json
import logging
import operator
import os
import re
import secrets
import shutil
import time
import xml.etree.ElementTree as etree
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from dateutil import tz as dateutil_tz
from markupsafe import Markup
from pelican import signals
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import SafeDatetime

from pipeline.article import Article, parse_text
from pipeline.article_files import identity
from pipeline.errors import ArticleError, PhotoError
from pipeline.faults import RENDITIONS, fault_point
from pipeline.figures import FigureExtension, Photo
from pipeline.files import write_atomic
from pipeline.photos import probe_image, source_hash
from pipeline.processes import die_with_parent
from pipeline.renditions import (
    CROPS,
    FORMATS,
    CacheListing,
    Encoding,
    Job,
    Outcome,
    Plan,
    Rendition,
    missing,
    pick_widths,
    plan_renditions,
    render_to_cache,
)

from .prefill import finish as finish_reading_ahead
from .prefill import read_ahead
from .reader_cache import CachedRead, ReaderCache

logger = logging.getLogger(__name__)

# Every setting of this plugin, with its default, in one place.
DEFAULTS: dict[str, object] = {
    # Where renditions are kept between builds; "" means <project root>/.cache/renditions.
    "PHOTOS_CACHE_PATH": "",
    # Formats of every article picture, the fallback (JPEG) last.
    "PHOTOS_FORMATS": ("avif", "webp", "jpeg"),
    # Encoder quality per format; JPEG defaults to newsroom.toml's photos.jpeg_quality.
    "PHOTOS_QUALITY": {"avif": 60, "webp": 80},
    # libavif effort, 0 (slowest, smallest) to 10. 7 takes about half the time of Pillow's
    # default 6 for files within 1% of its size (benchmarks/photos_bench.py).
    "PHOTOS_AVIF_SPEED": 7,
    # Extra narrow widths made for a lead photo, for list and front-page thumbnails.
    "PHOTOS_THUMB_WIDTHS": (240,),
    # The <img src> for browsers without srcset: the widest rendition up to this width.
    "PHOTOS_FALLBACK_WIDTH": 960,
    # Worker processes; 0 means one per core.
    # `newsroom publish --rebuild`: look at the size of every cached rendition the build uses
    # (one `stat` each) and render again the photos with an empty one (the cache damaged).
    "PHOTOS_CHECK_CACHE": False,
    "PHOTOS_WORKERS": 0,
    # Processes that read articles missing from the reader cache ahead (prefill.py); 0: one
    # per core.
    "PHOTOS_READ_WORKERS": 0,
    # Fewer articles missing from the reader cache than this are not worth a fork.
    "PHOTOS_READ_AHEAD_MINIMUM": 16,
    # Where read articles are kept between builds (see `reader_cache.py`); "" turns it off.
    # `newsroom publish` sets it to a stable folder under .cache/build/.
    "PHOTOS_READER_CACHE_PATH": "",
    # Where read articles are kept whole, every plugin's per-article work done, between builds
    # (article_cache.py), and the build's code key they hold for; "" in either turns it off.
    # `newsroom publish` sets both.
    "PHOTOS_ARTICLE_CACHE_PATH": "",
    "PHOTOS_ARTICLE_CACHE_BUILD": "",
    # The `sizes` attribute of each place a photo is shown: the width that
    # theme/static/css/site.css gives it there (1rem = 16px; .wrap is 72rem with 1rem padding;
    # its breakpoints are 40rem and 60rem). A value smaller than the drawn width makes the
    # browser take a rendition too small, which it then enlarges and blurs.
    "PHOTOS_SIZES": {
        # A photo in an article's or a static page's body (.story, .static-page: 46rem
        # measure; .photo bleeds to the screen's edges on phones). Article pages from 60rem
        # to 72rem draw it narrower, beside the rail; the static pages' 46rem covers both.
        "article": "(max-width: 40rem) 100vw, (max-width: 48rem) calc(100vw - 2rem), 46rem",
        # The front page's lead story (.lead-photo), 2fr of .front-top beside the latest news.
        "front": "(max-width: 40rem) 100vw, (max-width: 60rem) calc(100vw - 2rem), "
        "(max-width: 72rem) calc((100vw - 4rem) * 2 / 3), 45.34rem",
        # A list item's thumbnail (.story-item .thumb): a 15rem column, 7rem on phones.
        "thumb": "(max-width: 40rem) 7rem, 15rem",
        # The first story of a list's newest page (.newest > .story-item:first-child .thumb),
        # half of the 52rem .list-body (the whole width on phones) ...
        "list_lead": "(max-width: 40rem) calc(100vw - 2rem), "
        "(max-width: 54rem) calc((100vw - 3.25rem) / 2), 25.375rem",
        # ... or, on section pages, half of the column beside the 20rem rail (.with-rail).
        "list_lead_rail": "(max-width: 40rem) calc(100vw - 2rem), "
        "(max-width: 60rem) calc((100vw - 3.25rem) / 2), "
        "(max-width: 72rem) calc((100vw - 26.25rem) / 2), 22.875rem",
        # The front page's section blocks (.section-photo): half of .section-lead, which is
        # 7fr of .section-grid from 60rem.
        "section": "(max-width: 40rem) calc(100vw - 2rem), "
        "(max-width: 60rem) calc((100vw - 3.25rem) / 2), "
        "(max-width: 72rem) calc((100vw - 4rem) * 7 / 22 - 0.625rem), 21.02rem",
        # The front page's secondary stories (.secondary .thumb): a third of the lead's column.
        "secondary": "(max-width: 40rem) 7rem, (max-width: 60rem) calc((100vw - 5rem) / 3), "
        "(max-width: 72rem) calc((100vw - 4rem) * 2 / 9 - 1rem), 14.12rem",
        # The previous and next stories under an article (.neighbours img).
        "neighbour": "6.5rem",
    },
}
# The places above drawn no wider than PHOTOS_THUMB_WIDTHS: their srcset stops at twice that.
# The other list places offer every rendition of the lead photo.
THUMB_SLOTS = frozenset({"thumb", "neighbour"})
STATS_NAME = "stats.json"


@dataclass(frozen=True)
class PhotoSettings:
    cache: Path
    formats: tuple[str, ...]
    encoding: Encoding
    widths: tuple[int, ...]
    thumb_widths: tuple[int, ...]
    fallback_width: int
    workers: int
    sizes: dict[str, str]
    reader_cache: Path | None = None


def _positive_ints(value: object) -> bool:
    return isinstance(value, (list, tuple)) and all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
    )


def check_settings(settings) -> list[str]:
    """Every bad PHOTOS_ setting, each named with what was expected."""
    value = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    problems = []
    formats = value["PHOTOS_FORMATS"]
    if (
        not isinstance(formats, (list, tuple))
        or not formats
        or any(f not in FORMATS for f in formats)
        or formats[-1] != "jpeg"
    ):
        problems.append(
            'PHOTOS_FORMATS: cần các định dạng trong avif, webp, jpeg, kết thúc bằng "jpeg"'
        )
    quality = value["PHOTOS_QUALITY"]
    if not isinstance(quality, dict) or any(
        f not in FORMATS or not isinstance(q, int) or not 1 <= q <= 100 for f, q in quality.items()
    ):
        problems.append("PHOTOS_QUALITY: cần bảng định dạng -> số nguyên từ 1 đến 100")
    speed = value["PHOTOS_AVIF_SPEED"]
    if not isinstance(speed, int) or not 0 <= speed <= 10:
        problems.append("PHOTOS_AVIF_SPEED: cần số nguyên từ 0 đến 10")
    if not _positive_ints(value["PHOTOS_THUMB_WIDTHS"]):
        problems.append("PHOTOS_THUMB_WIDTHS: cần danh sách số nguyên dương")
    for key in (
        "PHOTOS_FALLBACK_WIDTH",
        "PHOTOS_WORKERS",
        "PHOTOS_READ_WORKERS",
        "PHOTOS_READ_AHEAD_MINIMUM",
    ):
        if not isinstance(value[key], int) or value[key] < 0:
            problems.append(f"{key}: cần số nguyên không âm")
    sizes = value["PHOTOS_SIZES"]
    places = DEFAULTS["PHOTOS_SIZES"]
    assert isinstance(places, dict)
    if (
        not isinstance(sizes, dict)
        or set(sizes) != set(places)
        or not all(isinstance(v, str) and v for v in sizes.values())
    ):
        problems.append(f"PHOTOS_SIZES: cần bảng có đúng các khóa {', '.join(places)}")
    for key in ("PHOTOS_CACHE_PATH", "PHOTOS_READER_CACHE_PATH", "PHOTOS_ARTICLE_CACHE_PATH"):
        if not isinstance(value[key], (str, Path)):
            problems.append(f"{key}: cần một đường dẫn")
    return problems


def load_settings(settings) -> PhotoSettings:
    value = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    config = settings["NEWSROOM"]
    cache = Path(value["PHOTOS_CACHE_PATH"] or config.root / ".cache" / "renditions")
    quality = {"avif": 60, "webp": 80, "jpeg": config.jpeg_quality, **value["PHOTOS_QUALITY"]}
    return PhotoSettings(
        cache=cache,
        formats=tuple(value["PHOTOS_FORMATS"]),
        encoding=Encoding(tuple(sorted(quality.items())), value["PHOTOS_AVIF_SPEED"]),
        widths=tuple(config.photo_widths),
        thumb_widths=tuple(value["PHOTOS_THUMB_WIDTHS"]),
        fallback_width=value["PHOTOS_FALLBACK_WIDTH"],
        workers=value["PHOTOS_WORKERS"] or os.cpu_count() or 1,
        sizes=dict(value["PHOTOS_SIZES"]),
        reader_cache=Path(value["PHOTOS_READER_CACHE_PATH"])
        if value["PHOTOS_READER_CACHE_PATH"]
        else None,
    )


# What the templates see.


# The views below are kept for every article of a build (its lead photo and crops), so they
# hold the photo's plan and work their URLs out when a page asks, instead of holding strings.


def _pickled_by_fields(cls):
    """A frozen slots dataclass pickled as its class and field values: loading calls the
    class, instead of `dataclasses`' generic `__setstate__`, which looks every field up
    again for each object (80,000 views when 10,000 articles come from the article cache)."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self):
        return cls, values(self)

    cls.__reduce__ = __reduce__
    return cls


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class PictureSource:
    """One <source> of a <picture>: a format and its srcset."""

    type: str
    srcset: str


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class ImageSet:
    """Everything a <picture> needs: the fallback <img> and a <source> per better format."""

    plan: Plan = field(repr=False, compare=False)
    planned: tuple  # what the plan is made from (source hash, size, lead): its repr, for keys
    labels: tuple[str, ...]  # the widths shown, e.g. ("480w", "960w")
    fallback: str  # the label of the <img> JPEG
    sizes: str
    siteurl: str
    better: tuple[str, ...]  # the formats offered before JPEG

    def _srcset(self, fmt: str) -> str:
        found = [self.plan.find(label, fmt) for label in self.labels]
        return ", ".join(f"{_url(self.siteurl, r)} {r.width}w" for r in found if r)

    @property
    def _img(self) -> Rendition:
        img = self.plan.find(self.fallback, "jpeg")
        assert img is not None  # the fallback label comes from the plan's own scales
        return img

    @property
    def src(self) -> str:
        return _url(self.siteurl, self._img)

    @property
    def srcset(self) -> str:
        return self._srcset("jpeg")

    @property
    def width(self) -> int:
        return self._img.width

    @property
    def height(self) -> int:
        return self._img.height

    @property
    def sources(self) -> tuple[PictureSource, ...]:
        return tuple(PictureSource(FORMATS[f].mime, self._srcset(f)) for f in self.better)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class CropImage:
    """A fixed-aspect JPEG of the lead photo, for social cards and search engines."""

    label: str  # "social", "16x9", "4x3" or "1x1"
    path: str  # site path without a leading slash, to join to the canonical site URL
    siteurl: str
    width: int
    height: int
    alt: str
    type: str = "image/jpeg"

    @property
    def url(self) -> str:
        return f"{self.siteurl}/{self.path}"


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class PublishedPhoto:
    """A photo as the templates see it; `url`/`width`/`height` are its fallback JPEG."""

    alt: str
    caption: str
    credit: str
    image: ImageSet  # the article-size picture
    front: ImageSet | None = None  # the same picture sized for the front-page lead
    thumb: ImageSet | None = None  # small renditions for lists (lead photos only)

    @property
    def url(self) -> str:
        return self.image.src

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


# Build state: filled while reading, rendered after reading, published when finalized.


@dataclass
class SourceEntry:
    path: Path
    hash: str
    size: tuple[int, int]
    used_by: list[tuple[str, int]] = field(default_factory=list)  # (article, line)
    lead: bool = False
    plan: Plan | None = None


@dataclass
class BuildState:
    settings: PhotoSettings | None = None
    sources: dict[Path, SourceEntry] = field(default_factory=dict)
    pool: ProcessPoolExecutor | None = None
    futures: list[Future] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0  # time this plugin spent on photos in this build
    plans: dict[tuple, Plan] = field(default_factory=dict)
    leads: dict[str, Path] = field(default_factory=dict)  # article path -> its lead photo
    pictures: dict[tuple, Markup] = field(default_factory=dict)  # picture_filter's, made once


_state = BuildState()


def _settings() -> PhotoSettings:
    assert _state.settings is not None, "the photos plugin was not initialized"
    return _state.settings


def _plan(entry: SourceEntry, lead: bool) -> Plan:
    return plan_for((entry.hash, entry.size, lead))


def plan_for(planned: tuple) -> Plan:
    """The renditions of a source, by (source hash, size, lead): pure, so each is planned
    once per build."""
    if planned not in _state.plans:
        _state.plans[planned] = _new_plan(*planned)
    return _state.plans[planned]


def _new_plan(digest: str, size: tuple[int, int], lead: bool) -> Plan:
    settings = _settings()
    return plan_renditions(
        digest,
        size,
        settings.widths,
        settings.formats,
        settings.encoding,
        extra_widths=settings.thumb_widths if lead else (),
        crops=CROPS if lead else (),
    )


def _url(siteurl: str, rendition: Rendition) -> str:
    return f"{siteurl}/{rendition.name}"


def _image_set(
    plan: Plan, planned: tuple, labels: list[str], sizes: str, siteurl: str, fallback: str
) -> ImageSet:
    better = tuple(f for f in _settings().formats if f != "jpeg")
    image = ImageSet(plan, planned, tuple(labels), fallback, sizes, siteurl, better)
    assert image.src  # the fallback label comes from the plan's own scales
    return image


def _fallback_label(widths: list[int], limit: int) -> str:
    fitting = [w for w in widths if w <= limit]
    return f"{max(fitting) if fitting else min(widths)}w"


def published_photo(photo: Photo, entry: SourceEntry, siteurl: str, lead: bool) -> PublishedPhoto:
    """The template view of one photo; a lead photo also gets its list thumbnails."""
    settings = _settings()
    plan, planned = _plan(entry, lead), (entry.hash, entry.size, lead)
    article_widths = list(pick_widths(entry.size[0], settings.widths))
    labels = [f"{w}w" for w in sorted(article_widths)]
    fallback = _fallback_label(article_widths, settings.fallback_width)
    image = _image_set(plan, planned, labels, settings.sizes["article"], siteurl, fallback)
    thumb = None
    if lead:
        limit = 2 * max(settings.thumb_widths)
        small = sorted(s.width for s in plan.scales if s.width <= limit) or [plan.scales[-1].width]
        labels = [f"{w}w" for w in small]
        thumb = _image_set(plan, planned, labels, settings.sizes["thumb"], siteurl, labels[-1])
    return PublishedPhoto(
        alt=photo.alt,
        caption=photo.caption,
        credit=photo.credit,
        image=image,
        front=replace(image, sizes=settings.sizes["front"]),
        thumb=thumb,
    )


def crop_images(photo: Photo, entry: SourceEntry, siteurl: str) -> dict[str, CropImage]:
    """The lead photo's social card and search crops, by label ("social", "16x9", ...)."""
    plan = _plan(entry, lead=True)
    crops = {}
    for step in plan.crops:
        rendition = plan.find(step.label, "jpeg")
        assert rendition is not None  # crops are planned as JPEG
        crops[step.label] = CropImage(
            step.label, rendition.name, siteurl, rendition.width, rendition.height, photo.alt
        )
    return crops


def _source_entry(
    path: Path, article: Path, line: int, digest: str | None = None, size=None
) -> SourceEntry:
    """`digest` and `size`, when given, come from a read of these very bytes (reader cache)."""
    entry = _state.sources.get(path)
    if entry is None:
        # probe_image raises PhotoError for a missing, foreign or oversized file
        size = tuple(size) if size else probe_image(path)
        entry = _state.sources[path] = SourceEntry(path, digest or source_hash(path), size)
    entry.used_by.append((str(article), line))
    return entry


# An article's photos as registered: (photo path, line, source hash, size, whether it is the
# article's lead). What a read registers, so that an article kept whole (article_cache.py)
# registers them again without reading.
Registration = tuple[str, int, str, tuple[int, int], bool]


def registrations() -> dict[str, list[Registration]]:
    """The photos each article read so far registered, by article path."""
    found: dict[str, list[Registration]] = {}
    for entry in _state.sources.values():
        for article, line in entry.used_by:
            lead = _state.leads.get(article) == entry.path
            found.setdefault(article, []).append(
                (str(entry.path), line, entry.hash, tuple(entry.size), lead)
            )
    return found


def planned() -> dict[tuple, Plan]:
    """This build's plans so far, by what each is made from (source hash, size, lead)."""
    return _state.plans


def register_photos(article: str, photos: list[Registration]) -> None:
    for path, line, digest, size, lead in photos:
        entry = _source_entry(Path(path), Path(article), line, digest, size)
        if lead:
            entry.lead = True
            _state.leads[article] = entry.path


def picture_of(image: ImageSet, alt: str, priority: str = "lazy") -> etree.Element:
    """<picture> with a <source> per better format and the JPEG <img> inside.

    `priority` is "high" for the one photo a page shows first (fetchpriority), else "lazy".
    """
    picture = etree.Element("picture")
    for source in image.sources:
        etree.SubElement(
            picture, "source", {"type": source.type, "srcset": source.srcset, "sizes": image.sizes}
        )
    img = etree.SubElement(picture, "img")
    img.set("src", image.src)
    img.set("srcset", image.srcset)
    img.set("sizes", image.sizes)
    img.set("alt", alt)
    img.set("width", str(image.width))
    img.set("height", str(image.height))
    img.set("decoding", "async")
    if priority == "high":
        img.set("fetchpriority", "high")
    else:
        img.set("loading", "lazy")
    return picture


def picture_element(published: PublishedPhoto, lead: bool) -> etree.Element:
    assert published.image is not None
    return picture_of(published.image, published.alt, "high" if lead else "lazy")


def slot_image(thumb: ImageSet, slot: str) -> ImageSet:
    """A lead photo's list picture sized for one place of the theme (a PHOTOS_SIZES key): that
    place's `sizes`, and every rendition where the place is drawn wider than a thumbnail."""
    labels = thumb.labels
    if slot not in THUMB_SLOTS:
        labels = tuple(f"{w}w" for w in sorted({s.width for s in thumb.plan.scales}))
    return replace(thumb, labels=labels, sizes=_settings().sizes[slot])


def picture_filter(
    image: ImageSet | None, alt: str = "", priority: str = "lazy", slot: str | None = None
) -> Markup:
    """Jinja filter: `{{ article.lead_photo.thumb|picture("", "lazy", "thumb") }}` in list
    templates; `slot` names the place (PHOTOS_SIZES) when it is not the image's own.

    An article's thumbnail is on every list that shows it (its section, tags, author, days,
    the newest rail): each is made once per build. Equal views are views of one photo plan,
    whose renditions are all known by the time pages are written."""
    if image is None:
        return Markup("")
    key = (image, alt, priority, slot)
    made = _state.pictures.get(key)
    if made is None:
        shown = slot_image(image, slot) if slot else image
        made = _state.pictures[key] = Markup(
            etree.tostring(picture_of(shown, alt, priority), encoding="unicode", method="html")
        )
    return made


def add_filter(generator) -> None:
    generator.env.filters["picture"] = picture_filter


class PhotoRenderer:
    def __init__(self, settings):
        self.settings = settings
        self.photos: list[tuple[Photo, SourceEntry]] = []
        self.source_path: Path | None = None
        self.lines: dict[str, int] = {}
        self.lead_src: str | None = None
        self.digests: dict[Path, str] = {}  # photo path -> SHA-256, when already computed
        self.sizes: dict[str, tuple[int, int]] = {}  # src -> size, from a cached read

    def locate(self, photo: Photo, source_dir: Path) -> Path:
        article = self.source_path or source_dir
        if not photo.is_local:
            raise PhotoError(
                f"ảnh phải nằm trong thư mục bài, không lấy từ {photo.src}", article, photo.line
            )
        folder = real_folder(source_dir)
        path = real_photo_path(folder, photo.src)
        if not path.is_relative_to(folder):
            raise PhotoError(f"ảnh {photo.src} phải nằm trong thư mục bài", article, photo.line)
        if not path.is_file():
            raise PhotoError(
                f"không tìm thấy ảnh {photo.src}; hãy thêm tệp ảnh vào thư mục bài",
                article,
                photo.line,
            )
        return path

    def publish(self, photo: Photo, source_dir: Path) -> SourceEntry:
        article = self.source_path or source_dir
        photo = replace(photo, line=self.lines.get(photo.src, photo.line))
        path = self.locate(photo, source_dir)
        try:
            return _source_entry(
                path, article, photo.line, self.digests.get(path), self.sizes.get(photo.src)
            )
        except PhotoError as error:
            raise PhotoError(f"ảnh {photo.src}: {error.message}", article, photo.line) from None

    def is_lead(self, photo: Photo, index: int) -> bool:
        return photo.src == self.lead_src if self.lead_src else index == 0

    def __call__(self, photo: Photo, source_dir: Path | None, index: int) -> etree.Element:
        started = time.perf_counter()
        try:
            entry = self.publish(photo, source_dir or Path("."))
        except PhotoError as error:
            # Pelican swallows the reader's exception text; log it so the build reports it.
            logger.error("%s", error)
            raise
        finally:
            _state.seconds += time.perf_counter() - started
        self.photos.append((photo, entry))
        published = published_photo(photo, entry, self.settings["SITEURL"], lead=False)
        return picture_element(published, self.is_lead(photo, index))

    @property
    def photos_read(self) -> list[Photo]:
        return [photo for photo, _entry in self.photos]

    def record(self, photo: Photo, source_dir: Path) -> None:
        """Register a photo of a cached read, as rendering its figure would have."""
        self.photos.append((photo, self.publish(photo, source_dir)))


_real_folders: dict[str, Path] = {}


def real_folder(folder: Path) -> Path:
    """`folder.resolve()`, once per folder and build (article folders do not move mid-build)."""
    key = os.fspath(folder)
    real = _real_folders.get(key)
    if real is None:
        real = _real_folders[key] = folder.resolve()
    return real


def real_photo_path(real: Path, src: str) -> Path:
    """`(real / src).resolve()` for a folder already resolved: a plain file name that is no
    symlink needs no walk of its own."""
    if "/" in src or "\\" in src or src in (".", "..") or not src:
        return (real / src).resolve()
    path = real / src
    return path.resolve() if path.is_symlink() else path


def _lead_src(article: Article | None) -> str | None:
    """The `Image:` field, which names the lead photo, if it names a photo of the body."""
    if article is None:
        return None
    wanted = article.fields.get("Image", "").strip()
    return wanted if any(p.src == wanted for p in article.photos) else None


PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T_]\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?)?")


def plain_date(value: str) -> SafeDatetime | None:
    """A `Date` header in ISO form (`2022-11-28T07:00:00+07:00`, as `newsroom new` writes
    it), read exactly as Pelican's dateutil reads it (a SafeDatetime, an offset as dateutil's
    tzoffset) at a fraction of the cost; None for any other form, and for UTC."""
    if not PLAIN_DATE.fullmatch(value):
        return None
    try:
        parsed = SafeDatetime.fromisoformat(value.replace("_", " "))
    except ValueError:
        return None  # 2022-02-30: Pelican reports it
    offset = parsed.utcoffset()
    if offset is None:
        return parsed
    if not offset:
        return None  # dateutil makes UTC the machine's local zone when that is UTC: its call
    return parsed.replace(tzinfo=dateutil_tz.tzoffset(None, offset))


class PhotoMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with the photo convention, knowing which article it reads.

    With PHOTOS_READER_CACHE_PATH set, a read article is kept under a key made of its text,
    the bytes of every photo it names, the settings and the code (`reader_cache.py`), so an
    unchanged article is never converted again; its photos are still registered for the
    renditions, exactly as a fresh read does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.renderer = PhotoRenderer(self.settings)
        self.figures = FigureExtension(renderer=self.renderer)
        markdown = dict(self.settings["MARKDOWN"])
        self.cache = (
            ReaderCache(_settings().reader_cache, self.settings, _settings())
            if _state.settings is not None and _settings().reader_cache
            else None
        )
        markdown["extensions"] = [*markdown["extensions"], self.figures]
        self.settings = {**self.settings, "MARKDOWN": markdown}
        self._raw_meta: dict[str, list[str]] = {}
        self._known: dict[Path, tuple] = {}  # path -> (identity, key, lines, lead, digests)

    def process_metadata(self, name, value):
        if name == "date" and isinstance(value, str):
            plain = plain_date(value)
            if plain is not None:
                return plain
        return super().process_metadata(name, value)

    def _parse_metadata(self, meta):
        self._raw_meta = {name: list(values) for name, values in meta.items()}
        return super()._parse_metadata(meta)

    def _parse_cached(self, cached: CachedRead) -> dict:
        """Pelican's header parsing, with the formatted fields (the lead) as converted when
        the article was first read, so a cached read runs no Markdown at all."""
        output = {}
        for name, values in cached.meta.items():
            name = name.lower()
            if name in cached.formatted:
                output[name] = self.process_metadata(name, cached.formatted[name])
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True) or len(values) == 1:
                output[name] = self.process_metadata(name, values[0])
            else:
                output[name] = self.process_metadata(name, values)
        return output

    def _local_digests(self, article: Article | None, folder: Path) -> dict[Path, str]:
        """SHA-256 of each photo file the article names that exists (missing ones fail later)."""
        digests = {}
        real = real_folder(folder)
        for photo in article.photos if article else []:
            path = real_photo_path(real, photo.src)
            if photo.is_local and path.is_file():
                digests[path] = source_hash(path)
        return digests

    def _prepare(self, path: Path) -> str | None:
        """Set the renderer up for the article at `path`; its reader-cache key (None: no
        cache). What `is_cached` worked out for the same unchanged file is used again."""
        now = identity(path.stat())
        known = self._known.pop(path, None)
        if known is None or known[0] != now:
            known = (now, *self._work_out(path))
        _identity, key, lines, lead_src, digests = known
        self.figures.source_dir = path.parent
        self.figures.reset()
        self.renderer.photos = []
        self.renderer.source_path = path
        self.renderer.lines, self.renderer.lead_src = lines, lead_src
        self.renderer.digests = digests
        return key

    def _work_out(self, path: Path) -> tuple:
        raw = path.read_bytes()
        try:
            article = parse_text(raw.decode("utf-8", errors="replace"), path)
        except ArticleError:
            article = None  # Pelican's reader reports a broken header
        lines = {photo.src: photo.line for photo in (article.photos if article else [])}
        digests = self._local_digests(article, path.parent)
        folder = real_folder(path.parent)
        named = {p.relative_to(folder).as_posix(): h for p, h in digests.items()}
        key = self.cache.key(raw, named) if self.cache else None
        return key, lines, _lead_src(article), digests

    def is_cached(self, source_path) -> bool:
        """Whether the article's entry is in the reader cache; what it takes to know is kept
        for the read that follows (prefill.py)."""
        path = Path(source_path)
        now = identity(path.stat())
        self._known[path] = (now, *self._work_out(path))
        key = self._known[path][1]
        return key is not None and self.cache is not None and self.cache.has(key)

    def read(self, source_path):
        path = Path(source_path)
        key = self._prepare(path)
        cached = self.cache.load(key) if self.cache and key else None
        if cached is not None:
            content, metadata = self._from_cache(cached, path)
        else:
            content, metadata = super().read(source_path)
        if self.cache and key and cached is None:
            formatted = {
                name: metadata[name]
                for name in self.settings["FORMATTED_FIELDS"]
                if isinstance(metadata.get(name), str)
            }
            sizes = {photo.src: entry.size for photo, entry in self.renderer.photos}
            entry = CachedRead(content, self._raw_meta, self.renderer.photos_read, formatted, sizes)
            self.cache.store(key, entry)
        self._add_lead(metadata)
        return content, metadata

    def _from_cache(self, cached: CachedRead, path: Path):
        """What a fresh read returns, from a cached one: metadata re-parsed (cheap), photos
        registered for rendering."""
        self._source_path = str(path)
        metadata = self._parse_cached(cached)
        self.renderer.sizes = dict(cached.sizes)
        for photo in cached.photos:
            self.renderer.record(photo, path.parent)
        self.renderer.sizes = {}
        return cached.content, metadata

    def _add_lead(self, metadata: dict) -> None:
        if self.renderer.photos:
            index = next(
                (
                    i
                    for i, (p, _e) in enumerate(self.renderer.photos)
                    if p.src == self.renderer.lead_src
                ),
                0,
            )
            photo, entry = self.renderer.photos[index]
            entry.lead = True
            _state.leads[str(self.renderer.source_path)] = entry.path
            siteurl = self.settings["SITEURL"]
            metadata["lead_photo"] = published_photo(photo, entry, siteurl, lead=True)
            metadata["photo_crops"] = crop_images(photo, entry, siteurl)


def use_reader(readers) -> None:
    for extension in PhotoMarkdownReader.file_extensions:
        readers.reader_classes[extension] = PhotoMarkdownReader


def start(pelican) -> None:
    """Fresh state for each build, with settings checked before any article is read."""
    global _state
    _state = BuildState()
    _real_folders.clear()
    problems = check_settings(pelican.settings)
    for problem in problems:
        logger.error("pelicanconf.py: %s", problem)
    if not problems:
        _state.settings = load_settings(pelican.settings)


def submit_renders(generators) -> None:
    """Render what the cache lacks while Pelican writes the pages."""
    if _state.settings is None:
        return
    started = time.perf_counter()
    settings = _settings()
    jobs = []
    listing = CacheListing(settings.cache)
    for entry in _state.sources.values():
        entry.plan = _plan(entry, entry.lead)
        if missing(entry.plan, settings.cache, listing):
            jobs.append(Job(entry.path, entry.plan, settings.cache, settings.encoding))
    jobs.sort(key=lambda job: job.plan.size[0] * job.plan.size[1], reverse=True)
    workers = min(settings.workers, len(jobs))
    if workers > 1:
        # Each worker dies with this process: a build killed (or stopped by Ctrl-C) leaves none.
        _state.pool = ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent)
        _state.futures = [_state.pool.submit(render_to_cache, job) for job in jobs]
        fault_point(RENDITIONS, os.getppid())
    else:
        threads = settings.workers
        _state.outcomes = [render_to_cache(replace(job, threads=threads)) for job in jobs]
    _state.seconds += time.perf_counter() - started


def _render_again_if_empty(settings: PhotoSettings) -> list:
    """Render again, here, each photo with an empty file in the cache (damaged from outside:
    renditions reach the disk before their names do), each file looked at once."""
    again, looked = [], set()
    for entry in _state.sources.values():
        assert entry.plan is not None
        names = [r.cache_name for r in entry.plan.renditions if r.cache_name not in looked]
        looked.update(names)
        empty = [name for name in names if os.stat(settings.cache / name).st_size == 0]
        if empty:
            for name in empty:
                (settings.cache / name).unlink()
            job = Job(entry.path, entry.plan, settings.cache, settings.encoding)
            again.append(render_to_cache(job))
    return again


def _link(source: Path, target: Path) -> None:
    """Put a cached file in the output by rename, never writing into an existing file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        os.link(source, temporary)
    except OSError:  # another filesystem: copy instead
        shutil.copyfile(source, temporary)
    # rename() does nothing when both names are links to one file, which would leave the
    # temporary name behind (two articles with the same photo publish the same renditions).
    os.replace(temporary, target)
    if temporary.exists():
        temporary.unlink()


def _write_stats(settings: PhotoSettings, stats: dict) -> None:
    text = json.dumps(stats, indent=2, ensure_ascii=False)
    write_atomic(settings.cache / STATS_NAME, text.encode("utf-8"))


def publish_renditions(pelican) -> None:
    if _state.settings is None:
        return
    started = time.perf_counter()
    settings = _settings()
    if _state.pool is not None:
        _state.outcomes = [future.result() for future in _state.futures]
        _state.pool.shutdown()
        _state.pool = None
    if pelican.settings.get("PHOTOS_CHECK_CACHE") and not any(o.error for o in _state.outcomes):
        _state.outcomes += _render_again_if_empty(settings)
    failed = [o for o in _state.outcomes if o.error]
    for outcome in failed:
        article, line = _state.sources[outcome.path].used_by[0]
        where = f"{article}:{line}" if line else article
        logger.error("%s: ảnh %s: %s", where, outcome.path.name, outcome.error)
    output = Path(pelican.output_path)
    published = 0
    if not failed:
        done: set[str] = set()  # identical photos of several articles share their renditions
        for entry in _state.sources.values():
            assert entry.plan is not None
            for rendition in entry.plan.renditions:
                if rendition.name not in done:
                    _link(settings.cache / rendition.cache_name, output / rendition.name)
                    done.add(rendition.name)
                    published += 1
    _state.seconds += time.perf_counter() - started
    encoded = sum(o.encoded for o in _state.outcomes)
    _write_stats(
        settings,
        {
            "sources": len(_state.sources),
            "decoded": sum(o.decoded for o in _state.outcomes),
            "decoded_files": sorted(str(o.path) for o in _state.outcomes if o.decoded),
            "encoded": encoded,
            "published": published,
            "reused": published - encoded if not failed else 0,
            "seconds": round(_state.seconds, 4),
            "settings": {"formats": list(settings.formats), **asdict(settings.encoding)},
        },
    )
    # `pelican --autoreload` runs again without a new `initialized`: start the next run clean.
    _state.sources.clear()
    _state.leads.clear()
    _state.outcomes, _state.futures, _state.seconds = [], [], 0.0


def register() -> None:
    from . import article_cache

    signals.initialized.connect(start)
    signals.generator_init.connect(article_cache.start)
    signals.generator_init.connect(add_filter)
    signals.readers_init.connect(use_reader)
    signals.article_generator_init.connect(read_ahead)
    signals.article_generator_pretaxonomy.connect(finish_reading_ahead)
    signals.all_generators_finalized.connect(submit_renders)
    signals.finalized.connect(publish_renditions)
