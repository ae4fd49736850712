"""The search index: Pagefind, one index per year of articles, merged in the browser.

Pagefind is not incremental, so each year gets its own bundle under
`pagefind/<year>/`; the search page loads the newest and merges the rest.
A publish that touches one year could then re-index only that year. Only
pages marked `data-pagefind-body` (published articles) are indexed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from .errors import BuildError

SEARCH_DIR = "pagefind"
YEARS_FILE = "years.json"
YEAR_DIR = re.compile(r"^\d{4}$")


def article_years(site: Path) -> list[str]:
    """The years that have article pages in a built site, newest first."""
    return sorted(
        (p.name for p in site.iterdir() if p.is_dir() and YEAR_DIR.match(p.name)), reverse=True
    )


def _run_pagefind(site: Path, glob: str, output_subdir: str) -> None:
    command = [
        sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob,
        "--output-subdir", output_subdir, "--force-language", "vi", "--silent",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr.strip() or result.stdout.strip() or "?").splitlines()[-1]
        raise BuildError(f"lập chỉ mục tìm kiếm thất bại ({detail})", site)


def index_site(site: Path, years: list[str] | None = None) -> list[str]:
    """Index the articles of `years` (default: every year) into `pagefind/<year>/`."""
    all_years = article_years(site)
    for year in years if years is not None else all_years:
        _run_pagefind(site, f"{year}/**/*.html", f"{SEARCH_DIR}/{year}")
    (site / SEARCH_DIR).mkdir(exist_ok=True)
    (site / SEARCH_DIR / YEARS_FILE).write_text(json.dumps(all_years), "utf-8")
    return all_years
