"""ASCII, Vietnamese-correct slugs, made once and then kept."""

from __future__ import annotations

from functools import lru_cache

from slugify import slugify as _slugify

MAX_LENGTH = 80

# python-slugify transliterates Đ/đ correctly; a slash between numbers (16/9)
# must become a hyphen, which its default separator handling already does.


@lru_cache(maxsize=16384)  # a build slugs each tag and author name once per article
def make_slug(text: str, max_length: int = MAX_LENGTH) -> str:
    """`Cụm thi đua số 1: Ngày 16/9` -> `cum-thi-dua-so-1-ngay-16-9`, cut at a word boundary."""
    return _slugify(text, max_length=max_length, word_boundary=True, save_order=True)


def is_valid_slug(slug: str) -> bool:
    return bool(slug) and len(slug) <= MAX_LENGTH and slug == make_slug(slug)
