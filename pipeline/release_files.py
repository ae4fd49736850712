"""What each file of a release is, kept between publishes so the next release is checked and
digested only where it differs.

A new release takes its unchanged pages, photos and search bundles from the
live one by hard link (plugins/site_writer, pipeline/search.py), and release
files are never written in place. So a file at the same path with the same
inode, size and modification time as in the live release has the same
bytes: its SHA-256 is taken from the live release's list instead of read
again, and its references were already checked when that release was.
Deleting the lists only makes the next publish read every file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

FOLDER = "release-files"  # in the build cache: one list per release


@dataclass(frozen=True)
class ReleaseFiles:
    """path -> [inode, size, mtime_ns, sha256] for a file, ["L", target] for a symlink."""

    entries: dict[str, list]
    reused: frozenset[str]  # paths whose entry (and bytes) equal the previous release's

    def names(self) -> frozenset[str]:
        return frozenset(name for name, entry in self.entries.items() if entry[0] != "L")


def walk(root: Path, folder: str = "", skip: str = "") -> list[tuple[str, os.DirEntry]]:
    """(path, entry) for the files under `folder` of `root` (all of it by default) but its
    top folder `skip`, in path order; an entry knows its file's type and inode without a
    `stat`."""
    prefix = f"{folder}/" if folder else ""
    if folder and not os.path.isdir(os.path.join(root, folder)):
        return []
    found, stack = [], [(prefix, os.path.join(root, folder))]
    while stack:
        prefix, path = stack.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                name = f"{prefix}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    if name != skip:
                        stack.append((f"{name}/", entry.path))
                else:
                    found.append((name, entry))
    return sorted(found, key=lambda item: item[0])


def _sha256(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def describe(
    release: Path, previous: dict[str, list] | None = None, folder: str = "", skip: str = ""
) -> ReleaseFiles:
    """Every file of `release` (only those under its `folder`, none under its top folder
    `skip`, when given); entries of `previous` with the same identity are reused."""
    previous = previous or {}
    entries, reused = {}, set()
    for name, entry in walk(release, folder, skip):
        if entry.is_symlink():
            entries[name] = ["L", os.readlink(entry.path)]
            continue
        stat = entry.stat(follow_symlinks=False)
        identity = [stat.st_ino, stat.st_size, stat.st_mtime_ns]
        known = previous.get(name)
        if known is not None and known[:3] == identity:
            entries[name] = known
            reused.add(name)
        else:
            entries[name] = [*identity, _sha256(entry.path)]
    return ReleaseFiles(entries, frozenset(reused))


def joined(first: ReleaseFiles, second: ReleaseFiles) -> ReleaseFiles:
    """Two descriptions of separate parts of one release, as one (in name order)."""
    entries = dict(sorted({**first.entries, **second.entries}.items()))
    return ReleaseFiles(entries, first.reused | second.reused)


def digest(files: ReleaseFiles) -> str:
    """The same digest as releases.tree_digest computes by reading the whole tree."""
    hasher = hashlib.sha256()
    for name, entry in files.entries.items():
        if entry[0] == "L":
            hasher.update(f"L\t{name}\t{entry[1]}\n".encode())
        else:
            hasher.update(f"F\t{name}\t{entry[3]}\n".encode())
    return hasher.hexdigest()


def load(cache: Path, release: Path | None) -> dict[str, list] | None:
    if release is None:
        return None
    try:
        data = json.loads((cache / FOLDER / f"{release.name}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    entries = data.items() if isinstance(data, dict) else [(None, None)]
    if not all(_well_formed(entry) for _name, entry in entries):
        return None  # damaged: every file is read again
    return data


def _well_formed(entry) -> bool:
    if not isinstance(entry, list):
        return False
    if entry[:1] == ["L"]:
        return len(entry) == 2 and isinstance(entry[1], str)
    return (
        len(entry) == 4
        and all(isinstance(n, int) for n in entry[:3])
        and (isinstance(entry[3], str))
    )


def save(cache: Path, release_name: str, files: ReleaseFiles) -> None:
    folder = cache / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{release_name}.json.tmp"
    temporary.write_text(json.dumps(files.entries, separators=(",", ":")), "utf-8")
    os.replace(temporary, folder / f"{release_name}.json")
