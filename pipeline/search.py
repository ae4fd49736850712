"""The search index: Pagefind, one index per year of articles, merged in the browser.

Pagefind is not incremental, so each year gets its own bundle under
`pagefind/<year>/`; the search page loads the newest and merges the rest.
A publish re-indexes only the years whose indexed text changed: a year whose
pages have the same paths and the same indexed part as in the previous
release (the `data-pagefind-body` element, every `data-pagefind-*` tag and
the page language: all that Pagefind reads), indexed by the same Pagefind
version, gets the previous bundle by hard links. The rest of a page (the
"latest news" block of every page) may change without a re-index. Only pages marked
`data-pagefind-body` (published articles) are indexed.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from . import processes
from .errors import BuildError
from .release_files import walk

SEARCH_DIR = "pagefind"
YEARS_FILE = "years.json"
YEAR_DIR = re.compile(r"^\d{4}$")


def article_years(site: Path) -> list[str]:
    """The years that have published articles in a built site, newest first. A year whose
    article pages are all withdrawal notices (no `data-pagefind-body`) has none: Pagefind
    would index those pages whole, and name the withdrawn URLs in search."""
    return sorted(
        (
            p.name
            for p in site.iterdir()
            if p.is_dir() and YEAR_DIR.match(p.name) and _has_published(site, p.name)
        ),
        reverse=True,
    )


def _has_published(site: Path, year: str) -> bool:
    for page in (site / year).glob(ARTICLE_PAGES):
        with open(page, encoding="utf-8") as file:
            if BODY_ATTRIBUTE in file.read():
                return True
    return False


def _run_pagefind(site: Path, glob: str, output_subdir: str) -> None:
    command = [
        sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob,
        "--output-subdir", output_subdir, "--force-language", "vi", "--silent",
    ]  # fmt: skip
    result = processes.run(command, "search")
    if result.returncode != 0:
        detail = (result.stderr.strip() or result.stdout.strip() or "?").splitlines()[-1]
        raise BuildError(f"lập chỉ mục tìm kiếm thất bại ({detail})", site)


def _files(top: Path, suffix: str = "") -> list[str]:
    """The files under `top` whose names end with `suffix`, as sorted paths relative to it."""
    found = []
    for folder, _dirs, names in os.walk(top):
        relative = os.path.relpath(folder, top)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found += [prefix + name for name in names if name.endswith(suffix)]
    return sorted(found)


def _pages(site: Path, year: str) -> list[str]:
    return [f"{year}/{page}" for page in _files(site / year, ".html")]


# Article pages are <year>/<month>/<day>/<slug>/index.html (pipeline.manifest.article_url);
# only they carry `data-pagefind-body`. Pagefind is given only those paths: the day, month
# and year lists it would read and skip are about a fifth of a year's pages.
ARTICLE_PAGES = "*/*/*/index.html"
BODY_ATTRIBUTE = "data-pagefind-body"
TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
PAGEFIND_ATTRIBUTE = "data-pagefind-"
LANG = re.compile(r"<html\b[^>]*>")


def _tagged(html: str) -> list[str]:
    """Every tag that carries a data-pagefind-* attribute (found by string search: fast)."""
    found = []
    at = html.find(PAGEFIND_ATTRIBUTE)
    while at != -1:
        start, end = html.rfind("<", 0, at), html.find(">", at)
        found.append(html[start : end + 1])
        at = html.find(PAGEFIND_ATTRIBUTE, end)
    return found


def indexed_part(html: str) -> tuple[str, ...]:
    """What Pagefind reads of a page: its language, its tagged attributes, and the body
    element up to its matching end tag (nested elements of the same name counted)."""
    tags = (*_tagged(html), *LANG.findall(html)[:1])
    at = html.find(BODY_ATTRIBUTE)
    start = html.rfind("<", 0, at)
    name = TAG_NAME.match(html, start) if at != -1 else None
    if name is None:
        return tags
    either = re.compile(rf"<(/?){name.group(1)}\b[^>]*>", re.IGNORECASE)
    depth = 0
    for match in either.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return (*tags, html[start : match.end()])
    return (*tags, html[start:])


def _same_pages(site: Path, previous: Path, year: str, listed: dict | None = None) -> bool:
    """Whether the year's pages in `site` are those of `previous` with the same indexed part.
    With `listed` (the previous release's file list, pipeline/release_files.py), the previous
    release is not walked: a page whose inode is the listed one is a hard link to it."""
    if listed is None:
        pages = _pages(site, year)
        if not (previous / year).is_dir() or pages != _pages(previous, year):
            return False
        linked = {p for p in pages if os.path.samefile(site / p, previous / p)}
    else:
        inodes = _page_inodes(site, year)
        pages = sorted(inodes)
        before = {
            name: entry[0]
            for name, entry in listed.items()
            if name.startswith(f"{year}/") and name.endswith(".html") and entry[0] != "L"
        }
        if pages != sorted(before):
            return False
        linked = {p for p in pages if inodes[p] == before[p]}
    try:
        return all(
            p in linked  # a hard link to the same file
            or indexed_part((site / p).read_text("utf-8"))
            == indexed_part((previous / p).read_text("utf-8"))
            for p in pages
        )
    except OSError:  # a page gone from the previous release: index the year again
        return False


def _page_inodes(site: Path, year: str) -> dict[str, int]:
    """page -> inode for the year's pages, from the folder listings alone (no `stat`)."""
    return {name: entry.inode() for name, entry in walk(site, year) if name.endswith(".html")}


def _bundle_version(bundle: Path) -> str | None:
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return entry.get("version") if isinstance(entry, dict) else None


def _link_tree(source: Path, target: Path, copy: bool = False) -> None:
    for name in _files(source):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if copy:
            shutil.copyfile(source / name, destination)
        else:
            os.link(source / name, destination)


def _reuse_test(site: Path, previous: Path | None, listed: dict | None) -> Callable[[str], bool]:
    """Whether a year's previous bundle is exactly what indexing it again would give
    (`listed`: see _same_pages)."""
    if previous is None or not previous.is_dir():
        return lambda year: False
    if listed is not None and os.stat(site).st_dev != os.stat(previous).st_dev:
        listed = None  # inodes name the same file only on one file system
    version = importlib.metadata.version("pagefind")
    return lambda year: (
        _bundle_version(previous / SEARCH_DIR / year) == version
        and _same_pages(site, previous, year, listed)
    )


def index_changed(
    site: Path,
    previous: Path | None,
    listed: dict | None = None,
    copy: bool = False,
    after: Callable[[str], object] | None = None,
    likely: Collection[str] = (),
) -> list[str]:
    """Index only the years that changed since `previous` (a release, whose file list is
    `listed` when known); link the others' bundles from it (or copy them, with `copy`: a
    site that may be written in place never shares a file with a release). Each year's
    Pagefind starts as soon as that year is found changed, the `likely` ones (those the
    publish changed articles of) looked at first. `after(year)` runs once each year is
    indexed, beside the others' indexing. Returns the years indexed."""
    same = _reuse_test(site, previous, listed)
    years = article_years(site)
    reused: list[str] = []
    changed: list[str] = []

    def to_index() -> Iterator[str]:
        for year in sorted(years, key=lambda year: year not in likely):
            if same(year):
                reused.append(year)
            else:
                changed.append(year)
                yield year

    def link_reused() -> None:  # while Pagefind indexes the changed ones
        for year in reused:
            assert previous is not None
            _link_tree(previous / SEARCH_DIR / year, site / SEARCH_DIR / year, copy)

    index_site(site, to_index(), after, beside=link_reused, all_years=years)
    return changed


def index_site(
    site: Path,
    years: Iterable[str] | None = None,
    after: Callable[[str], object] | None = None,
    beside: Callable[[], object] | None = None,
    all_years: list[str] | None = None,
) -> list[str]:
    """Index the articles of `years` (default: every year) into `pagefind/<year>/`, each
    year's Pagefind started as `years` gives it, run `beside()` once all are started, and
    run `after(year)` once each is indexed, on a thread of its own: the next year's
    Pagefind starts at once. `all_years`: article_years(site), when known."""
    all_years = article_years(site) if all_years is None else all_years
    wanted = years if years is not None else all_years
    with ThreadPoolExecutor(max_workers=1) as checking:

        def index(year: str) -> Future | None:
            _run_pagefind(site, f"{year}/{ARTICLE_PAGES}", f"{SEARCH_DIR}/{year}")
            return checking.submit(after, year) if after is not None else None

        # One Pagefind per year, as many at once as there are cores (each is one process).
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            runs = [pool.submit(index, year) for year in wanted]
            if beside is not None:
                beside()
            checks = [run.result() for run in runs]  # the first failure, in year order
        for check in checks:
            if check is not None:
                check.result()
    (site / SEARCH_DIR).mkdir(exist_ok=True)
    (site / SEARCH_DIR / YEARS_FILE).write_text(json.dumps(all_years), "utf-8")
    return all_years
