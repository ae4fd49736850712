"""`newsroom publish`: only approved revisions, embargo, corrections, withdrawals, rollback,
the approval gate, and preview. Every test builds real releases into tmp_path."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import feedparser
import pytest

from pipeline import build as build_module
from pipeline import processes, release_files
from pipeline.article_files import file_identity
from pipeline.build import run_pelican
from pipeline.config import load_config
from pipeline.errors import BuildError
from pipeline.manifest import Manifest, to_json
from pipeline.photos import remember_staged, source_hash
from pipeline.publish import (
    FUTURE_AT_VARIABLE,
    HELD,
    STATE_NAME,
    build_release,
    materialize,
    page_files,
    plan,
    watch,
)
from pipeline.record import Record
from pipeline.releases import KEEP_RELEASES, PRUNED, list_releases
from pipeline.vietnamese import TIMEZONE
from pipeline.workflow import now
from tests.helpers import page, write_photo
from tests.workflow_helpers import cli, live, make_newsroom, story, submit_and_approve, tree

MAY = "2024/05/06"


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    root = make_newsroom(tmp_path / "site")
    story(root, "tuan-tra-song-bien", "Tổ tuần tra đi dọc sông biên giới.", photo_color="#224466")
    story(root, "don-bien-phong", "Đồn Biên phòng đón Tết cùng dân bản.", section="Thời sự")
    return root


def _folder(root: Path, slug: str) -> Path:
    return root / "content" / "articles" / "2024" / "05" / slug


def _titles(output: Path, url: str) -> list[str]:
    return [a.get_text(strip=True) for a in page(output, url).select("main a")]


def test_publish_full_path_end_to_end(newsroom, capsys):
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    assert cli(newsroom, "approve", "tuan-tra-song-bien", "--as", "hoa", "--note", "Tốt") == 0
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    output = live(newsroom)
    story_page = page(output, f"{MAY}/tuan-tra-song-bien/")
    assert "Tổ tuần tra đi dọc sông biên giới." in story_page.select_one(".story-body").get_text()
    photo = source_hash(_folder(newsroom, "tuan-tra-song-bien") / "anh.jpg")[:20]
    assert story_page.select_one("figure img")["src"].startswith(f"/anh/{photo}-")  # a rendition
    assert "Bài tuan-tra-song-bien" in _titles(output, "")
    feed = feedparser.parse((output / "feeds" / "all.atom.xml").read_bytes())
    assert [entry.title for entry in feed.entries] == ["Bài tuan-tra-song-bien"]
    assert not (output / MAY / "don-bien-phong").exists()  # never submitted
    capsys.readouterr()
    assert cli(newsroom, "status", "tuan-tra-song-bien") == 0
    assert "\tđã đăng\t" in capsys.readouterr().out
    assert cli(newsroom, "history", "tuan-tra-song-bien") == 0
    assert "bientapvien\txuất bản" in capsys.readouterr().out


def test_articles_of_the_same_moment_keep_one_order_in_lists_and_feeds(newsroom):
    """Datelines with a date only all get the same time: such articles come newest first and
    then by slug, in the feeds as on the lists, in every build (Pelican read them in a set's
    order, which changes from run to run)."""
    slugs = ["cung-gio-b", "cung-gio-d", "cung-gio-a", "cung-gio-c"]
    for slug in slugs:
        story(newsroom, slug, f"Câu riêng của {slug}.")  # all at PAST
        submit_and_approve(newsroom, slug)
    expected = [f"Bài {slug}" for slug in sorted(slugs, reverse=True)]
    for _build in range(2):
        assert cli(newsroom, "publish", "--as", "bientapvien", "--rebuild") == 0
        output = live(newsroom)
        for feed_name in ("all.atom.xml", "all.rss.xml", "bien-gioi.atom.xml"):
            feed = feedparser.parse((output / "feeds" / feed_name).read_bytes())
            assert [entry.title for entry in feed.entries] == expected, feed_name
        section = [t for t in _titles(output, "chuyen-muc/bien-gioi/") if t in expected]
        assert section[: len(expected)] == expected


def test_publish_keeps_approved_text_after_edit(newsroom, capsys):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    folder = _folder(newsroom, "tuan-tra-song-bien")
    index = folder / "index.md"
    index.write_text(index.read_text("utf-8").replace("sông", "suối"), "utf-8")
    write_photo(folder / "anh.jpg", color="#ff0000")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    text = (live(newsroom) / MAY / "tuan-tra-song-bien" / "index.html").read_text("utf-8")
    assert "đi dọc sông biên giới" in text and "suối" not in text
    assert source_hash(folder / "anh.jpg")[:20] not in text
    assert not any(
        source_hash(folder / "anh.jpg")[:20] in p.name for p in live(newsroom).rglob("*")
    )


def test_publish_embargo_before_and_after_at(newsroom, capsys, monkeypatch):
    monkeypatch.setenv(FUTURE_AT_VARIABLE, "1")  # this test simulates the clock
    story(
        newsroom,
        "ban-tin-tet",
        "Bản tin đón năm mới.",
        date=datetime(2030, 1, 1, 7, tzinfo=TIMEZONE),
    )
    submit_and_approve(newsroom, "ban-tin-tet")
    capsys.readouterr()
    assert cli(newsroom, "status", "ban-tin-tet") == 0
    assert "hẹn giờ đăng" in capsys.readouterr().out
    assert cli(newsroom, "publish", "--as", "bientapvien", "--at", "2029-12-31 23:59") == 0
    before = tree(live(newsroom))
    assert not any("ban-tin-tet" in name or b"ban-tin-tet" in data for name, data in before.items())
    assert cli(newsroom, "publish", "--as", "bientapvien", "--at", "2030-01-01 07:00") == 0
    output = live(newsroom)
    assert (output / "2030/01/01/ban-tin-tet/index.html").is_file()
    assert "Bài ban-tin-tet" in _titles(output, "")
    assert cli(newsroom, "schedule", "ban-tin-tet", "--as", "hoa", "--at", "2030-02-01 07:00") == 2
    assert "không hẹn giờ lại" in capsys.readouterr().err


def test_publish_future_at_refused_and_audit_logs_real_time(newsroom, capsys, monkeypatch):
    story(newsroom, "ban-tin-2099", "Bản tin năm 2099.", date=datetime(2099, 6, 1, tzinfo=TIMEZONE))
    submit_and_approve(newsroom, "ban-tin-2099")
    monkeypatch.delenv(FUTURE_AT_VARIABLE, raising=False)
    capsys.readouterr()
    assert cli(newsroom, "publish", "--as", "bientapvien", "--at", "2099-06-01 00:00") == 2
    assert "ở tương lai" in capsys.readouterr().err
    assert not (newsroom / "output").exists()
    monkeypatch.setenv(FUTURE_AT_VARIABLE, "1")
    before = now()
    assert cli(newsroom, "publish", "--as", "bientapvien", "--at", "2099-06-02 00:00") == 0
    capsys.readouterr()
    assert cli(newsroom, "history", "ban-tin-2099") == 0
    published = capsys.readouterr().out.splitlines()[-1].split("\t")
    assert published[1:3] == ["bientapvien", "xuất bản"]
    assert before.isoformat() <= published[0] <= now().isoformat()  # the real clock
    assert "--at 2099-06-02T00:00:00+07:00" in published[-1]


@pytest.mark.parametrize("who", [None, "vitoan"])
def test_publish_and_rollback_need_an_editor(newsroom, capsys, monkeypatch, who):
    monkeypatch.delenv("NEWSROOM_USER", raising=False)
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    identity = ["--as", who] if who else []
    for command in ("publish", "rollback"):
        capsys.readouterr()
        assert cli(newsroom, command, *identity) == 2
        err = capsys.readouterr().err
        assert ("chỉ biên tập viên" if who else "chưa rõ ai") in err, err
    assert not (newsroom / "output").exists()


def test_publish_schedule_moves_publication_time(newsroom, monkeypatch):
    monkeypatch.setenv(FUTURE_AT_VARIABLE, "1")  # this test simulates the clock
    story(
        newsroom, "ban-tin-xuan", "Bản tin mùa xuân.", date=datetime(2030, 1, 1, 7, tzinfo=TIMEZONE)
    )
    submit_and_approve(newsroom, "ban-tin-xuan")
    assert cli(newsroom, "schedule", "ban-tin-xuan", "--as", "hoa", "--at", "2030-02-01 09:30") == 0
    assert cli(newsroom, "publish", "--as", "bientapvien", "--at", "2030-01-15 00:00") == 0
    assert not (live(newsroom) / "2030/01/01/ban-tin-xuan").exists()
    assert cli(newsroom, "publish", "--as", "bientapvien", "--at", "2030-02-01 09:30") == 0
    story_page = page(live(newsroom), "2030/02/01/ban-tin-xuan/")
    assert story_page.select_one(".dateline time")["datetime"] == "2030-02-01T09:30:00+07:00"


def test_publish_line_names_what_it_adds_changes_and_takes_off(newsroom, capsys):
    """The editor reads which articles went live, which changed, which went off and which
    leads the front page (at most three named of each kind), not only a count."""
    more = [f"bai-them-{n}" for n in range(3)]
    for n, slug in enumerate(more):
        story(newsroom, slug, f"Bài thêm số {n} về tuần tra biên giới.")
    for slug in ["tuan-tra-song-bien", "don-bien-phong", *more]:
        submit_and_approve(newsroom, slug)
    capsys.readouterr()

    def published(*args: str) -> str:
        assert cli(newsroom, "publish", "--as", "bientapvien", *args) == 0
        return capsys.readouterr().out

    first = published()
    assert "Đã xuất bản 5 bài (mới 5: bai-them-0, bai-them-1, bai-them-2 và 2 bài khác):" in first
    index = _folder(newsroom, "tuan-tra-song-bien") / "index.md"
    index.write_text(index.read_text("utf-8").replace("dọc sông", "dọc bờ sông"), "utf-8")
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    assert (
        cli(newsroom, "approve", "tuan-tra-song-bien", "--as", "hoa", "--correction", "Sửa.") == 0
    )
    assert cli(newsroom, "withdraw", "don-bien-phong", "--as", "hoa", "--reason", "Trùng bài") == 0
    second = published()
    assert "Đã xuất bản 4 bài (sửa 1: tuan-tra-song-bien; gỡ 1: don-bien-phong):" in second
    assert cli(newsroom, "feature", "bai-them-1", "--as", "hoa") == 0
    assert "Đã xuất bản 4 bài (bài đinh: bai-them-1):" in published()
    assert "Đã xuất bản 4 bài (không bài nào thay đổi):" in published("--rebuild")


def test_publish_correction_withdraw_and_rollback(newsroom, capsys):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    submit_and_approve(newsroom, "don-bien-phong")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    first = live(newsroom)
    index = _folder(newsroom, "tuan-tra-song-bien") / "index.md"
    index.write_text(index.read_text("utf-8").replace("dọc sông", "dọc bờ sông"), "utf-8")
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    args = ["approve", "tuan-tra-song-bien", "--as", "hoa", "--correction", "Sửa vị trí tuần tra."]
    assert cli(newsroom, *args) == 0
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    corrected = page(live(newsroom), f"{MAY}/tuan-tra-song-bien/")
    notice = corrected.select_one(".corrections")
    assert "Đính chính" in notice.get_text() and "Sửa vị trí tuần tra." in notice.get_text()
    assert notice.select_one("time")["datetime"][:10] == now().date().isoformat()
    assert corrected.select_one(".updated time")["datetime"][:10] == now().date().isoformat()
    assert "dọc bờ sông" in corrected.select_one(".story-body").get_text()
    news = json.loads(corrected.find("script", type="application/ld+json").string)
    assert news["correction"][0]["text"] == "Sửa vị trí tuần tra."
    assert news["correction"][0]["datePublished"].endswith("+07:00")
    assert news["dateModified"] > news["datePublished"]

    assert (
        cli(newsroom, "withdraw", "don-bien-phong", "--as", "hoa", "--reason", "Sai sự thật") == 0
    )
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    _assert_withdrawn(live(newsroom))
    capsys.readouterr()

    assert (
        cli(newsroom, "rollback", "--as", "bientapvien") == 0
    )  # to the corrected release, rebuilt without the withdrawn
    _assert_withdrawn(live(newsroom))
    assert page(live(newsroom), f"{MAY}/tuan-tra-song-bien/").select_one(".corrections")
    assert "Lưu ý" not in capsys.readouterr().out  # the corrected text stays
    assert (
        cli(newsroom, "rollback", "--as", "bientapvien") == 0
    )  # to the first release: no correction, still withdrawn
    said = capsys.readouterr().out.splitlines()
    assert said[1].startswith("Lưu ý: 1 bài trở lại bản trước khi sửa (tuan-tra-song-bien);")
    _assert_withdrawn(live(newsroom))
    assert live(newsroom) != first
    assert page(live(newsroom), f"{MAY}/tuan-tra-song-bien/").select_one(".corrections") is None
    assert cli(newsroom, "rollback", "--as", "bientapvien") == 2
    assert "không còn bản phát hành nào" in capsys.readouterr().err


def _assert_withdrawn(output: Path) -> None:
    notice = page(output, f"{MAY}/don-bien-phong/")
    assert "Bài viết đã được gỡ" in notice.select_one("main").get_text()
    for name, data in tree(output).items():
        assert "Đồn Biên phòng đón Tết".encode() not in data, name
        if name != f"{MAY}/don-bien-phong/index.html":
            assert b"don-bien-phong" not in data, name


def test_rollback_switches_back_and_holds_cron_until_an_editor_publishes(newsroom, capsys):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    first = live(newsroom)
    submit_and_approve(newsroom, "don-bien-phong")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    assert cli(newsroom, "rollback", "--as", "bientapvien") == 0
    assert live(newsroom) == first
    capsys.readouterr()
    assert cli(newsroom, "publish", "--if-due", "--as", "bientapvien") == 0
    assert "đang giữ bản đã quay lại" in capsys.readouterr().out
    reports: list[str] = []
    watch(newsroom, 0, rounds=2, report=reports.append, given_actor="bientapvien")
    assert reports == [HELD]  # said once, not every round
    assert live(newsroom) == first
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0  # the editor lifts the hold
    assert (live(newsroom) / MAY / "don-bien-phong" / "index.html").is_file()
    capsys.readouterr()
    assert cli(newsroom, "publish", "--if-due", "--as", "bientapvien") == 0
    assert "Không có gì mới" in capsys.readouterr().out


def test_publish_feature_pins_lead_story(newsroom):
    story(
        newsroom,
        "bai-co-anh",
        "Bài mới có ảnh.",
        photo_color="#aa3300",
        date=datetime(2024, 5, 7, 7, tzinfo=TIMEZONE),
    )
    for slug in ("tuan-tra-song-bien", "bai-co-anh"):
        submit_and_approve(newsroom, slug)
    assert cli(newsroom, "feature", "tuan-tra-song-bien", "--as", "hoa") == 0
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    lead = page(live(newsroom), "").select_one(".lead-story .lead-title")
    assert lead.get_text(strip=True) == "Bài tuan-tra-song-bien"


def test_publish_if_due_only_when_site_changes(newsroom, capsys):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    watch(newsroom, 0, rounds=1, report=lambda line: None, given_actor="bientapvien")
    first = live(newsroom)
    assert (first / MAY / "tuan-tra-song-bien" / "index.html").is_file()
    capsys.readouterr()
    assert cli(newsroom, "publish", "--as", "bientapvien", "--if-due") == 0
    assert "Không có gì mới" in capsys.readouterr().out
    assert live(newsroom) == first
    assert (
        cli(newsroom, "withdraw", "tuan-tra-song-bien", "--as", "hoa", "--reason", "Trùng bài") == 0
    )
    assert cli(newsroom, "publish", "--as", "bientapvien", "--if-due") == 0
    assert live(newsroom) != first


def test_gate_stops_build_when_staged_file_altered(newsroom, tmp_path):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    config = load_config(newsroom)
    record = Record(config.record_path)
    try:
        pages = page_files(record)
        manifest = plan(record, now(), pages)
        staging = tmp_path / "staging"
        content = materialize(record, manifest, pages, staging)
    finally:
        record.close()
    build_release(newsroom, staging, tmp_path / "ok", now())  # the untouched staging tree builds
    staged = content / "articles" / "tuan-tra-song-bien" / "index.md"
    staged.write_text(staged.read_text("utf-8") + "\nCâu chưa duyệt.\n", "utf-8")
    with pytest.raises(BuildError, match=r"cổng duyệt: articles/tuan-tra-song-bien/index\.md khác"):
        build_release(newsroom, staging, tmp_path / "altered", now())
    assert not (tmp_path / "altered").exists()
    shutil.copytree(_folder(newsroom, "don-bien-phong"), content / "articles" / "don-bien-phong")
    with pytest.raises(BuildError, match="không có trong manifest"):
        build_release(newsroom, staging, tmp_path / "extra", now())


def _staged(newsroom: Path, staging: Path, *, wrong_digest_for: str | None = None) -> Path:
    """The approved content materialized into `staging`; optionally with a manifest whose
    digest for one file of the article is not the digest of the bytes the record holds."""
    config = load_config(newsroom)
    record = Record(config.record_path)
    try:
        pages = page_files(record)
        manifest = plan(record, now(), pages)
        if wrong_digest_for:
            articles = tuple(
                replace(a, files={**a.files, wrong_digest_for: "0" * 64}) for a in manifest.articles
            )
            manifest = replace(manifest, articles=articles)
        return materialize(record, manifest, pages, staging)
    finally:
        record.close()


def test_staged_state_holds_the_hash_of_every_byte_written(newsroom, tmp_path):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    content = _staged(newsroom, tmp_path / "staging")
    state = json.loads((tmp_path / "staging" / STATE_NAME).read_text("utf-8"))
    files = sorted(p for p in content.rglob("*") if p.is_file())
    assert len(files) >= 2 and sorted(state) == [p.relative_to(content).as_posix() for p in files]
    for path in files:
        assert state[path.relative_to(content).as_posix()][2] == source_hash(path)


def test_staging_keeps_only_what_the_manifest_lists(newsroom, tmp_path):
    """Whatever else a staging tree holds (an earlier publish's files, a stray file, a link,
    even one to a folder, an empty folder) is gone after materializing, with every folder
    left empty; the listed files stay."""
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    staging = tmp_path / "staging"
    content = _staged(newsroom, staging)
    listed = sorted(p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "bi-mat.md").write_text("chưa duyệt", "utf-8")
    stray_folder = content / "articles" / "bai-chua-duyet"
    (stray_folder / "sau").mkdir(parents=True)
    (stray_folder / "sau" / "index.md").write_text("chưa duyệt", "utf-8")
    (content / "articles" / "tuan-tra-song-bien" / "thua.jpg").write_bytes(b"x")
    (content / "rong" / "rong-nua").mkdir(parents=True)
    (content / "lien-ket").symlink_to(outside, target_is_directory=True)
    (content / "articles" / "lien-ket.md").symlink_to(outside / "bi-mat.md")
    content = _staged(newsroom, staging)
    left = sorted(p.relative_to(content).as_posix() for p in content.rglob("*"))
    folders = {p.rsplit("/", 1)[0] for p in listed if "/" in p}
    folders |= {f.rsplit("/", 1)[0] for f in folders if "/" in f}
    assert left == sorted([*listed, *folders])
    assert (outside / "bi-mat.md").read_text("utf-8") == "chưa duyệt"  # a link's target stays


def test_equal_photos_are_staged_once_and_a_later_publish_leaves_them_alone(newsroom, tmp_path):
    """Photos of equal bytes written by one materialize are one file (a photo used by many
    articles is written once); a later one never makes them a name of its new files, since
    that would change their identity (ctime) and cost the next build a read of each."""
    shared = tmp_path / "shared.jpg"
    write_photo(shared, color="#335577")

    def with_shared_photo(slug: str, sentence: str) -> Path:
        story(newsroom, slug, sentence, photo_color="#000000")
        shutil.copy(shared, _folder(newsroom, slug) / "anh.jpg")
        submit_and_approve(newsroom, slug)
        return Path("articles") / slug / "anh.jpg"

    staging = tmp_path / "staging"
    first = [
        with_shared_photo("tuan-tra-song-bien", "Tổ tuần tra đi dọc sông biên giới."),
        with_shared_photo("don-bien-phong", "Đồn Biên phòng đón Tết cùng dân bản."),
    ]
    content = _staged(newsroom, staging)
    assert os.path.samefile(content / first[0], content / first[1])
    assert (content / first[0]).read_bytes() == shared.read_bytes()
    state = json.loads((staging / STATE_NAME).read_text("utf-8"))
    for path in content.rglob("*.*"):  # each identity as it is once every name is made
        assert state[path.relative_to(content).as_posix()][1] == list(file_identity(path))
    before = {path: (content / path).stat() for path in first}
    later = with_shared_photo("bai-moi", "Bài mới dùng lại ảnh cũ.")
    content = _staged(newsroom, staging)
    assert (content / later).read_bytes() == shared.read_bytes()
    assert not os.path.samefile(content / later, content / first[0])
    for path, stat in before.items():
        now_stat = (content / path).stat()
        assert (now_stat.st_ino, now_stat.st_ctime_ns) == (stat.st_ino, stat.st_ctime_ns)


def test_build_takes_staged_hashes_only_while_files_are_as_written(newsroom, tmp_path):
    """What the build takes from the state is trusted without reading (shown here with a state
    that claims other bytes), until the file is written again."""
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    content = _staged(newsroom, tmp_path / "staging")
    state_file = tmp_path / "staging" / STATE_NAME
    state = json.loads(state_file.read_text("utf-8"))
    name = next(p for p in state if p.endswith("index.md"))
    claimed = "c" * 64
    state[name] = [claimed, state[name][1], claimed]
    state_file.write_text(json.dumps(state), "utf-8")
    assert remember_staged(content, state_file) == len(state)
    staged = content / name
    assert source_hash(staged) == claimed  # not read: its identity is the one written
    time.sleep(0.05)  # past the kernel's coarse clock tick, so the write shows in the ctime
    staged.write_bytes(staged.read_bytes())  # the same bytes, written again
    assert source_hash(staged) == hashlib.sha256(staged.read_bytes()).hexdigest()


def test_gate_reads_again_a_staged_file_rewritten_with_its_size_and_mtime(newsroom, tmp_path):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    content = _staged(newsroom, tmp_path / "staging")
    build_release(newsroom, tmp_path / "staging", tmp_path / "ok", now())
    staged = content / "articles" / "tuan-tra-song-bien" / "index.md"
    before = staged.stat()
    text = staged.read_bytes()
    staged.write_bytes(text.replace(b"a", b"o", 1))  # same size
    os.utime(staged, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime: only ctime moves
    assert staged.stat().st_size == before.st_size
    with pytest.raises(BuildError, match=r"cổng duyệt: articles/tuan-tra-song-bien/index\.md khác"):
        build_release(newsroom, tmp_path / "staging", tmp_path / "altered", now())


@pytest.mark.parametrize("damage", ["file bytes", "file list"])
def test_a_damaged_record_stops_the_publish_in_one_line_and_keeps_the_site(
    newsroom, capsys, damage
):
    """Materialize reads from the record only what it writes, and checks what it reads: a
    file whose bytes no longer match their hash, or a revision whose file list is not the one
    its id was made from, stops the publish before anything is built."""
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    before = live(newsroom)
    index = _folder(newsroom, "tuan-tra-song-bien") / "index.md"
    index.write_text(index.read_text("utf-8").replace("dọc sông", "dọc bờ sông"), "utf-8")
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    record = Record(load_config(newsroom).record_path)
    try:
        revision = record.article("tuan-tra-song-bien").approved_revision
        blob = record.revision_hashes(revision)["index.md"]
        with record.transaction():
            if damage == "file bytes":
                record.db.execute("UPDATE blobs SET data = ? WHERE hash = ?", (b"sai", blob))
            else:
                record.db.execute(
                    "DELETE FROM revision_files WHERE revision = ? AND path != 'index.md'",
                    (revision,),
                )
    finally:
        record.close()
    capsys.readouterr()
    assert cli(newsroom, "publish", "--as", "bientapvien") != 0
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "newsroom.sqlite3" in error
    assert ("hỏng" in error) and live(newsroom) == before
    assert sorted(p.name for p in (newsroom / "releases").iterdir()) == [before.name]


def test_gate_compares_the_bytes_written_not_the_digest_asked_for(newsroom, tmp_path):
    """A record whose bytes are not those the manifest approved: materialize writes them, and
    the hash the build takes from its state is theirs, so the gate stops the build."""
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    _staged(newsroom, tmp_path / "staging", wrong_digest_for="index.md")
    with pytest.raises(BuildError, match=r"cổng duyệt: articles/tuan-tra-song-bien/index\.md khác"):
        build_release(newsroom, tmp_path / "staging", tmp_path / "wrong", now())


def test_plain_public_build_refused_by_gate(newsroom):
    with pytest.raises(BuildError, match="chỉ được dựng bằng “newsroom publish”"):
        run_pelican(newsroom, "publishconf.py", newsroom / "plain")


def _releases(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "releases").iterdir())


def test_plain_pelican_publishconf_fails_before_writing(newsroom):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    story(newsroom, "bai-chua-duyet", "Câu chưa duyệt lọt ra ngoài.")
    target, before, releases = live(newsroom), tree(live(newsroom)), _releases(newsroom)
    pelican = [sys.executable, "-m", "pelican", "content", "-s", "publishconf.py"]
    (newsroom / "manifest.json").write_text(to_json(Manifest("2024-05-06T07:00:00+07:00", ())))
    aimed = ["-o", "output", "-e", 'NEWSROOM_MANIFEST="manifest.json"']  # a manifest, live output
    for command in (pelican, [*pelican, *aimed]):
        result = subprocess.run(command, cwd=newsroom, capture_output=True, text=True)
        assert result.returncode != 0, result.stderr
        assert "chỉ được dựng bằng “newsroom publish”" in result.stderr
        assert live(newsroom) == target and tree(live(newsroom)) == before
        assert _releases(newsroom) == releases
    assert not (newsroom / ".cache" / "publishconf-refused").exists()


def test_rollback_rebuilds_a_release_changed_after_verification(newsroom):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    first = live(newsroom)
    submit_and_approve(newsroom, "don-bien-phong")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    index = first / "index.html"
    index.write_text(index.read_text("utf-8") + "<script>gia-mao()</script>", "utf-8")
    (first / "gia-mao.html").write_text("Bài giả mạo", "utf-8")
    assert cli(newsroom, "rollback", "--as", "bientapvien") == 0
    restored = live(newsroom)
    assert restored != first
    files = tree(restored)
    assert "gia-mao.html" not in files and b"gia-mao" not in files["index.html"]
    assert f"{MAY}/tuan-tra-song-bien/index.html" in files
    assert not (restored / MAY / "don-bien-phong").exists()


def test_publish_failed_build_leaves_live_site_identical(newsroom, capsys):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    before_target, before = live(newsroom), tree(live(newsroom))
    submit_and_approve(newsroom, "don-bien-phong")
    config = newsroom / "newsroom.toml"
    text = config.read_text("utf-8")
    config.write_text(
        text.replace('slug = "thoi-su"\nname = "Thời sự"', 'slug = "tin-moi"\nname = "Tin mới"'),
        "utf-8",
    )
    assert cli(newsroom, "publish", "--as", "bientapvien") == 1
    assert "dựng trang thất bại, trang đang đăng không thay đổi" in capsys.readouterr().err
    assert live(newsroom) == before_target and tree(live(newsroom)) == before
    releases = newsroom / "releases"
    assert [p.name for p in releases.iterdir()] == [before_target.name]


def test_publish_with_a_broken_template_names_its_file_and_line(newsroom, capsys):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    theme = newsroom / "theme"
    shared = theme.resolve()  # the test project links the repository's theme: change a copy
    theme.unlink()
    shutil.copytree(shared, theme)
    template = theme / "templates" / "article.html"
    lines = template.read_text("utf-8").splitlines(keepends=True)
    lines.insert(3, "{% if %}\n")  # line 4: an if with no condition
    template.write_text("".join(lines), "utf-8")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 1
    said = capsys.readouterr().err.strip()
    assert len(said.splitlines()) == 1
    assert "theme/templates/article.html:4: hãy sửa mẫu giao diện" in said
    assert "TemplateSyntaxError" in said
    assert not (newsroom / "output").exists()  # nothing was live, nothing is


def test_preview_of_the_working_copy_follows_links_by_slug_between_drafts(newsroom):
    """In the working copy, articles sit under year and month, yet a link by slug leads to
    its article, one not yet approved too; a link to a static page as well."""
    story(newsroom, "nhap-mot", "Bản nháp một.")
    link = "Xem [bản nháp một]({filename}/articles/nhap-mot/index.md) và [giới thiệu]"
    link += "({filename}/pages/gioi-thieu.md)."
    story(newsroom, "nhap-hai", link)
    assert cli(newsroom, "preview") == 0
    text = (newsroom / "preview" / MAY / "nhap-hai" / "index.html").read_text("utf-8")
    assert f'<a href="/{MAY}/nhap-mot/">bản nháp một</a>' in text
    assert '<a href="/gioi-thieu/">giới thiệu</a>' in text


def test_preview_working_copy_has_banner_and_noindex(newsroom):
    assert cli(newsroom, "preview") == 0
    preview = newsroom / "preview"
    for url in ("", f"{MAY}/don-bien-phong/"):
        html = page(preview, url)
        assert html.select_one(".preview-banner").get_text() == "BẢN NHÁP – CHƯA DUYỆT"
        assert html.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
    assert not (newsroom / "output").exists() and not (newsroom / "releases").exists()


def test_preview_article_builds_submitted_revision_only(newsroom, capsys):
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    index = _folder(newsroom, "tuan-tra-song-bien") / "index.md"
    index.write_text(index.read_text("utf-8").replace("sông", "suối"), "utf-8")
    assert cli(newsroom, "preview", "tuan-tra-song-bien") == 0
    assert f"preview/{MAY}/tuan-tra-song-bien/" in capsys.readouterr().out
    html = page(newsroom / "preview", f"{MAY}/tuan-tra-song-bien/")
    assert "dọc sông" in html.select_one(".story-body").get_text()
    assert html.select_one(".preview-banner")
    assert not (newsroom / "preview" / MAY / "don-bien-phong").exists()
    assert not (newsroom / "output").exists()


def test_verify_refuses_broken_reference_and_unlisted_page_or_photo(tmp_path):
    from pipeline.manifest import Manifest, ManifestArticle
    from pipeline.verify import verify_release

    approved = "a" * 64
    manifest = Manifest(
        at="2024-05-06T07:00:00+07:00",
        articles=(
            ManifestArticle(
                "bai", f"{MAY}/bai/", "2024-05-06T07:00:00+07:00", "r", {"x.jpg": approved}
            ),
        ),
    )
    release = tmp_path / "release"
    (release / MAY / "bai").mkdir(parents=True)
    (release / "anh").mkdir()
    (release / "anh" / f"{approved[:20]}.jpg").write_bytes(b"jpg")
    (release / MAY / "bai" / "index.html").write_text(f'<img src="/anh/{approved[:20]}.jpg">')
    (release / "index.html").write_text(f'<a href="/{MAY}/bai/">bài</a><a href="#top">x</a>')
    verify_release(release, manifest)
    cases = {
        "index.html trỏ tới /khong-co/": ("index.html", '<a href="/khong-co/">?</a>'),
        f"trang {MAY}/la/index.html không có trong manifest": (f"{MAY}/la/index.html", "lạ"),
        f"ảnh anh/{'b' * 20}.jpg không thuộc": (f"anh/{'b' * 20}.jpg", "jpg"),
    }
    for message, (name, text) in cases.items():
        target = release / name
        target.parent.mkdir(parents=True, exist_ok=True)
        original = target.read_text() if target.exists() else None
        target.write_text(text)
        with pytest.raises(BuildError, match=re.escape(message)):
            verify_release(release, manifest)
        if original is None:
            target.unlink()
        else:
            target.write_text(original)


def test_verify_refuses_a_search_result_of_no_live_article_or_of_a_missing_photo(tmp_path):
    import gzip

    from pipeline.manifest import Manifest, ManifestArticle
    from pipeline.verify import verify_release

    approved = "a" * 64
    article = ManifestArticle(
        "bai", f"{MAY}/bai/", "2024-05-06T07:00:00+07:00", "r", {"x.jpg": approved}
    )
    manifest = Manifest(at="2024-05-06T07:00:00+07:00", articles=(article,))
    release = tmp_path / "release"
    (release / MAY / "bai").mkdir(parents=True)
    (release / MAY / "bai" / "index.html").write_text("bài")
    (release / "anh").mkdir()
    (release / "anh" / f"{approved[:20]}.jpg").write_bytes(b"jpg")
    fragment = release / "pagefind" / "2024" / "fragment" / "vi_1.pf_fragment"
    fragment.parent.mkdir(parents=True)

    def index(url: str, image: str) -> None:
        data = {"url": url, "meta": {"title": "Bài", "image": image}}
        fragment.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps(data).encode()))

    index(f"/{MAY}/bai/", f"/anh/{approved[:20]}.jpg")
    verify_release(release, manifest)
    index(f"/{MAY}/bai/", "")  # no photo: no image
    verify_release(release, manifest)
    cases = {
        "có trang /2024/05/06/da-go/ không phải bài đang đăng": ("/2024/05/06/da-go/", ""),
        f"có ảnh /anh/{'b' * 20}.jpg không có": (f"/{MAY}/bai/", f"/anh/{'b' * 20}.jpg"),
    }
    for message, (url, image) in cases.items():
        index(url, image)
        with pytest.raises(BuildError, match=re.escape(message)):
            verify_release(release, manifest)
    fragment.write_bytes(b"not gzip")
    with pytest.raises(BuildError, match=re.escape("vi_1.pf_fragment không đọc được")):
        verify_release(release, manifest)


def test_publish_stats_name_each_step_and_each_process_peak(newsroom, tmp_path, monkeypatch):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    target = tmp_path / "stats.json"
    monkeypatch.setenv("NEWSROOM_PUBLISH_STATS", str(target))
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    stats = json.loads(target.read_text("utf-8"))
    assert set(stats["seconds"]) == {"materialize", "pelican", "search", "verify", "switch"}
    assert set(stats["peak_rss_mb"]) == {"pelican", "search", "publish"}  # publish: its own
    assert all(mb > 10 for mb in stats["peak_rss_mb"].values())  # a Python process at least
    # Each publish counts its own: a --watch process does not add one publish to the last.
    processes.STATS["seconds"]["pelican"] = 10_000.0
    submit_and_approve(newsroom, "don-bien-phong")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    assert json.loads(target.read_text("utf-8"))["seconds"]["pelican"] < 10_000


def test_publish_stats_into_a_missing_folder_is_refused_before_building(
    newsroom, tmp_path, monkeypatch, capsys
):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    before = tree(live(newsroom))
    missing = tmp_path / "khong-co" / "stats.json"
    monkeypatch.setenv("NEWSROOM_PUBLISH_STATS", str(missing))
    submit_and_approve(newsroom, "don-bien-phong")
    capsys.readouterr()
    assert cli(newsroom, "publish", "--as", "bientapvien") != 0
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "NEWSROOM_PUBLISH_STATS" in error and "không tồn tại" in error
    assert tree(live(newsroom)) == before
    assert not missing.parent.exists()


def _settled(folder: Path, seconds: float = 30) -> list[str]:
    """The folder's entries once no release is still being deleted (or the time is up)."""
    deadline = time.monotonic() + seconds
    while any(p.name.startswith(PRUNED) for p in folder.iterdir()):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return sorted(p.name for p in folder.iterdir())


