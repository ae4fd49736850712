"""A publish killed (SIGKILL) inside any step leaves the live site byte-identical; two
publishes at once are serialized by the lock; a busy lock is refused with one clear line."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.faults import AFTER_SWITCH, FAULT_VARIABLE, RENDITIONS, STEPS
from pipeline.publish import publish_lock
from pipeline.record import Record
from tests.workflow_helpers import (
    cli,
    live,
    make_newsroom,
    newsroom_process,
    story,
    submit_and_approve,
    tree,
)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A live site with two articles, and a third approved but not yet published."""
    root = make_newsroom(tmp_path_factory.mktemp("faults") / "site")
    for number, color in enumerate(("#113355", "#335511", "#551133")):
        story(root, f"bai-{number}", f"Câu riêng của bài {number}.", photo_color=color)
    submit_and_approve(root, "bai-0")
    submit_and_approve(root, "bai-1")
    assert cli(root, "publish", "--as", "bientapvien") == 0
    submit_and_approve(root, "bai-2")
    return root


@pytest.mark.parametrize("step", STEPS)
def test_publish_sigkill_inside_step_leaves_live_site_identical(published, step):
    target, before = live(published), tree(live(published))
    process = newsroom_process(
        published, "publish", "--as", "bientapvien", env={FAULT_VARIABLE: step}
    )
    process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL
    assert live(published) == target
    assert tree(live(published)) == before


def test_publish_after_killed_publishes_cleans_up_and_succeeds(published):
    for step in ("switch", "build"):
        newsroom_process(
            published, "publish", "--as", "bientapvien", env={FAULT_VARIABLE: step}
        ).communicate(timeout=120)
    assert cli(published, "publish", "--as", "bientapvien", "--wait") == 0
    output = live(published)
    assert (output / "2024/05/06/bai-2/index.html").is_file()
    record = Record(load_config(published).record_path)
    try:
        recorded = {r.id for r in record.releases()}
    finally:
        record.close()
    on_disk = {p.name for p in (published / "releases").iterdir()}
    assert on_disk <= recorded  # leftovers of killed publishes are gone


def test_publish_killed_after_switch_is_recorded_by_the_next_publish(published, capsys):
    story(published, "bai-3", "Câu riêng của bài 3.")
    submit_and_approve(published, "bai-3")
    args = ("publish", "--as", "bientapvien")
    process = newsroom_process(published, *args, env={FAULT_VARIABLE: AFTER_SWITCH})
    process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL
    switched = live(published)
    assert (switched / "2024/05/06/bai-3/index.html").is_file()
    capsys.readouterr()
    assert cli(published, *args, "--if-due") == 0  # reconciles, then finds nothing new
    assert "Không có gì mới" in capsys.readouterr().out
    assert live(published) == switched
    record = Record(load_config(published).record_path)
    try:
        assert record.releases()[-1].id == switched.name
        assert not record.pending_releases()
        entries = [e for e in record.history("bai-3") if e.action == "publish"]
        assert [e.detail for e in entries] == [f"{switched.name}; ghi sổ bù sau khi bị ngắt"]
    finally:
        record.close()


def test_publish_refused_while_another_holds_the_lock(published):
    target = live(published)
    with publish_lock(load_config(published)):
        process = newsroom_process(published, "publish", "--as", "bientapvien")
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 75
    assert "một lần xuất bản khác đang chạy" in err and len(err.strip().splitlines()) == 1
    assert live(published) == target


