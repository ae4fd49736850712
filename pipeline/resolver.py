"""Turn an ARTICLE argument (a folder, an `index.md` or a slug) into one article."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from . import desk_index
from .article import INDEX_NAME, Article, article_slug, read_article
from .article_files import index_files, iter_article_paths
from .errors import ArticleError, ArticleNotFoundError, SlugCollisionError
from .page_files import PAGES_DIR

P = TypeVar("P")


def find_slug_collisions(articles: list[Article]) -> list[tuple[str, Path, Path]]:
    """Each slug used twice, with the two files that use it."""
    return slug_collisions((article_slug(article), article.path) for article in articles)


def slug_collisions(slugs: Iterable[tuple[str, P]]) -> list[tuple[str, P, P]]:
    """Each slug used twice, with its first user and the later one, from (slug, path) pairs."""
    first: dict[str, P] = {}
    collisions = []
    for slug, path in slugs:
        if slug in first:
            collisions.append((slug, first[slug], path))
        else:
            first[slug] = path
    return collisions


def slug_collision_error(slug: str, first: Path, second: Path) -> SlugCollisionError:
    return SlugCollisionError(
        f'slug "{slug}" đã được dùng ở {first}; hãy đổi trường Slug của một trong hai bài',
        second,
    )


Unreadable = list[tuple[Path, ArticleError]]


def read_articles(content: Path) -> tuple[list[Article], Unreadable]:
    """Every article under content/, and each `index.md` that cannot be read with its error,
    so that one broken draft never stops work on the others."""
    articles: list[Article] = []
    unreadable: Unreadable = []
    for path in iter_article_paths(content):
        try:
            articles.append(read_article(path))
        except ArticleError as error:
            unreadable.append((path, error))
    return articles, unreadable


def resolve_article(argument: str, content: Path) -> Article:
    """The article that `argument` names; one clear error if none or several match."""
    if not argument.strip():
        raise ArticleNotFoundError(
            f"chưa nêu bài nào; hãy đưa thư mục bài, tệp {INDEX_NAME} hoặc slug của bài"
        )
    path = Path(argument).resolve()  # one spelling per file: relative and absolute agree
    if path.is_dir() and (path / INDEX_NAME).is_file():
        return read_article(path / INDEX_NAME)
    if path.is_file() and path.name == INDEX_NAME:
        return read_article(path)
    if path.exists():
        raise ArticleNotFoundError(
            f"không phải bài viết: cần thư mục chứa {INDEX_NAME}, tệp {INDEX_NAME} hoặc slug", path
        )
    matches, broken = _by_slug(argument, content)
    if broken is not None:
        raise broken  # the one asked for: its own problem, not "not found"
    if not matches and argument.endswith(".md") and PAGES_DIR in Path(argument).parts:
        raise ArticleNotFoundError(
            f'không tìm thấy trang tĩnh "{argument}"; trang tĩnh là tệp .md trong '
            f"{content / PAGES_DIR}",
            content / PAGES_DIR,
        )
    if not matches:
        raise ArticleNotFoundError(
            f'không tìm thấy bài viết "{argument}"; hãy đưa thư mục bài, tệp {INDEX_NAME} '
            "hoặc slug của bài",
            content / "articles",
        )
    if len(matches) > 1:
        raise slug_collision_error(argument, matches[0], matches[1])
    return read_article(matches[0])  # a fresh copy: the caller may change it


def _by_slug(argument: str, content: Path) -> tuple[list[Path], ArticleError | None]:
    """The articles whose slug or folder is `argument`, and the error of an unreadable article
    in a folder of that name. Each file is parsed again only when it changed
    (pipeline.desk_index), so naming an article by slug does not read the whole site."""
    matches: list[Path] = []
    broken = None
    for path in index_files(str(content / "articles")):
        folder = os.path.basename(os.path.dirname(path))
        try:
            slug = desk_index.current().glance(path).slug
        except ArticleError as error:
            if broken is None and folder == argument:
                broken = error
            continue
        if argument in (slug, folder):
            matches.append(Path(path))
    return matches, broken
