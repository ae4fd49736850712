"""Article photos: render the shared photo convention and publish clean copies.

The Markdown reader gets the `pipeline.figures` extension with a renderer
that finds each photo beside its article, fails the build if it is missing
or broken, and points the <img> at a clean, metadata-free copy named by the
source's hash. The copies are written once everything else is written.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as etree
from dataclasses import dataclass, replace
from pathlib import Path

from pelican import signals
from pelican.readers import MarkdownReader

from pipeline.errors import PhotoError
from pipeline.figures import FigureExtension, Photo, parse_photos
from pipeline.photos import clean_photo_file, source_hash

logger = logging.getLogger(__name__)

PHOTOS_URL = "anh/{hash}.{ext}"


@dataclass(frozen=True)
class PublishedPhoto:
    """A photo as the templates see it (the lead photo of an article, in lists)."""

    url: str
    alt: str
    width: int
    height: int
    caption: str
    credit: str


# source path -> (output name, cleaned photo); filled while reading, written at the end.
_published: dict[Path, tuple[str, object]] = {}


class PhotoRenderer:
    def __init__(self, settings):
        self.settings = settings
        self.config = settings["NEWSROOM"]
        self.photos: list[tuple[Photo, PublishedPhoto]] = []
        self.source_path: Path | None = None
        self.lines: dict[str, int] = {}

    def publish(self, photo: Photo, source_dir: Path) -> PublishedPhoto:
        article = self.source_path or source_dir
        photo = replace(photo, line=self.lines.get(photo.src, photo.line))
        if not photo.is_local:
            raise PhotoError(
                f"ảnh phải nằm trong thư mục bài, không lấy từ {photo.src}", article, photo.line
            )
        path = (source_dir / photo.src).resolve()
        if not path.is_relative_to(source_dir.resolve()):
            raise PhotoError(f"ảnh {photo.src} phải nằm trong thư mục bài", article, photo.line)
        if not path.is_file():
            raise PhotoError(
                f"không tìm thấy ảnh {photo.src}; hãy thêm tệp ảnh vào thư mục bài",
                article,
                photo.line,
            )
        if path not in _published:
            clean = clean_photo_file(path, self.config.photo_max_side, self.config.jpeg_quality)
            name = PHOTOS_URL.format(hash=source_hash(path)[:20], ext=clean.extension)
            _published[path] = (name, clean)
        name, clean = _published[path]
        return PublishedPhoto(
            url=f"{self.settings['SITEURL']}/{name}",
            alt=photo.alt,
            width=clean.width,
            height=clean.height,
            caption=photo.caption,
            credit=photo.credit,
        )

    def __call__(self, photo: Photo, source_dir: Path | None, index: int) -> etree.Element:
        try:
            published = self.publish(photo, source_dir or Path("."))
        except PhotoError as error:
            # Pelican swallows the reader's exception text; log it so the build reports it.
            logger.error("%s", error)
            raise
        self.photos.append((photo, published))
        img = etree.Element("img")
        img.set("src", published.url)
        img.set("alt", published.alt)
        img.set("width", str(published.width))
        img.set("height", str(published.height))
        img.set("decoding", "async")
        if index == 0:
            img.set("fetchpriority", "high")
        else:
            img.set("loading", "lazy")
        return img


class PhotoMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with the photo convention, knowing which article it reads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.renderer = PhotoRenderer(self.settings)
        self.figures = FigureExtension(renderer=self.renderer)
        markdown = dict(self.settings["MARKDOWN"])
        markdown["extensions"] = [*markdown["extensions"], self.figures]
        self.settings = {**self.settings, "MARKDOWN": markdown}

    def read(self, source_path):
        self.figures.source_dir = Path(source_path).parent
        self.renderer.photos = []
        self.renderer.source_path = Path(source_path)
        text = Path(source_path).read_text("utf-8", errors="replace")
        self.renderer.lines = {photo.src: photo.line for photo in parse_photos(text)}
        content, metadata = super().read(source_path)
        photos = [published for _photo, published in self.renderer.photos]
        if photos:
            wanted = metadata.get("image")
            chosen = [p for p, pub in self.renderer.photos if wanted and p.src == wanted]
            lead = photos[0]
            if chosen:
                lead = next(pub for p, pub in self.renderer.photos if p is chosen[0])
            metadata["lead_photo"] = lead
        return content, metadata


def use_reader(readers) -> None:
    for extension in PhotoMarkdownReader.file_extensions:
        readers.reader_classes[extension] = PhotoMarkdownReader


def reset(pelican) -> None:
    _published.clear()


def write_photos(pelican) -> None:
    output = Path(pelican.output_path)
    for name, clean in sorted(_published.values(), key=lambda item: item[0]):
        target = output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(clean.data)


def register() -> None:
    signals.initialized.connect(reset)
    signals.readers_init.connect(use_reader)
    signals.finalized.connect(write_photos)
