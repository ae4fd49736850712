"""How the record keeps each release's manifest: as the articles that changed since the
release before it, and whole now and then.

A manifest names every article of the site (about 5 MB of JSON at 10,000 articles), and a
newsroom publishes many times a day. Kept whole, each publish added that much to the record
(some 55 GB a year at 30 publishes a day). So a release's manifest is kept as its change from
the latest release recorded before it (its base): the articles added or changed, the ones
gone, and the rest of the manifest (its time, the static pages). Every MAX_DEPTH-th one is
kept whole, so reading one never goes back more than MAX_DEPTH releases. Both forms are
compressed and carry the SHA-256 of the text they stand for, checked when read back: a
manifest comes back byte for byte or not at all. A manifest that `manifest.to_json` did not
write (its text is not the canonical form rebuilt from its data) is kept whole. Rows written
before this module are plain text and are read as they are.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib

from .manifest import canonical_json

FORMAT = "newsroom-manifest-1"
MAX_DEPTH = 50  # releases read to rebuild one manifest, at most
_PARTS = frozenset({"at", "articles", "pages"})


class DamagedManifest(ValueError):
    """A stored manifest that cannot be read back as the text it was stored for."""


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pack(stored: dict) -> bytes:
    return zlib.compress(json.dumps(stored, ensure_ascii=False).encode("utf-8"))


def _unpack(release_id: str, value) -> dict:
    """A stored row's form: {"text": ...} for plain text rows of before, else what _pack kept."""
    if isinstance(value, str):
        return {"text": value}
    try:
        stored = json.loads(zlib.decompress(value).decode("utf-8"))
    except (TypeError, ValueError, zlib.error):
        raise DamagedManifest(f"{release_id}: không giải nén hoặc không đọc được") from None
    if not isinstance(stored, dict) or stored.get("format") != FORMAT:
        raise DamagedManifest(f"{release_id}: không phải dạng {FORMAT}")
    return stored


def base_of(release_id: str, stored) -> str | None:
    """The release a stored manifest is kept as a change from (None: kept whole)."""
    base = _unpack(release_id, stored).get("base")
    return base if isinstance(base, str) else None


def _row(db: sqlite3.Connection, release_id: str) -> dict | None:
    found = db.execute("SELECT manifest FROM releases WHERE id = ?", (release_id,)).fetchone()
    return None if found is None else _unpack(release_id, found[0])


def _articles_by_slug(data) -> dict[str, dict] | None:
    """A manifest's articles by slug, when it is in the form a change can be kept against:
    the canonical parts, each article with its own slug, in slug order (as `plan` makes it)."""
    if not isinstance(data, dict) or not set(data) <= _PARTS or "articles" not in data:
        return None
    articles = data["articles"]
    if not isinstance(articles, list):
        return None
    slugs = [item.get("slug") if isinstance(item, dict) else None for item in articles]
    if not all(isinstance(slug, str) for slug in slugs) or slugs != sorted(set(slugs)):
        return None
    return dict(zip(slugs, articles, strict=True))


def _rebuilt(by_slug: dict[str, dict], rest: dict) -> str:
    return canonical_json({**rest, "articles": [by_slug[slug] for slug in sorted(by_slug)]})


def text_of(db: sqlite3.Connection, release_id: str) -> str | None:
    """The manifest text recorded for `release_id` (None: no such release)."""
    found = read(db, release_id)
    return None if found is None else found[0]


def read(db: sqlite3.Connection, release_id: str) -> tuple[str, int] | None:
    """The manifest text recorded for `release_id`, and how many changes it is kept as."""
    chain: list[dict] = []
    current: str | None = release_id
    while current is not None:
        stored = _row(db, current)
        if stored is None:
            if not chain:
                return None
            raise DamagedManifest(f"{chain[-1]['_id']}: thiếu bản gốc {current}")
        stored["_id"] = current
        chain.append(stored)
        if "text" in stored or len(chain) > MAX_DEPTH + 1:
            break
        current = stored.get("base")
    whole = chain.pop()
    if "text" not in whole or not isinstance(whole["text"], str):
        raise DamagedManifest(f"{whole['_id']}: chuỗi thay đổi không dẫn tới bản đầy đủ")
    text = whole["text"]
    if chain:  # changes on top of it, oldest first
        by_slug = _articles_by_slug(json.loads(text))
        if by_slug is None:
            raise DamagedManifest(f"{whole['_id']}: bản gốc không ở dạng chuẩn")
        try:
            for change in reversed(chain):
                for slug in change["removed"]:
                    del by_slug[slug]
                for article in change["changed"]:
                    by_slug[article["slug"]] = article
            text = _rebuilt(by_slug, chain[0]["rest"])
        except (KeyError, TypeError, AttributeError):
            raise DamagedManifest(f"{release_id}: thay đổi thiếu hoặc sai trường") from None
    expected = (chain[0] if chain else whole).get("sha256")
    if expected is not None and expected != _sha256(text):
        raise DamagedManifest(f"{release_id}: SHA-256 không khớp")
    return text, len(chain)


def encode(
    db: sqlite3.Connection, text: str, known: dict[str, tuple[str, int]] | None = None
) -> bytes:
    """What the record stores for a new release whose manifest is `text`: its change from the
    latest release recorded, or the whole text (the first, every MAX_DEPTH-th, and any that
    is not canonical). `known`: what `read` gave for releases read already (a publish has
    read the live one, usually the latest)."""
    digest = _sha256(text)
    whole = {"format": FORMAT, "sha256": digest, "text": text}
    latest = db.execute("SELECT id FROM releases ORDER BY seq DESC LIMIT 1").fetchone()
    if latest is None:
        return _pack(whole)
    try:
        data = json.loads(text)
        new = _articles_by_slug(data)
        found = None
        if new is not None:
            found = (known or {}).get(latest[0]) or read(db, latest[0])
        base_text, depth = found if found is not None else ("", MAX_DEPTH)
        depth += 1
        base = _articles_by_slug(json.loads(base_text)) if depth <= MAX_DEPTH else None
    except (ValueError, DamagedManifest):  # a base that cannot be read: start again whole
        base = None
    if base is None or new is None or canonical_json(data) != text:
        return _pack(whole)
    changed = [article for slug, article in new.items() if base.get(slug) != article]
    removed = sorted(set(base) - set(new))
    rest = {key: value for key, value in data.items() if key != "articles"}
    # The text this change rebuilds, checked before it is kept in place of the whole.
    rebuilt = dict(base)
    for slug in removed:
        del rebuilt[slug]
    rebuilt.update((article["slug"], article) for article in changed)
    if _rebuilt(rebuilt, rest) != text:
        return _pack(whole)
    change = {"format": FORMAT, "sha256": digest, "base": latest[0]}
    return _pack({**change, "rest": rest, "changed": changed, "removed": removed})