def test_old_releases_leave_the_list_at_once_and_the_disk_soon_after(newsroom):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    releases = newsroom / "releases"
    for _number in range(KEEP_RELEASES):
        assert cli(newsroom, "publish", "--as", "bientapvien", "--rebuild") == 0
    first = list_releases(releases)[0]
    leftover = releases / f"{PRUNED}bi-ngat"  # a deletion that was interrupted
    (leftover / "2024").mkdir(parents=True)
    (leftover / "2024" / "index.html").write_text("cũ", "utf-8")
    assert cli(newsroom, "publish", "--as", "bientapvien", "--rebuild") == 0
    kept = list_releases(releases)
    assert len(kept) == KEEP_RELEASES and first not in kept and live(newsroom) in kept
    assert _settled(releases) == [release.name for release in kept]


def test_verify_beside_search_leaves_only_references_into_the_search_folder_for_later(tmp_path):
    from pipeline.manifest import Manifest
    from pipeline.verify import verify_beside, verify_later

    manifest = Manifest(at="2024-05-06T07:00:00+07:00", articles=())
    release = tmp_path / "release"
    (release / "tim-kiem").mkdir(parents=True)
    (release / "tim-kiem" / "index.html").write_text(
        '<link href="/pagefind/2024/ui.css"><a href="/">Trang chủ</a>'
    )
    (release / "index.html").write_text('<a href="/tim-kiem/">Tìm</a>')
    (release / "pagefind").mkdir()  # being written: not yet described
    pages = release_files.describe(release, skip="pagefind")
    assert "pagefind/2024/ui.css" not in pages.names()
    waiting = verify_beside(release, manifest, pages, None, "pagefind")
    assert waiting == [("tim-kiem/index.html", "/pagefind/2024/ui.css")]
    with pytest.raises(
        BuildError, match=re.escape("tim-kiem/index.html trỏ tới /pagefind/2024/ui.css")
    ):
        verify_later(release, pages, waiting, "pagefind")  # the indexer did not write it
    (release / "pagefind" / "2024").mkdir()
    (release / "pagefind" / "2024" / "ui.css").write_text("body{}")
    whole = release_files.joined(pages, release_files.describe(release, folder="pagefind"))
    verify_later(release, whole, waiting, "pagefind")
    (release / "pagefind" / "2024" / "ui.html").write_text('<a href="/khong-co/">?</a>')
    whole = release_files.joined(pages, release_files.describe(release, folder="pagefind"))
    with pytest.raises(BuildError, match=re.escape("pagefind/2024/ui.html trỏ tới /khong-co/")):
        verify_later(release, whole, waiting, "pagefind")  # a page in the index is checked too
    (release / "pagefind" / "2024" / "ui.html").unlink()
    whole = release_files.joined(pages, release_files.describe(release, folder="pagefind"))
    assert list(whole.entries) == sorted(whole.entries)
    assert release_files.digest(whole) == release_files.digest(release_files.describe(release))
    (release / "index.html").write_text('<a href="/khong-co/">?</a>')
    with pytest.raises(BuildError, match=re.escape("index.html trỏ tới /khong-co/")):
        verify_beside(
            release, manifest, release_files.describe(release, skip="pagefind"), None, "pagefind"
        )


