"""Related articles come only from earlier ones, ranked by shared tags, places and section."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.related.related import RELATED_WINDOW, attach_related, choose_related

START = datetime(2023, 1, 1, 8)


def _article(number: int, section: str, tags: list[str], places: str = ""):
    return SimpleNamespace(
        slug=f"bai-{number}",
        date=START + timedelta(days=number),
        category=SimpleNamespace(slug=section),
        tags=[SimpleNamespace(slug=tag) for tag in tags],
        metadata={"places": places},
    )


def test_related_are_only_earlier_articles():
    articles = [_article(n, "bien-gioi", ["tuan-tra"]) for n in range(1, 8)]
    related = choose_related(articles)
    assert related["bai-1"] == []
    for article in articles:
        assert all(other.date < article.date for other in related[article.slug])


def test_related_prefers_shared_tags_then_places_then_section():
    articles = [
        _article(1, "thoi-su", ["buon-lau"]),  # shares a tag
        _article(2, "thoi-su", [], "Lạng Sơn"),  # shares a place
        _article(3, "bien-gioi", []),  # same section only
        _article(4, "thoi-su", ["khac"]),  # shares nothing
        _article(5, "bien-gioi", ["buon-lau"], "Lạng Sơn"),
    ]
    related = [a.slug for a in choose_related(articles)["bai-5"]]
    assert related == ["bai-1", "bai-2", "bai-3"]


def test_related_caps_at_five():
    articles = [_article(n, "bien-gioi", ["tuan-tra"]) for n in range(1, 12)]
    assert len(choose_related(articles)["bai-11"]) == 5


def test_new_article_never_changes_older_related_lists():
    articles = [_article(n, "bien-gioi", ["tuan-tra"], "Hà Giang") for n in range(1, 9)]
    before = {slug: [a.slug for a in items] for slug, items in choose_related(articles).items()}
    articles.append(_article(9, "bien-gioi", ["tuan-tra"], "Hà Giang"))
    after = {slug: [a.slug for a in items] for slug, items in choose_related(articles).items()}
    assert {slug: after[slug] for slug in before} == before


def test_publishing_a_new_article_leaves_older_article_pages_unchanged(empty_project):
    from pipeline.vietnamese import TIMEZONE
    from tests.helpers import write_article
    from tests.workflow_helpers import publish_all

    def add(slug: str, day: int, section: str) -> None:
        when = datetime(2023, 1, day, 8, tzinfo=TIMEZONE)
        write_article(empty_project, slug, when, section=section, tags="tuần tra, Hà Giang")

    add("bai-mot", 1, "Biên giới")
    add("bai-hai", 2, "Thời sự")
    add("bai-ba", 3, "Biên giới")
    output = publish_all(empty_project)
    old_page = output / "2023/01/01/bai-mot/index.html"
    before = old_page.read_bytes()
    assert b"/2023/01/03/bai-ba/" in before  # its newer neighbour in the section
    add("bai-bon", 4, "Thời sự")
    output = publish_all(empty_project)
    assert (output / "2023/01/01/bai-mot/index.html").read_bytes() == before
    related = (output / "2023/01/04/bai-bon/index.html").read_text("utf-8")
    assert "/2023/01/01/bai-mot/" in related  # the new article relates to earlier ones


def test_candidates_are_the_most_recent_window_of_each_shared_feature():
    # The oldest article shares two tags; a hundred later ones share one: it is out of both
    # windows, so the new article relates to recent coverage only.
    oldest = _article(1, "thoi-su", ["buon-lau", "ma-tuy"])
    later = [_article(n, "thoi-su", ["buon-lau"]) for n in range(2, 102)]
    later += [_article(n, "bien-gioi", ["ma-tuy"]) for n in range(102, 202)]
    new = _article(202, "kinh-te", ["buon-lau", "ma-tuy"])
    related = [a.slug for a in choose_related([oldest, *later, new])["bai-202"]]
    assert related == ["bai-201", "bai-200", "bai-199", "bai-198", "bai-197"]
    assert "bai-1" not in related
    assert RELATED_WINDOW < 100


def _slugs(related: dict) -> dict[str, list[str]]:
    return {slug: [a.slug for a in items] for slug, items in related.items()}


def test_a_kept_list_is_taken_only_while_nothing_before_its_article_changed():
    articles = [_article(n, "bien-gioi", ["tuan-tra"], "Hà Giang") for n in range(1, 9)]
    kept: dict = {}
    choose_related(articles, kept)
    kept["bai-3"][1] = []  # a list that scoring would never give: seen only if taken
    kept["bai-6"][1] = []
    articles[3] = _article(4, "bien-gioi", ["buon-lau"])  # bai-4's tags change
    related, fresh = _slugs(choose_related(articles, kept)), _slugs(choose_related(articles))
    assert related["bai-3"] == []  # before the change: taken as kept
    assert related["bai-6"] == fresh["bai-6"] != []  # after it: scored again
    assert related == fresh | {"bai-3": []}


_edits = st.lists(
    st.tuples(
        st.integers(0, 11),  # which article
        st.sampled_from(["tags", "section", "date", "drop", "add"]),
        st.sampled_from(["tuan-tra", "buon-lau", "dan-van"]),
    ),
    max_size=4,
)


@settings(max_examples=80, deadline=None)
@given(
    tags=st.lists(st.sampled_from(["tuan-tra", "buon-lau", "dan-van", "le-hoi"]), min_size=12,
                  max_size=12),
    edits=_edits,
)  # fmt: skip
def test_lists_taken_from_an_earlier_build_equal_lists_scored_afresh(tags, edits):
    sections = ["bien-gioi", "thoi-su", "doi-song"]
    articles = [_article(n, sections[n % 3], [tags[n]], "Hà Giang" * (n % 2)) for n in range(12)]
    kept: dict = {}
    choose_related(articles, kept)
    for which, edit, tag in edits:
        if not articles:
            break
        article = articles[which % len(articles)]
        if edit == "tags":
            article.tags = [SimpleNamespace(slug=tag)]
        elif edit == "section":
            article.category = SimpleNamespace(slug=tag)
        elif edit == "date":
            article.date = START + timedelta(days=which * 7 % 13, hours=1)
        elif edit == "drop":
            articles.remove(article)
        else:
            articles.append(_article(100 + which, "thoi-su", [tag]))
    assert _slugs(choose_related(articles, kept)) == _slugs(choose_related(articles))


def test_kept_lists_of_another_build_or_a_damaged_file_are_not_taken(tmp_path):
    articles = [_article(n, "bien-gioi", ["tuan-tra"]) for n in range(1, 6)]
    path = tmp_path / "related.json"
    generator = SimpleNamespace(
        articles=articles, settings={"RELATED_CACHE_PATH": str(path), "RELATED_CACHE_BUILD": "a"}
    )
    attach_related(generator)
    fresh = {a.slug: [o.slug for o in a.related] for a in articles}
    data = json.loads(path.read_text("utf-8"))
    assert data["build"] == "a" and data["articles"]["bai-5"][1] == fresh["bai-5"]
    for entry in data["articles"].values():
        entry[1] = []  # lists scoring would not give: seen only if taken
    path.write_text(json.dumps(data), "utf-8")
    generator.settings["RELATED_CACHE_BUILD"] = "b"  # other code or settings
    attach_related(generator)
    assert {a.slug: [o.slug for o in a.related] for a in articles} == fresh
    path.write_text("{hỏng", "utf-8")
    attach_related(generator)
    assert {a.slug: [o.slug for o in a.related] for a in articles} == fresh
    assert json.loads(path.read_text("utf-8"))["build"] == "b"  # written again, whole
