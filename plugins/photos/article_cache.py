"""Articles kept whole between builds: each article as it stands once every plugin has read it.

The reader cache (reader_cache.py) spares Markdown, but a build still parses
every article's header, registers its photos and runs every plugin's
per-article work (the manifest's dates, the section, sanitizing,
abbreviations, packing) on the whole archive: about 6 s of a one-article
publish at 10,000 articles. This cache keeps each article as it stands when
all are read (`article_generator_pretaxonomy`, before anything links articles
to one another), pickled, and gives it back through Pelican's own hook for
cached content (`get_cached_data`) while nothing it was made from changed.

An article's stamp covers: the build's code key (templates, plugins,
settings files, tool versions: `PHOTOS_ARTICLE_CACHE_BUILD`), this build's
settings (all but where the release goes and the publish time, which no
article is read by), the article's manifest entry (its approved files,
dates, corrections, featured flag) and the identity (device, inode, size,
mtime, ctime) of the article file and of each photo it registered. Objects
that every article shares (the settings, the context, photo plans) are
pickled by name and are this build's when loaded; the article's photos are
registered again, as its read would have. A build whose reading logged a
warning or an error stores nothing, so an article that made a problem is
read, and reports it, again. A lost or damaged entry is a miss.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import json
import logging
import os
import pickle
import sys
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator

from pipeline import heap
from pipeline.article_files import identity
from pipeline.build_inputs import installed_in_this_build
from pipeline.files import write_atomic, write_figures
from pipeline.manifest import read_manifest
from pipeline.renditions import Plan

from . import photos

FORMAT = 1
SHARED_TEXT = 40  # texts up to this length are loaded as one shared copy (sys.intern)
INDEX = "index.pickle"
STATS = "stats.json"  # how many articles the last build kept and read
# Settings that change with every release (or publish) and that no article is read by.
PER_RELEASE = frozenset(
    {
        "OUTPUT_PATH",
        "PHOTOS_CHECK_CACHE",
        "NEWSROOM_PUBLISH_TIME",
        "SITE_WRITER_KEYS",
        "SITE_WRITER_PREVIOUS",
        "SITE_WRITER_PREVIOUS_KEYS",
    }
)

_cache: ArticleCache | None = None
_writing: list[int] = []  # forked processes storing articles
atexit.register(lambda: wait())


class _Problems(logging.Handler):
    """Counts the warnings and errors logged while articles are read."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _settings_digest(settings: dict) -> bytes:
    """The code key, Python and every installed distribution (a kept article holds what they
    made: markup, dates, slugs), and the settings."""
    digest = hashlib.sha256(f"{FORMAT}\n{settings['PHOTOS_ARTICLE_CACHE_BUILD']}".encode())
    digest.update(installed_in_this_build().encode())
    for name in sorted(settings):
        if name in PER_RELEASE:
            continue
        try:
            text = json.dumps(settings[name], sort_keys=True)
        except (TypeError, ValueError):
            continue  # objects: newsroom.toml and the settings files are in the code key
        digest.update(f"\n{name}={text}".encode())
    return digest.digest()