def _one_article_site(site: Path) -> None:
    page = site / "2024" / "05" / "06" / "bai" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<html lang="vi"><body><main data-pagefind-body><h1>Tuần tra biên giới</h1>'
        "<p>Bộ đội biên phòng tuần tra.</p></main></body></html>",
        "utf-8",
    )


def test_a_check_that_fails_beside_search_is_reported_once_the_index_is_written(tmp_path):
    from pipeline.publish import _search_beside

    site = tmp_path / "site"
    _one_article_site(site)

    def check() -> None:
        raise BuildError("kiểm tra bản phát hành thất bại")

    with pytest.raises(BuildError, match="kiểm tra bản phát hành thất bại"):
        _search_beside(site, None, check)
    assert (site / "pagefind" / "years.json").read_text("utf-8") == '["2024"]'


def test_a_search_that_fails_beside_a_good_check_fails_the_build(tmp_path):
    from pipeline.publish import _search_beside

    site = tmp_path / "site"
    _one_article_site(site)
    (site / "pagefind").write_text("không phải thư mục")
    checked = []
    with pytest.raises(BuildError, match="lập chỉ mục tìm kiếm thất bại"):
        _search_beside(site, None, lambda: checked.append("đã kiểm tra") or "kết quả")
    assert checked == ["đã kiểm tra"]


