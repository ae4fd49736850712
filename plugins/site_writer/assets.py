"""The theme's own files named with their content: `{{ 'css/site.css'|asset }}` gives
`theme/css/site.css?v=<sha256[:10]>`, so a server may let browsers keep them for good (a
reader on a slow link then asks for the stylesheet once, not on every page), and a changed file
is a new address. The theme is part of the build's code digest, so a page whose theme file
changed is rendered again (page_keys.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

VERSION_LENGTH = 10


def asset_filter(settings: dict):
    static = Path(settings["THEME"]) / "static"
    folder = settings.get("THEME_STATIC_DIR", "theme")
    known: dict[str, str] = {}

    def asset(path: str) -> str:
        if path not in known:
            digest = hashlib.sha256((static / path).read_bytes()).hexdigest()
            known[path] = f"{folder}/{path}?v={digest[:VERSION_LENGTH]}"
        return known[path]

    return asset


def add_asset_filter(generator) -> None:
    generator.env.filters["asset"] = asset_filter(generator.settings)
