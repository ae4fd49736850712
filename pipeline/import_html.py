"""HTML (a saved news page, or a word processor's export) -> lines and photos for `build_draft`.

We find the article's region first: the largest `<article>`, else `<main>`,
else the element that holds the most paragraph text, widened to include the
page's `<h1>`. Inside it, navigation, ads, scripts, styles, forms and
"related" boxes are dropped, and what is left is read in order as lines of
text and photos with their captions.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from .conventions import split_credit
from .draft import Block, Hints, SourcePhoto
from .import_text import clean_line, continues
from .vietnamese import TIMEZONE, nfc, title_case_name

DROP_TAGS = {
    "script", "style", "noscript", "iframe", "form", "button", "nav", "aside", "svg", "template",
    "object", "embed", "input", "select", "textarea", "link", "meta", "head", "video", "audio",
    "canvas", "map", "dialog",
}  # fmt: skip
# Class or id words of boxes that are not the article.
JUNK = re.compile(
    r"(?:^|[-_\s])(?:related|relate|lien-?quan|tinlienquan|xem-?them|tin-?khac|ads?|advert\w*|"
    r"banner|quang-?cao|share|sharing|social|comments?|binh-?luan|breadcrumbs?|menu|navbar|"
    r"sidebar|promo|newsletter|subscribe|tags?|keywords?|tu-?khoa|cookie|popup|widget|"
    r"most-?read|doc-?nhieu|print|rating)(?:$|[-_\s])",
    re.IGNORECASE,
)
LEAD_CLASS = re.compile(r"sapo|lead|summary|description|chapeau|tom-?tat|intro|excerpt", re.I)
BYLINE_CLASS = re.compile(r"author|tac-?gia|byline|signature|writer|butdanh", re.I)
# A paragraph the source marks as a caption (Word's "Caption" style, `class="caption"`).
CAPTION_CLASS = re.compile(r"\bcaption\b|chu-?thich", re.I)
DATE_CLASS = re.compile(r"date|time|ngay|publish|thoi-?gian", re.I)
PHOTO_CLASS = re.compile(r"image|photo|figure|picture|img|anh|caption", re.I)
BLOCK_TAGS = {
    "p", "li", "blockquote", "dd", "dt", "pre", "address", "h1", "h2", "h3", "h4", "h5", "h6",
    "caption", "figcaption", "summary",
}  # fmt: skip
CONTAINER_TAGS = {
    "div", "section", "article", "main", "header", "footer", "body", "html", "ul", "ol", "dl",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "center", "figure", "hgroup",
}  # fmt: skip
SUBHEADINGS = {"h2", "h3", "h4", "h5", "h6"}
SITE_HEADING = re.compile(r"logo|brand|site-?name|masthead", re.IGNORECASE)
WORDS = re.compile(r"\s+")


def _classes(tag: Tag) -> str:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    return " ".join([*classes, str(tag.get("id") or "")])


def _is_junk(tag: Tag) -> bool:
    if tag.name in DROP_TAGS:
        return True
    if tag.get("hidden") is not None or tag.get("aria-hidden") == "true":
        return True
    return bool(JUNK.search(_classes(tag)))


def _strip_junk(root: Tag) -> None:
    for tag in list(root.find_all(True)):
        if not tag.decomposed and _is_junk(tag):
            tag.decompose()


def _paragraph_score(tag: Tag) -> int:
    return sum(len(p.get_text(" ", strip=True)) for p in tag.find_all("p", recursive=False))


def _is_site_heading(tag: Tag) -> bool:
    """A site's logo or name set as `<h1>`: an image, a link home, or a class that says so."""
    if SITE_HEADING.search(_classes(tag)) or tag.find("img") is not None:
        return True
    if any(parent.name == "nav" for parent in tag.parents):
        return True
    link = tag.find("a")
    return (
        isinstance(link, Tag)
        and link.get_text(strip=True) == tag.get_text(strip=True)
        and urlparse(str(link.get("href") or "")).path in ("", "/")
    )


def _title_heading(soup: BeautifulSoup | Tag) -> Tag | None:
    """The page's title: its `<h1>` with the most text that is not the site's logo."""
    headings = [
        tag for tag in soup.find_all("h1") if tag.get_text(strip=True) and not _is_site_heading(tag)
    ]
    return max(headings, key=lambda tag: len(tag.get_text(strip=True)), default=None)


