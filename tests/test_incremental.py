"""Correctness at speed: an incremental publish gives exactly the bytes of a clean full one.

A publish reuses what earlier publishes left (the staging tree, the reader
cache, the search bundles of unchanged years); after one article is added,
one corrected and one withdrawn, its release must equal, file by file, a
build of the same manifest with no cache and no previous release.
"""

from __future__ import annotations

import fcntl
import gzip
import io
import json
import os
import pickle
import shutil
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from pipeline import preview as preview_module
from pipeline import release_files, search, verify
from pipeline.article import parse_datetime
from pipeline.build import run_pelican
from pipeline.config import load_config
from pipeline.errors import BuildError
from pipeline.manifest import MANIFEST_NAME
from pipeline.preview import PREVIEW_CACHE
from pipeline.publish import (
    ARTICLES_CACHE,
    PAGE_KEYS,
    STATE_NAME,
    build_cache,
    build_release,
    live_manifest,
    materialize,
    page_files,
    publish,
)
from pipeline.record import Record
from pipeline.releases import tree_digest
from pipeline.search import SEARCH_DIR, index_changed, indexed_part
from pipeline.vietnamese import TIMEZONE
from plugins.packed_content import packed_content
from plugins.photos import article_cache, prefill
from plugins.site_writer import page_keys
from tests.helpers import REPO
from tests.workflow_helpers import (
    cli,
    live,
    make_newsroom,
    newsroom_process,
    story,
    submit_and_approve,
    tree,
)

AT = datetime(2025, 3, 1, 8, 0, tzinfo=TIMEZONE)
LATER = datetime(2025, 3, 2, 8, 0, tzinfo=TIMEZONE)
# slug -> (date, section, photo colour): four years, so that one year stays untouched.
STORIES = {
    "mot-2021": (datetime(2021, 3, 1, 7, 0, tzinfo=TIMEZONE), "Biên giới", "#33aa55"),
    "hai-2021": (datetime(2021, 6, 1, 7, 0, tzinfo=TIMEZONE), "Biên giới", None),
    "ba-2022": (datetime(2022, 4, 1, 7, 0, tzinfo=TIMEZONE), "Thời sự", "#aa3355"),
    "bon-2022": (datetime(2022, 5, 1, 7, 0, tzinfo=TIMEZONE), "Thời sự", None),
    "nam-2023": (datetime(2023, 2, 1, 7, 0, tzinfo=TIMEZONE), "Biên giới", "#5533aa"),
    "sau-2023": (datetime(2023, 8, 1, 7, 0, tzinfo=TIMEZONE), "Thời sự", None),
}


@pytest.fixture
def published(tmp_path: Path) -> Path:
    root = make_newsroom(tmp_path / "site")
    for slug, (date, section, colour) in STORIES.items():
        story(
            root,
            slug,
            f"Câu riêng của bài {slug}.",
            date,
            colour,
            section=section,
            tags="biên giới",
        )
        submit_and_approve(root, slug)
    assert publish(root, AT, given_actor="hoa") is not None
    return root


def _reader_entries(root: Path) -> int:
    return sum(1 for _ in (build_cache(load_config(root)) / "readers").rglob("*.pickle"))


def _articles(root: Path) -> dict:
    """How many articles the last build took whole from the article cache, and read."""
    stats = build_cache(load_config(root)) / ARTICLES_CACHE / "stats.json"
    return json.loads(stats.read_text("utf-8"))


def _clean_build(root: Path, folder: Path) -> Path:
    """The live manifest built from nothing: no staging tree, no reader cache, no release."""
    config = load_config(root)
    record = Record(config.record_path)
    try:
        manifest = live_manifest(root, record)
        assert manifest is not None
        pages = page_files(record)
        staging = folder / "staging"
        materialize(record, manifest, pages, staging)
    finally:
        record.close()
    built = folder / "clean"
    build_release(root, staging, built, parse_datetime(manifest.at))
    return built


def test_incremental_publish_equals_clean_build(published, tmp_path):
    first = live(published)
    first_files = tree(first)
    read_first = _reader_entries(published)
    new_date = datetime(2024, 1, 5, 7, 0, tzinfo=TIMEZONE)
    story(published, "bay-2024", "Câu mới.", new_date, "#aaaa33", section="Biên giới")
    submit_and_approve(published, "bay-2024")
    corrected = published / "content/articles/2023/08/sau-2023/index.md"
    corrected.write_text(corrected.read_text("utf-8") + "\nCâu đã đính chính.\n", "utf-8")
    assert cli(published, "submit", "sau-2023", "--as", "vitoan") == 0
    assert cli(published, "approve", "sau-2023", "--as", "hoa", "--correction", "Sửa số liệu.") == 0
    assert cli(published, "withdraw", "bon-2022", "--as", "hoa", "--reason", "Trùng bài") == 0
    assert publish(published, LATER, given_actor="hoa") is not None
    incremental = live(published)

    clean = _clean_build(published, tmp_path / "fresh")
    incremental_files, clean_files = tree(incremental), tree(clean)
    assert sorted(incremental_files) == sorted(clean_files)
    different = [name for name in clean_files if incremental_files[name] != clean_files[name]]
    assert different == []
    # It was incremental: only the new and the corrected article were read again, and the
    # untouched year's search bundle is the first release's, by hard link.
    assert _reader_entries(published) == read_first + 2
    # and every other article was taken whole from the article cache, to the same bytes.
    assert _articles(published) == {"kept": 4, "read": 2}
    entry = "pagefind/2021/pagefind-entry.json"
    assert os.path.samefile(incremental / entry, first / entry)
    assert not os.path.samefile(incremental / "pagefind/2023/pagefind-entry.json",
                                first / "pagefind/2023/pagefind-entry.json")  # fmt: skip
    assert "Câu đã đính chính." in incremental_files["2023/08/01/sau-2023/index.html"].decode()
    assert b"bon-2022" not in incremental_files["feeds/all.atom.xml"]
    # Pages that read nothing that changed come from the first release; the others are new.
    for unchanged in ("2021/03/01/mot-2021/index.html", "gioi-thieu/index.html"):
        assert os.path.samefile(incremental / unchanged, first / unchanged), unchanged
    for changed in ("2023/08/01/sau-2023/index.html", "index.html", "chu-de/bien-gioi/index.html"):
        assert not os.path.samefile(incremental / changed, first / changed), changed
    # Sharing files by hard link never wrote into the release that was live before.
    assert tree(first) == first_files


