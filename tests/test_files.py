"""Whole-file writes by rename: the old file or the new one, never half, never a leftover."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.files import link_atomic, write_atomic, write_figures


def test_write_atomic_replaces_the_whole_file_and_leaves_no_temporary(tmp_path: Path):
    target = tmp_path / "a" / "b.json"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["b.json"]


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path):
    target = tmp_path / "b.json"
    write_atomic(target, b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["b.json"]


def test_link_atomic_makes_the_target_another_name_of_the_source(tmp_path: Path):
    source, target = tmp_path / "a.jpg", tmp_path / "b" / "c.jpg"
    write_atomic(source, b"photo")
    write_atomic(target, b"old")
    link_atomic(source, target)
    assert os.path.samefile(source, target) and target.read_bytes() == b"photo"
    link_atomic(source, target)  # already that file: nothing changes, nothing is left
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.jpg", "b", "c.jpg"]


def test_figures_that_cannot_be_written_never_fail_the_work_they_count(tmp_path: Path):
    write_figures(tmp_path / "stats.json", {"kept": 3, "read": 1})
    assert json.loads((tmp_path / "stats.json").read_text("utf-8")) == {"kept": 3, "read": 1}
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    write_figures(blocked / "stats.json", {"kept": 0, "read": 0})  # no error, nothing left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "stats.json"]


def test_a_durable_write_reaches_the_disk_before_its_name(tmp_path, monkeypatch):
    """Renditions are trusted by their name alone: their bytes are synced before the rename."""
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(
        os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1]
    )
    write_atomic(tmp_path / "a.bin", b"x", durable=True)
    write_atomic(tmp_path / "b.bin", b"y")
    assert events == ["fsync", "replace", "replace"]
    assert (tmp_path / "a.bin").read_bytes() == b"x" and (tmp_path / "b.bin").read_bytes() == b"y"
