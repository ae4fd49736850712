"""Turn an ARTICLE argument (a folder, an `index.md` or a slug) into one article."""

from __future__ import annotations

from pathlib import Path

from .article import INDEX_NAME, Article, iter_article_paths, read_article
from .errors import ArticleError, ArticleNotFoundError, SlugCollisionError


def article_slug(article: Article) -> str:
    """The article's URL slug: its `Slug` field, or its folder name when the field is absent."""
    return article.slug or article.folder.name


def find_slug_collisions(articles: list[Article]) -> list[tuple[str, Path, Path]]:
    """Each slug used twice, with the two files that use it."""
    first: dict[str, Path] = {}
    collisions = []
    for article in articles:
        slug = article_slug(article)
        if slug in first:
            collisions.append((slug, first[slug], article.path))
        else:
            first[slug] = article.path
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
    articles, unreadable = read_articles(content)
    for index, error in unreadable:
        if index.parent.name == argument:
            raise error  # the one asked for: its own problem, not "not found"
    matches = [a for a in articles if argument in (article_slug(a), a.folder.name)]
    if not matches:
        raise ArticleNotFoundError(
            f'không tìm thấy bài viết "{argument}"; hãy đưa thư mục bài, tệp {INDEX_NAME} '
            "hoặc slug của bài",
            content / "articles",
        )
    if len(matches) > 1:
        raise slug_collision_error(argument, matches[0].path, matches[1].path)
    return matches[0]
