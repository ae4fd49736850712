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
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

import markdown
import pelican

from pipeline.figures import Photo
from pipeline.files import write_atomic

# The code whose change changes the HTML of a read article.
_CODE = [
    Path(__file__).with_name("photos.py"),
    Path(__file__),
    Path(__file__).resolve().parents[2] / "pipeline" / "figures.py",
    Path(__file__).resolve().parents[2] / "pipeline" / "renditions.py",
]
FORMAT = 2


@dataclass(frozen=True)
class CachedRead:
    content: str
    meta: dict[str, list[str]]  # the Markdown header as read, before Pelican's processing
    photos: list[Photo]  # in the order their figures were rendered
    formatted: dict[str, str]  # formatted header fields (the lead) as Markdown made them
    sizes: dict[str, tuple[int, int]]  # photo src -> pixel size, as its header said


def _code_digest() -> str:
    digest = hashlib.sha256(f"{FORMAT} {markdown.__version__} {pelican.__version__}".encode())
    for path in _CODE:
        digest.update(path.read_bytes())
    return digest.hexdigest()


class ReaderCache:
    def __init__(self, folder: Path, settings, photo_settings) -> None:
        self.folder = folder
        reader_settings = (
            repr(settings["MARKDOWN"]),
            settings["SITEURL"],
            repr(settings["FORMATTED_FIELDS"]),
            repr(photo_settings),
        )
        self.prefix = hashlib.sha256(
            (_code_digest() + "\n".join(reader_settings)).encode("utf-8")
        ).digest()

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
        write_atomic(self._path(key), pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
