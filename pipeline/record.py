"""The editorial record: SQLite (WAL) holding revisions, decisions and the audit log.

Approved revisions are stored content-addressed (text and photos as blobs,
named by their SHA-256) inside the same database, so publishing never reads
the working copy and one SQLite backup saves record and store together.
Every state change runs in one `BEGIN IMMEDIATE` transaction, so two
editors acting at once are serialized: the second sees the first's result.
The audit log refuses UPDATE and DELETE by trigger.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from . import manifest_store
from .errors import NewsroomError, os_reason
from .revisions import Revision, file_hash, revision_hash

SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (hash TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS revisions (
    hash TEXT PRIMARY KEY, slug TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS revision_files (
    revision TEXT NOT NULL REFERENCES revisions(hash),
    path TEXT NOT NULL,
    blob TEXT NOT NULL REFERENCES blobs(hash),
    PRIMARY KEY (revision, path));
CREATE TABLE IF NOT EXISTS articles (
    slug TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    state TEXT NOT NULL,
    submitted_revision TEXT, submitted_by TEXT, submitted_at TEXT,
    approved_revision TEXT, approved_by TEXT, approved_at TEXT,
    publish_at TEXT,
    reason TEXT,
    published_revision TEXT, first_published TEXT, modified TEXT,
    withdrawn_at TEXT, withdrawn_by TEXT,
    featured_at TEXT);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL, revision TEXT NOT NULL, at TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    slug TEXT, revision TEXT, detail TEXT NOT NULL DEFAULT '');
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS releases (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    restores TEXT,
    manifest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    path TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    submitted_revision TEXT, submitted_by TEXT, submitted_at TEXT,
    approved_revision TEXT, approved_by TEXT, approved_at TEXT);
CREATE TABLE IF NOT EXISTS release_digests (
    release TEXT PRIMARY KEY, digest TEXT NOT NULL);
-- Lookups a publish makes for each article (10,000 of them at 10,000 articles) or that walk
-- the history: each searches an index, never the whole table, which grows with the years.
CREATE INDEX IF NOT EXISTS corrections_by_slug ON corrections (slug, id);
CREATE INDEX IF NOT EXISTS audit_by_slug ON audit (slug, id);
CREATE INDEX IF NOT EXISTS releases_by_seq ON releases (seq);
CREATE TABLE IF NOT EXISTS pending_releases (
    release TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    restores TEXT,
    manifest TEXT NOT NULL,
    digest TEXT NOT NULL,
    actor TEXT NOT NULL,
    simulated INTEGER NOT NULL);
"""


@dataclass
class ArticleRecord:
    """One article's row: where it stands and which revisions matter."""

    slug: str
    folder: str
    state: str  # submitted, approved, rejected, withdrawn
    submitted_revision: str | None = None
    submitted_by: str | None = None
    submitted_at: str | None = None
    approved_revision: str | None = None
    approved_by: str | None = None
    approved_at: str | None = None
    publish_at: str | None = None
    reason: str | None = None
    published_revision: str | None = None
    first_published: str | None = None
    modified: str | None = None
    withdrawn_at: str | None = None
    withdrawn_by: str | None = None
    featured_at: str | None = None


@dataclass
class PageRecord:
    """One static page's row (content/pages/…): approved like an article, revision by revision."""

    path: str  # the page's path in the content tree, e.g. pages/gioi-thieu.md
    state: str  # submitted or approved
    submitted_revision: str | None = None
    submitted_by: str | None = None
    submitted_at: str | None = None
    approved_revision: str | None = None
    approved_by: str | None = None
    approved_at: str | None = None

    @property
    def slug(self) -> str:
        """What messages and the audit log name the page by."""
        return self.path


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    slug: str | None
    revision: str | None
    detail: str


@dataclass(frozen=True)
class Correction:
    slug: str
    revision: str
    at: str
    text: str


@dataclass(frozen=True)
class ReleaseRecord:
    id: str
    seq: int
    at: str
    kind: str  # publish or rollback
    restores: str | None


