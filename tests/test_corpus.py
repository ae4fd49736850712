"""The benchmark's corpus (benchmarks/corpus.py): the same seed gives the same bytes."""

from __future__ import annotations

from pathlib import Path

from benchmarks.corpus import write_corpus
from pipeline.article import read_article
from tests.workflow_helpers import tree


def test_same_seed_writes_the_same_corpus_photos_included(tmp_path: Path):
    first = tree(write_corpus(tmp_path / "a", 3, seed=11)[0] / "content")
    photos = tree(tmp_path / "a" / "photo-pool")
    second = tree(write_corpus(tmp_path / "b", 3, seed=11)[0] / "content")
    assert first == second and photos == tree(tmp_path / "b" / "photo-pool")
    assert first != tree(write_corpus(tmp_path / "c", 3, seed=12)[0] / "content")


def test_each_article_has_about_six_hundred_words_of_its_own(tmp_path: Path):
    ours, plain = write_corpus(tmp_path, 4, seed=3)
    folders = sorted(p.parent for p in (ours / "content" / "articles").rglob("index.md"))
    bodies = [read_article(folder).body for folder in folders]
    assert len(folders) == 4 and len(set(bodies)) == 4
    for body in bodies:
        assert 550 <= len(body.split()) <= 700
    for folder in folders:  # plain Pelican's copy names the section its own way
        mine = (folder / "index.md").read_text("utf-8")
        theirs = (plain / folder.relative_to(ours) / "index.md").read_text("utf-8")
        assert theirs == mine.replace("\nSection:", "\nCategory:") != mine
