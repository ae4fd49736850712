"""Verify a built release before it goes live: every internal reference resolves, and every
article page and photo in it comes from the manifest (so nothing unapproved is in it)."""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import zlib
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BuildError
from .faults import fault_point
from .manifest import Manifest
from .release_files import ReleaseFiles, describe
from .search import SEARCH_DIR

ARTICLE_PAGE = re.compile(r"^\d{4}/\d{2}/\d{2}/[^/]+/index\.html$")
HASH_RUN = re.compile(r"[0-9a-f]{20,}")
PHOTOS_DIR = "anh"
# Attribute names in any case, spelt out: faster than re.IGNORECASE over 10,000s of pages.
ATTRIBUTE = re.compile(
    r"""\s([hH][rR][eE][fF]|[sS][rR][cC](?:[sS][eE][tT])?|[pP][oO][sS][tT][eE][rR])"""
    r"""\s*=\s*(["'])(.*?)\2""",
    re.DOTALL,
)
PAGES_PER_WORKER = 500  # below this, forking costs more than it saves
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def _references(text: str) -> list[str]:
    """Internal references in one page, each once (a regex, not a parser: the release may
    hold 10,000s; its menus and lists repeat the same references on every page)."""
    found = []
    for name, _quote, value in dict.fromkeys(ATTRIBUTE.findall(text)):
        value = html.unescape(value)
        if name.lower() == "srcset":
            found += [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
        else:
            found.append(value)
    return [ref for ref in dict.fromkeys(found) if ref and not EXTERNAL.match(ref)]


def _target(page: str, reference: str) -> str:
    """The release-relative file a reference names (`…/` and folders mean their index.html)."""
    path = unquote(urlsplit(reference).path)
    base = "" if path.startswith("/") else posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    return "" if target == "." else target


def _from_root(reference: str) -> bool:
    """A site-root reference, the same from every page: not one that urlsplit reads as naming
    a host once it drops the tabs and line breaks in it (`/&#9;/host`)."""
    return (
        reference.startswith("/")
        and "\t" not in reference
        and "\n" not in reference
        and "\r" not in reference
    )


def _names_a_file(page: str, reference: str, files: frozenset[str]) -> bool:
    target = _target(page, reference)
    return target in files or posixpath.join(target, "index.html") in files


def _broken_in(release: Path, files: frozenset[str], pages: list[str]) -> dict[str, list[str]]:
    """page -> the references in it that name no file of `files`."""
    # A site-root reference (`/chu-de/…/`) names the same file from every page, and every
    # page repeats the menus' and lists' ones: each is resolved once.
    from_root: dict[str, bool] = {}
    found = {}
    for page in pages:
        unresolved = []
        for reference in _references((release / page).read_text("utf-8")):
            if _from_root(reference):
                exists = from_root.get(reference)
                if exists is None:
                    exists = from_root[reference] = _names_a_file(page, reference, files)
            else:
                exists = _names_a_file(page, reference, files)
            if not exists:
                unresolved.append(reference)
        if unresolved:
            found[page] = unresolved
    return found


def _problem(page: str, reference: str) -> str:
    return f"{page} trỏ tới {reference} không tồn tại"


def _forked(work, count: int) -> list:
    """`work(n)` for n in range(count), each in a forked process (which exits when done,
    even if this one is killed); results come back as JSON through a pipe."""
    children = []
    for number in range(count):
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reader)
            status = 0
            try:
                data = json.dumps(work(number)).encode("utf-8")
            except BaseException as error:
                data, status = json.dumps(f"{type(error).__name__}: {error}").encode(), 1
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(data)
            os._exit(status)
        os.close(writer)
        children.append((pid, reader))
    results = []
    for pid, reader in children:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(pid, 0)
        if status != 0:
            detail = json.loads(data) if data else f"mã {status}"
            raise BuildError(f"kiểm tra bản phát hành thất bại ({detail})")
        results.append(json.loads(data))
    return results


def broken_references(
    release: Path, files: ReleaseFiles | None = None, previous: frozenset[str] | None = None
) -> list[str]:
    """Every internal reference that resolves to no file, in page order; large releases are
    checked on every core. With `files` and the file names of the `previous` (verified)
    release, pages taken unchanged from it are not read again, unless a file went away."""
    return [_problem(page, ref) for page, ref in _unresolved(release, files, previous)]


