"""Remembered source paths are the paths Pelican computes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from plugins.url_memo.url_memo import _pelican_relative_path, _relative_source_path


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
