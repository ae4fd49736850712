"""Rendering on every core: pages are queued while Pelican generates, then rendered by forked
processes that share the whole build state.

Pelican renders and writes each page as a generator asks for it, on one
core. Here each page is only claimed when asked for (so two pages on one
path still fail the build, exactly as in Pelican), and rendered when the
build is finalized, by `SITE_WRITER_WORKERS` forked processes (0: one per
core) that each take every n-th page. Forking shares the articles, the
templates and the context as they are, so a page's bytes do not depend on
which process wrote it. Every warning or error a process logs is logged
again by the build, so it fails the build as before.
"""

from __future__ import annotations

import logging
import os
import traceback

from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger(__name__)

SITE_WRITER_WORKERS = 0
_writers: list[ParallelWriter] = []  # writers of this build whose pages are queued


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
        self._queue: list[tuple[tuple, dict] | None] = []
        self._slot: dict[str, int] = {}  # output path -> index of the call that writes it
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

    def _render(self, calls: list[tuple[tuple, dict]]) -> None:
        self._written_files.clear()
        self._overridden_files.clear()
        for args, kwargs in calls:
            Writer.write_file(self, *args, **kwargs)

    def render_queued(self) -> None:
        calls = [call for call in self._queue if call is not None]
        self._queue, self._slot = [], {}
        workers = min(self.settings.get("SITE_WRITER_WORKERS") or os.cpu_count() or 1, len(calls))
        if workers <= 1:
            self._render(calls)
            return
        children = [self._fork(calls[number::workers]) for number in range(workers)]
        for pid, pipe in children:
            with os.fdopen(pipe, "r", encoding="utf-8") as reader:
                report = reader.read()
            _pid, status = os.waitpid(pid, 0)
            for line in report.splitlines():
                level, _tab, message = line.partition("\t")
                logger.log(int(level), "%s", message)
            if status != 0 and not report:
                logger.error("một tiến trình ghi trang dừng bất thường (mã %s)", status)

    def _fork(self, calls: list) -> tuple[int, int]:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid:
            os.close(writer)
            return pid, reader
        os.close(reader)  # the child: render its share, report, and leave without cleanup
        capture = _Capture()
        logging.getLogger().addHandler(capture)
        try:
            self._render(calls)
        except BaseException as error:  # reported to the build, which fails
            detail = traceback.format_exception_only(type(error), error)[-1].strip()
            capture.lines.append(f"{logging.ERROR}\t{detail}")
        with os.fdopen(writer, "w", encoding="utf-8") as pipe:
            pipe.write("".join(line.replace("\n", " ") + "\n" for line in capture.lines))
        os._exit(1 if capture.lines else 0)


def render_all(pelican) -> None:
    """When the build is finalized: render every queued page."""
    while _writers:
        _writers.pop(0).render_queued()
