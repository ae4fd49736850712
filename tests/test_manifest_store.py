"""Release manifests in the record: kept as their change from the release before, read back
byte for byte, never all read at once, and a damaged one is one clear line."""

from __future__ import annotations

import sqlite3
import tempfile
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import manifest_store
from pipeline.errors import NewsroomError
from pipeline.manifest import (
    Manifest,
    ManifestArticle,
    changed_years,
    changes,
    from_json,
    to_json,
)
from pipeline.publish import publish
from pipeline.record import Record
from tests.workflow_helpers import (
    cli,
    live,
    lose_record,
    make_newsroom,
    restore_after_losing_record,
    story,
    submit_and_approve,
)

AT = "2024-05-06T07:00:00+07:00"


def _article(slug: str, revision: str) -> ManifestArticle:
    return ManifestArticle(
        slug=slug,
        url=f"2024/05/06/{slug}/",
        published=AT,
        revision=revision,
        files={"index.md": revision, "anh.jpg": "f" * 64},
        modified=AT,
    )


def _manifest(articles: dict[str, str], at: str = AT, pages: dict | None = None) -> str:
    chosen = tuple(_article(slug, revision) for slug, revision in sorted(articles.items()))
    return to_json(Manifest(at=at, articles=chosen, pages=pages or {}))


def _add(record: Record, release_id: str, text: str) -> None:
    with record.transaction():
        record.add_release(release_id, AT, "publish", None, text)


def _stored_bytes(record: Record) -> int:
    return record.db.execute("SELECT SUM(LENGTH(manifest)) FROM releases").fetchone()[0]


