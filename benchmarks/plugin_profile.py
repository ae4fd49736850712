"""What each of our plugins costs in one cold public build of a benchmark corpus.

Materializes the approved revisions exactly as `newsroom publish` does, then
runs Pelican with publishconf.py in this process (pages rendered in it too, not in
forked workers) with two instruments:
every signal receiver that a plugin connects is wrapped in a timer (so its
inclusive time is summed per plugin), and cProfile gives the self time of
every function, summed by package (pelican, jinja2, markdown, each plugin,
pipeline, ...). The photos plugin also renders figures inside the Markdown
reader, outside any signal: that time is its own line.

    python benchmarks/plugin_profile.py PROJECT_ROOT OUT_JSON
"""

from __future__ import annotations

import cProfile
import functools
import json
import logging
import pstats
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

import blinker

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.config import load_config  # noqa: E402
from pipeline.manifest import MANIFEST_NAME  # noqa: E402
from pipeline.publish import materialize, page_files, plan  # noqa: E402
from pipeline.record import Record  # noqa: E402
from pipeline.workflow import now  # noqa: E402

_handler_seconds: dict[str, float] = defaultdict(float)
_original_connect = blinker.Signal.connect


def _plugin_of(receiver, plugins: set[str]) -> str | None:
    module = getattr(receiver, "__module__", "") or ""
    top = module.split(".")[0]
    return top if top in plugins else None


def instrument(plugins: set[str]) -> None:
    """Wrap every plugin receiver in a timer (kept alive: the wrapper is connected strongly)."""

    def connect(self, receiver, sender=blinker.ANY, weak=True):
        plugin = _plugin_of(receiver, plugins)
        if plugin is None:
            return _original_connect(self, receiver, sender, weak)

        @functools.wraps(receiver)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return receiver(*args, **kwargs)
            finally:
                _handler_seconds[plugin] += time.perf_counter() - started

        _original_connect(self, timed, sender, weak=False)
        return receiver

    blinker.Signal.connect = connect


def _package(filename: str, name: str, plugins: set[str]) -> str:
    path = Path(filename)
    parts = path.parts
    for plugin in plugins:
        if "plugins" in parts and plugin in parts:
            return f"plugin {plugin}"
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    if "pipeline" in parts:
        return "pipeline"
    if filename == "~":
        return "builtin " + name.split("'")[1] if "'" in name else "builtins"
    if filename.startswith("<template") or filename.endswith(".html"):
        return "jinja2 templates"
    return "stdlib " + path.stem.lstrip("<").split(" ")[-1].rstrip(">")


def _grouped(stats: pstats.Stats, plugins: set[str]) -> tuple[dict[str, float], float]:
    by_package: dict[str, float] = defaultdict(float)
    figures = 0.0
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        _calls, _primitive, tottime, cumtime, _callers = row
        by_package[_package(filename, name, plugins)] += tottime
        if name == "__call__" and filename.endswith("photos.py") and "plugins" in filename:
            figures += cumtime
    ordered = dict(sorted(by_package.items(), key=lambda kv: kv[1], reverse=True))
    return {k: round(v, 3) for k, v in ordered.items()}, figures


def main(root: Path, out: Path) -> None:
    config = load_config(root)
    record = Record(config.record_path)
    pages = page_files(record)
    moment = now()
    manifest = plan(record, moment, pages)
    staging = root / ".cache" / "profile-staging"
    output = root / ".cache" / "profile-output"
    for folder in (staging, output):
        shutil.rmtree(folder, ignore_errors=True)
    content = materialize(record, manifest, pages, staging)
    record.close()

    sys.path.insert(0, str(root))
    from pelican import Pelican
    from pelican.settings import read_settings

    logging.getLogger().setLevel(logging.WARNING)
    settings = read_settings(
        str(root / "publishconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "NEWSROOM_MANIFEST": str(staging / MANIFEST_NAME),
            "NEWSROOM_PUBLISH_TIME": moment.isoformat(),
            "LOAD_CONTENT_CACHE": False,
            "SITE_WRITER_WORKERS": 1,  # render in this process, so that cProfile sees it
            "CACHE_PATH": str(root / ".cache" / "profile-build-cache"),
        },
    )
    plugins = set(settings["PLUGINS"])
    instrument(plugins)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    Pelican(settings).run()
    profiler.disable()
    seconds = time.perf_counter() - started
    packages, figures = _grouped(pstats.Stats(profiler), plugins)
    handlers = dict(sorted(_handler_seconds.items(), key=lambda kv: kv[1], reverse=True))
    result = {
        "build_seconds": round(seconds, 3),
        "note": "one cold build under cProfile (slower than unprofiled); plugin = time in its "
        "signal handlers, photos also in its figure renderer inside the Markdown reader",
        "plugins": {
            **{name: round(s, 3) for name, s in handlers.items()},
            "photos (figures in reader)": round(figures, 3),
        },
        "packages": packages,
    }
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    for folder in (staging, output, root / ".cache" / "profile-build-cache"):
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]))
