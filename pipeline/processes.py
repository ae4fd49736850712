"""Child processes of a publish (Pelican, Pagefind), with what each cost.

`run` is `subprocess.run(..., capture_output=True, text=True)` that also
keeps the child's own peak RSS and CPU time (from `wait4`, so one child's
peak is not mixed with another's). A publish adds them up in `STATS` with
the time of each step; with NEWSROOM_PUBLISH_STATS set to a path it writes
them there as JSON (benchmarks/site_bench.py reports them).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import NewsroomError

STATS_VARIABLE = "NEWSROOM_PUBLISH_STATS"
STATS: dict[str, dict[str, float]] = {"seconds": {}, "peak_rss_mb": {}, "cpu_seconds": {}}
_lock = threading.Lock()  # Pagefind runs from several threads
_running: set[subprocess.Popen] = set()  # started by `run`, not yet ended


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


def run(command: list[str], label: str, cwd: Path | None = None) -> Finished:
    """Run `command` to its end; its peak RSS and CPU time are kept under `label`."""
    return finish(start(command, label, cwd, waits=False))


@dataclass
class Started:
    """A child that `start` began; `finish` waits for it (after giving it its input)."""

    process: subprocess.Popen
    label: str
    out: object
    err: object


def start(command: list[str], label: str, cwd: Path | None = None, waits: bool = True) -> Started:
    """Start `command`; with `waits`, it reads its input from `finish` (its standard input)."""
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    try:
        stdin = subprocess.PIPE if waits else subprocess.DEVNULL
        process = subprocess.Popen(command, cwd=cwd, stdin=stdin, stdout=out, stderr=err)
    except BaseException:
        out.close()
        err.close()
        raise
    with _lock:
        _running.add(process)
    return Started(process, label, out, err)


def finish(started: Started, data: bytes = b"") -> Finished:
    """Give a started child `data` on its standard input (if it waits for any), wait for its
    end, and keep its peak RSS and CPU time under its label."""
    process, out, err = started.process, started.out, started.err
    try:
        try:
            if process.stdin is not None:
                try:
                    process.stdin.write(data)
                    process.stdin.close()
                except BrokenPipeError:
                    pass  # it ended already: its status says how
            _pid, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            raise
        finally:
            with _lock:
                _running.discard(process)
        process.returncode = os.waitstatus_to_exitcode(status)
        with _lock:
            peaks, cpu = STATS["peak_rss_mb"], STATS["cpu_seconds"]
            peaks[started.label] = max(peaks.get(started.label, 0.0), usage.ru_maxrss / 1024)
            cpu[started.label] = cpu.get(started.label, 0.0) + usage.ru_utime + usage.ru_stime
        out.seek(0)
        err.seek(0)
        return Finished(
            process.returncode,
            out.read().decode("utf-8", errors="replace"),
            err.read().decode("utf-8", errors="replace"),
        )
    finally:
        out.close()
        err.close()


def abandon(started: Started) -> None:
    """A started child that is not needed after all (it has been given nothing, so it has
    done nothing): stopped at once, not waited for until it would read its input, and not
    counted."""
    process = started.process
    try:
        process.kill()
        process.wait()
        if process.stdin is not None:
            try:
                process.stdin.close()
            except BrokenPipeError:
                pass
    finally:
        with _lock:
            _running.discard(process)
        started.out.close()
        started.err.close()


def stop_all() -> None:
    """Kill every process `run` started that has not ended: a process waited for on another
    thread (the search index) is not stopped by Ctrl-C in this one."""
    with _lock:
        for process in _running:
            try:
                process.kill()
            except OSError:
                pass


@contextmanager
def step(label: str) -> Iterator[None]:
    """Time one step of a publish into STATS."""
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds = STATS["seconds"]
        seconds[label] = seconds.get(label, 0.0) + time.perf_counter() - started


def start_stats() -> None:
    """Fresh figures for one publish (a --watch process publishes many times); a
    NEWSROOM_PUBLISH_STATS that cannot be written is refused before anything is built."""
    for figures in STATS.values():
        figures.clear()
    target = os.environ.get(STATS_VARIABLE)
    if target is not None and not Path(target).parent.is_dir():
        raise NewsroomError(
            f"{STATS_VARIABLE}: thư mục {Path(target).parent} không tồn tại; hãy tạo thư mục "
            f"hoặc bỏ biến {STATS_VARIABLE}"
        )


def write_stats() -> None:
    """STATS as JSON where NEWSROOM_PUBLISH_STATS says, if it says (whole file by rename)."""
    target = os.environ.get(STATS_VARIABLE)
    if target:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        STATS["peak_rss_mb"]["publish"] = own  # this process's, so far (a --watch: all rounds)
        rounded = {k: {n: round(v, 3) for n, v in d.items()} for k, d in STATS.items()}
        temporary = Path(f"{target}.tmp")
        temporary.write_text(json.dumps(rounded, indent=2), "utf-8")
        os.replace(temporary, target)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> None:
    """This process is killed when the one that started it ends (Linux): a build whose
    publish or preview was killed stops, instead of writing on into a folder that the next
    run deletes. Elsewhere nothing changes."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the call took effect
        os._exit(1)
