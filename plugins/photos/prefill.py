"""Reading on every core: articles missing from the reader cache are read ahead, in forked
processes, before Pelican reads them one by one.

Pelican reads articles in one process. Before it starts, the articles whose
reader-cache entry is missing are shared out between `PHOTOS_READ_WORKERS`
forked processes (0: one per core), which read them with the same reader
and settings and store the entries; Pelican's own read then finds every
entry, so Markdown runs on every core. A process that fails on an article
leaves its entry missing and says nothing: the build's own read reports the
problem, exactly as without read-ahead.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

STATS = "read-ahead.json"  # in the reader cache: how many articles the last build read ahead


def _reader(generator):
    """The build's Markdown reader, when it is ours (with a reader cache)."""
    reader = generator.readers.readers.get("md")
    if not hasattr(reader, "is_cached") or reader.cache is None:
        return None
    return reader


def _missing(generator, reader) -> list[str]:
    names = generator.get_files(
        generator.settings["ARTICLE_PATHS"], exclude=generator.settings["ARTICLE_EXCLUDES"]
    )
    return [
        os.path.join(generator.path, name)
        for name in names
        if name.endswith(".md")
        and generator.get_cached_data(name) is None  # kept whole (article_cache.py)
        and not reader.is_cached(os.path.join(generator.path, name))
    ]


def _read_share(reader, paths: list[str]) -> None:
    """In a forked process: read and store each article, then leave without cleanup."""
    logging.disable(logging.CRITICAL)
    for path in paths:
        try:
            reader.read(path)
        except BaseException:  # the build's own read reports it
            pass
    os._exit(0)


def _walk_once(generator) -> None:
    """The articles generator walks its folders once per set of arguments: this module,
    Pelican's check for disabled readers and its reading each walk the 10,000 article
    folders otherwise (the content does not change during a build; the gate checks it)."""
    walk = generator.get_files
    walks: dict[tuple, set[str]] = {}

    def get_files(paths, exclude=None, extensions=None) -> set[str]:
        key = (repr(paths), repr(exclude), repr(extensions))
        if key not in walks:
            walks[key] = walk(paths, exclude=exclude, extensions=extensions)
        return set(walks[key])

    generator.get_files = get_files


def read_ahead(generator) -> None:
    """`article_generator_init`: fill the reader cache on every core, before any read."""
    _walk_once(generator)
    reader = _reader(generator)
    if reader is None:
        return
    missing = _missing(generator, reader)
    workers = min(generator.settings.get("PHOTOS_READ_WORKERS") or os.cpu_count() or 1, 64)
    minimum = generator.settings.get("PHOTOS_READ_AHEAD_MINIMUM", 16)
    if len(missing) < max(minimum, 1) or workers <= 1:
        missing, workers = [], 0
    _record(reader, len(missing), workers)
    if not missing:
        return
    children = []
    for number in range(workers):
        pid = os.fork()
        if pid == 0:
            _read_share(reader, missing[number::workers])
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)


def _record(reader, articles: int, workers: int) -> None:
    folder = Path(reader.cache.folder)
    folder.mkdir(parents=True, exist_ok=True)
    stats = {"articles": articles, "workers": workers}
    (folder / STATS).write_text(json.dumps(stats), "utf-8")
