"""A publish with nothing changed has nothing to do; any change to what a release is built
from (content, code, theme, settings, or the news sitemap's two-day window) rebuilds it."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.publish import NOTHING_CHANGED, PublishResult, Skipped, publish
from pipeline.vietnamese import TIMEZONE
from tests.helpers import REPO
from tests.workflow_helpers import live, make_newsroom, story, submit_and_approve

SLUG = "tuan-tra-dau-xuan"
PUBLISHED = datetime(2024, 5, 6, 7, 0, tzinfo=TIMEZONE)


@pytest.fixture
def newsroom(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("NEWSROOM_ALLOW_FUTURE_AT", "1")
    root = make_newsroom(tmp_path / "site")
    story(root, SLUG, "Tổ tuần tra đầu xuân.", PUBLISHED)
    submit_and_approve(root, SLUG)
    assert isinstance(publish(root, datetime(2024, 5, 6, 8, tzinfo=TIMEZONE), "hoa"), PublishResult)
    return root


def test_publish_with_nothing_changed_keeps_the_live_release(newsroom):
    before = live(newsroom)
    result = publish(newsroom, datetime(2024, 5, 6, 9, tzinfo=TIMEZONE), "hoa")
    assert result == Skipped(NOTHING_CHANGED)
    assert live(newsroom) == before


def test_publish_rebuilds_when_the_theme_changes(newsroom):
    before = live(newsroom)
    theme = newsroom / "theme"
    theme.unlink()  # the test project links the real theme: make a private copy to change
    shutil.copytree(REPO / "theme", theme)
    css = theme / "static/css/site.css"
    css.write_text(css.read_text("utf-8") + "\n/* thay đổi */\n", "utf-8")
    result = publish(newsroom, datetime(2024, 5, 6, 9, tzinfo=TIMEZONE), "hoa")
    assert isinstance(result, PublishResult) and live(newsroom) != before
    assert "thay đổi" in (live(newsroom) / "theme/css/site.css").read_text("utf-8")
    # Pages name the stylesheet by its content: a browser that kept the old one asks again.
    name = f"/theme/css/site.css?v={hashlib.sha256(css.read_bytes()).hexdigest()[:10]}"
    assert f'href="{name}"' in (live(newsroom) / "index.html").read_text("utf-8")
    assert name not in (before / "index.html").read_text("utf-8")


def test_publish_rebuilds_when_the_news_window_moves(newsroom):
    """Three days later the article leaves the news sitemap: same content, different bytes."""
    result = publish(newsroom, datetime(2024, 5, 9, 9, tzinfo=TIMEZONE), "hoa")
    assert isinstance(result, PublishResult)
    assert SLUG not in (live(newsroom) / "sitemaps/news.xml").read_text("utf-8")


def test_publish_rebuild_flag_always_builds(newsroom):
    before = live(newsroom)
    result = publish(newsroom, datetime(2024, 5, 6, 9, tzinfo=TIMEZONE), "hoa", rebuild=True)
    assert isinstance(result, PublishResult) and live(newsroom) != before


def test_any_installed_package_upgraded_rebuilds(newsroom, tmp_path, monkeypatch):
    """Jinja, feedgenerator, MarkupSafe, a Markdown extension… render too: an upgrade of any
    installed distribution is a change of code, not "nothing changed"."""
    packages = tmp_path / "site-packages"

    def install(version: str) -> None:
        shutil.rmtree(packages, ignore_errors=True)
        info = packages / f"goi_ket_xuat-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: goi-ket-xuat\nVersion: {version}\n", "utf-8"
        )

    install("1.0")
    monkeypatch.syspath_prepend(str(packages))
    at = datetime(2024, 5, 6, 9, tzinfo=TIMEZONE)
    assert isinstance(publish(newsroom, at, "hoa"), PublishResult)  # a new package: rebuilt
    assert publish(newsroom, at, "hoa") == Skipped(NOTHING_CHANGED)
    install("1.1")
    before = live(newsroom)
    assert isinstance(publish(newsroom, at, "hoa"), PublishResult)
    assert live(newsroom) != before