def _differences(release: Path, clean: Path) -> list[str]:
    ours, theirs = tree(release), tree(clean)
    assert sorted(ours) == sorted(theirs)
    return [name for name in theirs if ours[name] != theirs[name]]


AFTER = datetime(2025, 3, 3, 8, 0, tzinfo=TIMEZONE)


def test_incremental_publish_equals_clean_build_after_back_dating_retitling_and_a_page_title(
    published, tmp_path
):
    """The changes that reach other articles' pages: a new article dated before live ones
    (their related lists and neighbours), a correction of a title and of the tags (every
    list, tag page and related list that shows it), and then a static page's title (the
    menu of every page)."""
    back_dated = datetime(2022, 4, 15, 7, 0, tzinfo=TIMEZONE)
    story(published, "tam-2022", "Câu lùi ngày.", back_dated, "#3355aa", section="Thời sự",
          tags="biên giới")  # fmt: skip
    submit_and_approve(published, "tam-2022")
    corrected = published / "content/articles/2021/06/hai-2021/index.md"
    text = corrected.read_text("utf-8")
    text = text.replace("Title: Bài hai-2021", "Title: Bài hai-2021 đã sửa tên")
    text = text.replace("Tags: biên giới", "Tags: biên giới, tuần tra")
    corrected.write_text(text, "utf-8")
    assert cli(published, "submit", "hai-2021", "--as", "vitoan") == 0
    assert cli(published, "approve", "hai-2021", "--as", "hoa", "--correction", "Sửa tên.") == 0
    assert publish(published, LATER, given_actor="hoa") is not None
    assert _differences(live(published), _clean_build(published, tmp_path / "one")) == []
    shown = tree(live(published))
    assert "đã sửa tên" in shown["2021/03/01/mot-2021/index.html"].decode()  # its neighbour
    assert b"tam-2022" in shown["2023/02/01/nam-2023/index.html"]  # a later one's related

    page = published / "content/pages/gioi-thieu.md"
    page.write_text(page.read_text("utf-8").replace("Title: Giới thiệu", "Title: Về báo"), "utf-8")
    assert cli(published, "submit", "pages/gioi-thieu.md", "--as", "vitoan") == 0
    assert cli(published, "approve", "pages/gioi-thieu.md", "--as", "hoa") == 0
    assert publish(published, AFTER, given_actor="hoa") is not None
    assert _differences(live(published), _clean_build(published, tmp_path / "two")) == []
    assert ">Về báo</a>" in tree(live(published))["2021/03/01/mot-2021/index.html"].decode()


def _linked_pages(release: Path, previous: Path) -> list[str]:
    return [
        p.relative_to(release).as_posix()
        for p in release.rglob("*.html")
        if (previous / p.relative_to(release)).exists()
        and os.path.samefile(p, previous / p.relative_to(release))
    ]


def _search_images(release: Path) -> dict[str, str]:
    """url -> the image that the release's search index gives each article."""
    found = {}
    for fragment in (release / search.SEARCH_DIR).glob("*/fragment/*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"]] = data["meta"].get("image", "")
    return found


def test_search_images_come_from_the_article_never_from_its_neighbours(published, tmp_path):
    """Pagefind takes a result's image from the first <img> after the <h1>, anywhere on the
    page; a photo-less article's first one was its neighbour's, outside the indexed body.
    Each article names its own (none: empty), so a new neighbour with a photo leaves the
    older year as a clean build indexes it, and a withdrawn photo is in no search result."""
    date = datetime(2024, 2, 1, 7, 0, tzinfo=TIMEZONE)
    story(published, "bay-2024", "Câu bảy.", date, "#aa00aa", section="Thời sự")
    submit_and_approve(published, "bay-2024")
    assert publish(published, LATER, given_actor="hoa") is not None
    incremental = live(published)
    assert tree(incremental) == tree(_clean_build(published, tmp_path / "after-new"))
    images = _search_images(incremental)
    assert images["/2023/08/01/sau-2023/"] == ""  # no photo of its own; its neighbour has one
    assert images["/2024/02/01/bay-2024/"].startswith("/anh/")
    bay_photo = images["/2024/02/01/bay-2024/"]
    assert cli(published, "withdraw", "bay-2024", "--as", "hoa", "--reason", "Trùng bài") == 0
    assert publish(published, LATER + timedelta(hours=1), given_actor="hoa") is not None
    after = _search_images(live(published))
    assert bay_photo not in after.values() and "/2024/02/01/bay-2024/" not in after
    assert all(
        image == "" or (live(published) / image.lstrip("/")).is_file() for image in after.values()
    )


