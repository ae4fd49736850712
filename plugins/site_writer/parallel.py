"""Rendering on every core: pages are queued while Pelican generates, then rendered by forked
processes that share the whole build state.

Pelican renders and writes each page as a generator asks for it, on one
core. Here each page is only claimed when asked for (so two pages on one
path still fail the build, exactly as in Pelican), and rendered when the
build is finalized, by `SITE_WRITER_WORKERS` forked processes (0: one per
core) that each take the pages of one stretch of time (`_shares`). Forking
shares the articles, the templates and the context as they are, so a page's
bytes do not depend on which process wrote it. Every warning or error a process logs is logged
again by the build, so it fails the build as before.

Each page whose key (page_keys.py) equals its key in the previous release
is taken from that release by hard link instead of rendered, by the same
processes; they return every page's key, and the build keeps them for the
next one.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import traceback

from pelican.contents import Content
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from pipeline import heap, processes
from pipeline.errors import os_problem

from . import page_keys
from .page_keys import Fingerprints, RecordingContext, Unkeyable

logger = logging.getLogger(__name__)

SITE_WRITER_WORKERS = 0
SITE_WRITER_BUILD = ""  # the build's code key; no page keys without it
SITE_WRITER_KEYS = ""  # where this build's page keys go
SITE_WRITER_PREVIOUS = ""  # the previous release, whose unchanged pages are reused
SITE_WRITER_PREVIOUS_KEYS = ""  # and its page keys
_writers: list[ParallelWriter] = []  # writers of this build whose pages are queued
_fingerprints = Fingerprints()
# Pelican remembers every article's HTML once shown (`memoized`, for the whole build); a page
# or feed shows it once, and packed_content keeps it small until then, so it is forgotten after.
_SHOWN_HTML = [Content.__dict__["get_content"], Content.__dict__["get_summary"]]


def forget_shown_html() -> None:
    for memo in _SHOWN_HTML:
        memo.cache.clear()


Call = tuple[tuple, dict]
Keys = dict[str, tuple[str, tuple[str, ...]]]  # page -> (key, the names its template looked up)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelno}\t{record.getMessage()}")


class ParallelWriter(Writer):
    """A Writer whose `write_file` queues the page; `render_queued` writes them all."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._queue: list[Call | None] = []
        self._slot: dict[str, int] = {}  # output path -> index of the call that writes it
        self.keys: Keys = {}  # the page keys of this build, once rendered
        self.reused = 0  # pages taken from the previous release
        _writers.append(self)

    def _claim(self, name: str, override: bool) -> str | None:
        """Pelican's rule for two writes to one path, applied when the page is asked for."""
        path = sanitised_join(self.output_path, name)
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{path}" a second time')
            return None  # the overriding page wins, as in Pelican
        if path in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" as Pelican has already written to it'
                )
            self._queue[self._slot[path]] = None  # the earlier page gives way
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return path

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
        if not name:
            return
        path = self._claim(name, override_output)
        if path is None:
            return
        self._slot[path] = len(self._queue)
        self._queue.append(
            ((name, template, context, relative_urls, paginated, template_name,
              override_output, url), kwargs)
        )  # fmt: skip

    def _build_key(self) -> str:
        return self.settings.get("SITE_WRITER_BUILD") or ""

    def _produce(self, calls: list[Call], known: Keys) -> tuple[Keys, int]:
        """Each page of `calls` taken from the previous release when its key in `known` still
        holds, else rendered; the keys of all of them (when this build keeps keys), and how
        many were taken."""
        self._written_files.clear()
        self._overridden_files.clear()
        build, keys, reused = self._build_key(), {}, 0
        previous = self.settings.get("SITE_WRITER_PREVIOUS") or ""
        for args, kwargs in calls:
            name, template = args[0], args[1]
            before = known.get(name)
            if before is not None and self._key((args, kwargs), before[1]) == before[0]:
                if _link(os.path.join(previous, name), sanitised_join(self.output_path, name)):
                    keys[name], reused = before, reused + 1
                    continue
            if build:
                template.environment.context_class = RecordingContext
                page_keys.start_noting()
            try:
                Writer.write_file(self, *args, **kwargs)
            finally:
                names = page_keys.stop_noting() if build else []
                forget_shown_html()
            key = self._key((args, kwargs), names) if build else None
            if key is not None:
                keys[name] = (key, names)
        return keys, reused

    def _key(self, call: Call, names: list[str]) -> str | None:
        """The page key of one call, from the values of `names`; None when it has none."""
        (name, template, context, relative_urls, paginated, template_name, override, url) = call[0]
        kwargs = call[1]
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            return None  # Pelican's own pagination writes several pages for this call
        local = {"output_file": name, "localsiteurl": context.get("localsiteurl")}
        if relative_urls:
            local["SITEURL"] = local["localsiteurl"] = path_to_url(get_relative_path(name))

        def lookup(key, missing):
            for scope in (kwargs, local, context, template.globals):
                if key in scope:
                    return scope[key]
            return missing

        identity = json.dumps([name, template.name, template_name, relative_urls, override, url])
        try:
            return _fingerprints.page(self._build_key(), identity, names, lookup)
        except Unkeyable:
            return None

    def _known(self) -> Keys:
        """The previous release's page keys, when there is a previous release to take from."""
        build = self._build_key()
        if not (build and self.settings.get("SITE_WRITER_PREVIOUS")):
            return {}
        return page_keys.load(self.settings.get("SITE_WRITER_PREVIOUS_KEYS"), build)

    def render_queued(self) -> None:
        calls = [call for call in self._queue if call is not None]
        self._queue, self._slot = [], {}
        known = self._known()
        workers = min(self.settings.get("SITE_WRITER_WORKERS") or os.cpu_count() or 1, len(calls))
        if workers <= 1:
            keys, self.reused = self._produce(calls, known)
            self.keys.update(page_keys.shared_names(keys))
            return
        heap.settle()  # the processes share the build's objects without copying them
        children = [self._fork(share, known) for share in _shares(calls, workers)]
        for pid, pipe in children:
            with os.fdopen(pipe, "r", encoding="utf-8") as reader:
                report = reader.read()
            _pid, status = os.waitpid(pid, 0)
            lines, _sep, result = report.partition("\0")
            for line in lines.splitlines():
                level, _tab, message = line.partition("\t")
                logger.log(int(level), "%s", message)
            if result:
                packed = json.loads(result)
                self.keys.update(page_keys.unpack(packed))
                self.reused += packed["reused"]
            if status != 0 and not lines:
                logger.error("một tiến trình ghi trang dừng bất thường (mã %s)", status)

    def _fork(self, calls: list, known: Keys) -> tuple[int, int]:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid:
            os.close(writer)
            return pid, reader
        os.close(reader)  # the child: produce its share, report, and leave without cleanup
        processes.die_with_parent()  # a page written after its build was killed is litter
        capture = _Capture()
        logging.getLogger().addHandler(capture)
        result = {"lists": [], "pages": {}, "reused": 0}
        try:
            try:
                keys, reused = self._produce(calls, known)
                result = {**page_keys.pack(keys), "reused": reused}
            except BaseException as error:  # reported to the build, which fails
                detail = traceback.format_exception_only(type(error), error)[-1].strip()
                if isinstance(error, OSError):  # a full disk: the machine's, said as such
                    detail = os_problem(error)
                capture.lines.append(f"{logging.ERROR}\t{detail}")
            with os.fdopen(writer, "w", encoding="utf-8") as pipe:
                pipe.write("".join(line.replace("\n", " ") + "\n" for line in capture.lines))
                pipe.write("\0")
                json.dump(result, pipe)  # in pieces: no second copy of every key at the peak
        finally:  # the build went away (a closed pipe), or anything else: leave, never return
            os._exit(1 if capture.lines else 0)