# One step of a newsroom's history: articles added, corrected or dropped, the static pages
# changed, or (rarely) a manifest text that to_json did not write.
_steps = st.lists(
    st.tuples(
        st.sampled_from(["add", "correct", "drop", "pages", "odd"]),
        st.integers(min_value=0, max_value=30),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(_steps)
def test_every_release_manifest_reads_back_byte_for_byte(steps):
    with tempfile.TemporaryDirectory() as folder:
        record = Record(Path(folder) / "newsroom.sqlite3")
        articles, pages, given_texts = {"bai-0": "r0"}, {}, {}
        for number, (action, which) in enumerate(steps):
            slug = f"bai-{which}"
            if action == "add" or (action == "correct" and slug in articles):
                articles[slug] = f"r{number}"
            elif action == "drop":
                articles.pop(slug, None)
            elif action == "pages":
                pages = {f"pages/p{which}.md": f"h{number}"}
            text = _manifest(articles, at=f"2024-05-06T07:{number % 60:02d}:00+07:00", pages=pages)
            if action == "odd":  # not canonical: kept whole, and still read back as given
                text = text.replace('{"at"', '{ "at"', 1)
            given_texts[f"r{number}"] = text
            _add(record, f"r{number}", text)
        for release_id, text in given_texts.items():
            assert record.release_manifest(release_id) == text
        record.close()


def test_reading_goes_back_at_most_max_depth_releases(tmp_path):
    record = Record(tmp_path / "newsroom.sqlite3")
    articles = {f"bai-{n}": "r" for n in range(20)}
    texts = {}
    for number in range(2 * manifest_store.MAX_DEPTH + 5):
        articles[f"bai-{number % 20}"] = f"r{number}"
        texts[f"r{number}"] = _manifest(articles)
        _add(record, f"r{number}", texts[f"r{number}"])
    whole = [
        release_id
        for release_id in texts
        if "text" in manifest_store._row(record.db, release_id)  # kept whole
    ]
    assert whole == [
        "r0",
        f"r{manifest_store.MAX_DEPTH + 1}",
        f"r{2 * manifest_store.MAX_DEPTH + 2}",
    ]
    assert all(record.release_manifest(r) == text for r, text in texts.items())
    record.close()


def test_the_record_grows_by_each_release_s_change_not_by_the_whole_site(tmp_path):
    record = Record(tmp_path / "newsroom.sqlite3")
    articles = {f"bai-{n:04d}": f"r{n}" for n in range(1000)}
    one_manifest = len(_manifest(articles).encode())
    for number in range(30):  # a correction per publish, as a newsroom's day goes
        articles[f"bai-{number * 31:04d}"] = f"sua-{number}"
        _add(record, f"r{number}", _manifest(articles))
    # Thirty whole manifests would be thirty times one; each change is a few hundred bytes.
    assert _stored_bytes(record) < one_manifest / 2
    assert from_json(record.release_manifest("r29")).articles[0].revision == "sua-0"
    record.close()


def test_a_release_recorded_before_as_plain_text_is_read_and_is_a_base(tmp_path):
    record = Record(tmp_path / "newsroom.sqlite3")
    old = _manifest({"bai-a": "r1", "bai-b": "r1"})
    record.db.execute(
        "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?)", ("cu", 1, AT, "publish", None, old)
    )
    new = _manifest({"bai-a": "r1", "bai-b": "r2"})
    _add(record, "moi", new)
    assert record.release_manifest("cu") == old
    assert record.release_manifest("moi") == new
    assert manifest_store._row(record.db, "moi")["base"] == "cu"
    record.close()


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    root = make_newsroom(tmp_path / "site")
    story(root, "tuan-tra-song-bien", "Tổ tuần tra đi dọc sông biên giới.")
    return root


def test_a_publish_does_not_read_the_manifests_of_earlier_releases(newsroom):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    # Forty releases recorded long ago, 2 MB of manifest each, as records kept them before.
    with sqlite3.connect(newsroom / "var" / "newsroom.sqlite3") as db:
        db.executemany(
            "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?)",
            [(f"cu-{n}", -n, AT, "publish", None, "x" * 2_000_000) for n in range(40)],
        )
    tracemalloc.start()
    try:
        publish(newsroom, given_actor="bientapvien", only_if_due=True)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # reading them all would hold 80 MB


def _publish_then_damage_the_live_manifest(newsroom: Path) -> None:
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    with sqlite3.connect(newsroom / "var" / "newsroom.sqlite3") as db:
        db.execute(
            "UPDATE releases SET manifest = ? WHERE id = ?", (b"\x00hong", live(newsroom).name)
        )


def test_a_damaged_release_manifest_is_one_line_naming_the_record(newsroom, capsys):
    _publish_then_damage_the_live_manifest(newsroom)
    before = live(newsroom)
    capsys.readouterr()
    assert cli(newsroom, "publish", "--as", "bientapvien") != 0
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "newsroom.sqlite3" in error and "newsroom restore" in error
    assert "không giải nén hoặc không đọc được" in error and "Error" not in error  # Vietnamese
    assert live(newsroom) == before


def test_reading_a_damaged_record_row_raises_a_newsroom_error(tmp_path):
    record = Record(tmp_path / "newsroom.sqlite3")
    _add(record, "r0", _manifest({"bai-a": "r0"}))
    _add(record, "r1", _manifest({"bai-a": "r1"}))
    record.db.execute("DELETE FROM releases WHERE id = 'r0'")  # the base of r1
    with pytest.raises(NewsroomError, match="r1"):
        record.release_manifest("r1")
    record.close()


def test_restore_brings_back_each_release_manifest_as_it_was(newsroom, tmp_path):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    index = newsroom / "content" / "articles" / "2024" / "05" / "tuan-tra-song-bien" / "index.md"
    index.write_text(index.read_text("utf-8") + "\nĐã sửa tên đơn vị.\n", "utf-8")
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    path = newsroom / "var" / "newsroom.sqlite3"
    record = Record(path)
    releases = [r.id for r in record.releases()]
    before = {release_id: record.release_manifest(release_id) for release_id in releases}
    assert "base" in manifest_store._row(record.db, releases[-1])  # kept as its change
    record.close()
    restore_after_losing_record(newsroom, tmp_path / "sao-luu.sqlite3")
    record = Record(path)
    try:
        assert {r: record.release_manifest(r) for r in releases} == before
        assert before[releases[0]] != before[releases[-1]]  # each release its own
    finally:
        record.close()


def test_restoring_a_backup_with_a_damaged_manifest_is_one_line_and_creates_no_record(
    newsroom, tmp_path, capsys
):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    backup = tmp_path / "sao-luu.sqlite3"
    assert cli(newsroom, "backup", str(backup), "--as", "hoa") == 0
    with sqlite3.connect(backup) as db:
        db.execute("UPDATE releases SET manifest = ?", (b"\x00hong",))
    var = newsroom / "var"
    lose_record(newsroom)
    before = sorted(path.name for path in var.iterdir())
    capsys.readouterr()
    assert cli(newsroom, "restore", str(backup), "--as", "hoa") != 0
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "sao-luu.sqlite3" in error
    assert sorted(path.name for path in var.iterdir()) == before  # no empty record left


def test_publish_force_over_a_damaged_live_manifest_publishes_and_the_record_reads_again(
    newsroom, capsys
):
    _publish_then_damage_the_live_manifest(newsroom)
    before = live(newsroom)
    story(newsroom, "don-bien-phong", "Đồn biên phòng tổ chức họp dân.")
    submit_and_approve(newsroom, "don-bien-phong")

    assert cli(newsroom, "publish", "--as", "bientapvien", "--force") == 0
    forced = live(newsroom)
    assert forced != before
    assert any(forced.glob("*/*/*/don-bien-phong/index.html"))
    assert any(forced.glob("*/*/*/tuan-tra-song-bien/index.html"))
    # The forced release's manifest is kept whole: the next publish reads it without --force.
    record = Record(newsroom / "var" / "newsroom.sqlite3")
    try:
        kept = from_json(record.release_manifest(forced.name))
    finally:
        record.close()
    assert {a.slug for a in kept.live} == {"tuan-tra-song-bien", "don-bien-phong"}
    capsys.readouterr()
    assert cli(newsroom, "publish", "--as", "bientapvien", "--rebuild") == 0
    assert capsys.readouterr().err == ""


def test_changed_years_are_those_of_articles_added_edited_moved_or_taken_away():
    def at(slug: str, year: str, revision: str = "r1", **fields) -> ManifestArticle:
        return replace(_article(slug, revision), url=f"{year}/05/06/{slug}/", **fields)

    before = Manifest(
        AT,
        (at("giu", "2021"), at("sua", "2022"), at("doi-ngay", "2023"), at("go", "2024"),
         at("dinh", "2020")),
    )  # fmt: skip
    after = Manifest(
        AT,
        (at("giu", "2021"), at("sua", "2022", "r2"), at("doi-ngay", "2019", "r2"),
         at("go", "2024", withdrawn=True), at("dinh", "2020", featured=True), at("moi", "2025")),
    )  # fmt: skip
    change = changes(before, after)
    # the lead story changing is no edit of its article; a date moved counts in both years
    assert changed_years(before, after, change) == {"2025", "2024", "2023", "2022", "2019"}
    assert changed_years(None, after, changes(None, after)) == {
        "2025", "2022", "2021", "2020", "2019"
    }  # fmt: skip


def test_a_manifest_prepared_ahead_is_stored_only_for_its_own_text(tmp_path):
    record = Record(tmp_path / "newsroom.sqlite3")
    try:
        _add(record, "r1", _manifest({"bai-a": "1"}))
        prepared = record.prepare_manifest(_manifest({"bai-a": "2"}))
        with record.transaction():
            record.add_release("r2", AT, "publish", None, prepared.text, prepared)
        other = _manifest({"bai-a": "3", "bai-b": "1"})
        with record.transaction():  # a prepared manifest of another text is never kept for it
            record.add_release("r3", AT, "publish", None, other, prepared)
        stored = dict(record.db.execute("SELECT id, manifest FROM releases"))
        assert stored["r2"] == prepared.stored  # made while the search index was written
        assert record.release_manifest("r2") == prepared.text
        assert record.release_manifest("r3") == other
    finally:
        record.close()
