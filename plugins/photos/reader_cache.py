"""The reader cache: a read article kept between builds, under a key made of everything it
was made from.

Pelican's own content cache is keyed by the file's path and checks only that
file, so it misses on a fresh staging folder and would keep stale figures
when only a photo changed. This key is the SHA-256 of the article's bytes,
of every photo file it names, of the reader's settings and of the code
that turns Markdown and photos into HTML; the entry holds the HTML, the raw
header (re-parsed on a hit, so metadata objects are always this build's),
the lead as converted, and the photos that were rendered with their sizes
(their bytes are in the key, so a hit needs no image probe). A corrupt or
unreadable entry is a miss.

Entries made by other code or other reader settings are never read again, and a
full set of them is written after every deploy (80 MB at 10,000 articles). So
each version (code and reader settings) keeps its entries in a folder of its
own, and only the KEEP_VERSIONS versions used last are kept (a deploy and the
ones before it: publish and preview may differ in settings, and a revert reads
nothing again); the others are renamed aside and deleted by a process of their
own, as old releases are.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import secrets
from dataclasses import dataclass
from pathlib import Path

from pipeline.build_inputs import installed_in_this_build
from pipeline.figures import Photo
from pipeline.files import delete_later, write_atomic

# The code whose change changes the HTML of a read article.
_CODE = [
    Path(__file__).with_name("photos.py"),
    Path(__file__),
    Path(__file__).resolve().parents[2] / "pipeline" / "figures.py",
    Path(__file__).resolve().parents[2] / "pipeline" / "renditions.py",
]
FORMAT = 2
KEEP_VERSIONS = 3
VERSION_LENGTH = 16  # hex digits of a version folder's name
PRUNED = ".pruned-"


@dataclass(frozen=True)
class CachedRead:
    content: str
    meta: dict[str, list[str]]  # the Markdown header as read, before Pelican's processing
    photos: list[Photo]  # in the order their figures were rendered
    formatted: dict[str, str]  # formatted header fields (the lead) as Markdown made them
    sizes: dict[str, tuple[int, int]]  # photo src -> pixel size, as its header said


def _code_digest() -> str:
    digest = hashlib.sha256(
        f"{FORMAT}\n{installed_in_this_build()}".encode()
    )  # Markdown's extensions too
    for path in _CODE:
        digest.update(path.read_bytes())
    return digest.hexdigest()


class ReaderCache:
    def __init__(self, folder: Path, settings, photo_settings) -> None:
        reader_settings = (
            repr(settings["MARKDOWN"]),
            settings["SITEURL"],
            repr(settings["FORMATTED_FIELDS"]),
            repr(photo_settings),
        )
        self.prefix = hashlib.sha256(
            (_code_digest() + "\n".join(reader_settings)).encode("utf-8")
        ).digest()
        self.root = folder  # figures about the cache go here, beside the versions
        self.folder = folder / self.prefix.hex()[:VERSION_LENGTH]
        _keep_recent_versions(folder, self.folder)

    def key(self, text: bytes, photos: dict[str, str]) -> str:
        """`photos`: path in the article folder -> SHA-256, for every photo file it names."""
        digest = hashlib.sha256(self.prefix)
        digest.update(hashlib.sha256(text).digest())
        for name, photo_hash in sorted(photos.items()):
            digest.update(f"\n{name}\t{photo_hash}".encode())
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def load(self, key: str) -> CachedRead | None:
        try:
            cached = pickle.loads(self._path(key).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None
        return cached if isinstance(cached, CachedRead) else None

    def store(self, key: str, entry: CachedRead) -> None:
        """Keep `entry`; a cache that cannot be written (its version folder pruned by another
        build meanwhile, a full disk) only means reading again next time."""
        try:
            write_atomic(self._path(key), pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass


def _keep_recent_versions(root: Path, current: Path) -> None:
    """`current` marked as used now; the folders of all but the KEEP_VERSIONS versions used
    last (and the entry folders of the flat layout of before) deleted in the background.
    A build that still reads a deleted version only misses, and writes its folder again."""
    try:
        current.mkdir(parents=True, exist_ok=True)
        os.utime(current)
        entries = list(os.scandir(root))
    except OSError:
        return  # the cache is an aid: a build never fails for it
    versions: list[tuple[int, str]] = []  # (last used, folder) of the other versions
    doomed: list[Path] = []
    for entry in entries:
        if entry.path == str(current):
            continue
        if entry.name.startswith(PRUNED):  # left by a deletion that was cut short
            doomed.append(Path(entry.path))
            continue
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue  # figures the build writes beside the entries
            if len(entry.name) == VERSION_LENGTH:
                versions.append((entry.stat().st_mtime_ns, entry.path))
            elif len(entry.name) == 2:  # entries as they were kept before versions
                doomed.append(Path(entry.path))
        except OSError:
            continue
    versions.sort(reverse=True)
    doomed += [Path(path) for _used, path in versions[KEEP_VERSIONS - 1 :]]
    moved = []
    for path in doomed:
        if path.name.startswith(PRUNED):
            moved.append(path)
            continue
        target = root / f"{PRUNED}{path.name}-{secrets.token_hex(3)}"
        try:
            os.replace(path, target)
        except OSError:
            continue
        moved.append(target)
    if moved:
        delete_later(moved)