def _region(soup: BeautifulSoup) -> Tag:
    """The element that holds the article (see the module docstring)."""
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda tag: len(tag.get_text(" ", strip=True)))
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if isinstance(main, Tag):
        return main
    candidates = [tag for tag in soup.find_all(True) if tag.name in CONTAINER_TAGS]
    best = max(candidates, key=_paragraph_score, default=None)
    if best is None or _paragraph_score(best) == 0:
        return soup.body or soup
    heading = _title_heading(soup)
    if heading is not None and heading not in best.descendants:
        ancestors = set(map(id, heading.parents))
        for parent in best.parents:
            if id(parent) in ancestors:
                return parent
    return best


def _lines(tag: Tag) -> list[str]:
    """The text of an element as lines: source newlines are spaces, `<br>` breaks a line."""
    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, PreformattedString):
            continue
        if isinstance(node, NavigableString):
            parts.append(WORDS.sub(" ", str(node)))
        elif node.name == "br":
            parts.append("\n")
        elif node.name in BLOCK_TAGS and parts and parts[-1] != "\n":
            parts.append("\n")
    return [line for line in (clean_line(text) for text in "".join(parts).split("\n")) if line]


class _Reader:
    """Walks the region in document order and collects Blocks."""

    def __init__(self, source: Path, images: dict[str, bytes]):
        self.source = source
        self.images = images
        self.blocks: list[Block] = []
        self.inline: list[str] = []

    def flush(self) -> None:
        text = clean_line(" ".join(self.inline))
        self.inline = []
        if text:
            self.blocks.append(Block(text))

    def photo(self, img: Tag, caption_text: str = "") -> SourcePhoto:
        src = _image_source(img)
        caption, credit = split_credit(caption_text)
        alt = clean_line(str(img.get("alt") or "")) or caption
        name, data = self._image(src)
        return SourcePhoto(name=name, alt=alt, caption=caption, credit=credit, data=data)

    def _image(self, src: str) -> tuple[str, bytes | None]:
        if src in self.images:
            return src, self.images[src]
        if src.startswith("data:"):
            header, _, payload = src.partition(",")
            extension = header.split("/")[-1].split(";")[0] or "jpg"
            if extension not in PHOTO_TYPES:  # a lazy page's placeholder (SVG, a 1-pixel GIF)
                return "anh.jpg", None
            try:
                return f"anh.{extension}", base64.b64decode(payload, validate=False)
            except (binascii.Error, ValueError):
                return "anh.jpg", None
        parsed = urlparse(src)
        name = Path(unquote(parsed.path)).name or "anh.jpg"
        if parsed.scheme or parsed.netloc or not parsed.path:
            return name, None  # on the web: not available offline
        folder = self.source.parent.resolve()
        path = (folder / unquote(parsed.path)).resolve()
        if path.suffix.lower() in (".gif", ".svg"):  # a saved page's spacer, never a photo
            return name, None
        if path.is_relative_to(folder) and path.is_file():
            return name, path.read_bytes()
        return name, None

    def figure(self, tag: Tag, img: Tag) -> None:
        caption_tag = tag.find("figcaption")
        if isinstance(caption_tag, Tag):
            caption = " ".join(_lines(caption_tag))
        else:
            caption = " ".join(line for line in _lines(tag))
        self.blocks.append(Block(kind="photo", photo=self.photo(img, caption)))

    def element(self, tag: Tag) -> None:
        """A block-level element with no block children: its lines, and the photos inside."""
        kind = "text"
        classes = _classes(tag)
        if tag.name == "h1" and _is_site_heading(tag):
            return
        if tag.name == "h1":
            kind = "title"
        elif tag.name in SUBHEADINGS:
            kind = "heading"
        elif LEAD_CLASS.search(classes):
            kind = "lead"
        elif BYLINE_CLASS.search(classes):
            kind = "byline"
        elif CAPTION_CLASS.search(classes) and tag.name == "p":
            kind = "caption"
        for img in tag.find_all("img"):
            self.blocks.append(Block(kind="photo", photo=self.photo(img)))
        lines = _lines(tag)
        if kind in ("title", "heading", "lead", "caption") and lines:
            lines = [" ".join(lines)]
        lines = _joined(lines)
        self.blocks += [Block(line, kind=kind) for line in lines]

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, PreformattedString):
                continue
            if isinstance(child, NavigableString):
                self.inline.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            self._child(child)
        self.flush()

    def _child(self, child: Tag) -> None:
        images = child.find_all("img") if child.name != "img" else [child]
        if child.name == "br":
            self.flush()
        elif child.name == "img":
            self.flush()
            self.blocks.append(Block(kind="photo", photo=self.photo(child)))
        elif len(images) == 1 and _is_figure(child):
            self.flush()
            self.figure(child, images[0])
        elif child.name in BLOCK_TAGS or (
            (child.name in CONTAINER_TAGS or DATE_CLASS.search(_classes(child))
             or BYLINE_CLASS.search(_classes(child)))
            and not _has_blocks(child)
        ):  # fmt: skip
            self.flush()
            self.element(child)
        elif child.name in CONTAINER_TAGS:
            self.flush()
            self.walk(child)
        else:  # inline: its text joins the line; a photo inside a link stands alone
            for img in images:
                self.flush()
                self.blocks.append(Block(kind="photo", photo=self.photo(img)))
            self.inline.append(" ".join(_lines(child)))


