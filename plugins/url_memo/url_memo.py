"""URLs computed once per object: Pelican formats every `url` and `save_as` on each access.

Pelican's `Content.url` rebuilds a dict of the metadata and formats the URL
pattern every time a template asks, and a page lists dozens of articles, so
this is one of the hottest paths of a large build. Once every generator has
finished its context, slugs, dates and sections are final; from then on each
content object and each tag, author and section remembers its URLs. Objects
not marked final (or a build before that point) compute them as Pelican does.
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

FINAL = "_url_memo_final"
MEMO = "_url_memo"

_content_url = Content.get_url_setting
_wrapper_url = URLWrapper._from_settings


def _remembered(compute):
    def lookup(self, key, *args, **kwargs):
        state = self.__dict__
        if not state.get(FINAL):
            return compute(self, key, *args, **kwargs)
        memo = state.setdefault(MEMO, {})
        name = (key, *args, *sorted(kwargs.items()))
        if name not in memo:
            memo[name] = compute(self, key, *args, **kwargs)
        return memo[name]

    return lookup


Content.get_url_setting = _remembered(_content_url)
URLWrapper._from_settings = _remembered(_wrapper_url)

# A source path relative to the content folder: asked for about nine times per article while
# it is read (each URL Pelican formats asks again), and fixed by two strings.
_pelican_relative_path = Content.get_relative_source_path
_relative_paths: dict[tuple[str, str], str | None] = {}


def _relative_source_path(self, source_path: str | None = None) -> str | None:
    source = source_path or self.source_path
    folder = self.settings["PATH"]
    if source is None or not os.path.isabs(folder):  # a relative folder depends on the cwd
        return _pelican_relative_path(self, source_path)
    key = (folder, source)
    if key not in _relative_paths:
        _relative_paths[key] = _pelican_relative_path(self, source_path)
    return _relative_paths[key]


Content.get_relative_source_path = _relative_source_path


# A URL pattern names a few fields (`{date:%Y}/{slug}/`); Pelican's `url_format` copies the
# whole metadata and works out all six of its own fields for each URL it formats (four times
# per article before the URLs are final: 40,000 times at 10,000 articles).
_pelican_expand = Content._expand_settings


class _Fields:
    """Content.url_format, each field worked out only when a pattern asks for it."""

    __slots__ = ("content",)

    def __init__(self, content: Content) -> None:
        self.content = content

    def __getitem__(self, name: str):
        content = self.content
        if name == "slug":
            return getattr(content, "slug", "")
        if name == "date":
            return getattr(content, "date", None) or _pelican_fields(content)["date"]
        if name in ("path", "lang", "author", "category"):
            return _pelican_fields(content)[name]
        return content.metadata[name]


def _pelican_fields(content: Content) -> dict:
    return Content.url_format.fget(content)


def _expand_settings(self, key: str, klass: str | None = None) -> str:
    """Pelican's own, with `_Fields` for `url_format`."""
    if not klass:
        klass = self.__class__.__name__
    return str(self.settings[f"{klass}_{key}".upper()]).format_map(_Fields(self))


Content._expand_settings = _expand_settings


CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
)


def _contents(generator) -> list:
    found = []
    for name in CONTENT_LISTS:
        found += list(getattr(generator, name, []) or [])
    return found


def _wrappers(generator, contents: list) -> list:
    found = list(getattr(generator, "tags", {}) or {})
    found += [wrapper for wrapper, _ in getattr(generator, "categories", []) or []]
    found += [wrapper for wrapper, _ in getattr(generator, "authors", []) or []]
    for item in contents:
        found += list(getattr(item, "tags", []) or []) + list(getattr(item, "authors", []) or [])
        if getattr(item, "category", None) is not None:
            found.append(item.category)
    return found


def mark_final(generators) -> None:
    for generator in generators:
        contents = _contents(generator)
        for item in [*contents, *_wrappers(generator, contents)]:
            item.__dict__[FINAL] = True


def register() -> None:
    signals.all_generators_finalized.connect(mark_final)
