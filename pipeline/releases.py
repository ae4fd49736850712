"""Releases: the public site is `output`, a symlink to `releases/<id>/`, switched atomically.

A build writes a whole new release beside the old ones and then replaces
the symlink with one `os.replace`, so readers see either the old site or the
new one, never a half-written mix. A failed build leaves `output` untouched.
"""

from __future__ import annotations

import os
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path

from . import release_files
from .files import delete_later

KEEP_RELEASES = 5
PRUNED = ".pruned-"  # a release being deleted (prune): out of the list, not yet off the disk
OUTPUT_NAME = "output"


def new_release_id() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{secrets.token_hex(3)}"


def staging_dir(releases: Path, release_id: str) -> Path:
    """Where a release is built; its name starts with a dot so nothing takes it for a release."""
    releases.mkdir(parents=True, exist_ok=True)
    return releases / f".building-{release_id}"


def release_name(folder: Path) -> str:
    """The id of the release built in `folder` (a staging folder or the release itself)."""
    return folder.name.removeprefix(".building-")


def current_release(root: Path) -> Path | None:
    output = root / OUTPUT_NAME
    return output.resolve() if output.is_symlink() else None


def list_releases(releases: Path) -> list[Path]:
    if not releases.is_dir():
        return []
    return sorted(p for p in releases.iterdir() if p.is_dir() and not p.name.startswith("."))


def _adopt_plain_output(root: Path, releases: Path) -> None:
    """An `output/` folder from before releases becomes a release, so the switch can be atomic."""
    output = root / OUTPUT_NAME
    if output.is_dir() and not output.is_symlink():
        os.replace(output, releases / f"00000000T000000-legacy-{secrets.token_hex(2)}")


def switch_to(root: Path, release: Path) -> None:
    """Point `output` at `release` with one atomic rename of a fresh symlink."""
    releases = release.parent
    _adopt_plain_output(root, releases)
    link = root / f".{OUTPUT_NAME}-{secrets.token_hex(4)}"
    link.symlink_to(os.path.relpath(release, root), target_is_directory=True)
    os.replace(link, root / OUTPUT_NAME)


def tree_digest(release: Path) -> str:
    """One SHA-256 over every file's path and content (symlinks by their target), so a release
    changed in place after it was built and verified is told apart from the one recorded."""
    return release_files.digest(release_files.describe(release))


def promote(staging: Path, release_id: str) -> Path:
    """Rename a finished staging folder into a release (not yet live)."""
    release = staging.parent / release_id
    os.replace(staging, release)
    return release


def prune(releases: Path, keep: int, live: Path) -> None:
    """Keep the newest `keep` releases (always the live one); drop leftovers of failed builds.
    A dropped release is renamed out of the list at once and deleted by a process of its own
    (`files.delete_later`); what an interrupted deletion left is deleted by the next prune."""
    for leftover in releases.glob(".building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    old = [r for r in list_releases(releases) if r != live][
        : max(0, len(list_releases(releases)) - keep)
    ]
    doomed = sorted(releases.glob(f"{PRUNED}*"))
    for release in old:
        trash = releases / f"{PRUNED}{release.name}"
        try:
            os.replace(release, trash)
        except OSError:  # the site is live already: deleting an old release must not fail it
            shutil.rmtree(release, ignore_errors=True)
            continue
        doomed.append(trash)
    if doomed:
        delete_later(doomed)
