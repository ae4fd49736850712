"""Where static pages live (content/pages/<name>.md), for the commands that take one by path."""

from __future__ import annotations

from pathlib import Path

PAGES_DIR = "pages"
IGNORED = {"README.md"}


def page_paths(content: Path) -> list[Path]:
    """Every page source in content/pages/ (what a publish may show), sorted."""
    folder = content / PAGES_DIR
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*.md")
        if path.is_file() and path.name not in IGNORED and not path.name.startswith(".")
    )


def find_page(argument: str, root: Path, content: Path) -> Path | None:
    """The page file ARGUMENT names (a path, from here, the project or content/), if it is one."""
    pages = (content / PAGES_DIR).resolve()
    given = Path(argument)
    for candidate in (given, root / given, content / given):
        path = candidate.resolve()
        if path.suffix == ".md" and pages in path.parents and path.is_file():
            return path
    return None
