"""Run one Pelican build in this process and report every warning and error as one plain line.

`newsroom build` starts this module in a child process, so that each build
has fresh plugin state, and reads its stderr: one `LEVEL<TAB>message` line
per problem. Any warning or error fails the build.

    python -m pipeline.pelican_run SETTINGS CONTENT OUTPUT [PUBLISH_TIME [OVERRIDES_JSON]]

PUBLISH_TIME (ISO 8601) becomes the NEWSROOM_PUBLISH_TIME setting: the
moment that time-relative output, such as the news sitemap, counts from.
OVERRIDES_JSON is a JSON object of further settings (the manifest of a publish).

    python -m pipeline.pelican_run --waiting PLUGIN_FOLDER

starts the process before its build is known (pipeline/build.py `prepare_pelican`): it imports
Pelican, its readers and the plugins of PLUGIN_FOLDER, then reads the arguments above as one
JSON list on its standard input; an input that ends first means no build is wanted.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys

from pipeline import heap, processes
from pipeline.errors import os_problem


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a plugin's malformed log call is still a problem to report
            message = str(record.msg)
        one_line = re.sub(r"\s*\n\s*", ": ", message.strip())
        self.problems.append(f"{record.levelname}\t{one_line}")


def _place(error: Exception) -> str:
    """`file:line: ` of a template's syntax error (Jinja knows it; its message does not say)."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if isinstance(filename, str) and isinstance(line, int):
        return f"{filename}:{line}: hãy sửa mẫu giao diện — "
    return ""


def build(
    settings_file: str, content: str, output: str, publish_time: str = "", overrides: str = "{}"
) -> list[str]:
    from pelican import Pelican
    from pelican.settings import read_settings

    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    root.setLevel(logging.WARNING)
    try:
        override = {**json.loads(overrides), "PATH": content, "OUTPUT_PATH": output}
        if publish_time:
            override["NEWSROOM_PUBLISH_TIME"] = publish_time
        settings = read_settings(settings_file, override=override)
        Pelican(settings).run()
    except SystemExit as error:  # pelicanconf.py refuses a bad newsroom.toml this way
        collector.problems.append(f"ERROR\t{error}")
    except OSError as error:  # a full disk, a folder that may not be written: not the content
        collector.problems.append(f"ERROR\t{os_problem(error)}")
    except Exception as error:
        collector.problems.append(f"ERROR\t{_place(error)}{type(error).__name__}: {error}")
    finally:
        heap.release()  # the build's objects are garbage once it ends (pipeline/heap.py)
    return collector.problems


def main(argv: list[str]) -> int:
    processes.die_with_parent()
    if argv[:1] == ["--waiting"]:
        _import_ahead(argv[1])
        line = sys.stdin.readline()
        if not line.strip():
            return 0  # not needed after all
        argv = [str(argument) for argument in json.loads(line)]
    problems = build(*argv)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def _import_ahead(plugins: str) -> None:
    """What a build imports first (about 0.25 s), while the publish still plans: Pelican, its
    readers and writers, and each plugin package, under the name Pelican imports it by
    (PLUGIN_PATHS is on its path then); a plugin that fails here fails the build as before."""
    import pelican.generators
    import pelican.readers
    import pelican.settings
    import pelican.writers  # noqa: F401

    if os.path.isdir(plugins):
        sys.path.insert(0, plugins)
        try:
            for name in sorted(os.listdir(plugins)):
                if os.path.isfile(os.path.join(plugins, name, "__init__.py")):
                    try:
                        __import__(name)
                    except Exception:  # Pelican reports it when it loads the plugin
                        sys.modules.pop(name, None)
        finally:
            sys.path.remove(plugins)


def leave(status: int) -> None:
    """After a build that succeeded, end the process once its output is flushed, without
    freeing the build's objects one by one (about 0.7 s at 10,000 articles): every file the
    build wrote is closed, and every process it started has ended, by then."""
    if status:
        sys.exit(status)  # a build that stopped half-way may have left pools to close
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    leave(main(sys.argv[1:]))
