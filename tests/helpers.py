"""Helpers for tests: copy the project, write articles, read built pages."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image

from pipeline.article import format_article

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("newsroom.toml", "pelicanconf.py", "publishconf.py")
SEED_SLUG = "cum-thi-dua-so-1-bo-doi-bien-phong-tong-ket-cong-tac-thi-dua-khen-thuong-va"
SEED_URL = f"2022/11/28/{SEED_SLUG}/"

# Debian's chromium, as the browser tests drive it (installed by `make test`).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def copy_project(root: Path) -> Path:
    """The project's build inputs in `root`: theme and plugins linked, content and config copied."""
    root.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, root / name)
    for name in ("theme", "plugins"):
        (root / name).symlink_to(REPO / name, target_is_directory=True)
    shutil.copytree(REPO / "content", root / "content")
    return root


def write_photo(path: Path, size: tuple[int, int] = (64, 48), color: str = "#4a7a52") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, "JPEG")
    return path


def write_article(
    root: Path,
    slug: str,
    date: datetime,
    *,
    title: str | None = None,
    section: str = "Biên giới",
    authors: str = "Minh Tuấn",
    tags: str = "tuần tra",
    summary: str = "Tin tóm tắt của bài.",
    body: str = "Nội dung bài viết.",
    folder: str | None = None,
    extra: dict[str, str] | None = None,
) -> Path:
    """Write `content/articles/YYYY/MM/<folder or slug>/index.md` and return its path."""
    fields = {
        "Title": title or f"Bài {slug}",
        "Date": date.isoformat(timespec="seconds"),
        "Section": section,
        "Authors": authors,
        "Tags": tags,
        "Summary": summary,
        "Slug": slug,
        **(extra or {}),
    }
    path = (
        root / "content" / "articles" / f"{date:%Y}" / f"{date:%m}" / (folder or slug) / "index.md"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_article(fields, body), "utf-8")
    return path


def page(output: Path, url: str) -> BeautifulSoup:
    """The parsed HTML that a reader gets at `url` (a site path like `2022/11/`)."""
    path = output / url.strip("/") / "index.html" if not url.endswith(".html") else output / url
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")
