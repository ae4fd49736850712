"""Remembered source paths and formatted URLs are those Pelican computes."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category
from pelican.utils import SafeDatetime

from pipeline.vietnamese import TIMEZONE
from plugins.url_memo.url_memo import (
    _pelican_expand,
    _pelican_relative_path,
    _relative_source_path,
)


@pytest.mark.parametrize(
    ("folder", "source", "asked"),
    [
        ("/srv/bao/content", "/srv/bao/content/articles/2022/tuan-tra/index.md", None),
        ("/srv/bao/content", "articles/2022/tuan-tra/index.md", None),
        ("/srv/bao/content", "/srv/bao/content/articles/a.md", "../pages/gioi-thieu.md"),
        ("/srv/bao/content/", "/srv/bao/content/articles/b.md", "/srv/bao/khac/c.md"),
        ("content", "articles/d.md", None),  # a relative folder: computed every time
        ("/srv/bao/content", None, None),
    ],
)
def test_remembered_relative_source_path_equals_pelicans(folder, source, asked):
    item = SimpleNamespace(settings={"PATH": folder}, source_path=source)
    expected = _pelican_relative_path(item, asked)
    assert _relative_source_path(item, asked) == expected
    assert _relative_source_path(item, asked) == expected  # and again, from the memo


def test_remembered_relative_source_path_follows_the_content_folder():
    first = SimpleNamespace(settings={"PATH": "/srv/a"}, source_path="/srv/a/x/index.md")
    second = SimpleNamespace(settings={"PATH": "/srv"}, source_path="/srv/a/x/index.md")
    assert _relative_source_path(first) == "x/index.md"
    assert _relative_source_path(second) == "a/x/index.md"


@pytest.mark.parametrize(
    "pattern",
    [
        "{date:%Y}/{date:%m}/{date:%d}/{slug}/",  # the paper's article URL
        "{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html",
        "{category}/{slug}.html",
        "{author}/{lang}/{slug}/",
        "nguon/{path}",
        "{date.year}/{title}/",  # a metadata field, and an attribute of one
        "co-dinh/",
    ],
)
def test_urls_are_formatted_as_pelican_formats_them(pattern):
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(ARTICLE_URL=pattern, ARTICLE_SAVE_AS=pattern, PATH="/srv/bao/content")
    article = Article(
        "<p>Nội dung</p>",
        metadata={
            "title": "Tuần tra",
            "slug": "tuan-tra-song-bien",
            "date": SafeDatetime(2024, 5, 6, 7, 30, tzinfo=TIMEZONE),
            "category": Category("Biên giới", settings),
            "author": Author("Vi Toàn", settings),
        },
        settings=settings,
        source_path="/srv/bao/content/articles/2024/05/tuan-tra/index.md",
    )
    for key in ("url", "save_as"):
        assert article._expand_settings(key) == _pelican_expand(article, key, "article")


def test_a_url_field_that_does_not_exist_fails_as_in_pelican():
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(ARTICLE_URL="{khong_co}/{slug}/")
    article = Article("<p>x</p>", metadata={"title": "A", "slug": "a"}, settings=settings)
    with pytest.raises(KeyError):
        _pelican_expand(article, "url", "article")
    with pytest.raises(KeyError):
        article._expand_settings("url")