def _has_blocks(tag: Tag) -> bool:
    return any(
        isinstance(child, Tag) and (child.name in BLOCK_TAGS or child.name in CONTAINER_TAGS)
        for child in tag.descendants
    )


def _is_figure(tag: Tag) -> bool:
    if tag.name == "figure":
        return True
    words = len(tag.get_text(" ", strip=True).split())
    if words > 80:
        return False
    return tag.name == "table" or bool(PHOTO_CLASS.search(_classes(tag)))


def _hints(soup: BeautifulSoup) -> Hints:
    hints = Hints(photos_marked=True)
    meta = soup.find("meta", attrs={"property": "article:published_time"})
    time_tag = soup.find("time", attrs={"datetime": True})
    for value in (
        meta.get("content") if isinstance(meta, Tag) else None,
        time_tag.get("datetime") if isinstance(time_tag, Tag) else None,
    ):
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=TIMEZONE)
        hints.date = moment.astimezone(TIMEZONE).replace(microsecond=0)
        break
    author = soup.find("meta", attrs={"name": "author"})
    if isinstance(author, Tag) and clean_line(str(author.get("content") or "")):
        hints.authors = [title_case_name(clean_line(str(author["content"])))]
    return hints


def html_blocks(
    html: str, source: Path, images: dict[str, bytes] | None = None
) -> tuple[list[Block], Hints]:
    """The article in an HTML document as Blocks, plus what its metadata says. The text is
    read composed (NFC): Unikey's "Unicode tổ hợp" writes decomposed letters, which no rule
    for places, dates or abbreviations would match."""
    soup = BeautifulSoup(nfc(html), "html.parser")
    hints = _hints(soup)
    region = _region(soup)
    heading = _title_heading(region) or _title_heading(soup)
    _strip_junk(region)
    reader = _Reader(source, images or {})
    if region.name in BLOCK_TAGS:
        reader.element(region)
    else:
        reader.walk(region)
    blocks = reader.blocks
    if (
        heading is not None
        and not heading.decomposed
        and not any(b.kind == "title" for b in blocks)
    ):
        title = " ".join(_lines(heading))
        if title:
            blocks.insert(0, Block(title, kind="title"))
    return blocks, hints


# Where a lazily loaded image keeps its real address (the `src` holds a placeholder then), and
# the embedded image types a photo may be.
LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src", "data-srcset", "srcset")
PHOTO_TYPES = {"jpeg", "jpg", "png", "webp", "heic", "heif"}


def _image_source(img: Tag) -> str:
    """The address of the photo an `<img>` shows: its lazy-loading address when it has one
    (the largest of a srcset), else its `src`."""
    src = str(img.get("src") or "")
    for name in LAZY_SOURCES:
        value = str(img.get(name) or "").strip()
        if not value:
            continue
        if "srcset" not in name:
            return value
        if not src or src.startswith("data:") or name == "data-srcset":
            candidates = [part.split() for part in value.split(",") if part.split()]
            return max(candidates, key=_width)[0] if candidates else src
    return src


def _width(candidate: list[str]) -> float:
    """A srcset candidate's width (`480w`) or density (`2x`), for picking the largest."""
    descriptor = candidate[1] if len(candidate) > 1 else "1x"
    try:
        return float(descriptor[:-1])
    except ValueError:
        return 0.0


def _joined(lines: list[str]) -> list[str]:
    """Lines a `<br>` split mid-sentence (Word's Shift+Enter) joined again, as plain text's are."""
    joined: list[str] = []
    for line in lines:
        if joined and continues(joined[-1], line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined
