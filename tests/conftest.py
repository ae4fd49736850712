"""Shared fixtures: real project copies in temporary folders and real Pelican builds."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from pipeline.cli import main
from pipeline.samples import approve_samples
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, REPO, copy_project


@pytest.fixture(scope="session", autouse=True)
def rendition_cache(tmp_path_factory: pytest.TempPathFactory):
    """One photo rendition cache for every build in the session (shared by xdist workers)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSROOM_PHOTOS_CACHE", str(shared / "renditions"))
        yield shared / "renditions"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project (config, theme, plugins, content) that a test may change."""
    return copy_project(tmp_path / "site")


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    """The project with no articles, for tests that write their own."""
    root = copy_project(tmp_path / "site")
    shutil.rmtree(root / "content" / "articles")
    (root / "content" / "articles").mkdir()
    return root


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content, approved by a sample editor and published once (publishconf.py, approval
    gate included); returns the live `output` folder."""
    root = copy_project(tmp_path_factory.mktemp("built") / "site")
    approve_samples(root, main)
    return (root / "output").resolve()


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built sample site over HTTP, as a reader's browser gets it."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, one per test process (Playwright's sync API allows one at a time)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