def test_a_manifest_changed_in_any_way_is_read_again(tmp_path):
    from pipeline.files import write_atomic
    from pipeline.manifest import read_manifest

    path = tmp_path / "manifest.json"
    for day in ("06", "07"):  # replaced by rename, as a publish writes it
        manifest = Manifest(f"2024-05-{day}T07:00:00+07:00", ())
        write_atomic(path, to_json(manifest).encode("utf-8"))
        assert read_manifest(path) == manifest
    rewritten = Manifest("2024-05-08T07:00:00+07:00", ())  # same size, written in place
    before = path.stat().st_mtime_ns
    path.write_text(to_json(rewritten), "utf-8")
    os.utime(path, ns=(before + 1_000_000, before + 1_000_000))  # on any clock's granularity
    assert read_manifest(path) == rewritten


def test_stopping_every_process_ends_one_waited_for_on_another_thread():
    import threading
    import time

    finished = []
    waiting = threading.Thread(
        target=lambda: finished.append(processes.run(["sleep", "30"], "thử").returncode)
    )
    started = time.monotonic()
    waiting.start()
    while not processes._running and time.monotonic() - started < 5:
        time.sleep(0.01)
    processes.stop_all()
    waiting.join(timeout=10)
    assert finished == [-9] and time.monotonic() - started < 10
    assert not processes._running


