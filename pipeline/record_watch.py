"""What `newsroom publish --watch` waits for between two publishes: the record changing (an
approval, a withdrawal, a new schedule), or the next scheduled article falling due, or, at
the latest, the interval. An editor who approves a breaking story sees it go live as soon as
the build is done, not up to a minute later.

A change is seen from a connection of its own: SQLite's `PRAGMA data_version` changes
when another connection commits, and every desk action adds to the audit log, so a commit
with a new entry other than a publish's own is news (a record replaced in its folder has
another file identity). Looking costs one query a second, and finding the next due time
one query per wait; the watcher only reads.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .article import parse_datetime
from .record import connect_read_only

LOOK_SECONDS = 1.0  # between two looks at the record while waiting


class RecordWatch:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._seen: tuple | None = None
        self._entry: int | None = None  # the last audit entry at `mark`
        self._marked: datetime | None = None  # when `mark` was taken

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _version(self) -> tuple | None:
        """What any commit to the record changes (None: there is no record yet)."""
        try:
            stat = os.stat(self.path)
        except OSError:
            self.close()
            return None
        identity = (stat.st_dev, stat.st_ino)
        if self._db is None or identity != self._identity:
            self.close()
            try:
                self._db = connect_read_only(self.path, timeout=30)
            except sqlite3.Error:
                return None
            self._identity = identity
        try:
            (version,) = self._db.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            self.close()
            return None
        return identity, version

    def _last_entry(self) -> int:
        assert self._db is not None
        (last,) = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()
        return last

    def mark(self, moment: datetime) -> None:
        """The record as it is at `moment`, now: what `wait` compares with (take it before
        the round reads the record)."""
        self._marked = moment
        self._seen = self._version()
        try:
            self._entry = self._last_entry() if self._seen is not None else None
        except sqlite3.Error:
            self._entry = None  # no audit log to read: any commit counts as news

    def _news(self) -> bool:
        """Whether someone did something since `mark`: any commit but a publish's own (the
        watch's, or an editor's by hand), which has nothing new for the next round."""
        version = self._version()
        if version is None or self._seen is None:
            return version != self._seen
        if version[0] != self._seen[0]:
            return True  # another record file (newsroom restore replaced it)
        if version == self._seen:
            return False
        self._seen = version  # asked once per commit, not once a second
        if self._entry is None:
            return True
        try:
            found = self._db.execute(  # type: ignore[union-attr]
                "SELECT 1 FROM audit WHERE id > ? AND action != 'publish' LIMIT 1",
                (self._entry,),
            ).fetchone()
        except sqlite3.Error:
            return True
        return found is not None

    def wait(
        self,
        interval: float,
        now: Callable[[], datetime],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Until the record changed since `mark`, the next scheduled article is due, or
        `interval` seconds passed, whichever is first. An article that fell due after `mark`
        (while the round ran, too late for its plan) is due at once."""
        deadline = time.monotonic() + interval
        moment = now()
        due = self.next_due(self._marked or moment)
        if due is not None:
            deadline = min(deadline, time.monotonic() + (due - moment).total_seconds())
        while (left := deadline - time.monotonic()) > 0:
            sleep(min(LOOK_SECONDS, left))
            if self._news():
                return

    def next_due(self, moment: datetime) -> datetime | None:
        """The earliest publication time after `moment` of an approved article not yet
        published (read on this connection: a watcher never writes to the record)."""
        if self._version() is None or self._db is None:
            return None
        try:
            rows = self._db.execute(
                "SELECT publish_at FROM articles WHERE approved_revision IS NOT NULL "
                "AND publish_at IS NOT NULL AND first_published IS NULL AND state != 'withdrawn'"
            ).fetchall()
        except sqlite3.Error:
            return None
        later = [when for (text,) in rows if (when := parse_datetime(text)) > moment]
        return min(later) if later else None
