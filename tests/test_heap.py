"""The collector during a build: held off while loading, never left off, given back at the end."""

from __future__ import annotations

import gc

import pytest

from pipeline import heap


@pytest.fixture(autouse=True)
def _collector_as_before():
    yield
    heap.release()
    gc.enable()


def test_objects_loaded_are_left_out_of_later_collections():
    heap.release()
    with heap.loading():
        assert not gc.isenabled()
        kept = [{"article": n} for n in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)
    assert not any(found is kept for found in gc.get_objects())  # out of every collection
    heap.release()
    assert any(found is kept for found in gc.get_objects())


def test_a_load_that_fails_leaves_the_collector_on():
    with pytest.raises(ValueError), heap.loading():
        raise ValueError("bài hỏng")
    assert gc.isenabled()


def test_a_build_that_stops_while_held_gives_everything_back():
    heap.hold()
    assert not gc.isenabled()
    heap.release()  # pelican_run.build's `finally`
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_resume_does_not_turn_on_a_collector_that_was_off_before():
    gc.disable()
    heap.hold()
    heap.resume()
    assert not gc.isenabled()
