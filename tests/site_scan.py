"""Walk a built site: every internal reference it makes, and where each one points."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

from bs4 import BeautifulSoup

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:")


def page_url(output: Path, file: Path) -> str:
    """The site URL that serves `file` (`/a/b/` for `a/b/index.html`)."""
    relative = file.relative_to(output).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return "/" + relative


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def html_references(html: str) -> Iterator[str]:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for attribute in ("href", "src"):
            if tag.get(attribute):
                yield tag[attribute]
        for attribute in ("srcset", "imagesrcset"):
            if tag.get(attribute):
                yield from _srcset_urls(tag[attribute])
        if tag.get("style"):
            yield from CSS_URL.findall(tag["style"])
        if tag.name == "style" and tag.string:
            yield from CSS_URL.findall(tag.string)


def feed_references(xml: str) -> Iterator[str]:
    for element in ElementTree.fromstring(xml.encode("utf-8")).iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name == "link":
            yield element.get("href") or (element.text or "").strip()
        elif name == "enclosure" and element.get("url"):
            yield element.get("url")
        elif name in ("content", "summary", "description") and element.text and "<" in element.text:
            yield from html_references(element.text)


def references(output: Path) -> Iterator[tuple[Path, str, str]]:
    """(file, reference as written, absolute site URL it resolves to) for every reference."""
    for file in sorted(output.rglob("*")):
        if not file.is_file():
            continue
        base = page_url(output, file)
        if file.suffix == ".html":
            found = html_references(file.read_text("utf-8"))
        elif file.suffix == ".css":
            found = CSS_URL.findall(file.read_text("utf-8"))
        elif file.suffix == ".xml":
            found = feed_references(file.read_text("utf-8"))
        else:
            continue
        for reference in found:
            yield file, reference, urljoin(base, reference)


def is_internal(url: str, site_url: str) -> bool:
    if url.startswith(SKIPPED_SCHEMES) or url.startswith("#"):
        return False
    parts = urlsplit(url)
    return not parts.netloc or url.startswith(site_url + "/") or url == site_url


def target_file(output: Path, url: str, site_url: str) -> Path:
    """The file in `output` that serves an internal URL."""
    if url.startswith(site_url):
        url = url[len(site_url) :] or "/"
    path = unquote(urlsplit(url).path)
    target = output / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target
