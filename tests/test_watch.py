"""`newsroom publish --watch` publishes an approval, a withdrawal or a scheduled article as
soon as it happens, not at the end of its interval, and does not spin when nothing happens."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.article import format_datetime, parse_datetime
from pipeline.config import load_config
from pipeline.publish import ROUND_FAILED, is_due, watch
from pipeline.record import ArticleRecord, Record
from pipeline.record_watch import RecordWatch
from pipeline.staff import PermissionDenied
from pipeline.workflow import now
from tests.workflow_helpers import (
    cli,
    live,
    newsroom_with,
    submit_and_approve,
)

MAY = "2024/05/06"
LONG = 600  # an interval no test waits for


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    return newsroom_with(tmp_path / "site", "tuan-tra-song-bien", "don-bien-phong")


def _watching(newsroom: Path, rounds: int) -> tuple[threading.Thread, list[str]]:
    reports: list[str] = []

    def run() -> None:
        watch(newsroom, LONG, rounds=rounds, report=reports.append, given_actor="bientapvien")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, reports


def _until(condition, seconds: float = 60) -> None:
    stop = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < stop, "quá thời gian chờ"
        time.sleep(0.1)


def _is_live(newsroom: Path, slug: str) -> bool:
    """Its page is on the live site (under the date it went live, when it was scheduled)."""
    return any(live(newsroom).glob(f"*/*/*/{slug}/index.html"))


def test_watch_publishes_an_approval_at_once_not_at_the_end_of_its_interval(newsroom):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    thread, reports = _watching(newsroom, rounds=2)
    _until(lambda: len(reports) == 1)  # the first round published what was due
    submit_and_approve(newsroom, "don-bien-phong")  # breaking news, mid-interval
    thread.join(timeout=60)
    assert not thread.is_alive()  # the second round came long before the 600 s interval
    assert len(reports) == 2 and _is_live(newsroom, "don-bien-phong")


def test_watch_takes_a_withdrawal_down_at_once(newsroom):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    thread, reports = _watching(newsroom, rounds=2)
    _until(lambda: len(reports) == 1)
    assert _is_live(newsroom, "tuan-tra-song-bien")
    reason = ["--reason", "Sai sự thật"]
    assert cli(newsroom, "withdraw", "tuan-tra-song-bien", "--as", "hoa", *reason) == 0
    thread.join(timeout=60)
    assert not thread.is_alive()
    page = (live(newsroom) / MAY / "tuan-tra-song-bien" / "index.html").read_text("utf-8")
    assert "Tổ tuần tra đi dọc sông biên giới" not in page


def test_watch_wakes_when_a_scheduled_article_falls_due(newsroom):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    _schedule(newsroom, "tuan-tra-song-bien", now() + timedelta(seconds=3))
    thread, reports = _watching(newsroom, rounds=2)
    thread.join(timeout=60)
    assert not thread.is_alive()  # woken when it fell due, not after 600 s
    assert reports[0].endswith(", 0 bài (không bài nào thay đổi)")  # the embargo held till then
    assert _is_live(newsroom, "tuan-tra-song-bien")
    assert reports[-1].endswith(", 1 bài (mới 1: tuan-tra-song-bien)")


def _schedule(newsroom: Path, slug: str, when) -> None:
    """`slug` due at `when`, to the second (as `schedule` sets it, without its audit entry: a
    time falling due is not news in the audit log)."""
    record = Record(load_config(newsroom).record_path)
    try:
        with record.transaction():
            row = record.article(slug)
            record.save_article(replace(row, publish_at=format_datetime(when)))
    finally:
        record.close()


def test_an_article_falling_due_while_a_round_ran_starts_the_next_at_once(newsroom):
    # At 10,000 articles a round takes seconds: an article that falls due after the round
    # planned, before it ended, must not wait for the interval.
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    watcher = RecordWatch(load_config(newsroom).record_path)
    try:
        watcher.mark(now())  # the round starts
        _schedule(newsroom, "tuan-tra-song-bien", now() + timedelta(seconds=1))
        time.sleep(2.2)  # the round goes on; the article falls due meanwhile
        started = time.monotonic()
        watcher.wait(30, now)
        assert time.monotonic() - started < 1
    finally:
        watcher.close()


def test_watch_reports_each_publish_to_a_pipe_as_it_happens(newsroom):
    # systemd's journal and `>> var/publish.log` are pipes or files: no line may wait in a
    # buffer until the process ends (and the benchmark reads these lines).
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    command = [sys.executable, "-m", "pipeline.cli", "--root", str(newsroom), "publish"]
    watcher = subprocess.Popen(
        [*command, "--watch", "--interval", str(LONG), "--as", "bientapvien"],
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(watcher.stdout.readline()), daemon=True)
    reader.start()
    try:
        reader.join(timeout=60)
        assert lines and lines[0].startswith("Đã xuất bản")
    finally:
        watcher.terminate()
        watcher.wait()


def test_a_watch_with_nothing_new_waits_its_interval(newsroom):
    # Its own publish, a publish made by hand, and reading the record are not news.
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    path = load_config(newsroom).record_path
    watcher = RecordWatch(path)
    try:
        watcher.mark(now())
        assert cli(newsroom, "publish", "--as", "bientapvien") == 0
        assert cli(newsroom, "status", "--as", "hoa") == 0
        started = time.monotonic()
        watcher.wait(2.5, now)
        assert time.monotonic() - started >= 2.4
        watcher.mark(now())
        submit_and_approve(newsroom, "don-bien-phong")
        started = time.monotonic()
        watcher.wait(30, now)
        assert time.monotonic() - started < 20  # woken by the approval
    finally:
        watcher.close()


def test_a_watch_sees_news_in_a_record_whose_folder_name_has_uri_characters(tmp_path):
    # '#', '?' and '%' in a path mean something in a file URI: the watcher must read this
    # record, not another file (it then woke every second, or never, depending on that file).
    path = tmp_path / "Báo #1? 100%" / "newsroom.sqlite3"
    path.parent.mkdir()
    record = Record(path)
    watcher = RecordWatch(path)
    try:
        watcher.mark(now())
        started = time.monotonic()
        watcher.wait(2.5, now)
        assert time.monotonic() - started >= 2.4  # nothing happened: no wake
        watcher.mark(now())
        with record.transaction():
            record.log(format_datetime(now()), "hoa", "approve", "bai-moi", None)
        started = time.monotonic()
        watcher.wait(30, now)
        assert time.monotonic() - started < 20
    finally:
        watcher.close()
        record.close()


_MOMENTS = [f"2024-05-06T0{hour}:00:00+07:00" for hour in range(7, 10)]
_ROWS = st.lists(
    st.builds(
        dict,
        state=st.sampled_from(["submitted", "approved", "rejected", "withdrawn"]),
        approved=st.booleans(),
        publish_at=st.none() | st.sampled_from(_MOMENTS),
        first_published=st.none() | st.sampled_from(_MOMENTS),
    ),
    max_size=6,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_ROWS, at=st.sampled_from(_MOMENTS))
def test_the_watcher_wakes_when_the_plan_would_first_publish_something_new(tmp_path, rows, at):
    # RecordWatch.next_due asks the record in SQL what plan() decides in Python (is_due):
    # the watcher must wake exactly when some article not on the site at `at` falls due.
    path = tmp_path / f"record-{uuid.uuid4().hex}.sqlite3"
    record = Record(path)
    articles = [
        ArticleRecord(
            f"bai-{n}",
            f"content/articles/2024/05/bai-{n}",
            row["state"],
            approved_revision="a" * 64 if row["approved"] else None,
            publish_at=row["publish_at"],
            first_published=row["first_published"],
        )
        for n, row in enumerate(rows)
    ]
    with record.transaction():
        for article in articles:
            record.save_article(article)
    record.close()
    moment = parse_datetime(at)
    falls_due = [
        parse_datetime(a.publish_at)
        for a in articles
        if a.publish_at and not is_due(a, moment) and is_due(a, parse_datetime(a.publish_at))
    ]
    watcher = RecordWatch(path)
    try:
        assert watcher.next_due(moment) == (min(falls_due) if falls_due else None)
    finally:
        watcher.close()


def test_a_failed_round_is_reported_and_the_next_round_publishes(newsroom):
    """A round that fails (here a broken template) must not end the watch: with cron's
    @reboot line nothing would publish again, and embargoes would not fall due, until a
    reboot."""
    theme = newsroom / "theme"
    shared = theme.resolve()  # the project links the repository's theme: break a copy
    theme.unlink()
    shutil.copytree(shared, theme)
    base = theme / "templates" / "base.html"
    good = base.read_text("utf-8")
    base.write_text("{% if %}", "utf-8")
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    thread, reports = _watching(newsroom, rounds=2)
    _until(lambda: len(reports) == 1)
    assert reports[0].startswith(ROUND_FAILED) and "TemplateSyntaxError" in reports[0]
    assert "\n" not in reports[0]
    base.write_text(good, "utf-8")
    submit_and_approve(newsroom, "don-bien-phong")  # news wakes the watch
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert reports[1].startswith("Đã xuất bản")
    assert _is_live(newsroom, "tuan-tra-song-bien") and _is_live(newsroom, "don-bien-phong")


def test_a_watch_by_someone_who_may_not_publish_is_refused_before_any_round(newsroom):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    reports: list[str] = []
    with pytest.raises(PermissionDenied, match="chỉ biên tập viên mới được xuất bản"):
        watch(newsroom, LONG, rounds=1, report=reports.append, given_actor="vitoan")
    assert reports == [] and not (newsroom / "output").exists()