class _Pickler(pickle.Pickler):
    def __init__(self, file, shared: dict[int, str], plans: dict[int, tuple]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared, self.plans = shared, plans

    def persistent_id(self, obj):
        if type(obj) is str and len(obj) <= SHARED_TEXT:
            return obj  # names, labels, formats: one copy for all articles once loaded
        name = self.shared.get(id(obj))
        if name is not None:
            return ("shared", name)
        if type(obj) is Plan:
            return ("plan", self.plans[id(obj)])
        return None


class _Loaded(dict):
    """What each persistent id stands for, in one build's loads: a shared text (one copy),
    a shared object or a photo plan. The unpickler asks it through `dict.__getitem__`, which
    runs in C: an article's 180 or so persistent ids (attribute names, module names, tags…)
    were as many calls of a Python method, half the time of taking an article back; now
    only an id not seen before in this build runs Python (`__missing__`)."""

    def __init__(self, shared: dict[str, object]) -> None:
        super().__init__((("shared", name), value) for name, value in shared.items())

    def __missing__(self, pid):
        if type(pid) is str:
            value = sys.intern(pid)
        elif isinstance(pid, tuple) and len(pid) == 2 and pid[0] == "plan":
            value = photos.plan_for(pid[1])
        else:
            raise pickle.UnpicklingError(f"unknown shared object {pid!r}")
        self[pid] = value
        return value


def _load(file, loaded: _Loaded):
    unpickler = pickle.Unpickler(file)
    unpickler.persistent_load = loaded.__getitem__
    return unpickler.load()


class ArticleCache:
    def __init__(self, generator: ArticlesGenerator, folder: Path) -> None:
        settings = generator.settings
        self.folder = folder
        self.content = generator.path
        manifest = read_manifest(Path(settings["NEWSROOM_MANIFEST"]))
        self.entries = {name: repr(entry).encode() for name, entry in manifest.by_source().items()}
        self.base = _settings_digest(settings)
        reader = self.reader = generator.readers.readers.get("md")
        self.shared: dict[str, object] = {
            "settings": settings,
            "context": generator.context,
            "reader settings": getattr(reader, "settings", settings),
        }
        self.index = self._load_index()
        self.loaded = _Loaded(self.shared)
        self.kept: dict[str, object] = {}  # name -> article given back whole
        # name -> (article Pelican read in this build, its stamp, the photo files it registered)
        self.read: dict[str, tuple] = {}
        self.problems = _Problems()
        logging.getLogger().addHandler(self.problems)

    # Loading --------------------------------------------------------------

    def _load_index(self) -> dict[str, tuple[str, list[str]]]:
        """name -> (stamp, the photo files it registered); lost or damaged: empty."""
        try:
            with open(self.folder / INDEX, "rb") as file:
                index = pickle.load(file)
        except Exception:  # lost, damaged or made by other code: every article is read
            return {}
        if not (isinstance(index, dict) and index.get("format") == FORMAT):
            return {}
        articles = index.get("articles")
        return articles if isinstance(articles, dict) else {}

    def stamp(self, name: str, photo_files: list[str]) -> str | None:
        entry = self.entries.get(name)
        if entry is None:
            return None  # not in the manifest: the approval gate stops the build
        digest = hashlib.sha256(self.base)
        digest.update(f"\n{name}\n".encode() + entry)
        try:
            for path in [os.path.join(self.content, name), *photo_files]:
                digest.update(f"\n{path}={identity(os.stat(path))}".encode())
        except OSError:
            return None
        return digest.hexdigest()

    def _entry_path(self, stamp: str) -> Path:
        return self.folder / stamp[:2] / f"{stamp}.pickle"

    def get(self, name: str, default=None):
        """Pelican's `get_cached_data`: the article kept whole, when its stamp still holds."""
        if name in self.kept:
            return self.kept[name]
        try:
            stamp, photo_files = self.index[name]
            if self.stamp(name, photo_files) != stamp:
                return default
            with open(self._entry_path(stamp), "rb") as file:
                registered, article = _load(file, self.loaded)
            if not isinstance(article, Article):
                return default
            photos.register_photos(article.source_path, registered)
        except Exception:  # not kept, lost, damaged or made by other code: read it again
            return default
        self.kept[name] = article
        return article

    def put(self, name: str, article) -> None:
        """Pelican's `cache_data`: an article just read, stamped with the identity its files
        have now (the photos it registered are the reader's of this read)."""
        renderer = getattr(self.reader, "renderer", None)  # None: not our reader, not kept
        registered = renderer.photos if renderer is not None else []
        photo_files = sorted({str(entry.path) for _photo, entry in registered})
        stamp = self.stamp(name, photo_files) if renderer is not None else None
        self.read[name] = (article, stamp, photo_files)

    # Storing ---------------------------------------------------------------

    def store(self) -> None:
        """Once every article is read: keep each one read in this build, and forget the ones
        no longer in it, in a forked process while the build goes on (the fork sees the
        articles exactly as they are now). Nothing is kept when reading logged a problem."""
        logging.getLogger().removeHandler(self.problems)
        write_figures(self.folder / STATS, {"kept": len(self.kept), "read": len(self.read)})
        kept, read, before = self.kept, self.read, self.index
        self.kept, self.read, self.index = {}, {}, {}  # the build goes on without them
        if self.problems.count or (not read and set(kept) == set(before)):
            return
        registered = photos.registrations()
        index = {name: before[name] for name in kept}
        fresh = []
        for name, (article, stamp, photo_files) in read.items():
            mine = registered.get(article.source_path, [])
            if stamp is not None and photo_files == sorted({path for path, *_rest in mine}):
                index[name] = (stamp, photo_files)
                fresh.append((name, stamp, mine, article))
        self.entries = {}
        heap.settle()
        try:
            pid = os.fork()
        except OSError:
            return  # kept next time; this build goes on
        if pid:
            _writing.append(pid)
            return
        try:  # the child: write, and leave without cleanup
            logging.disable(logging.CRITICAL)
            self._write_entries(index, fresh)
        finally:
            os._exit(0)

    def _write_entries(self, index: dict, fresh: list) -> None:
        shared = {id(obj): name for name, obj in self.shared.items()}
        plans = {id(plan): planned for planned, plan in photos.planned().items()}
        for name, stamp, registered, article in fresh:
            buffer = io.BytesIO()
            try:
                _Pickler(buffer, shared, plans).dump((registered, article))
            except Exception:  # a value that cannot be kept: the article is read next time
                del index[name]
                continue
            write_atomic(self._entry_path(stamp), buffer.getvalue())
        write_atomic(self.folder / INDEX, pickle.dumps({"format": FORMAT, "articles": index}))
        self._prune({stamp for stamp, _files in index.values()})

    def _prune(self, stamps: set[str]) -> None:
        for folder in self.folder.iterdir():
            if not folder.is_dir():
                if folder.name.endswith(".tmp"):  # a write that was cut short
                    folder.unlink(missing_ok=True)
                continue
            for entry in folder.iterdir():
                if entry.name.removesuffix(".pickle") not in stamps:
                    entry.unlink(missing_ok=True)


def start(generator) -> None:
    """`generator_init`: the articles generator asks this cache for each article first."""
    global _cache
    if not isinstance(generator, ArticlesGenerator):
        return
    if _cache is not None:  # an earlier build in this process that stopped while reading
        logging.getLogger().removeHandler(_cache.problems)
    _cache = None
    settings = generator.settings
    folder = settings.get("PHOTOS_ARTICLE_CACHE_PATH")
    if not (
        photos._state.settings is not None  # the photos plugin's settings are good
        and folder
        and settings.get("PHOTOS_ARTICLE_CACHE_BUILD")
        and settings.get("NEWSROOM_MANIFEST")
    ):
        return
    _cache = ArticleCache(generator, Path(folder))
    generator.get_cached_data = _cache.get
    generator.cache_data = _cache.put
    # Connected now that every plugin has registered, so that it runs after their
    # pretaxonomy work on articles (slugs, packing).
    signals.article_generator_pretaxonomy.connect(store)
    signals.finalized.connect(wait)


def wait(_pelican=None) -> None:
    """`finalized` (and the end of a process whose build stopped half-way): the build ends
    once its articles are stored."""
    while _writing:
        try:
            os.waitpid(_writing.pop(), 0)
        except ChildProcessError:
            pass


def store(generator) -> None:
    """`article_generator_pretaxonomy`: every article is read, none is linked to another yet."""
    global _cache
    if _cache is not None:
        cache, _cache = _cache, None
        cache.store()
