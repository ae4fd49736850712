"""Reading on every core: articles that Pelican would read are read ahead, in forked
processes, while Pelican reads them one by one.

Pelican reads articles in one process. Once the build knows which articles it
must read (those not kept whole by article_cache.py), they are shared out
between `PHOTOS_READ_WORKERS` forked processes (0: one per core) in the order
Pelican will ask for them; each reads its share with the same reader and
settings and stores the reader-cache entries (skipping those already there),
and says after each article that it is done. Pelican goes on at once, and
before it reads an article waits only until the process that has it is past
it, so the Markdown of later articles runs on the other cores while Pelican
builds its objects from earlier ones. A process that fails on an article leaves
its entry missing and says nothing: the build's own read reports the problem,
exactly as without read-ahead.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pipeline import heap
from pipeline.files import write_figures

STATS = "read-ahead.json"  # in the reader cache: how many articles the last build read ahead
READ, HAD, FAILED = b"r", b"k", b"f"  # what a process says of each article of its share


def _reader(generator):
    """The build's Markdown reader, when it is ours (with a reader cache)."""
    reader = generator.readers.readers.get("md")
    if not hasattr(reader, "is_cached") or reader.cache is None:
        return None
    return reader


def _to_read(generator) -> list[str]:
    """The articles Pelican will read (not kept whole), in the order it will ask for them."""
    names = generator.get_files(
        generator.settings["ARTICLE_PATHS"], exclude=generator.settings["ARTICLE_EXCLUDES"]
    )
    return [
        name
        for name in names
        if name.endswith(".md") and generator.get_cached_data(name) is None  # article_cache
    ]


def _read_share(reader, paths: list[str], pipe: int) -> None:
    """In a forked process: read and store each article missing from the reader cache, say
    so after each one, then leave without cleanup."""
    try:
        logging.disable(logging.CRITICAL)
        for path in paths:
            try:
                said = HAD if reader.is_cached(path) else READ
                if said == READ:
                    reader.read(path)
            except BaseException:  # the build's own read reports it
                said = FAILED
            os.write(pipe, said)
    finally:  # the build went away (a closed pipe), or anything else: leave, never return
        os._exit(0)


class _Ahead:
    """The processes reading ahead, and how far each has got."""

    def __init__(self, names: list[str], workers: int) -> None:
        self.workers = workers
        self.position = {name: number for number, name in enumerate(names)}
        self.done = [0] * workers  # articles each process is past
        self.pipes: list[int | None] = []
        self.pids: list[int] = []
        self.read = 0

    def start(self, reader, paths: list[str]) -> None:
        heap.settle()  # each process leaves the build's objects as they are
        for number in range(self.workers):
            out, into = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(out)
                _read_share(reader, paths[number :: self.workers], into)
            os.close(into)
            self.pipes.append(out)
            self.pids.append(pid)

    def _hear(self, number: int) -> None:
        pipe = self.pipes[number]
        if pipe is None:
            return
        said = os.read(pipe, 65536)
        if not said:  # the process ended: nothing more to wait for
            os.close(pipe)
            self.pipes[number] = None
            self.done[number] = len(self.position) + 1
            return
        self.done[number] += len(said)
        self.read += said.count(READ)

    def wait_for(self, name: str) -> None:
        """Until the process that reads `name` is past it."""
        number = self.position.get(name)
        if number is None:
            return
        share, place = number % self.workers, number // self.workers
        while self.done[share] <= place and self.pipes[share] is not None:
            self._hear(share)

    def finish(self) -> int:
        """Every process ended; how many articles they read."""
        for number in range(self.workers):
            while self.pipes[number] is not None:
                self._hear(number)
        for pid in self.pids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        return self.read


_ahead: list[tuple[_Ahead, object]] = []  # the read-ahead of this build, and its reader


def _walk_once(generator) -> None:
    """The articles generator walks its folders once per set of folders: this module,
    Pelican's check for disabled readers and its reading each walk the 10,000 article
    folders otherwise (the content does not change during a build; the gate checks it).
    One walk takes every file, and each call keeps those of the extensions it asks for,
    as Pelican's own `_include_path` would. The files come in path order, so Pelican reads
    articles in the same order in every build: articles of the same moment keep that order
    wherever Pelican's stable sorts leave them (a set's order changes from run to run)."""
    walk = generator.get_files
    walks: dict[tuple, set[str]] = {}

    def get_files(paths, exclude=None, extensions=None):
        key = (repr(paths), repr(exclude))
        if key not in walks:
            walks[key] = sorted(walk(paths, exclude=exclude, extensions=False))
        if extensions is False:
            found = walks[key]
        else:
            wanted = tuple(generator.readers.extensions if extensions is None else extensions)
            found = [name for name in walks[key] if os.path.splitext(name)[1][1:] in wanted]
        return dict.fromkeys(found).keys()  # a set, in path order (a set's order is random)

    generator.get_files = get_files


def read_ahead(generator) -> None:
    """`article_generator_init`: start reading on every core what Pelican will read."""
    finish()
    _walk_once(generator)
    reader = _reader(generator)
    if reader is None:
        return
    with heap.loading():  # the kept articles, loaded for the whole build
        names = _to_read(generator)
    workers = min(generator.settings.get("PHOTOS_READ_WORKERS") or os.cpu_count() or 1, 64)
    minimum = generator.settings.get("PHOTOS_READ_AHEAD_MINIMUM", 16)
    if len(names) < max(minimum, 1) or workers <= 1:
        _record(reader, 0, 0)
        return
    ahead = _Ahead(names, workers)
    ahead.start(reader, [os.path.join(generator.path, name) for name in names])
    _ahead.append((ahead, reader))
    heap.hold()  # Pelican builds its articles from the entries read ahead: until `finish`
    asked = generator.get_cached_data

    def get_cached_data(name, default=None):
        found = asked(name, default)
        if found is default:  # Pelican reads it next: once its entry is stored, or failed
            ahead.wait_for(name)
        return found

    generator.get_cached_data = get_cached_data


def finish(_sender=None) -> None:
    """`article_generator_pretaxonomy` (every article read): the processes are reaped."""
    while _ahead:
        ahead, reader = _ahead.pop()
        _record(reader, ahead.finish(), ahead.workers)
        heap.resume()


def _record(reader, articles: int, workers: int) -> None:
    write_figures(Path(reader.cache.root) / STATS, {"articles": articles, "workers": workers})
