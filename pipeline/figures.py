"""The one photo convention: parsing it, writing it, and rendering it in Markdown.

A photo in an article body is a paragraph of its own:

    ![Alt text describing what the photo shows](ten-anh.jpg)
    The caption, on one or more lines.
    Ảnh: Tên tác giả

The first line is the image with its alt text; the lines after it, up to an
optional last line that starts with `Ảnh:`, are the caption; that last line is
the credit. It renders as <figure> with <img alt> and <figcaption>. Import,
`photo add`, `check` and the photos plugin all go through this module.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

# Alt text may hold brackets escaped as Markdown escapes them (`\]`), as format_photo writes.
IMAGE_LINE = re.compile(r"^!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\((?P<src>[^)\s]+)\)\s*$")
ALT_ESCAPED = re.compile(r"\\([\\\[\]])")  # \\, \[ and \] in alt text
ALT_TO_ESCAPE = re.compile(r"([\\\[\]])")
CREDIT_LINE = re.compile(r"^Ảnh\s*:\s*(?P<credit>.+?)\s*$", re.IGNORECASE)
CREDIT_PREFIX = "Ảnh: "


@dataclass(frozen=True)
class Photo:
    src: str
    alt: str
    caption: str
    credit: str
    line: int = 0  # 1-based line of the image in the file, when known

    @property
    def is_local(self) -> bool:
        return not re.match(r"^[a-z][a-z0-9+.-]*:", self.src, re.IGNORECASE)


def parse_block(lines: list[str], line: int = 0) -> Photo | None:
    """The photo in one paragraph's lines, or None if the paragraph is not a photo."""
    if not lines:
        return None
    match = IMAGE_LINE.match(lines[0].strip())
    if not match:
        return None
    rest = [text.strip() for text in lines[1:] if text.strip()]
    credit = ""
    if rest:
        credit_match = CREDIT_LINE.match(rest[-1])
        if credit_match:
            credit = credit_match.group("credit")
            rest = rest[:-1]
    return Photo(
        src=match.group("src"),
        alt=ALT_ESCAPED.sub(r"\1", match.group("alt")).strip(),
        caption=" ".join(rest),
        credit=credit,
        line=line,
    )


def parse_photos(body: str, first_line: int = 1) -> list[Photo]:
    """Every photo in a Markdown body, with the file line of each (`first_line` is the body's)."""
    photos: list[Photo] = []
    block: list[str] = []
    start = first_line
    for number, text in enumerate([*body.splitlines(), ""], start=first_line):
        if text.strip():
            if not block:
                start = number
            block.append(text)
            continue
        photo = parse_block(block, start)
        if photo:
            photos.append(photo)
        block = []
    return photos


def format_photo(photo: Photo) -> str:
    """The Markdown block for a photo, as `parse_block` reads it back."""
    alt = ALT_TO_ESCAPE.sub(r"\\\1", photo.alt)
    lines = [f"![{alt}]({photo.src})"]
    if photo.caption:
        lines.append(photo.caption)
    if photo.credit:
        lines.append(f"{CREDIT_PREFIX}{photo.credit}")
    return "\n".join(lines)


# Turns a photo into the image element of its figure (<img> or <picture>).
# `source_dir` is the folder of the article being rendered, when known.
ImageRenderer = Callable[[Photo, "Path | None", int], etree.Element]


def plain_image(photo: Photo, source_dir: Path | None, index: int) -> etree.Element:
    img = etree.Element("img", {"src": photo.src, "alt": photo.alt})
    img.set("decoding", "async")
    if index > 0:
        img.set("loading", "lazy")
    return img


class _FigureProcessor(BlockProcessor):
    def __init__(self, parser, extension: FigureExtension):
        super().__init__(parser)
        self.extension = extension

    def test(self, parent, block: str) -> bool:
        return bool(IMAGE_LINE.match(block.split("\n", 1)[0].strip()))

    def run(self, parent, blocks: list[str]) -> None:
        photo = parse_block(blocks.pop(0).split("\n"))
        assert photo is not None  # test() matched the image line
        figure = etree.SubElement(parent, "figure", {"class": "photo"})
        figure.append(self.extension.render(photo))
        if photo.caption or photo.credit:
            caption = etree.SubElement(figure, "figcaption")
            if photo.caption:
                text = etree.SubElement(caption, "span", {"class": "caption"})
                text.text = photo.caption
                if photo.credit:
                    text.tail = " "
            if photo.credit:
                credit = etree.SubElement(caption, "span", {"class": "credit"})
                credit.text = f"{CREDIT_PREFIX}{photo.credit}"


class FigureExtension(Extension):
    """Renders the photo convention as <figure>; the build swaps in its own image renderer."""

    def __init__(self, renderer: ImageRenderer = plain_image, **kwargs):
        super().__init__(**kwargs)
        self.renderer = renderer
        self.source_dir: Path | None = None
        self._index = 0

    def render(self, photo: Photo) -> etree.Element:
        element = self.renderer(photo, self.source_dir, self._index)
        self._index += 1
        return element

    def reset(self) -> None:
        self._index = 0

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # Above the paragraph processor (10), so a photo is never a plain paragraph.
        md.parser.blockprocessors.register(_FigureProcessor(md.parser, self), "newsroom_figure", 75)
