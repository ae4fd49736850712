"""Approval gate: the public build reads only what the manifest approved, byte for byte.

Every file in the content tree must be listed in manifest.json with the same
SHA-256, every listed file must be there, and every article Pelican read
must be a manifest article. Anything else is a build error, so the release
is never switched in. Without a manifest (a plain `pelican -s publishconf.py`)
the gate stops Pelican as soon as it is initialized, before anything is
written, with a non-zero exit; so does an output path that is the live site
or a kept release: `newsroom publish` is the only way to build the public site.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals

from pipeline.faults import fault_point
from pipeline.manifest import Manifest, read_manifest
from pipeline.photos import remember_staged, source_hash

logger = logging.getLogger(__name__)


REFUSAL = "cổng duyệt: trang công khai chỉ được dựng bằng “newsroom publish”"


def _protected(settings) -> list[Path]:
    """The live site and every kept release: no build may write into them."""
    config = settings.get("NEWSROOM")
    if config is None:
        return []
    releases = config.releases_path
    kept = (
        [p for p in releases.iterdir() if not p.name.startswith(".")] if releases.is_dir() else []
    )
    return [config.root / "output", *kept]


def refuse_unmanaged_build(pelican) -> None:
    """Stop before any generator runs (SystemExit: one line, exit status 1) unless this is a
    build that `newsroom publish` started, into a folder of its own."""
    settings = pelican.settings
    if not settings.get("NEWSROOM_MANIFEST"):
        raise SystemExit(f"{REFUSAL} (không có manifest); không ghi gì")
    output = Path(settings["OUTPUT_PATH"]).resolve()
    for protected in _protected(settings):
        target = protected.resolve()
        if output == target or target in output.parents:
            raise SystemExit(f"{REFUSAL}; không ghi đè {protected.name}")


def take_staged_hashes(pelican) -> None:
    """The SHA-256 of each staged file as `newsroom publish` wrote it, so this build reads only
    files written since (each write changes a file's ctime); the checks below are the same."""
    state = pelican.settings.get("NEWSROOM_STAGED_STATE")
    if state:
        remember_staged(pelican.settings["PATH"], state)


def _manifest(settings) -> Manifest | None:
    path = settings.get("NEWSROOM_MANIFEST")
    if not path:
        logger.error(REFUSAL + " (không có manifest)")
        return None
    return read_manifest(Path(path))


def _content_hashes(content: Path) -> dict[str, str]:
    """Every file under `content` with its SHA-256 (each read once per build: source_hash)."""
    hashes = {}
    folders = [(os.fspath(content), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file():  # the file type from the listing: no stat for most
                    hashes[prefix + entry.name] = source_hash(entry.path)
    return hashes


def _check_files(settings) -> None:
    manifest = _manifest(settings)
    if manifest is None:
        return
    expected = manifest.source_files()
    actual = _content_hashes(Path(settings["PATH"]))
    for name in sorted(expected.keys() | actual.keys()):
        if name not in expected:
            logger.error("cổng duyệt: %s không có trong manifest (chưa được duyệt)", name)
        elif name not in actual:
            logger.error("cổng duyệt: thiếu %s của bản đã duyệt", name)
        elif expected[name] != actual[name]:
            logger.error("cổng duyệt: %s khác bản đã duyệt %s", name, expected[name][:12])


def check_read_content(generators) -> None:
    """After reading: the files, and every article Pelican read, against the manifest."""
    settings = generators[0].settings
    _check_files(settings)
    manifest_path = settings.get("NEWSROOM_MANIFEST")
    if not manifest_path:
        return
    known = read_manifest(Path(manifest_path)).by_source()
    content = Path(settings["PATH"])
    for generator in generators:
        for item in [*getattr(generator, "articles", []), *getattr(generator, "drafts", [])]:
            name = Path(item.source_path).relative_to(content).as_posix()
            if name not in known:
                logger.error("cổng duyệt: bài %s không có trong manifest", name)


def check_before_finish(pelican) -> None:
    """Once more after writing, so a file changed during the build is caught too."""
    _check_files(pelican.settings)
    fault_point("build", os.getppid())


def register() -> None:
    signals.initialized.connect(refuse_unmanaged_build)
    signals.initialized.connect(take_staged_hashes)
    signals.all_generators_finalized.connect(check_read_content)
    signals.finalized.connect(check_before_finish)