def _link_from_mot(root: Path, slug: str) -> None:
    index = next((root / "content").rglob("mot-2021/index.md"))
    text = index.read_text("utf-8").replace(
        "Câu riêng của bài mot-2021.",
        f"Câu riêng của bài mot-2021. Xem [bài liên quan]({{filename}}/articles/{slug}/index.md).",
    )
    index.write_text(text, "utf-8")
    submit_and_approve(root, "mot-2021")


def test_articles_link_each_other_by_slug_in_every_build_and_to_a_notice_once_withdrawn(
    published, tmp_path
):
    """An article links another by its slug, which leads to it in a publish and in a preview
    of the working copy alike. Once the linked article is withdrawn, the link leads to its
    notice (the linking article stays), in the incremental publish exactly as in a clean one:
    Pelican resolves such links as the page renders, so the page is never kept from the last
    release with its old target."""
    _link_from_mot(published, "ba-2022")
    assert publish(published, LATER, given_actor="hoa") is not None
    page = "2021/03/01/mot-2021/index.html"
    assert 'href="/2022/04/01/ba-2022/"' in (live(published) / page).read_text("utf-8")
    assert cli(published, "preview") == 0  # the working copy: articles under year and month
    assert 'href="/2022/04/01/ba-2022/"' in (published / "preview" / page).read_text("utf-8")
    assert cli(published, "withdraw", "ba-2022", "--as", "hoa", "--reason", "Sai") == 0
    assert publish(published, LATER + timedelta(hours=1), given_actor="hoa") is not None
    assert 'href="/2022/04/01/ba-2022/"' in (live(published) / page).read_text("utf-8")
    notice = (live(published) / "2022/04/01/ba-2022/index.html").read_text("utf-8")
    assert "Câu riêng của bài ba-2022" not in notice
    assert tree(live(published)) == tree(_clean_build(published, tmp_path / "clean"))


def test_a_link_to_an_embargoed_article_is_text_until_that_article_is_published(
    published, tmp_path
):
    """An approved article due later: a live article's link to it shows as its text alone,
    naming neither its address nor its title, and the publish goes ahead; once it is due,
    the link leads to it, in the incremental publish exactly as in a clean one."""
    due = datetime(2025, 6, 1, 7, 0, tzinfo=TIMEZONE)
    story(published, "hen-gio", "Bài hẹn giờ đăng.", due, section="Thời sự")
    submit_and_approve(published, "hen-gio")
    _link_from_mot(published, "hen-gio")
    assert publish(published, LATER, given_actor="hoa") is not None
    release = tree(live(published))
    assert not any(b"hen-gio" in data or "hen-gio" in name for name, data in release.items())
    page = (live(published) / "2021/03/01/mot-2021/index.html").read_text("utf-8")
    assert "Xem bài liên quan." in page and "{filename}" not in page
    assert tree(live(published)) == tree(_clean_build(published, tmp_path / "before"))
    assert publish(published, due + timedelta(hours=1), given_actor="hoa") is not None
    page = (live(published) / "2021/03/01/mot-2021/index.html").read_text("utf-8")
    assert '<a href="/2025/06/01/hen-gio/">bài liên quan</a>' in page
    assert tree(live(published)) == tree(_clean_build(published, tmp_path / "after"))


def test_an_article_linking_content_by_its_source_gives_its_pages_no_key():
    """No page key covers what a `{filename}` link resolves to (every item of the build), so
    a page that shows such an article is rendered every time; other articles keep keys."""
    settings = {**DEFAULT_CONFIG, "TIMEZONE": "Asia/Ho_Chi_Minh"}
    metadata = {"title": "Bài", "date": datetime(2024, 5, 6, 7, 0, tzinfo=TIMEZONE)}
    linking = Article('<p><a href="{filename}../khac/index.md">khác</a></p>', metadata, settings)
    alone = Article('<p><a href="/2024/05/06/khac/">khác</a></p>', metadata, settings)
    for article in (linking, alone):
        packed_content.pack(article)
    assert page_keys.Fingerprints().of(alone)
    with pytest.raises(page_keys.Unkeyable):
        page_keys.Fingerprints().of(linking)
    del linking._get_content  # as Pelican holds an article unpacked: found in the HTML itself
    linking._content = '<p><a href="{filename}../khac/index.md">khác</a></p>'
    with pytest.raises(page_keys.Unkeyable):
        page_keys.Fingerprints().of(linking)


def test_a_search_index_naming_a_withdrawn_article_stops_the_publish(published):
    """The release check reads the search results of each year indexed again: a theme that
    marked the withdrawal notice for indexing would put a withdrawn URL in search, so the
    publish stops and the live site stays."""
    theme = published / "theme"
    theme.unlink()
    shutil.copytree(REPO / "theme", theme)
    notice = theme / "templates" / "withdrawn.html"
    text = notice.read_text("utf-8").replace('role="note">', 'role="note" data-pagefind-body>')
    notice.write_text(text, "utf-8")
    assert cli(published, "withdraw", "sau-2023", "--as", "hoa", "--reason", "Sai") == 0
    before = live(published)
    with pytest.raises(BuildError, match="có trang /2023/08/01/sau-2023/ không phải bài đang"):
        publish(published, LATER, given_actor="hoa")
    assert live(published) == before


