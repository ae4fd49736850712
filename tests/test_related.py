"""Related articles come only from earlier ones, ranked by shared tags, places and section."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from plugins.related.related import RELATED_WINDOW, choose_related

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