@dataclass(frozen=True)
class PreparedManifest:
    """A release manifest as the record will store it (Record.prepare_manifest)."""

    text: str
    stored: bytes  # its change names the release it was made against, so it reads back
    # whole even if another release were recorded in between


@dataclass(frozen=True)
class PendingRelease:
    """A switch of `output` about to happen: written before the switch, completed into
    `releases` and the audit log after it, so a kill in between is reconciled later."""

    release: str
    kind: str  # publish, rollback (a rebuilt release) or switch (back to a kept release)
    restores: str | None
    manifest: str
    digest: str
    actor: str
    simulated: bool  # the publish ran "as at" a simulated --at


COLUMNS = [f.name for f in fields(ArticleRecord)]
PAGE_COLUMNS = [f.name for f in fields(PageRecord)]


@dataclass(frozen=True)
class Table:
    """A table holding one row dataclass, looked up by one key column."""

    name: str
    key: str
    kind: type
    columns: tuple[str, ...]


ARTICLES = Table("articles", "slug", ArticleRecord, tuple(COLUMNS))
PAGES = Table("pages", "path", PageRecord, tuple(PAGE_COLUMNS))


class MissingRecordError(NewsroomError):
    """The record is gone while a site is live: it was lost or moved, not yet created."""


def require_record(path: Path, live_release: Path | None) -> None:
    """Refuse to start a fresh, empty record beside a live site: it would forget every
    decision, and the next publish would empty the site."""
    if live_release is not None and not path.exists():
        raise MissingRecordError(
            f"không thấy sổ biên tập trong khi trang đang đăng bản {live_release.name}; hãy trả "
            "sổ về đúng chỗ này hoặc khôi phục bằng `newsroom restore TỆP_SAO_LƯU`",
            path,
        )


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode; transactions are explicit (see `Record.transaction`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


def connect_read_only(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection that cannot write to the database at `path` (a backup, or the record as a
    watcher sees it); the path goes in as a proper file URI, so '#', '?' or '%' in a folder
    name are part of the name."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)


# What an editor can do about an error of the record, by SQLite's name for it (its prefix).
RECORD_ADVICE = (
    (
        "SQLITE_READONLY",
        "sổ biên tập không ghi được",
        "hãy kiểm tra quyền ghi của tệp này và của thư mục chứa nó, rồi chạy lại",
    ),
    (
        "SQLITE_CANTOPEN",
        "không mở được sổ biên tập",
        "hãy kiểm tra tệp này còn đó và quyền đọc/ghi của nó và của thư mục chứa nó",
    ),
    (
        "SQLITE_CORRUPT",
        "sổ biên tập bị hỏng",
        "hãy khôi phục từ bản sao lưu: newsroom restore TỆP_SAO_LƯU",
    ),
    (
        "SQLITE_NOTADB",
        "tệp sổ biên tập không phải cơ sở dữ liệu SQLite",
        "hãy khôi phục từ bản sao lưu: newsroom restore TỆP_SAO_LƯU",
    ),
    ("SQLITE_FULL", "đĩa đầy khi ghi sổ biên tập", "hãy giải phóng chỗ trống rồi chạy lại"),
    ("SQLITE_BUSY", "sổ biên tập đang bận", "hãy chờ một lát rồi chạy lại"),
    ("SQLITE_LOCKED", "sổ biên tập đang bận", "hãy chờ một lát rồi chạy lại"),
    (
        "SQLITE_IOERR",
        "lỗi đọc/ghi đĩa ở sổ biên tập",
        "hãy kiểm tra đĩa, quyền ghi và chỗ trống rồi chạy lại",
    ),
)


def record_trouble(error: sqlite3.Error) -> str:
    """What went wrong with the record and what to do, as an editor reads it."""
    name = getattr(error, "sqlite_errorname", None) or ""
    for prefix, what, advice in RECORD_ADVICE:
        if name.startswith(prefix):
            return f"{what} ({error}); {advice}"
    return (
        f"lỗi sổ biên tập ({error}); hãy chạy lại, nếu vẫn lỗi thì khôi phục từ bản sao lưu: "
        "newsroom restore TỆP_SAO_LƯU"
    )


class Record:
    def __init__(self, path: Path):
        self.path = path
        self._manifests_read: dict[str, tuple[str, int]] = {}  # release id -> its text, depth
        try:
            self.db = connect(path)
            self.db.executescript(f"BEGIN IMMEDIATE;{SCHEMA}COMMIT;")
        except sqlite3.DatabaseError as error:
            raise NewsroomError(record_trouble(error), path) from None
        except OSError as error:  # e.g. its folder is a file
            raise NewsroomError(
                f"không tạo được thư mục của sổ biên tập ({os_reason(error)})", path.parent
            ) from None

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One state change: BEGIN IMMEDIATE takes the write lock first, so reads inside are
        current and a concurrent writer waits; any exception rolls everything back."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # Revisions -------------------------------------------------------------

    def store_revision(self, slug: str, revision: Revision, at: str) -> None:
        """Keep a revision's text and photos, each blob once (call inside a transaction)."""
        for data in revision.files.values():
            self.store_blob(data)
        inserted = self.db.execute(
            "INSERT OR IGNORE INTO revisions VALUES (?, ?, ?)", (revision.hash, slug, at)
        ).rowcount
        if inserted:
            self.db.executemany(
                "INSERT INTO revision_files VALUES (?, ?, ?)",
                [(revision.hash, p, file_hash(d)) for p, d in revision.files.items()],
            )

    def load_revision(self, revision: str) -> Revision:
        return Revision(revision, self.load_verified(revision)[0])

    def load_verified(self, revision: str) -> tuple[dict[str, bytes], dict[str, str]]:
        """A revision's files and the SHA-256 of each, checked against its name."""
        rows = self.db.execute(
            "SELECT f.path, b.data FROM revision_files f JOIN blobs b ON b.hash = f.blob "
            "WHERE f.revision = ? ORDER BY f.path",
            (revision,),
        ).fetchall()
        if not rows:
            raise NewsroomError(f"sổ biên tập không có bản {revision[:12]}", self.path)
        files = {path: bytes(data) for path, data in rows}
        hashes = {path: file_hash(data) for path, data in files.items()}
        if revision_hash(hashes) != revision:
            raise NewsroomError(f"bản {revision[:12]} trong sổ biên tập bị hỏng", self.path)
        return files, hashes

    def store_blob(self, data: bytes) -> str:
        digest = file_hash(data)
        self.db.execute("INSERT OR IGNORE INTO blobs VALUES (?, ?)", (digest, data))
        return digest

    def load_blob(self, digest: str) -> bytes:
        row = self.db.execute("SELECT data FROM blobs WHERE hash = ?", (digest,)).fetchone()
        if row is None or file_hash(bytes(row[0])) != digest:
            raise NewsroomError(f"sổ biên tập thiếu hoặc hỏng tệp {digest[:12]}", self.path)
        return bytes(row[0])

    def revision_hashes(self, revision: str) -> dict[str, str]:
        rows = self.db.execute(
            "SELECT path, blob FROM revision_files WHERE revision = ?", (revision,)
        ).fetchall()
        return dict(rows)

    def approved_hashes(self) -> dict[str, dict[str, str]]:
        """revision_hashes of every article's approved revision, in one query."""
        found: dict[str, dict[str, str]] = {}
        for revision, path, blob in self.db.execute(
            "SELECT f.revision, f.path, f.blob FROM articles a "
            "JOIN revision_files f ON f.revision = a.approved_revision"
        ):
            found.setdefault(revision, {})[path] = blob
        return found

    def texts_containing(self, needle: str, besides: str) -> list[str]:
        """The articles (slugs) and static pages (paths) other than `besides` whose approved
        revision, live or due, has a Markdown file containing `needle`, in one query (a byte
        search inside SQLite: no text leaves it)."""
        found = self.db.execute(
            "SELECT a.slug FROM articles a JOIN revision_files f "
            "ON f.revision = a.approved_revision JOIN blobs b ON b.hash = f.blob "
            "WHERE a.state != 'withdrawn' AND a.slug != ? "
            "AND f.path LIKE '%.md' AND instr(b.data, ?) > 0 "
            "UNION SELECT p.path FROM pages p JOIN revision_files f "
            "ON f.revision = p.approved_revision JOIN blobs b ON b.hash = f.blob "
            "WHERE f.path LIKE '%.md' AND instr(b.data, ?) > 0",
            (besides, needle.encode(), needle.encode()),
        )
        return sorted(name for (name,) in found)

    # Articles and static pages: one row type each, one table each --------

    def _get(self, table: Table, key: str):
        row = self.db.execute(
            f"SELECT {', '.join(table.columns)} FROM {table.name} WHERE {table.key} = ?", (key,)
        ).fetchone()
        return table.kind(*row) if row else None

    def _all(self, table: Table) -> list:
        sql = f"SELECT {', '.join(table.columns)} FROM {table.name} ORDER BY {table.key}"
        return [table.kind(*row) for row in self.db.execute(sql)]

    def _save(self, table: Table, row) -> None:
        marks = ", ".join("?" for _ in table.columns)
        self.db.execute(
            f"INSERT OR REPLACE INTO {table.name} ({', '.join(table.columns)}) VALUES ({marks})",
            astuple(row),
        )

    def article(self, slug: str) -> ArticleRecord | None:
        return self._get(ARTICLES, slug)

    def articles(self) -> list[ArticleRecord]:
        return self._all(ARTICLES)

    def slugs_in(self, folder: str) -> list[str]:
        """The slugs recorded for the article folder `folder` (relative to the project), but
        those withdrawn: one, unless the folder's Slug was changed after it was submitted."""
        rows = self.db.execute(
            "SELECT slug FROM articles WHERE folder = ? AND state != 'withdrawn' ORDER BY slug",
            (folder,),
        )
        return [slug for (slug,) in rows]

    def save_article(self, article: ArticleRecord) -> None:
        self._save(ARTICLES, article)

    def page(self, path: str) -> PageRecord | None:
        return self._get(PAGES, path)

    def pages(self) -> list[PageRecord]:
        return self._all(PAGES)

    def save_page(self, page: PageRecord) -> None:
        self._save(PAGES, page)

    # Corrections -----------------------------------------------------------

    def add_correction(self, correction: Correction) -> None:
        self.db.execute(
            "INSERT INTO corrections (slug, revision, at, text) VALUES (?, ?, ?, ?)",
            (correction.slug, correction.revision, correction.at, correction.text),
        )

    def corrections(self, slug: str) -> list[Correction]:
        rows = self.db.execute(
            "SELECT slug, revision, at, text FROM corrections WHERE slug = ? ORDER BY id", (slug,)
        )
        return [Correction(*row) for row in rows]

    def all_corrections(self) -> dict[str, list[Correction]]:
        """corrections() of every article, in one query."""
        found: dict[str, list[Correction]] = {}
        for row in self.db.execute("SELECT slug, revision, at, text FROM corrections ORDER BY id"):
            found.setdefault(row[0], []).append(Correction(*row))
        return found

    # Audit log -------------------------------------------------------------

    def log(
        self, at: str, actor: str, action: str, slug: str | None, revision: str | None, detail=""
    ) -> None:
        self.db.execute(
            "INSERT INTO audit (at, actor, action, slug, revision, detail) VALUES (?,?,?,?,?,?)",
            (at, actor, action, slug, revision, detail),
        )

    def history(self, slug: str | None = None) -> list[AuditEntry]:
        query = "SELECT id, at, actor, action, slug, revision, detail FROM audit"
        rows = self.db.execute(
            query + (" WHERE slug = ? ORDER BY id" if slug else " ORDER BY id"),
            (slug,) if slug else (),
        )
        return [AuditEntry(*row) for row in rows]

    # Releases --------------------------------------------------------------

    def add_release(
        self,
        release_id: str,
        at: str,
        kind: str,
        restores: str | None,
        manifest: str,
        prepared: PreparedManifest | None = None,
    ) -> None:
        """A release and its manifest text (kept as its change from the latest release:
        pipeline.manifest_store); call inside a transaction. `prepared`: what
        `prepare_manifest` made of the same text earlier."""
        if prepared is None or prepared.text != manifest:
            prepared = self.prepare_manifest(manifest)
        self.add_stored_release(release_id, at, kind, restores, prepared.stored)

    def prepare_manifest(self, manifest: str) -> PreparedManifest:
        """What add_release stores for `manifest`, made ahead (a publish makes it while its
        search index is written, not after its release went live)."""
        return PreparedManifest(
            manifest, manifest_store.encode(self.db, manifest, self._manifests_read)
        )

    def add_stored_release(
        self, release_id: str, at: str, kind: str, restores: str | None, stored
    ) -> None:
        """A release with its manifest as another record stored it (restore: its base is in
        this record already); it is checked by its SHA-256 when read."""
        seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM releases").fetchone()[0]
        self.db.execute(
            "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?)",
            (release_id, seq, at, kind, restores, stored),
        )

    def releases(self) -> list[ReleaseRecord]:
        """Every release, oldest first, without its manifest (each is read on its own)."""
        rows = self.db.execute("SELECT id, seq, at, kind, restores FROM releases ORDER BY seq")
        return [ReleaseRecord(*row) for row in rows]

    def release(self, release_id: str) -> ReleaseRecord | None:
        row = self.db.execute(
            "SELECT id, seq, at, kind, restores FROM releases WHERE id = ?", (release_id,)
        ).fetchone()
        return ReleaseRecord(*row) if row else None

    def release_manifest(self, release_id: str) -> str | None:
        """The manifest text of a recorded release, byte for byte (None: no such release)."""
        known = self._manifests_read.get(release_id)
        if known is not None:
            return known[0]
        try:
            found = manifest_store.read(self.db, release_id)
        except manifest_store.DamagedManifest as error:
            raise NewsroomError(
                f"bản kê (manifest) của một bản phát hành trong sổ biên tập bị hỏng ({error}); "
                "hãy khôi phục sổ bằng `newsroom restore TỆP_SAO_LƯU`",
                self.path,
            ) from None
        if found is None:
            return None
        self._manifests_read = {release_id: found}  # the last one read: a release's never changes
        return found[0]

    def add_pending(self, pending: PendingRelease) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO pending_releases VALUES (?, ?, ?, ?, ?, ?, ?)",
            astuple(pending),
        )

    def pending_releases(self) -> list[PendingRelease]:
        rows = self.db.execute("SELECT * FROM pending_releases ORDER BY rowid").fetchall()
        return [PendingRelease(*row[:-1], bool(row[-1])) for row in rows]

    def drop_pending(self, release_id: str) -> None:
        self.db.execute("DELETE FROM pending_releases WHERE release = ?", (release_id,))

    def last_site_action(self) -> str | None:
        """The latest site-wide publish or rollback in the audit log (rollback holds cron)."""
        row = self.db.execute(
            "SELECT action FROM audit WHERE slug IS NULL AND action IN ('publish', 'rollback') "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def set_release_digest(self, release_id: str, digest: str) -> None:
        """The verified release's tree digest, so rollback can tell a tampered copy."""
        self.db.execute(
            "INSERT OR REPLACE INTO release_digests VALUES (?, ?)", (release_id, digest)
        )

    def release_digest(self, release_id: str) -> str | None:
        row = self.db.execute(
            "SELECT digest FROM release_digests WHERE release = ?", (release_id,)
        ).fetchone()
        return row[0] if row else None
