"""Two editors acting on one article at the same moment, in real separate processes:
one consistent result, one audit entry, no corruption."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from pipeline import workflow
from pipeline.errors import NewsroomError
from pipeline.record import Record
from tests.workflow_helpers import cli, make_newsroom, story

ACTIONS = {
    "approve": lambda desk, slug: workflow.approve(desk, slug),
    "reject": lambda desk, slug: workflow.reject(desk, slug, "Cần bổ sung nguồn"),
}


def _act(root: str, editor: str, action: str, slug: str, barrier, results) -> None:
    with workflow.open_desk(root, editor) as desk:
        barrier.wait()
        try:
            ACTIONS[action](desk, slug)
            results.put((editor, "ok"))
        except NewsroomError as error:
            results.put((editor, str(error)))


@pytest.mark.parametrize("actions", [("approve", "approve"), ("approve", "reject")])
def test_concurrent_editors_one_consistent_result(tmp_path: Path, actions):
    root = make_newsroom(tmp_path / "site")
    context = multiprocessing.get_context("fork")
    for round_number in range(3):
        slug = f"bai-{round_number}"
        story(root, slug, f"Câu số {round_number}.")
        assert cli(root, "submit", slug, "--as", "vitoan") == 0
        barrier, results = context.Barrier(2), context.Queue()
        workers = [
            context.Process(target=_act, args=(str(root), editor, action, slug, barrier, results))
            for editor, action in zip(("hoa", "minhtuan"), actions, strict=True)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
            assert worker.exitcode == 0
        outcomes = dict(results.get(timeout=5) for _ in workers)
        winners = [editor for editor, outcome in outcomes.items() if outcome == "ok"]
        assert len(winners) == 1, outcomes
        loser = next(outcome for outcome in outcomes.values() if outcome != "ok")
        assert "chỉ duyệt được" in loser or "chỉ trả lại được" in loser
        record = Record(root / "var" / "newsroom.sqlite3")
        try:
            row = record.article(slug)
            decisions = [e for e in record.history(slug) if e.action in ACTIONS]
            assert len(decisions) == 1 and decisions[0].actor == winners[0]
            assert row.state == {"approve": "approved", "reject": "rejected"}[decisions[0].action]
            assert record.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            record.close()