def _unresolved(
    release: Path,
    files: ReleaseFiles | None = None,
    previous: frozenset[str] | None = None,
    workers: int | None = None,
) -> list[tuple[str, str]]:
    """(page, reference) for every reference that names no file of `files`, in page order."""
    files = files or describe(release)
    names = files.names()
    pages = sorted(name for name in names if name.endswith(".html"))
    if previous is not None:
        # Pages never name a file inside a year's search bundle (the search page's script
        # loads the bundles), so a bundle re-indexed under new names makes no page suspect.
        gone = [name for name in previous - names if not name.startswith(f"{SEARCH_DIR}/")]
        if not gone:
            pages = [page for page in pages if page not in files.reused]
    if workers is None:
        workers = min(os.cpu_count() or 1, max(1, len(pages) // PAGES_PER_WORKER))
    fault_point("verify")
    if workers <= 1:
        found = _broken_in(release, names, pages)
    else:
        shares = [pages[number::workers] for number in range(workers)]
        found = {}
        for part in _forked(lambda n: _broken_in(release, names, shares[n]), workers):
            found.update(part)
    return [(page, reference) for page in pages for reference in found.get(page, [])]


def unapproved_files(release: Path, manifest: Manifest, files: ReleaseFiles | None = None):
    """Article pages and photos that no manifest entry accounts for (a photo's path under
    anh/ must carry the first 20 hex digits of an approved file's SHA-256)."""
    names = (files or describe(release)).names()
    urls = {f"{a.url}index.html" for a in manifest.articles}
    hashes = {digest[:20] for a in manifest.live for digest in a.files.values()}
    problems = []
    for name in sorted(names):
        if ARTICLE_PAGE.match(name) and name not in urls:
            problems.append(f"trang {name} không có trong manifest")
        runs = {run[:20] for run in HASH_RUN.findall(name)}
        if name.startswith(f"{PHOTOS_DIR}/") and not runs & hashes:
            problems.append(f"ảnh {name} không thuộc bản đã duyệt nào")
    for url in sorted(urls):
        if url not in names:
            problems.append(f"thiếu trang {url} của bài đã duyệt")
    return problems


FRAGMENT = ".pf_fragment"
FRAGMENT_SIGNATURE = b"pagefind_dcd"  # what each decompressed Pagefind fragment starts with
GZIP_WBITS = (
    31  # zlib reads a gzip stream whole, in C (gzip.decompress parses its header in Python)
)


def unapproved_in_year(release: Path, manifest: Manifest, year: str) -> list[str]:
    """Search results of the year's bundle that name no live article, or an image that the
    release lacks (pages and photos are in place before the search index is made)."""
    live = {article.url for article in manifest.live}
    problems = []
    images: dict[str, bool] = {}  # image path -> in the release (photos shared by articles)
    folder = release / SEARCH_DIR / year / "fragment"
    with os.scandir(folder) if folder.is_dir() else nullcontext([]) as entries:
        names = sorted(entry.name for entry in entries if entry.name.endswith(FRAGMENT))
    for file_name in names:
        name = f"{SEARCH_DIR}/{year}/fragment/{file_name}"
        try:
            with open(folder / file_name, "rb") as file:
                data = zlib.decompress(file.read(), wbits=GZIP_WBITS)
            result = json.loads(data.removeprefix(FRAGMENT_SIGNATURE))
            url, image = result["url"], result.get("meta", {}).get("image", "")
        except (OSError, ValueError, TypeError, KeyError, AttributeError, zlib.error):
            problems.append(f"chỉ mục tìm kiếm {name} không đọc được")
            continue
        if not (isinstance(url, str) and url.lstrip("/") in live):
            problems.append(f"chỉ mục tìm kiếm {name} có trang {url} không phải bài đang đăng")
        elif image:
            path = urlsplit(str(image)).path
            if path not in images:
                images[path] = _in_release(release, path)
            if not images[path]:
                problems.append(
                    f"chỉ mục tìm kiếm {name} có ảnh {image} không có trong bản phát hành"
                )
    return problems


def _in_release(release: Path, path: str) -> bool:
    target = posixpath.normpath(path.lstrip("/"))
    return not target.startswith("..") and (release / target).is_file()


def unapproved_in_search(release: Path, manifest: Manifest) -> list[str]:
    """unapproved_in_year for every year's bundle."""
    folder = release / SEARCH_DIR
    years = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    return [problem for year in years for problem in unapproved_in_year(release, manifest, year)]


def verify_release(
    release: Path,
    manifest: Manifest,
    files: ReleaseFiles | None = None,
    previous: frozenset[str] | None = None,
) -> None:
    """Stop a release with a broken reference or an unaccounted page or photo. `files` and
    `previous` (see broken_references) let an incremental publish skip unchanged pages."""
    files = files or describe(release)
    _stop_for(
        broken_references(release, files, previous)
        + unapproved_files(release, manifest, files)
        + unapproved_in_search(release, manifest)
    )


def verify_beside(
    release: Path,
    manifest: Manifest,
    files: ReleaseFiles,
    previous: frozenset[str] | None,
    later: str,
) -> list[tuple[str, str]]:
    """`verify_release` while the release's top folder `later` (the search bundles) is still
    being written, on one core (the writing takes the others): `files` describes the rest.
    References into `later` are not judged here; they are returned, for `verify_later`."""
    waiting, problems = [], []
    for page, reference in _unresolved(release, files, previous, workers=1):
        if (_target(page, reference) + "/").startswith(f"{later}/"):
            waiting.append((page, reference))
        else:
            problems.append(_problem(page, reference))
    _stop_for(problems + unapproved_files(release, manifest, files))
    return waiting


def verify_later(
    release: Path,
    files: ReleaseFiles,
    waiting: list[tuple[str, str]],
    later: str,
    search: Sequence[str] = (),
) -> None:
    """The references `verify_beside` left, and those of any page inside `later`, against
    the whole release's `files`, and the `search` problems that unapproved_in_year found in
    each year indexed again (a year taken from the verified release is that year's bundle):
    together, what `verify_release` checks."""
    names = files.names()
    problems = [_problem(p, r) for p, r in waiting if not _names_a_file(p, r, names)]
    pages = sorted(n for n in names if n.startswith(f"{later}/") and n.endswith(".html"))
    found = _broken_in(release, names, pages)
    problems += [_problem(p, r) for p in pages for r in found.get(p, [])]
    _stop_for(problems + list(search))


def _stop_for(problems: list[str]) -> None:
    if problems:
        more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
        raise BuildError(
            f"kiểm tra bản phát hành thất bại, trang đang đăng không thay đổi — {problems[0]}{more}"
        )
