"""The reader site in a real browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.helpers import SEED_URL

PAGES = {
    "front": "/",
    "section": "/chuyen-muc/xay-dung-luc-luong/",
    "article": f"/{SEED_URL}",
    "search": "/tim-kiem/",
    "archive": "/2022/11/",
}


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_makes_no_request_outside_the_site(tab, site_url, name):
    outside = []

    def guard(route):
        if route.request.url.startswith(site_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab.route("**/*", guard)
    failed = []
    tab.on("requestfailed", lambda request: failed.append(request.url))
    response = tab.goto(site_url + PAGES[name], wait_until="networkidle")
    assert response.status == 200
    assert outside == []
    assert failed == []


@pytest.mark.parametrize("query", ["biên phòng", "bien phong", "bdbp", "Cụm thi đua"])
def test_search_page_finds_the_seed_article(tab, site_url, query):
    tab.goto(f"{site_url}/tim-kiem/?q={quote(query)}")
    tab.wait_for_selector("#search-results li a", timeout=15_000)
    hrefs = tab.eval_on_selector_all("#search-results li a", "links => links.map(a => a.pathname)")
    assert f"/{SEED_URL}" in hrefs
    assert "Tìm thấy" in tab.inner_text("#search-status")


def test_search_typed_into_the_form_finds_doi_as_doi_with_stroke(tab, site_url):
    tab.goto(f"{site_url}/tim-kiem/")
    tab.fill("#q", "bo doi bien phong")
    tab.press("#q", "Enter")
    tab.wait_for_selector("#search-results li a", timeout=15_000)
    texts = tab.inner_text("#search-results")
    assert "Bộ đội Biên phòng" in texts or "bộ đội biên phòng" in texts.lower()


@pytest.mark.parametrize("name", ["front", "section", "article", "search"])
def test_page_has_no_serious_accessibility_violations(tab, site_url, name):
    tab.goto(site_url + PAGES[name], wait_until="networkidle")
    results = Axe().run(tab)
    violations = results.response["violations"]
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("width", [320, 390, 1366])
@pytest.mark.parametrize("name", ["front", "article", "section"])
def test_page_does_not_overflow_horizontally(browser, site_url, name, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + PAGES[name], wait_until="networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0


def test_pagefind_alone_does_not_fold_d_with_stroke(tab, site_url):
    """Why search.js expands "d": Pagefind itself finds "bđbp" but not "bdbp"."""
    tab.goto(f"{site_url}/tim-kiem/")
    counts = tab.evaluate(
        """async () => {
            const pf = await import('/pagefind/2022/pagefind.js');
            await pf.options({basePath: '/pagefind/2022/'});
            const plain = await pf.search('bdbp');
            const stroked = await pf.search('bđbp');
            return [plain.results.length, stroked.results.length];
        }"""
    )
    assert counts[0] == 0 and counts[1] > 0


def test_search_loads_each_years_index_once_however_many_queries(tab, site_url):
    """On a slow link every fetch is a round trip: the index is loaded once per page."""
    entries = []
    tab.on("request", lambda r: entries.append(r.url) if "pagefind-entry.json" in r.url else None)
    tab.goto(f"{site_url}/tim-kiem/")
    for query in ("biên phòng", "thi đua"):
        tab.fill("#q", query)
        tab.press("#q", "Enter")
        tab.wait_for_function(
            "q => document.querySelector('#search-status').textContent.includes(q)", arg=query
        )
    years = tab.evaluate("async () => (await (await fetch('/pagefind/years.json')).json()).length")
    assert years >= 2 and len(entries) == years


def test_search_that_cannot_load_its_index_says_so_and_works_when_tried_again(tab, site_url):
    tab.route("**/pagefind/**", lambda route: route.abort())  # the signal dropped
    tab.goto(f"{site_url}/tim-kiem/?q={quote('biên phòng')}")
    tab.wait_for_function(
        "() => document.querySelector('#search-status').textContent.includes('Không tải được')"
    )
    tab.unroute("**/pagefind/**")
    tab.press("#q", "Enter")
    tab.wait_for_selector("#search-results li a", timeout=15_000)
    assert "Tìm thấy" in tab.inner_text("#search-status")


@pytest.mark.parametrize("name", ["front", "article"])
def test_uppercase_text_that_may_wrap_leaves_room_for_stacked_vietnamese_marks(
    browser, site_url, name
):
    """Capitals such as Ử, Ễ carry marks above the cap height: wrapped at a line height of 1.05
    (the masthead on a 320 px phone, text enlarged) they touched the line above."""
    context = browser.new_context(viewport={"width": 320, "height": 800})
    tab = context.new_page()
    tab.goto(site_url + PAGES[name], wait_until="networkidle")
    tight = tab.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e => {
            const s = getComputedStyle(e);
            if (s.textTransform !== 'uppercase' || s.whiteSpace === 'nowrap') return false;
            if (!e.textContent.trim()) return false;
            const size = parseFloat(s.fontSize);
            const line = s.lineHeight === 'normal' ? 1.2 * size : parseFloat(s.lineHeight);
            return line / size < 1.25;
        }).map(e => e.className || e.tagName)"""
    )
    context.close()
    assert tight == [], tight


def test_a_printed_article_carries_its_address_and_the_screen_does_not_show_it(tab, site_url):
    tab.goto(f"{site_url}/{SEED_URL}", wait_until="networkidle")
    assert not tab.is_visible(".print-source")
    tab.emulate_media(media="print")
    assert tab.is_visible(".print-source")
    said = tab.inner_text(".print-source")
    assert said.startswith("Nguồn: https://") and said.endswith(f"/{SEED_URL}")


@pytest.mark.parametrize("name", ["front", "article"])
def test_links_a_thumb_must_hit_are_at_least_24_px_tall_on_a_phone(browser, site_url, name):
    """WCAG 2.5.8: the front page's only way to older news ("Xem tin cũ hơn") and the footer's
    links were 16 px tall on a 360 px phone."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    tab = context.new_page()
    tab.goto(site_url + PAGES[name], wait_until="networkidle")
    small = tab.evaluate(
        """() => [...document.querySelectorAll('.more a, .footer-links a, .pager a')]
            .map(a => [a.textContent.trim(), a.getBoundingClientRect().height])
            .filter(([, height]) => height < 24)"""
    )
    context.close()
    assert small == []
