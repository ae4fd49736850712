"""Page keys: a page's key changes with every value its template reads, and only with those.

The whole scheme is held to the bytes of a clean build in test_incremental.py;
these tests pin its two parts: which names a render reads, and what a value's
fingerprint covers.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Category, Tag

from plugins.site_writer import page_keys
from plugins.site_writer.page_keys import Fingerprints, RecordingContext, Unkeyable

TEMPLATES = {
    "macros.html": (
        "{% macro rail() %}{% for item in LATEST %}{{ item }}{% endfor %}{% endmacro %}"
        "{% macro title() %}{{ SITENAME }}{% endmacro %}"
    ),
    "page.html": (
        '{% from "macros.html" import rail, title with context %}'
        "{{ title() }}: {{ article }}{% if show_rail %}{{ rail() }}{% endif %}"
    ),
}


def _names_read(**context) -> list[str]:
    environment = Environment(loader=DictLoader(TEMPLATES))
    environment.context_class = RecordingContext
    page_keys.start_noting()
    environment.get_template("page.html").render(context)
    return page_keys.stop_noting()


def test_a_render_notes_the_names_it_reads_through_macros_and_only_those():
    without_rail = _names_read(SITENAME="Báo", article="Bài", show_rail=False, LATEST=["x"])
    assert {"SITENAME", "article", "show_rail"} <= set(without_rail)
    assert "LATEST" not in without_rail  # a macro that is not called reads nothing
    with_rail = _names_read(SITENAME="Báo", article="Bài", show_rail=True, LATEST=["x"])
    assert "LATEST" in with_rail


def _article(title: str, **extra) -> Article:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    metadata = {"title": title, "slug": title.lower().replace(" ", "-"), **extra}
    return Article("<p>Nội dung</p>", metadata=metadata, settings=settings)


def test_equal_data_gives_equal_fingerprints_in_separate_objects():
    first = Fingerprints().of({"article": _article("Bai mot"), "n": [1, 2]})
    second = Fingerprints().of({"article": _article("Bai mot"), "n": [1, 2]})
    assert first == second


def test_an_article_shown_through_another_changes_its_key():
    page, other = _article("Bai hai"), _article("Bai mot")
    page.related = [other]
    before = Fingerprints().of(page)
    other.title = "Bai mot da sua"
    assert Fingerprints().of(page) != before


def test_articles_two_steps_away_count_by_their_url_only():
    page, related, further = _article("Bai ba"), _article("Bai hai"), _article("Bai mot")
    page.related, related.related = [related], [further]
    before = Fingerprints().of(page)
    further.title = "Bai mot da sua"  # not shown on the page: its URL did not change
    assert Fingerprints().of(page) == before
    further.slug = "bai-khac"  # its URL changed
    assert Fingerprints().of(page) != before


def test_an_article_walked_once_keeps_what_each_depth_shows_of_it():
    page, shown, further = _article("Bai ba"), _article("Bai hai"), _article("Bai mot")
    page.related, shown.related = [shown], [further]  # `further` is on shown's page only
    prints = Fingerprints()
    own, through = prints.of(shown), prints.of(page)  # `shown` at depth 0, then at depth 1
    reverse = Fingerprints()
    assert (reverse.of(page), reverse.of(shown)) == (through, own)  # order does not matter
    further.title = "Bai mot da sua"
    after = Fingerprints()
    assert after.of(page) == through  # two steps from page's own article: its URL only
    assert after.of(shown) != own


def test_tags_of_different_articles_count_by_value():
    settings = copy.deepcopy(DEFAULT_CONFIG)
    first, second = _article("Bai mot"), _article("Bai hai")
    first.tags, second.tags = [Tag("biên giới", settings)], [Tag("biên giới", settings)]
    prints = Fingerprints()
    assert prints.of(first.tags) == prints.of(second.tags)
    assert prints.of([Tag("biên giới", settings)]) != prints.of([Category("biên giới", settings)])


def test_a_method_held_by_an_article_covers_what_its_own_article_shows():
    page, shown, further = _article("Bai ba"), _article("Bai hai"), _article("Bai mot")
    page.tom_tat, shown.related = shown.get_relative_source_path, [further]
    before = Fingerprints().of(page)
    further.title = "Bai mot da sua"  # the method may read `shown.related[0].title`
    assert Fingerprints().of(page) != before


def test_tags_whose_names_differ_only_in_escaping_are_told_apart():
    settings = copy.deepcopy(DEFAULT_CONFIG)
    prints = Fingerprints()
    plain, markup = Tag("a&b", settings), Tag(Markup("a&b"), settings)
    assert prints.of(plain) != prints.of(markup)


def test_a_tag_counts_by_its_name_and_slug_not_by_cached_state():
    settings = copy.deepcopy(DEFAULT_CONFIG)
    tag, same = Tag("biên giới", settings), Tag("biên giới", settings)
    same.__dict__["_url_memo"] = {"url": "chu-de/bien-gioi/"}  # filled while pages render
    assert Fingerprints().of(tag) == Fingerprints().of(same)
    assert Fingerprints().of(tag) != Fingerprints().of(Tag("biển đảo", settings))


class _Opaque:
    __slots__ = ()


def test_a_value_known_only_by_its_address_makes_the_page_unkeyable():
    with pytest.raises(Unkeyable):
        Fingerprints().of({"thing": _Opaque()})
    with pytest.raises(Unkeyable):
        Fingerprints().of(iter([1, 2]))


@dataclass(frozen=True)
class _Listing:
    heading: str
    items: list


def test_a_frozen_value_is_known_by_its_repr_unless_it_holds_articles():
    article = _article("Bai mot")
    listing = _Listing("Tin mới", [article])
    before = Fingerprints().of(listing)
    article.title = "Bai mot da sua"  # the repr shows the article by address only
    assert Fingerprints().of(listing) != before
    assert Fingerprints().of(_Listing("Tin mới", ["a"])) != Fingerprints().of(
        _Listing("Tin cũ", ["a"])
    )


def test_loaded_keys_hold_each_list_of_names_once(tmp_path):
    names = ["SITENAME", "article", "articles_page"]
    pages = {f"{n}/index.html": (f"k{n}", list(names)) for n in range(50)}
    pages["tim-kiem/index.html"] = ("ks", ["SITENAME", "page"])
    path = tmp_path / "keys.json"
    page_keys.save(str(path), "build-1", pages)
    assert len(json.loads(path.read_text("utf-8"))["lists"]) == 2  # written once each, too
    loaded = page_keys.load(str(path), "build-1")
    assert {page: (key, list(found)) for page, (key, found) in loaded.items()} == pages
    assert len({id(found) for _key, found in loaded.values()}) == 2  # one tuple per list
    assert page_keys.load(str(path), "build-2") == {}  # other code: every page renders