def test_two_publishes_at_once_both_complete_in_turn(published):
    config = load_config(published)
    record = Record(config.record_path)
    try:
        count = len(record.releases())
    finally:
        record.close()
    processes = [
        newsroom_process(published, "publish", "--as", "bientapvien", "--wait", "--rebuild")
        for _ in range(2)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [p.returncode for p in processes] == [0, 0], results
    record = Record(config.record_path)
    try:
        releases = record.releases()
        assert len(releases) == count + 2
        assert live(published).name == releases[-1].id
        assert record.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        record.close()
    assert not list((published / "releases").glob(".*"))


def _processes_naming(root: Path) -> list[int]:
    """The live processes whose command line names the project (its build and workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(root).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue  # it ended while being looked at
    return found


def test_publish_killed_while_photos_render_leaves_no_worker_running(tmp_path):
    """The build's photo workers die with it: each killed publish used to leave two ~90 MB
    processes waiting for work for good."""
    root = make_newsroom(tmp_path / "site")
    conf = root / "publishconf.py"  # two workers, whatever the machine's cores
    conf.write_text(conf.read_text("utf-8") + "\nPHOTOS_WORKERS = 2\n", "utf-8")
    for number, color in enumerate(("#113355", "#335511", "#551133")):
        story(root, f"bai-{number}", f"Câu riêng của bài {number}.", photo_color=color)
        submit_and_approve(root, f"bai-{number}")
    fresh = {"NEWSROOM_PHOTOS_CACHE": str(tmp_path / "renditions")}  # none rendered yet
    process = newsroom_process(
        root, "publish", "--as", "bientapvien", env={FAULT_VARIABLE: RENDITIONS, **fresh}
    )
    process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL  # killed once the workers were started
    deadline = time.monotonic() + 10
    while _processes_naming(root) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_naming(root) == []


def test_rollback_takes_the_wait_that_its_busy_message_advises(published, capsys):
    config = load_config(published)
    with publish_lock(config):
        assert cli(published, "rollback", "--as", "bientapvien") == 75
    said = capsys.readouterr().err
    assert "thêm --wait để tự chờ" in said
    held = threading.Event()

    def hold() -> None:
        with publish_lock(config):
            held.set()
            time.sleep(1)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    started = time.monotonic()
    cli(published, "rollback", "--wait", "--as", "bientapvien")
    holder.join()
    assert time.monotonic() - started >= 0.9  # it waited for the lock,
    assert "một lần xuất bản khác đang chạy" not in capsys.readouterr().err  # not refused


def test_housekeeping_that_fails_after_the_switch_is_a_note_not_a_failure(tmp_path, capsys):
    """The site went live and the record says so: a cache that cannot be written afterwards
    must not turn the publish into a failure (exit 2, "thất bại") that an editor repeats."""
    root = make_newsroom(tmp_path / "site")
    story(root, "bai-0", "Câu riêng của bài 0.")
    submit_and_approve(root, "bai-0")
    (root / ".cache" / "build").mkdir(parents=True, exist_ok=True)
    (root / ".cache" / "build" / ".live-inputs.json.tmp").mkdir()  # where remember() writes
    capsys.readouterr()
    assert cli(root, "publish", "--as", "bientapvien") == 0
    said = capsys.readouterr()
    assert said.out.startswith("Đã xuất bản")
    assert "lưu ý: chưa ghi nhớ đầu vào của lần dựng" in said.err
    assert "trang mới vẫn đang đăng" in said.err and len(said.err.strip().splitlines()) == 1
    assert (live(root) / "2024/05/06/bai-0/index.html").is_file()


def test_a_record_that_fails_after_the_switch_says_the_release_is_live(tmp_path, capsys):
    root = make_newsroom(tmp_path / "site")
    story(root, "bai-0", "Câu riêng của bài 0.")
    submit_and_approve(root, "bai-0")
    path = load_config(root).record_path
    with closing(sqlite3.connect(path)) as db, db:  # the record refuses the release's row
        db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON releases "
            "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    capsys.readouterr()
    assert cli(root, "publish", "--as", "bientapvien") == 2
    said = capsys.readouterr().err.strip()
    switched = live(root)
    assert len(said.splitlines()) == 1 and str(path) in said
    assert f"bản phát hành {switched.name} đã lên trang" in said and "ghi bù" in said
    assert (switched / "2024/05/06/bai-0/index.html").is_file()
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("DROP TRIGGER refuse")
    assert cli(root, "publish", "--as", "bientapvien", "--if-due") == 0  # it records the switch
    record = Record(path)
    try:
        assert [r.id for r in record.releases()] == [switched.name]
        assert not record.pending_releases()
    finally:
        record.close()


def test_a_rendition_left_empty_in_the_cache_is_rendered_again_not_published(tmp_path, monkeypatch):
    """A cache damaged from outside (names with no bytes): every later build published the
    empty files, and --rebuild did not mend them; it renders those photos again."""
    cache = tmp_path / "renditions"
    monkeypatch.setenv("NEWSROOM_PHOTOS_CACHE", str(cache))
    root = make_newsroom(tmp_path / "site")
    story(root, "bai-0", "Câu riêng của bài 0.", photo_color="#113355")
    submit_and_approve(root, "bai-0")
    assert cli(root, "publish", "--as", "bientapvien") == 0
    first = live(root)
    emptied = [p for p in cache.rglob("*") if p.is_file() and p.name != "stats.json"]
    assert emptied
    for path in emptied:  # a new empty file under each name
        path.unlink()
        path.touch()
    assert cli(root, "publish", "--as", "bientapvien", "--rebuild") == 0
    photos = sorted((live(root) / "anh").iterdir())
    assert photos and [p.name for p in photos] == sorted(p.name for p in (first / "anh").iterdir())
    assert all(p.stat().st_size > 0 for p in photos)
    assert all(path.stat().st_size > 0 for path in emptied)  # the cache is mended too