def _when(call: Call) -> float:
    """When a page's news happened: its article's date, or its list's newest article's; pages
    with neither (search, the front page's own blocks) count as newest."""
    kwargs = call[1]
    shown = kwargs.get("article")
    if shown is None:
        listing = kwargs.get("listing")
        items = getattr(listing, "items", None) or kwargs.get("articles") or kwargs.get("dates")
        shown = items[0] if isinstance(items, (list, tuple)) and items else None
    date = getattr(shown, "date", None)
    try:
        return date.timestamp()
    except (AttributeError, TypeError, ValueError, OverflowError):
        return float("inf")


def _shares(calls: list, workers: int) -> list[list]:
    """The pages of each process: one stretch of time each, as many pages as the others, in
    the order Pelican asked for them. A page shows articles of about its own time (a list
    shows consecutive ones, related stories are recent earlier ones, neighbours are next to
    it), so each process fingerprints about its own share of the articles, not nearly all."""
    order = sorted(range(len(calls)), key=lambda index: _when(calls[index]))
    return [
        [
            calls[i]
            for i in sorted(order[n * len(calls) // workers : (n + 1) * len(calls) // workers])
        ]
        for n in range(workers)
    ]


def _link(source: str, target: str) -> bool:
    """The previous release's file at `target`, by hard link (a copy across file systems);
    releases are never written in place, so the two stay equal. False when `source` is not
    a file (its page is then rendered, into the folder made here)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except FileNotFoundError:
        return False
    except OSError:  # another file system, or `source` is not a file
        if not os.path.isfile(source):
            return False
        shutil.copy2(source, target)
    return True


def render_all(pelican) -> None:
    """When the build is finalized: render every queued page, and keep the page keys."""
    keys: Keys = {}
    reused = 0
    while _writers:
        writer = _writers.pop(0)
        writer.render_queued()
        keys.update(writer.keys)
        reused += writer.reused
    settings = pelican.settings
    if settings.get("SITE_WRITER_BUILD") and settings.get("SITE_WRITER_KEYS"):
        page_keys.save(settings["SITE_WRITER_KEYS"], settings["SITE_WRITER_BUILD"], keys)
        logger.info("%d trang lấy lại từ bản phát hành trước", reused)
