"""What a release is built from, as one key: when nothing in it changed, a publish has
nothing to do, because the same inputs give the same bytes (tests/test_incremental.py).

The key covers the approved content (the manifest, the publish time aside), the articles
inside the news sitemap's two-day window at the publish time (the one output that depends
on it), and every file of the build: theme, plugins, pipeline, settings and config, plus
the versions of Python and of every installed distribution. It is kept beside the build
cache with the id of the release it describes; deleting it only makes the next publish
rebuild.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from datetime import datetime, timedelta
from importlib.metadata import distributions
from pathlib import Path

from .article import parse_datetime
from .manifest import Manifest

KEY_FILE = "live-inputs.json"
BUILD_FILES = ("theme", "plugins", "pelicanconf.py", "publishconf.py", "newsroom.toml")
PIPELINE = Path(__file__).resolve().parent  # the code that runs, wherever it is installed
NEWS_WINDOW = timedelta(days=2)  # plugins/sitemaps: SITEMAPS_NEWS_WINDOW


def installed() -> str:
    """Python's version and every installed distribution's: what renders (Pelican, Jinja,
    Markdown and its extensions, feedgenerator, MarkupSafe, Pagefind…) and what they use."""
    found = {(d.metadata["Name"] or "", d.version) for d in distributions()}
    return f"{sys.version}\n" + "\n".join(f"{name}=={number}" for name, number in sorted(found))


# One build process (pipeline/pelican_run.py) asks once per reader it makes: its answer holds.
installed_in_this_build = functools.cache(installed)


def code_digest(root: Path) -> str:
    """Every file of the build and the versions of everything installed, as one digest."""
    digest = hashlib.sha256(installed().encode())
    for path in [*(root / name for name in BUILD_FILES), PIPELINE]:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or not file.is_file():
                continue
            base = PIPELINE.parent if path == PIPELINE else root
            digest.update(f"\n{file.relative_to(base)}\n".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _news_window(manifest: Manifest, moment: datetime) -> list[str]:
    return sorted(
        article.slug
        for article in manifest.live
        if moment - NEWS_WINDOW <= parse_datetime(article.published) <= moment
    )


def inputs_key(root: Path, manifest: Manifest) -> str:
    content = {
        "articles": [repr(article) for article in manifest.articles],
        "pages": manifest.pages,
        "news": _news_window(manifest, parse_datetime(manifest.at)),
        "code": code_digest(root),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def unchanged(cache: Path, live: Path | None, key: str) -> bool:
    """Whether the live release was built from exactly these inputs."""
    try:
        known = json.loads((cache / KEY_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return live is not None and known == {"release": live.name, "key": key}


def remember(cache: Path, release: Path, key: str) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    temporary = cache / f".{KEY_FILE}.tmp"
    temporary.write_text(json.dumps({"release": release.name, "key": key}), "utf-8")
    temporary.replace(cache / KEY_FILE)
