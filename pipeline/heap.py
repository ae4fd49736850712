"""Python's cyclic garbage collector during a build of thousands of articles.

A build keeps its articles, their photos and the site's lists until it ends:
hundreds of thousands of objects that are never garbage. The collector scans
all of them at each full collection (about 0.3 s at 10,000 articles, several
times a build), and in a forked process that scan writes to every object's
header, so each page of memory the child shares with the build is copied.

`loading` (or `hold` until `resume`) holds collections off while such objects
are loaded (loading makes no cycles to collect), then settles them; `settle`
leaves every object alive at that moment out of later collections
(`gc.freeze`), before forking; `release` gives them back to the collector when
the build ends. Garbage cycles made while collections are held off are frozen
with the rest until then (each build is a process of its own,
pipeline/pelican_run.py, so nothing carries over to the next build).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_held = False  # collections held off by `hold`


@contextmanager
def loading() -> Iterator[None]:
    hold()
    try:
        yield
    finally:
        resume()


def hold() -> None:
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def resume() -> None:
    global _held
    if _held:
        gc.enable()
        _held = False
    settle()


def settle() -> None:
    gc.freeze()


def release() -> None:
    resume()
    gc.unfreeze()
