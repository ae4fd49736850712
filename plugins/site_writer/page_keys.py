"""Page keys: render a page again only when something it reads changed.

A page's bytes are a function of the code (templates, plugins, settings
files, tool versions: the build's own key, `SITE_WRITER_BUILD`) and of the
values its template looks up by name while rendering. Jinja looks every
top-level name up through `Context.resolve_or_missing`; `RecordingContext`
notes those names while a page renders. The page's key is the build key plus
a fingerprint of each noted name's value, and is kept with the names
(`SITE_WRITER_KEYS`). The next build computes the key again from the same
names: if it is equal, every value the render read is equal, so the render
would take the same path and give the same bytes, and the page is taken from
the previous release (`SITE_WRITER_PREVIOUS`) by hard link instead (Pelican's
`content_written` signal is not sent for it; no plugin of ours listens to it).

A fingerprint covers a value's whole data, with one limit: an article seen
through another article (a related story, a neighbour) is fingerprinted
without the articles it points to in turn (only their URL), which templates
never follow. A value that cannot be fingerprinted faithfully (an iterator,
an object whose repr is an address, an article whose HTML links other content
by its source, `{filename}…`, which Pelican resolves from the whole build as
the page renders) makes its page unkeyable: it is always rendered.
tests/test_incremental.py holds the whole scheme to the bytes of a clean build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import struct
import sys
import types
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path, PurePath

from jinja2.runtime import Context
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

KEYS_VERSION = 2  # 2: each list of names once
CONTENT_DEPTH = 2  # the page's own article, and articles it shows; deeper ones by URL only
# Constant in one build, global, or a cache of values derived from the others (url_memo),
# which fills as pages render and so differs from page to page.
SKIPPED_ATTRIBUTES = frozenset({"settings", "_context", "_url_memo"})
_MISSING = object()
_SCALARS = frozenset({str, int, float, bool, type(None)})

_noted: set[str] | None = None  # names looked up by the page being rendered


class RecordingContext(Context):
    """A Jinja context that notes each name a template looks up."""

    def resolve_or_missing(self, key: str):
        if _noted is not None:
            _noted.add(key)
        return super().resolve_or_missing(key)


def start_noting() -> None:
    global _noted
    _noted = set()


def stop_noting() -> list[str]:
    global _noted
    names, _noted = sorted(_noted or ()), None
    return names


class Unkeyable(Exception):
    """A value whose fingerprint would not stand for its data: render the page."""


_HOLE = b"@"  # where an article sits in a value's shape (no other token is this one byte)
Shape = tuple[bytes, tuple]  # a digest with a hole for each article, and those articles


class Fingerprints:
    """Fingerprints of a build's values, each computed once (the values live until the build
    ends, so their ids stay theirs).

    A value's shape is its digest with a hole wherever an article sits, and the articles in
    those holes, in order; it does not depend on how deep the value is seen, so each value's
    data is walked once per build (it was walked at each depth). A fingerprint at a depth
    fills the holes with the articles' fingerprints at that depth; an article's own holes are
    one level deeper, and from CONTENT_DEPTH on an article counts by its URL only."""

    def __init__(self) -> None:
        # by id, every value with parts (articles too): its digest alone when it has no hole
        # (most values: a rendering process keeps a few hundred thousand)
        self._shapes: dict[int, bytes | Shape] = {}
        self._filled: dict[tuple[int, int], bytes] = {}  # (id, depth): values with holes
        self._open: set[int] = set()
        self._wrappers: dict[tuple, Shape] = {}

    def of(self, value, depth: int = 0) -> bytes:
        """A token for `value`: its text for a scalar, a digest of its parts otherwise."""
        token = _scalar(value)
        if token is not None:
            return token
        if isinstance(value, Content):
            return self._article(value, depth)
        digest, holes = self._shape(value)
        if not holes:
            return digest
        key = (id(value), depth)
        known = self._filled.get(key)
        if known is None:
            known = self._filled[key] = self._fill(digest, holes, depth)
        return known

    def _article(self, article: Content, depth: int) -> bytes:
        key = (id(article), depth)
        known = self._filled.get(key)
        if known is None:
            if depth >= CONTENT_DEPTH:
                kind = type(article)
                name = f"{kind.__module__}.{kind.__qualname__}"
                known = _digest(name, str(getattr(article, "url", "")).encode())
            else:
                digest, holes = self._shape(article)
                known = self._fill(digest, holes, depth + 1)
            self._filled[key] = known
        return known

    def _fill(self, digest: bytes, holes: tuple, depth: int) -> bytes:
        """A shape's fingerprint at `depth`: its holes filled with the articles seen there."""
        if not holes:
            return digest
        return _digest("filled", digest, *(self._article(article, depth) for article in holes))

    def _part(self, value) -> Shape:
        kind = type(value)  # the scalars of _scalar, inline: most parts are one
        if kind is str:
            return b"s" + value.encode("utf-8", "surrogatepass"), ()
        if kind in _SCALARS:
            return kind.__name__.encode() + repr(value).encode(), ()
        if isinstance(value, Content):
            return _HOLE, (value,)
        return self._shape(value)

    def _shape(self, value) -> Shape:
        known = self._shapes.get(id(value))
        if known is not None:
            return (known, ()) if type(known) is bytes else known
        if id(value) in self._open:  # a cycle that no article breaks
            raise Unkeyable(f"vòng tham chiếu qua {type(value).__name__}")
        self._open.add(id(value))
        try:
            shape = self._compute(value)
            self._shapes[id(value)] = shape if shape[1] else shape[0]
        finally:
            self._open.discard(id(value))
        return shape

    def _parts(self, name: str, values, labels=None) -> Shape:
        tokens, holes = [], []
        part = self._part
        for index, value in enumerate(values):
            token, inner = part(value)
            tokens.append(token if labels is None else labels[index] + token)
            if inner:
                holes.extend(inner)
        return _digest(name, *tokens), tuple(holes)

    def _compute(self, value) -> Shape:
        kind = type(value)
        way = _WAYS.get(kind)
        if way is None:
            way = _WAYS[kind] = _way_for(kind)
        return way(self, value, f"{kind.__module__}.{kind.__qualname__}")

    # One way to fingerprint each type of value, chosen once per type (_way_for).

    def _text(self, value, name: str) -> Shape:  # Markup
        return _digest(name, value.encode("utf-8", "surrogatepass")), ()

    def _content(self, value, name: str) -> Shape:
        if _links_by_source(value):
            raise Unkeyable(f"{value.source_path} liên kết nội dung khác theo tệp nguồn")
        return self._members(name, _attributes(value))

    def _sequence(self, value, name: str) -> Shape:
        if all(type(item) in _SCALARS for item in value):  # one repr, not one token each
            return _digest(name, repr(value).encode("utf-8", "surrogatepass")), ()
        return self._parts(name, value)

    def _mapping(self, value, name: str) -> Shape:
        if type(value) is dict and all(
            type(k) in _SCALARS and type(v) in _SCALARS for k, v in value.items()
        ):
            # one repr, as for a list (one part: other dicts give an even number of parts)
            return _digest(name, repr(value).encode("utf-8", "surrogatepass")), ()
        return self._parts(name, [part for pair in value.items() for part in pair])

    def _set(self, value, name: str) -> Shape:
        shapes = sorted((self._part(item) for item in value), key=_set_order)
        return _digest(name, *(token for token, _ in shapes)), tuple(
            article for _, inner in shapes for article in inner
        )

    def _bytes(self, value, name: str) -> Shape:
        return _digest(name, bytes(value)), ()

    def _by_repr(self, value, name: str) -> Shape:  # dates, times, zones, paths
        return _digest(name, repr(value).encode()), ()

    def _code(self, value, name: str) -> Shape:
        return _digest(name, f"{value.__module__}.{value.__qualname__}".encode()), ()

    def _method(self, value, name: str) -> Shape:  # may read all its object shows: full depth
        method = value.__func__.__qualname__.encode()
        return _digest(name, method, self.of(value.__self__)), ()

    def _wrapper(self, value, name: str) -> Shape:
        # A tag, author or section: all else derives from these (each article has its own
        # objects for the same tags: one digest per tag).
        identity = (name, type(value.name), value.name, type(value.slug), value.slug)
        known = self._wrappers.get(identity)
        if known is None:
            known = self._wrappers[identity] = self._parts(name, [value.name, value.slug])
        return known

    def _frozen(self, value, name: str) -> Shape:
        text = repr(value)  # an immutable value: its repr shows it all,
        if " at 0x" not in text:  # unless it holds an object shown by address
            return _digest(name, text.encode("utf-8", "surrogatepass")), ()
        return self._fields(value, name)

    def _fields(self, value, name: str) -> Shape:
        return self._members(
            name, {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        )

    def _object_or_other(self, value, name: str) -> Shape:
        if hasattr(value, "__dict__"):
            return self._members(name, _attributes(value))
        return self._other(value, name)

    def _other(self, value, name: str) -> Shape:
        text = repr(value)
        if " at 0x" in text or " object at " in text:
            raise Unkeyable(f"không lấy được dấu vân tay của {name}")
        return _digest(name, text.encode("utf-8", "surrogatepass")), ()

    def _members(self, name: str, members: dict) -> Shape:
        labels = _LABELS.get(keys := tuple(members))
        if labels is None:
            labels = _LABELS[keys] = [key.encode() + b"=" for key in keys]
        return self._parts(name, list(members.values()), labels)

    def page(self, build: str, call: str, names: list[str], lookup) -> str:
        """The key of one page: the build, the call that asked for it, and each name's value."""
        parts = [build.encode(), call.encode()]
        for name in names:
            value = lookup(name, _MISSING)
            parts.append(name.encode() + b"=" + (b"-" if value is _MISSING else self.of(value)))
        return _digest("page", *parts).hex()


def _links_by_source(article: Content) -> bool:
    """Whether the article's HTML links other content by its source (`{filename}…`): Pelican
    resolves such a link as the page renders, from every item of the build (`_context`, which
    no key covers), so the page is rendered every time."""
    packed = vars(article).get("_get_content")
    if packed is not None:  # plugins/packed_content found out when it packed the HTML
        return getattr(packed, "links_by_source", True)
    html = vars(article).get("_content")
    return isinstance(html, str) and article._get_intrasite_link_regex().search(html) is not None


def _attributes(value) -> dict:
    return {k: v for k, v in sorted(vars(value).items()) if k not in SKIPPED_ATTRIBUTES}


def _scalar(value) -> bytes | None:
    """A scalar's token (its text), or None for any other value."""
    kind = type(value)
    if kind is str:
        return b"s" + value.encode("utf-8", "surrogatepass")
    if value is None or kind is bool or kind is int or kind is float:
        return kind.__name__.encode() + repr(value).encode()
    return None


def _set_order(shape: Shape) -> tuple:
    """A set's members in an order of their data (a set's own order differs between runs);
    articles by where they come from."""
    token, holes = shape
    return token, [(str(getattr(a, "source_path", "")), str(getattr(a, "url", ""))) for a in holes]


def _digest(kind: str, *parts: bytes) -> bytes:
    """One digest of `parts`, each told apart by its length (their count, then their lengths,
    then their bytes)."""
    head = struct.pack(f"<Q{len(parts)}Q", len(parts), *map(len, parts))
    return hashlib.blake2b(kind.encode() + head + b"".join(parts), digest_size=16).digest()


_WAYS: dict[type, object] = {}  # type -> the Fingerprints method for its values
_LABELS: dict[tuple, list[bytes]] = {}  # attribute names -> their labels


def _way_for(kind: type):
    """How values of `kind` are fingerprinted. It depends only on the type, so it is chosen
    once per type (a value's type was tested against a dozen kinds, some 240,000 times per
    rendering process at 10,000 articles)."""
    F = Fingerprints
    if issubclass(kind, str):
        return F._text
    if issubclass(kind, Content):
        return F._content
    if issubclass(kind, (list, tuple)):
        return F._sequence
    if issubclass(kind, dict):
        return F._mapping
    if issubclass(kind, (set, frozenset)):
        return F._set
    if issubclass(kind, (bytes, bytearray)):
        return F._bytes
    if issubclass(kind, (datetime, date, time, timedelta, tzinfo, PurePath)):
        return F._by_repr
    if issubclass(kind, (types.FunctionType, types.BuiltinFunctionType, type)):
        return F._code
    if issubclass(kind, types.MethodType):
        return F._method
    if issubclass(kind, URLWrapper):
        return F._wrapper
    if dataclasses.is_dataclass(kind):
        return F._frozen if kind.__dataclass_params__.frozen else F._fields
    if issubclass(kind, types.ModuleType):
        return F._other
    return F._object_or_other


# The keys of a release, kept outside it ------------------------------------


def shared_names(pages: dict) -> dict[str, tuple[str, tuple[str, ...]]]:
    """`pages` with each list of names as one shared tuple: 16,000 pages look up a few dozen
    lists of the same names, which would otherwise be 16,000 lists of new strings."""
    lists: dict[tuple[str, ...], tuple[str, ...]] = {}
    compact = {}
    for page, (key, names) in pages.items():
        names = tuple(sys.intern(str(name)) for name in names)
        compact[page] = (str(key), lists.setdefault(names, names))
    return compact


def pack(pages: dict) -> dict:
    """Page keys as JSON data that holds each list of names once (and so loads as one)."""
    lists: dict[tuple[str, ...], int] = {}
    packed = {
        page: [key, lists.setdefault(tuple(names), len(lists))]
        for page, (key, names) in pages.items()
    }
    return {"lists": [list(names) for names in lists], "pages": packed}


def unpack(data: dict) -> dict[str, tuple[str, tuple[str, ...]]]:
    lists = [tuple(sys.intern(str(name)) for name in names) for names in data["lists"]]
    return {str(page): (str(key), lists[number]) for page, (key, number) in data["pages"].items()}


def load(path: str | None, build: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The keys of the previous release, when they were made by this build's code."""
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text("utf-8"))
        if data.get("version") != KEYS_VERSION or data.get("build") != build:
            return {}
        return unpack(data)
    except (OSError, ValueError, TypeError, AttributeError, KeyError, IndexError):
        return {}  # lost or damaged: every page is rendered


def save(path: str, build: str, pages: dict) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    data = {"version": KEYS_VERSION, "build": build, **pack(pages)}
    with temporary.open("w", encoding="utf-8") as file:  # in pieces, at the build's peak
        json.dump(data, file, separators=(",", ":"), sort_keys=True)
    os.replace(temporary, target)
