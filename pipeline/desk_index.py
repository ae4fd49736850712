"""The site's articles at a glance, kept between desk commands.

`check`, `submit` and `approve` look at every article (a slug is unique across
the site), `new` and `import` at every slug in use, and `status` and `queue`
at every article's title and working revision. On a site of 10,000 articles,
parsing every `index.md` and hashing every photo cost each of these commands
one to two seconds. This index keeps, for each `index.md`, what those commands
use (its slug, title, authors and the local files it uses) and, for each file,
its SHA-256, under the file's identity (device, inode, size, mtime and ctime,
which every write changes); a file whose identity differs is read again.

The CLI keeps the index in `.cache/desk/` of the project between commands
(`kept_in`), saved by each command that succeeds (one that fails writes
nothing); elsewhere it lives as long as the process. An entry is kept for
the next command only when its file had not changed for two seconds when it
was read, because a second write within the same clock tick could leave the
identity as it was (pipeline.article_files does the same for folders). A lost,
damaged or foreign index file only makes the next command read everything
again. Approving and submitting still hash the article's own files from their
bytes: the index only spares reading the rest of the site.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from .article import Article, article_slug, read_article
from .article_files import Identity, identity, index_files, settled
from .errors import ArticleError
from .files import write_atomic
from .revisions import referenced, revision_files, revision_hash

FORMAT = 1
FOLDER = Path(".cache") / "desk"  # in the project, beside the build cache
INDEX_FILE = "articles.json"


@dataclass(frozen=True)
class Glance:
    """What whole-site desk commands need of one article."""

    path: str  # its index.md
    slug: str  # its URL slug (article_slug)
    title: str
    authors: tuple[str, ...]
    uses: tuple[tuple[str, int], ...]  # local files it uses, with the line naming each

    @property
    def folder(self) -> Path:
        return Path(self.path).parent

    @classmethod
    def of(cls, article: Article, path: str | None = None) -> Glance:
        return cls(
            path or os.fspath(article.path),
            article_slug(article),
            article.title,
            tuple(article.authors),
            tuple((src, line) for src, line in referenced(article)),
        )


Unreadable = list[tuple[Path, ArticleError]]
Kept = tuple[Identity, object, bool]  # identity read at, what was read, whether to keep it


class DeskIndex:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.glances: dict[str, Kept] = {}  # index.md -> its Glance
        self.hashes: dict[str, Kept] = {}  # file -> its SHA-256
        self.changed = False
        self._kept: dict[str, dict] | None = None if folder is not None else {}

    # Reading -------------------------------------------------------------------

    def glance(self, path: str | Path) -> Glance:
        """The article at `path` (an index.md), read again only when its file changed;
        ArticleError as `read_article` raises it."""
        key = os.fspath(path)
        try:
            stat = os.stat(key)
        except OSError:
            read_article(key)  # the one-line error for a missing or unreadable file
            raise ArticleError("không đọc được tệp bài viết; hãy chạy lại lệnh", key) from None
        if not S_ISREG(stat.st_mode):  # a pipe would never end, a device never be text
            raise ArticleError("không phải tệp thường; hãy thay bằng tệp index.md", key)
        found = self._known(self.glances, "glances", key, identity(stat), _glance)
        if found is None:
            found = Glance.of(read_article(key), key)
            self.glances[key] = (identity(stat), found, settled(stat))
            self.changed = True
        return found

    def file_hash(self, path: str) -> str:
        """The SHA-256 of the regular file at `path`, hashed again only when it changed;
        OSError (or ValueError, for a name no file can have) for anything else: a folder, a
        device or a pipe is not read."""
        stat = os.stat(path)
        if not S_ISREG(stat.st_mode):
            raise OSError(f"not a regular file: {path}")
        found = self._known(self.hashes, "hashes", path, identity(stat), _digest)
        if found is not None:
            return found
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(handle, "rb") as file:
            stat = os.fstat(handle)
            if not S_ISREG(stat.st_mode):  # replaced since
                raise OSError(path)
            found = hashlib.file_digest(file, "sha256").hexdigest()
        self.hashes[path] = (identity(stat), found, settled(stat))
        self.changed = True
        return found

    def working_revision(self, glance: Glance) -> str:
        """The revision hash of the article's working copy, as `read_revision` gives it (the
        same files: `revisions.revision_files`); ArticleError for a missing photo."""
        hashes = {}
        for name, path in revision_files(Path(glance.path), glance.uses).items():
            try:
                hashes[name] = self.file_hash(os.fspath(path))
            except (OSError, ValueError):  # gone or replaced since it was looked at
                raise ArticleError(
                    f"không đọc được {name}; hãy chạy lại lệnh", glance.path
                ) from None
        return revision_hash(hashes)

    def articles(self, content: Path) -> tuple[list[Glance], Unreadable]:
        """Every article under content/, and each `index.md` that cannot be read with its
        error (as `resolver.read_articles`)."""
        found: list[Glance] = []
        unreadable: Unreadable = []
        for path in index_files(str(content / "articles")):
            try:
                found.append(self.glance(path))
            except ArticleError as error:
                unreadable.append((Path(path), error))
        return found, unreadable

    def _known(self, table: dict, name: str, key: str, now: Identity, make):
        """What `table` holds for `key` read at identity `now`, taken from the kept index
        when this process has not read it yet; None when it must be read."""
        known = table.get(key)
        if known is None:
            raw = self._load().get(name, {}).get(key)
            try:
                known = (_identity(raw[0]), make(key, raw[1]), True) if raw is not None else None
            except Exception:  # damaged, or made by other code: read again
                known = None
            if known is not None:
                table[key] = known
        return known[1] if known is not None and known[0] == now else None

    # Keeping -------------------------------------------------------------------

    def _load(self) -> dict[str, dict]:
        if self._kept is None:
            self._kept = {}
            assert self.folder is not None
            try:
                kept = json.loads((self.folder / INDEX_FILE).read_bytes())
                if kept["format"] == FORMAT:
                    self._kept = {"glances": dict(kept["glances"]), "hashes": dict(kept["hashes"])}
            except Exception:  # lost, damaged or made by other code: everything is read again
                pass
        return self._kept

    def save(self) -> None:
        """Keep what was read for the next command (files settled when read only), with what
        the index held of files this process did not look at and that are still there."""
        if self.folder is None or not self.changed:
            return
        kept = {"format": FORMAT}
        for name, table, packed in (
            ("glances", self.glances, lambda g: [g.slug, g.title, g.authors, g.uses]),
            ("hashes", self.hashes, lambda digest: digest),
        ):
            entries = {
                key: raw
                for key, raw in self._load().get(name, {}).items()
                if key not in table and os.path.exists(key)
            }
            for key, (ident, value, trusted) in table.items():
                if trusted:
                    entries[key] = [ident, packed(value)]
            kept[name] = entries
        try:  # names that are not UTF-8 are kept as \udcXX escapes
            data = json.dumps(kept).encode("ascii")
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.folder / INDEX_FILE, data)
        except (OSError, ValueError, TypeError):
            return  # a read-only checkout: the next command reads everything again
        self.changed = False


def _glance(key: str, raw) -> Glance:
    slug, title, authors, uses = raw
    glance = Glance(key, slug, title, tuple(authors), tuple((src, line) for src, line in uses))
    texts = (glance.slug, glance.title, *glance.authors, *(src for src, _line in glance.uses))
    if not all(type(text) is str for text in texts) or any(
        type(line) is not int for _src, line in glance.uses
    ):
        raise TypeError("not a glance")
    return glance


def _identity(raw) -> Identity:
    if not (type(raw) is list and len(raw) == 5 and all(type(part) is int for part in raw)):
        raise TypeError("not an identity")
    return tuple(raw)  # type: ignore[return-value]


def _digest(_key: str, raw) -> str:
    if type(raw) is not str:
        raise TypeError("not a digest")
    return raw


_current = DeskIndex()


def current() -> DeskIndex:
    """This process's index (kept between commands inside `kept_in`)."""
    return _current


@contextmanager
def kept_in(folder: Path) -> Iterator[DeskIndex]:
    """The index kept in `folder`, for the length of one command; the command saves it when it
    succeeds (one that fails leaves nothing behind, the index included)."""
    global _current
    before, _current = _current, DeskIndex(folder)
    try:
        yield _current
    finally:
        _current = before
