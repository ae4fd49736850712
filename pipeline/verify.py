"""Verify a built release before it goes live: every internal reference resolves, and every
article page and photo in it comes from the manifest (so nothing unapproved is in it)."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BuildError
from .faults import fault_point
from .manifest import Manifest

ARTICLE_PAGE = re.compile(r"^\d{4}/\d{2}/\d{2}/[^/]+/index\.html$")
HASH_RUN = re.compile(r"[0-9a-f]{20,}")
PHOTOS_DIR = "anh"
ATTRIBUTE = re.compile(
    r"""\s(href|src|srcset|poster)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL
)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def _references(text: str) -> list[str]:
    """Internal references in one page (a regex, not a parser: the release may hold 10,000s)."""
    found = []
    for match in ATTRIBUTE.finditer(text):
        name, value = match.group(1).lower(), html.unescape(match.group(3))
        if name == "srcset":
            found += [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
        else:
            found.append(value)
    return [ref for ref in found if ref and not EXTERNAL.match(ref)]


def _target(page: str, reference: str) -> str:
    """The release-relative file a reference names (`…/` and folders mean their index.html)."""
    path = unquote(urlsplit(reference).path)
    base = "" if path.startswith("/") else posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    return "" if target == "." else target


def broken_references(release: Path) -> list[str]:
    files = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    pages = sorted(name for name in files if name.endswith(".html"))
    problems = []
    for number, page in enumerate(pages):
        if number == len(pages) // 2:
            fault_point("verify")
        for reference in _references((release / page).read_text("utf-8")):
            target = _target(page, reference)
            if target not in files and posixpath.join(target, "index.html") not in files:
                problems.append(f"{page} trỏ tới {reference} không tồn tại")
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
