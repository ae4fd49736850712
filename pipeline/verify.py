"""Verify a built release before it goes live: every internal reference resolves, and every
article page and photo in it comes from the manifest (so nothing unapproved is in it)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from .errors import BuildError
from .faults import fault_point
from .manifest import Manifest

ARTICLE_PAGE = re.compile(r"^\d{4}/\d{2}/\d{2}/[^/]+/index\.html$")
HASH_RUN = re.compile(r"[0-9a-f]{20,}")
PHOTOS_DIR = "anh"
REFERENCE_ATTRIBUTES = ("href", "src", "srcset", "poster")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def _references(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        for attribute in REFERENCE_ATTRIBUTES:
            value = tag.get(attribute)
            if not value:
                continue
            if attribute == "srcset":
                found += [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
            else:
                found.append(value)
    return [ref for ref in found if not EXTERNAL.match(ref)]


def _target(release: Path, page: Path, reference: str) -> Path:
    path = unquote(urlsplit(reference).path)
    base = release if path.startswith("/") else page.parent
    target = base / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def broken_references(release: Path) -> list[str]:
    problems = []
    pages = sorted(release.rglob("*.html"))
    for number, page in enumerate(pages):
        if number == len(pages) // 2:
            fault_point("verify")
        for reference in _references(page.read_text("utf-8")):
            target = _target(release, page, reference)
            if not target.resolve().is_relative_to(release.resolve()) or not target.is_file():
                problems.append(f"{page.relative_to(release)} trỏ tới {reference} không tồn tại")
    return problems


def unapproved_files(release: Path, manifest: Manifest) -> list[str]:
    """Article pages and photos that no manifest entry accounts for (a photo's path under
    anh/ must carry the first 20 hex digits of an approved file's SHA-256)."""
    urls = {f"{a.url}index.html" for a in manifest.articles}
    hashes = {digest[:20] for a in manifest.live for digest in a.files.values()}
    problems = []
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        name = path.relative_to(release).as_posix()
        if ARTICLE_PAGE.match(name) and name not in urls:
            problems.append(f"trang {name} không có trong manifest")
        runs = {run[:20] for run in HASH_RUN.findall(name)}
        if name.startswith(f"{PHOTOS_DIR}/") and not runs & hashes:
            problems.append(f"ảnh {name} không thuộc bản đã duyệt nào")
    for url in sorted(urls):
        if not (release / url).is_file():
            problems.append(f"thiếu trang {url} của bài đã duyệt")
    return problems


def verify_release(release: Path, manifest: Manifest) -> None:
    problems = broken_references(release) + unapproved_files(release, manifest)
    if problems:
        more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
        raise BuildError(
            f"kiểm tra bản phát hành thất bại, trang đang đăng không thay đổi — {problems[0]}{more}"
        )