def test_ctrl_c_beside_search_is_not_swallowed(tmp_path):
    from pipeline.publish import _search_beside

    site = tmp_path / "site"
    _one_article_site(site)

    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _search_beside(site, None, interrupted)
    assert not processes._running  # Pagefind ended or was stopped


def test_a_publish_whose_release_has_a_broken_link_changes_nothing_live(newsroom, capsys):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    first, first_files = live(newsroom), tree(live(newsroom))
    story(newsroom, "don-bien-phong", "Xem [bài cũ](/2024/05/01/khong-co-bai-nay/) trước.")
    submit_and_approve(newsroom, "don-bien-phong")
    capsys.readouterr()
    assert cli(newsroom, "publish", "--as", "bientapvien") != 0
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "trỏ tới /2024/05/01/khong-co-bai-nay/ không tồn tại" in error
    assert live(newsroom) == first and tree(first) == first_files
    releases = newsroom / "releases"
    assert sorted(p.name for p in releases.iterdir()) == [first.name]  # nothing half-built


def _pelican_children() -> list[int]:
    """This process's children that run a Pelican build (pipeline.pelican_run)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parent = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1]
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if parent == str(os.getpid()) and b"pipeline.pelican_run" in command:
            found.append(int(entry))
    return found


def test_the_pelican_process_started_ahead_builds_or_leaves_with_the_publish(newsroom):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0
    assert _pelican_children() == []
    assert cli(newsroom, "publish", "--as", "bientapvien") == 0  # nothing changed: no build
    assert _pelican_children() == []


def test_a_build_takes_the_pelican_process_started_ahead_for_its_own_project(newsroom, tmp_path):
    # A build without a manifest is refused by the approval gate: enough to see who ran it.
    build_module.prepare_pelican(newsroom)
    ahead = build_module._spare[1].process
    assert _pelican_children() == [ahead.pid]  # started, waiting for its build
    with pytest.raises(BuildError, match="newsroom publish"):
        run_pelican(newsroom, "publishconf.py", tmp_path / "out", newsroom / "content", now())
    assert ahead.returncode == 1  # it ran the build, which failed
    build_module.prepare_pelican(tmp_path)  # another project's: its plugins differ
    other = build_module._spare[1].process
    with pytest.raises(BuildError, match="newsroom publish"):
        run_pelican(newsroom, "publishconf.py", tmp_path / "out", newsroom / "content", now())
    assert other.returncode == -9  # stopped, never given a build; a new process built it
    assert _pelican_children() == []