def test_changed_config_renders_every_page_again(published):
    first = live(published)
    toml = published / "newsroom.toml"
    text = toml.read_text("utf-8")
    assert 'name = "' in text
    toml.write_text(text.replace('name = "', 'name = "Báo mới – ', 1), "utf-8")
    assert publish(published, LATER, given_actor="hoa") is not None
    again = live(published)
    assert again != first
    assert _linked_pages(again, first) == []
    assert "Báo mới – " in (again / "2021/03/01/mot-2021/index.html").read_text("utf-8")


@pytest.mark.parametrize("damage", ["{not json", "[]", '{"version": 1, "build": 7, "pages": 3}'])
def test_damaged_page_keys_and_file_lists_only_make_the_publish_do_everything(published, damage):
    first = live(published)
    cache = build_cache(load_config(published))
    keys = cache / PAGE_KEYS
    assert (keys / f"{first.name}.json").is_file()
    for path in [*keys.iterdir(), *(cache / release_files.FOLDER).iterdir()]:
        path.write_text(damage, "utf-8")
    story(published, "bay-2024", "Câu mới.", datetime(2024, 1, 5, 7, 0, tzinfo=TIMEZONE), None)
    submit_and_approve(published, "bay-2024")
    assert publish(published, LATER, given_actor="hoa") is not None
    again = live(published)
    assert _linked_pages(again, first) == []
    assert (again / "2024/01/05/bay-2024/index.html").is_file()
    # The publish after it reuses again, and keys of pruned releases do not pile up.
    story(published, "tam-2024", "Câu khác.", datetime(2024, 1, 6, 7, 0, tzinfo=TIMEZONE), None)
    submit_and_approve(published, "tam-2024")
    assert publish(published, LATER + timedelta(hours=1), given_actor="hoa") is not None
    third = live(published)
    assert "2021/03/01/mot-2021/index.html" in _linked_pages(third, again)
    kept = {f"{r.name}.json" for r in (first, again, third)}
    assert {p.name for p in keys.iterdir()} == kept
    assert {p.name for p in (cache / release_files.FOLDER).iterdir()} == kept


def _with_wrong_hash(state: dict) -> dict:
    """The state with one file's recorded hash wrong while its digest and identity still hold."""
    path = next(p for p in sorted(state) if p.endswith("index.md"))
    return {**state, path: [*state[path][:2], "0" * 64]}


@pytest.mark.parametrize("damage", ["{not json", "[]", '{"a.md": 5}', "wrong hash"])
def test_damaged_staging_state_only_makes_the_publish_write_and_read_again(published, damage):
    """The staging state lets a publish skip writing and hashing unchanged files; damaged, it
    costs that work once, and never a failed publish or a wrong hash."""
    state = build_cache(load_config(published)) / "staging" / STATE_NAME
    found = json.loads(state.read_text("utf-8"))
    assert found and all(len(entry) == 3 for entry in found.values())
    if damage == "wrong hash":
        damage = json.dumps(_with_wrong_hash(found))
    state.write_text(damage, "utf-8")
    story(published, "bay-2024", "Câu mới.", datetime(2024, 1, 5, 7, 0, tzinfo=TIMEZONE), None)
    submit_and_approve(published, "bay-2024")
    assert publish(published, LATER, given_actor="hoa") is not None
    assert (live(published) / "2024/01/05/bay-2024/index.html").is_file()
    again = json.loads(state.read_text("utf-8"))
    assert set(found) < set(again)
    assert all(entry[2] != "0" * 64 for entry in again.values())  # the wrong hash is gone


PAGE = (
    '<html lang="vi"><body><aside>{aside}</aside>'
    '<article class="story" data-pagefind-body><div><p>{body}</p></div>'
    "<div data-pagefind-ignore>x</div></article><footer>{aside}</footer></body></html>"
)


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({"aside": "Tin mới nhất khác"}, True),
        ({"body": "Câu đã sửa"}, False),
    ],
)
def test_indexed_part_changes_only_with_indexed_text(change, same):
    before = PAGE.format(aside="Tin mới nhất", body="Câu gốc")
    after = PAGE.format(**{"aside": "Tin mới nhất", "body": "Câu gốc", **change})
    assert (indexed_part(before) == indexed_part(after)) is same


@pytest.mark.parametrize("per_worker", [1000, 1])
def test_broken_references_same_on_one_or_every_core(tmp_path, monkeypatch, per_worker):
    monkeypatch.setattr(verify, "PAGES_PER_WORKER", per_worker)
    release = tmp_path / "release"
    _write_tree(release, {
        "a/index.html": '<a href="/b/">b</a><a href="/mat-1/">?</a>',
        "b/index.html": '<a href="/a/">a</a>',
        "c/index.html": '<img src="/mat-2.jpg"><a href="../a/">a</a><a href="/mat-3/">?</a>',
    })  # fmt: skip
    assert verify.broken_references(release) == [
        "a/index.html trỏ tới /mat-1/ không tồn tại",
        "c/index.html trỏ tới /mat-2.jpg không tồn tại",
        "c/index.html trỏ tới /mat-3/ không tồn tại",
    ]


