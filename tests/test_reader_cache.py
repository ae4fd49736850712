"""The reader cache keeps the entries of the versions (code and reader settings) used last,
and drops the others: it does not grow by a whole site with every deploy."""

from __future__ import annotations

import time
from pathlib import Path

from plugins.photos.reader_cache import KEEP_VERSIONS, PRUNED, CachedRead, ReaderCache


def _cache(root: Path, siteurl: str) -> ReaderCache:
    settings = {"MARKDOWN": {}, "SITEURL": siteurl, "FORMATTED_FIELDS": ["summary"]}
    return ReaderCache(root, settings, "photo settings")


def _entry(text: str) -> CachedRead:
    return CachedRead(f"<p>{text}</p>", {"title": [text]}, [], {}, {})


def _left(root: Path, deadline: float = 20.0) -> set[str]:
    """The folders in `root` once the background deletion is done."""
    stop = time.monotonic() + deadline
    while any(p.name.startswith(PRUNED) for p in root.iterdir()) and time.monotonic() < stop:
        time.sleep(0.05)
    return {p.name for p in root.iterdir()}


def test_reader_cache_keeps_the_versions_used_last_and_drops_the_rest(tmp_path):
    root = tmp_path / "readers"
    legacy = root / "ab"  # an entry folder of the layout before versions
    legacy.mkdir(parents=True)
    (legacy / "ab12.pickle").write_bytes(b"old")
    (root / "read-ahead.json").write_text("{}", "utf-8")  # the build's figures stay
    caches = []
    for number in range(KEEP_VERSIONS + 2):  # a deploy (or a settings change) after another
        cache = _cache(root, f"https://{number}.example")
        cache.store(cache.key(b"bai", {}), _entry(f"bai {number}"))
        caches.append(cache)
        time.sleep(0.05)  # each version used after the one before
    kept = {cache.folder.name for cache in caches[-KEEP_VERSIONS:]}
    assert _left(root) == kept | {"read-ahead.json"}
    newest = caches[-1]
    assert newest.load(newest.key(b"bai", {})) == _entry(f"bai {KEEP_VERSIONS + 1}")


def test_reader_cache_version_used_again_counts_as_recent(tmp_path):
    root = tmp_path / "readers"
    live = _cache(root, "https://a.example")  # the live site's settings
    live.store(live.key(b"bai", {}), _entry("bai"))
    versions = {}
    for name in ("b", "c", "a", "d"):  # previews with other settings, a publish between
        time.sleep(0.05)
        versions[name] = _cache(root, f"https://{name}.example").folder.name
    again = _cache(root, "https://a.example")
    assert again.load(again.key(b"bai", {})) == _entry("bai")  # still there
    assert _left(root) == {versions["c"], versions["a"], versions["d"]}  # b used least lately
