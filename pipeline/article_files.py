"""Finding every article's `index.md`, and reading each one once per process.

`submit` and `approve` check one article against the whole site (a slug is unique
site-wide), so on a site of 10,000 articles the whole tree is looked at before every
action. `pathlib`'s glob and a `resolve()` per file cost half a second per action at that
size; here the folder is walked with `os.scandir`, and what a folder lists and what an
`index.md` says are kept per process and reused while their stat identity is unchanged,
so an action costs about two `stat` calls per article.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from .article import INDEX_NAME, Article, article_slug, read_article

Identity = tuple[int, int, int, int, int]

# A folder's size does not change when an entry is added, and timestamps are coarse (a
# clock tick; whole seconds on some filesystems): a folder that changed shortly before we
# listed it could change again without its identity changing, so that listing is not kept.
SETTLE_NS = 2_000_000_000


def identity(stat: os.stat_result) -> Identity:
    """What changes when a file is replaced or written: device, inode, size, mtime, ctime."""
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


# What a walk needs from a folder, sorted by name: (path, is an index.md, is a folder to walk
# into, is a link). Other files are left out.
Item = tuple[str, bool, bool, bool]
# Folder -> its identity when listed, and its items.
_listings: dict[str, tuple[Identity, list[Item]]] = {}


def _items(folder: str) -> list[Item]:
    try:
        stat = os.stat(folder)  # before listing: a change after it shows as a new identity
    except OSError:
        _listings.pop(folder, None)
        return []
    known = _listings.get(folder)
    if known is not None and known[0] == identity(stat):
        return known[1]
    looked = time.time_ns()
    prefix = folder if folder.endswith(os.sep) else folder + os.sep
    items: list[Item] = []
    try:
        with os.scandir(folder) as scan:
            for entry in scan:
                try:
                    is_folder = entry.is_dir(follow_symlinks=False)
                    if entry.name == INDEX_NAME or is_folder:
                        items.append(
                            (
                                prefix + entry.name,
                                entry.name == INDEX_NAME,
                                is_folder,
                                entry.is_symlink(),
                            )
                        )
                except OSError:  # gone meanwhile
                    continue
    except OSError:  # not a folder, gone or unreadable: nothing in it, as for glob
        _listings.pop(folder, None)
        return []
    items.sort()
    if settled(stat, looked):
        _listings[folder] = (identity(stat), items)
    else:
        _listings.pop(folder, None)
    return items


def index_files(folder: str, resolve_links: bool = False) -> list[str]:
    """Every `index.md` under `folder`, at any depth, as `sorted(Path(folder).glob("**/index.md"))`
    finds them: in the same order, links to folders not followed, a link named `index.md`
    counted when its target exists (and given as its target's real path if `resolve_links`;
    nothing else needs resolving when `folder` is already a real path)."""
    found: list[str] = []
    _walk(folder, found, resolve_links)
    return found


def _walk(folder: str, found: list[str], resolve_links: bool) -> None:
    # Names sorted in each folder, depth first: the order of sorted paths, part by part.
    for path, is_index, is_folder, is_link in _items(folder):
        if is_index:
            if not is_link:
                found.append(path)
            elif os.path.exists(path):
                found.append(os.path.realpath(path) if resolve_links else path)
        if is_folder:
            _walk(path, found, resolve_links)


def iter_article_paths(content: Path) -> list[Path]:
    """Every `index.md` under `content/articles`, in a stable order."""
    return [Path(path) for path in index_files(str(content / "articles"))]


def articles_root(content: Path) -> str:
    """`content/articles` as a real path, resolved once for a whole walk."""
    return str((content / "articles").resolve())


# Articles already parsed in this process, by path, with the file identity they were read at
# and their slug: a process that checks one article after another (bulk approval, a
# long-running desk) parses each unchanged file once, instead of the whole site per check.
# Callers must not change these articles.
_parsed: dict[str, tuple[Identity, Article, str]] = {}


def read_once(path: str) -> Article:
    """The article at `path`, parsed again only when its file changed since the last read."""
    return read_with_slug(path)[0]


def read_with_slug(path: str) -> tuple[Article, str]:
    """`read_once`, with the article's slug (see `article_slug`)."""
    try:
        stat = os.stat(path)
    except OSError:
        article = read_article(path)  # reports the unreadable file as the one-line error
        return article, article_slug(article)
    known = _parsed.get(path)
    if known is not None and known[0] == identity(stat):
        return known[1], known[2]
    article = read_article(path)
    slug = article_slug(article)
    _parsed[path] = (identity(stat), article, slug)
    return article, slug


FolderState = dict[str, tuple[bool, Identity | None]]


def folder_state(folder: Path) -> FolderState:
    """Every file and folder under `folder` (relative name -> is a link, identity of what it
    points to): what the checks of the article in `folder` looked at besides its text."""
    state: FolderState = {}
    _state(str(folder), "", state)
    return state


def _state(folder: str, prefix: str, state: FolderState) -> None:
    try:
        with os.scandir(folder) as entries:
            scan = list(entries)
    except OSError:
        return
    for entry in scan:
        try:
            found: Identity | None = identity(entry.stat())
        except OSError:  # a dangling link, or gone meanwhile
            found = None
        state[prefix + entry.name] = (entry.is_symlink(), found)
        if entry.is_dir(follow_symlinks=False):
            _state(entry.path, f"{prefix}{entry.name}/", state)


def file_identity(path: Path) -> Identity | None:
    try:
        return identity(path.stat())
    except OSError:
        return None


def settled(stat: os.stat_result, looked: int | None = None) -> bool:
    """Whether a file was last changed over SETTLE_NS before `looked` (now): a second write in
    the same clock tick could leave its identity as it was, so only then may it be trusted."""
    moment = time.time_ns() if looked is None else looked
    return max(stat.st_mtime_ns, stat.st_ctime_ns) < moment - SETTLE_NS