def test_a_relative_reference_is_resolved_from_each_page_that_holds_it(tmp_path):
    # Site-root references are resolved once for all pages; relative ones never are.
    release = tmp_path / "release"
    _write_tree(release, {
        "x/index.html": '<a href="sub/">1</a><a href="/x/sub/">2</a>',
        "x/sub/index.html": "",
        "y/index.html": '<a href="sub/">1</a><a href="/x/sub/">2</a><a href="/y/sub/">3</a>',
    })  # fmt: skip
    assert verify.broken_references(release) == [
        "y/index.html trỏ tới sub/ không tồn tại",
        "y/index.html trỏ tới /y/sub/ không tồn tại",
    ]


@pytest.mark.parametrize("order", [["a/b.html", "index.html"], ["index.html", "a/b.html"]])
def test_a_reference_read_as_naming_a_host_is_resolved_from_each_page(tmp_path, order):
    # urlsplit drops the tab, so "/&#9;/example.com" names a host: its path is the page's own.
    release = tmp_path / "release"
    link = '<a href="/&#9;/example.com">?</a>'
    _write_tree(release, {"index.html": link, "a/b.html": link})
    names = release_files.describe(release).names()
    found = verify._broken_in(release, names, order)
    assert found == {"a/b.html": ["/\t/example.com"]}


def _write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")


def test_verify_reads_again_only_new_pages_unless_a_file_went_away(tmp_path):
    release = tmp_path / "release"
    _write_tree(release, {
        "a/index.html": '<a href="/b/">b</a>',
        "b/index.html": '<a href="/a/">a</a>',
        "c/index.html": '<a href="/mat/">?</a>',
    })  # fmt: skip
    described = release_files.describe(release)
    # a and c come unchanged from a previous, verified release that had the same files.
    files = release_files.ReleaseFiles(
        described.entries, frozenset({"a/index.html", "c/index.html"})
    )
    before = described.names()
    assert verify.broken_references(release, files, before) == []
    # A file of the previous release went away: every page is read again.
    assert verify.broken_references(release, files, before | {"mat/index.html"}) == [
        "c/index.html trỏ tới /mat/ không tồn tại"
    ]
    # A year's search bundle re-indexed under new names is not a file that pages name.
    assert verify.broken_references(release, files, before | {"pagefind/2021/a.pf_index"}) == []
    # Without a previous release, every page is read.
    assert verify.broken_references(release, files) == ["c/index.html trỏ tới /mat/ không tồn tại"]


def test_release_file_list_reuses_digests_only_of_identical_files(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    _write_tree(first, {"a.html": "một", "b.html": "hai"})
    known = release_files.describe(first)
    second.mkdir()
    os.link(first / "a.html", second / "a.html")  # taken unchanged, as publishes do
    (second / "b.html").write_text("bay", "utf-8")  # the same name and size, other bytes
    files = release_files.describe(second, known.entries)
    assert files.reused == {"a.html"}
    assert release_files.digest(files) == tree_digest(second)
    assert release_files.digest(files) != release_files.digest(known)


def test_articles_missing_from_the_reader_cache_are_read_ahead_on_every_core(published, tmp_path):
    config = load_config(published)
    record = Record(config.record_path)
    try:
        manifest = live_manifest(published, record)
        assert manifest is not None
        staging = tmp_path / "staging"
        materialize(record, manifest, page_files(record), staging)
    finally:
        record.close()

    def build(name: str, readers: str, **settings) -> dict[str, bytes]:
        overrides = {
            "NEWSROOM_MANIFEST": str(staging / MANIFEST_NAME),
            "PHOTOS_READER_CACHE_PATH": str(tmp_path / readers),
            **settings,
        }
        output = tmp_path / name
        run_pelican(published, "publishconf.py", output, staging / "content", AT, overrides)
        return tree(output)

    def read_ahead(readers: str) -> dict:
        return json.loads((tmp_path / readers / "read-ahead.json").read_text("utf-8"))

    ahead = build("ahead", "readers", PHOTOS_READ_AHEAD_MINIMUM=1, PHOTOS_READ_WORKERS=2)
    assert read_ahead("readers") == {"articles": len(STORIES), "workers": 2}
    alone = build("alone", "readers-alone", PHOTOS_READ_WORKERS=1)
    assert read_ahead("readers-alone") == {"articles": 0, "workers": 0}
    assert ahead == alone
    again = build("again", "readers", PHOTOS_READ_AHEAD_MINIMUM=1, PHOTOS_READ_WORKERS=2)
    assert read_ahead("readers") == {"articles": 0, "workers": 2}  # every entry is there
    assert again == alone


class _Cached:
    """A reader whose every entry is in its cache."""

    def is_cached(self, path: str) -> bool:
        return True


def test_a_reader_whose_build_went_away_leaves_without_running_the_build():
    # A build that stops half-way closes its end of the pipe: the reading process must
    # leave at once, never return into the build's code it was forked from.
    out, into = os.pipe()
    os.close(out)
    pid = os.fork()
    if pid == 0:
        try:
            prefill._read_share(_Cached(), ["a.md", "b.md"], into)
        finally:
            os._exit(3)  # only if it returned or raised
    os.close(into)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def _rebuild(root: Path, at: datetime = LATER) -> Path:
    assert publish(root, at, given_actor="hoa", rebuild=True) is not None
    return live(root)


def test_article_kept_whole_only_while_its_files_and_manifest_entry_hold(published):
    first = live(published)
    again = _rebuild(published)
    assert _articles(published) == {"kept": 6, "read": 0}
    assert tree(again) == tree(first)
    # The same bytes written again are a new file: the article that names it is read again.
    photo = next(
        (build_cache(load_config(published)) / "staging/content/articles").glob("mot-2021/*.jpg")
    )
    copy = photo.with_name("copy.tmp")
    copy.write_bytes(photo.read_bytes())
    os.replace(copy, photo)
    _rebuild(published)
    assert _articles(published) == {"kept": 5, "read": 1}
    # A change of its manifest entry alone (the editor pins it on the front page) too.
    assert cli(published, "feature", "hai-2021", "--as", "hoa") == 0
    pinned = _rebuild(published, LATER + timedelta(hours=1))
    assert _articles(published) == {"kept": 5, "read": 1}
    lead = (pinned / "index.html").read_text("utf-8").split("</h2>")[0]
    assert "hai-2021" in lead


def test_reading_that_logged_a_problem_keeps_nothing(published):
    """An article whose reading reported a problem is read, and reports it, in the next build
    too, instead of being taken whole without the problem."""
    cache = build_cache(load_config(published)) / ARTICLES_CACHE
    toml = published / "newsroom.toml"
    toml.write_text(toml.read_text("utf-8").replace('"Biên giới"', '"Biên cương"'), "utf-8")
    for _attempt in range(2):
        index = (cache / "index.pickle").read_bytes()
        with pytest.raises(Exception, match='chuyên mục "Biên giới"'):
            publish(published, LATER, given_actor="hoa", rebuild=True)
        assert (cache / "index.pickle").read_bytes() == index


@pytest.mark.parametrize("damage", ["index", "index shape", "entries", "foreign"])
def test_damaged_article_cache_only_makes_the_publish_read_again(published, damage):
    cache = build_cache(load_config(published)) / ARTICLES_CACHE
    entries = sorted(cache.glob("*/*.pickle"))
    assert len(entries) == 6
    if damage == "index":
        (cache / "index.pickle").write_bytes(b"not a pickle")
    elif damage == "index shape":  # loads, with the right format, but wrong entries
        index = pickle.loads((cache / "index.pickle").read_bytes())
        index["articles"] = {name: 5 for name in index["articles"]}
        (cache / "index.pickle").write_bytes(pickle.dumps(index))
    for entry in entries if damage in ("entries", "foreign") else []:
        if damage == "entries":
            entry.write_bytes(entry.read_bytes()[:40])
        elif damage == "foreign":  # loads, but is not what the cache keeps
            entry.write_bytes(pickle.dumps({"an": "other thing"}))
    again = _rebuild(published)
    assert _articles(published) == {"kept": 0, "read": 6}
    assert "Câu riêng của bài mot-2021." in (again / "2021/03/01/mot-2021/index.html").read_text(
        "utf-8"
    )
    _rebuild(published, LATER + timedelta(hours=1))
    assert _articles(published) == {"kept": 6, "read": 0}


def _body(text: str) -> str:
    return f'<html lang="vi"><main data-pagefind-body><p>{text}</p></main></html>'


@pytest.mark.parametrize("from_list", [True, False])
def test_a_search_year_is_reused_only_when_its_pages_index_the_same(tmp_path, from_list):
    previous, site = tmp_path / "previous", tmp_path / "site"
    pages = {f"2023/08/0{n}/bai-{n}/index.html": _body(f"Bài {n}") for n in range(1, 4)}
    _write_tree(previous, pages)
    listed = release_files.describe(previous).entries if from_list else None

    def new_release(changed: dict[str, str]) -> bool:
        shutil.rmtree(site, ignore_errors=True)
        for name in pages:  # unchanged pages are hard links, as the site writer makes them
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            if name not in changed:
                os.link(previous / name, site / name)
        _write_tree(site, {k: v for k, v in changed.items() if v is not None})  # None: gone
        return search._same_pages(site, previous, "2023", listed)

    first = "2023/08/01/bai-1/index.html"
    assert new_release({})
    assert new_release({first: _body("Bài 1").replace("<main", "<nav>Tin mới</nav><main")})
    assert not new_release({first: _body("Bài 1 đã sửa")})
    assert not new_release({"2023/09/01/bai-moi/index.html": _body("Bài mới")})
    assert not new_release({first: None})


UNTOUCHED = ("gioi-thieu/index.html", "lien-he/index.html", "pagefind/2022/pagefind-entry.json")


def _preview_articles(root: Path) -> dict:
    stats = build_cache(load_config(root)) / PREVIEW_CACHE / ARTICLES_CACHE / "stats.json"
    return json.loads(stats.read_text("utf-8"))


def test_article_preview_after_another_equals_a_clean_preview_and_leaves_publish_alone(
    published,
):
    """A preview builds as a publish does (its own staging tree and kept articles, the shared
    reader cache, the live site's search bundles): the same bytes as one with no cache."""
    cache = build_cache(load_config(published))
    live_files, kept = tree(live(published)), (cache / ARTICLES_CACHE / "index.pickle")
    kept_index = kept.read_bytes()
    inodes = []
    for slug, year in (("hai-2021", "2021/06"), ("nam-2023", "2023/02")):
        index = published / f"content/articles/{year}/{slug}/index.md"
        index.write_text(index.read_text("utf-8") + f"\nCâu xem trước của {slug}.\n", "utf-8")
        assert cli(published, "submit", slug, "--as", "vitoan") == 0
        assert cli(published, "preview", slug, "--as", "hoa") == 0
        shown = published / "preview"
        inodes.append({name: (shown / name).stat().st_ino for name in UNTOUCHED})
    # A page that shows nothing that changed is the first preview's, by hard link.
    assert inodes[0] == inodes[1]
    # Read again: nam-2023's submitted text, and hai-2021's approved one (the first preview
    # staged its submitted text); the four others were kept whole.
    assert _preview_articles(published) == {"kept": 4, "read": 2}
    warm = tree(published / "preview")
    assert "Câu xem trước của nam-2023." in warm["2023/02/01/nam-2023/index.html"].decode()
    assert "Câu xem trước của hai-2021." not in warm["2021/06/01/hai-2021/index.html"].decode()
    # The untouched year's search bundle is the live release's, copied by the first preview
    # (preview/ never shares a file with the live site) and linked from it by the second.
    entry = "pagefind/2022/pagefind-entry.json"
    assert warm[entry] == (live(published) / entry).read_bytes()
    assert not os.path.samefile(published / "preview" / entry, live(published) / entry)

    shutil.rmtree(cache / PREVIEW_CACHE)
    shutil.rmtree(cache / "readers")
    assert cli(published, "preview", "nam-2023", "--as", "hoa") == 0
    assert _preview_articles(published) == {"kept": 0, "read": 6}
    clean = tree(published / "preview")
    assert sorted(warm) == sorted(clean)
    assert [name for name in clean if warm[name] != clean[name]] == []
    # Publishing's own kept articles and the live site are as they were.
    assert kept.read_bytes() == kept_index
    assert tree(live(published)) == live_files


def _waits_for_a_lock(pid: int) -> bool:
    """Whether process `pid` is blocked on a file lock (Linux lists waiters with "->")."""
    return any(
        line.split()[1] == "->" and line.split()[5] == str(pid)
        for line in Path("/proc/locks").read_text().splitlines()
        if len(line.split()) > 5
    )


def test_an_article_preview_waits_for_the_one_being_built(published):
    """Two previews share a staging tree: the second starts once the first is done."""
    assert cli(published, "submit", "mot-2021", "--as", "vitoan") == 0
    folder = build_cache(load_config(published)) / PREVIEW_CACHE
    folder.mkdir(parents=True)
    with (folder / "lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a preview being built
        waiting = newsroom_process(published, "preview", "mot-2021", "--as", "hoa")
        while not _waits_for_a_lock(waiting.pid):
            assert waiting.poll() is None, "the preview did not wait"
            time.sleep(0.05)
        assert not (published / "preview").exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    _out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0
    assert err.count("Đang chờ một bản xem trước khác") == 1  # the editor is told, once
    assert (published / "preview/2021/03/01/mot-2021/index.html").is_file()


def test_a_killed_article_preview_is_mended_by_the_next(published):
    """SIGKILL mid-build leaves preview/ parked and a half-built folder: the next article
    preview puts the last preview back (and takes its pages) and deletes the rest."""
    shown = _previewed_with_a_draft_beside(published)
    listed = sorted(p.name for p in published.iterdir())
    killed = newsroom_process(published, "preview", "hai-2021", "--as", "hoa")
    while not any(published.glob(".building-preview-*")):
        assert killed.poll() is None, "the preview ended before it was killed"
        time.sleep(0.01)
    killed.kill()
    killed.wait()
    assert not (published / "preview").exists()  # parked, as the build left it
    assert cli(published, "preview", "hai-2021", "--as", "hoa") == 0
    assert tree(published / "preview") == shown
    for _ in range(200):  # the leftovers are deleted in the background
        if sorted(p.name for p in published.iterdir()) == listed:
            break
        time.sleep(0.05)
    assert sorted(p.name for p in published.iterdir()) == listed


def _previewed_with_a_draft_beside(root: Path) -> dict[str, bytes]:
    """hai-2021's new revision submitted and previewed (the preview's files), then a draft
    written that only a working-copy preview shows."""
    index = root / "content/articles/2021/06/hai-2021/index.md"
    index.write_text(index.read_text("utf-8") + "\nCâu xem trước.\n", "utf-8")
    assert cli(root, "submit", "hai-2021", "--as", "vitoan") == 0
    assert cli(root, "preview", "hai-2021", "--as", "hoa") == 0
    shown = tree(root / "preview")
    story(root, "nhap-2025", "Bài nháp chưa gửi.", AT)  # on the working copy's lists
    return shown


def test_a_working_copy_preview_in_between_is_never_taken_for_an_article_preview(published):
    first = _previewed_with_a_draft_beside(published)
    assert cli(published, "preview") == 0  # the working copy, with pelicanconf.py
    assert "nhap-2025" in tree(published / "preview")["index.html"].decode()
    assert cli(published, "preview", "hai-2021", "--as", "hoa") == 0
    assert tree(published / "preview") == first


def test_a_working_copy_preview_made_during_an_article_preview_is_never_taken(
    published, monkeypatch
):
    first = _previewed_with_a_draft_beside(published)
    build = preview_module.build_release

    def with_a_working_copy_preview(*args, **kwargs):  # `newsroom preview` takes no lock
        preview_module.preview_working_copy(published)
        assert "nhap-2025" in (published / "preview/index.html").read_text("utf-8")
        return build(*args, **kwargs)

    monkeypatch.setattr(preview_module, "build_release", with_a_working_copy_preview)
    assert cli(published, "preview", "hai-2021", "--as", "hoa") == 0
    assert tree(published / "preview") == first
    monkeypatch.setattr(preview_module, "build_release", build)
    assert cli(published, "preview", "hai-2021", "--as", "hoa") == 0
    assert tree(published / "preview") == first


def test_a_failed_preview_leaves_the_last_one_and_nothing_else(published, monkeypatch, capsys):
    first = _previewed_with_a_draft_beside(published)
    listed = sorted(p.name for p in published.iterdir())

    def failing(*args, **kwargs):
        raise BuildError("dựng trang thất bại", published / "publishconf.py")

    monkeypatch.setattr(preview_module, "build_release", failing)
    capsys.readouterr()
    assert cli(published, "preview", "hai-2021", "--as", "hoa") != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "dựng trang thất bại" in err
    assert tree(published / "preview") == first
    assert sorted(p.name for p in published.iterdir()) == listed
    monkeypatch.setattr(preview_module, "build_release", build_release)
    assert cli(published, "preview", "hai-2021", "--as", "hoa") == 0  # its pages taken again
    assert tree(published / "preview") == first


def test_a_publish_after_a_preview_publishes_the_approved_text_only(published):
    """The reader cache is shared with previews: an entry is named by the bytes read, so the
    submitted text a preview read is never what a publish of the approved one shows."""
    _previewed_with_a_draft_beside(published)
    assert "Câu xem trước." in (published / "preview/2021/06/01/hai-2021/index.html").read_text()
    assert publish(published, LATER, given_actor="hoa", rebuild=True) is not None
    page = (live(published) / "2021/06/01/hai-2021/index.html").read_text("utf-8")
    assert "Câu riêng của bài hai-2021." in page and "Câu xem trước." not in page


class _Walking:
    """What `_walk_once` takes of Pelican's articles generator: its walk and its readers."""

    def __init__(self, names: list[str]) -> None:
        self.names, self.walks = names, 0
        self.readers = type("Readers", (), {"extensions": ["md"]})()

    def get_files(self, paths, exclude=None, extensions=None):
        self.walks += 1
        return set(self.names)  # Pelican's own: a set, whose order changes from run to run


def test_articles_are_listed_in_path_order_from_one_walk():
    names = [f"articles/2024/0{n % 9 + 1}/bai-{n}/index.md" for n in range(40)]
    names += ["articles/2024/01/bai-0/anh.jpg"]
    generator = _Walking(names)
    prefill._walk_once(generator)
    markdown = sorted(name for name in names if name.endswith(".md"))
    assert list(generator.get_files(["articles"])) == markdown
    assert list(generator.get_files(["articles"], extensions=["jpg"])) == [names[-1]]
    assert list(generator.get_files(["articles"], extensions=False)) == sorted(names)
    assert generator.walks == 1  # the same folders are walked once per build


def test_changed_years_are_indexed_the_likely_ones_first(tmp_path):
    # Each year's Pagefind starts as soon as the year is found changed: the years a publish
    # changed articles of are looked at first, so their index is not held up by the others.
    for year in ("2022", "2023"):
        page = tmp_path / year / "01" / "02" / f"bai-{year}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f'<html lang="vi"><body><article data-pagefind-body><h1>Bài {year}</h1>'
            "<p>Tuần tra biên giới.</p></article></body></html>",
            "utf-8",
        )
    assert index_changed(tmp_path, None) == ["2023", "2022"]  # newest first
    shutil.rmtree(tmp_path / SEARCH_DIR)
    assert index_changed(tmp_path, None, likely={"2022"}) == ["2022", "2023"]
    assert json.loads((tmp_path / SEARCH_DIR / "years.json").read_text("utf-8")) == [
        "2023",
        "2022",
    ]
    assert all(
        (tmp_path / SEARCH_DIR / year / "pagefind-entry.json").is_file()
        for year in ("2022", "2023")
    )


def test_kept_articles_share_their_short_texts_and_the_build_s_objects():
    settings = {"SITENAME": "Báo"}
    first, second = io.BytesIO(), io.BytesIO()
    for buffer in (first, second):
        value = {"tag": "tuần " + "tra", "settings": settings, "body": "x" * 100}
        article_cache._Pickler(buffer, {id(settings): "settings"}, {}).dump(value)
    loaded = article_cache._Loaded({"settings": settings})
    one = article_cache._load(io.BytesIO(first.getvalue()), loaded)
    two = article_cache._load(io.BytesIO(second.getvalue()), loaded)
    assert one == two == {"tag": "tuần tra", "settings": settings, "body": "x" * 100}
    assert one["settings"] is settings and one["tag"] is two["tag"]  # one copy for the build
    assert one["tag"] is sys.intern("tuần " + "tra")  # the interpreter's: as read ones share
    assert one["body"] is not two["body"]  # long texts are each article's own
    with pytest.raises(pickle.UnpicklingError):  # an object this build does not share
        article_cache._load(io.BytesIO(first.getvalue()), article_cache._Loaded({}))
