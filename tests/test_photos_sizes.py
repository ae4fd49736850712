"""Each photo's `sizes` is the width the stylesheet draws it at, measured in a real browser
(Debian's chromium driven by Playwright), and its srcset has renditions to fill it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import SEED_URL

# Each place a photo is shown (site.css), by page: (selector, whether `sizes` may be wider).
# A body photo's `sizes` also serves static pages, whose 46rem measure is wider than an
# article's column beside the rail from 60rem to 72rem; everywhere else it is exact.
PLACES = {
    "/chuyen-muc/bien-gioi/": [
        (".newest > .story-item:first-child .thumb img", False),  # beside the section rail
        (".newest > .story-item:not(:first-child) .thumb img", False),
    ],
    "/2022/": [(".newest > .story-item:first-child .thumb img", False)],
    "/page/1/": [(".story-item .thumb img", False)],
    "/": [
        (".lead-photo img", False),
        (".secondary .thumb img", False),
        (".section-photo img", False),
    ],
    f"/{SEED_URL}": [(".story-body .photo img", True), (".neighbours img", False)],
}
# Phones, a small tablet, both breakpoints (40rem, 60rem) and around the 72rem page width.
VIEWPORTS = [375, 640, 700, 960, 1024, 1100, 1366]

# For each image: the width drawn, the width its `sizes` gives as the browser reads it (a
# probe of one 1000w candidate with the same `sizes` has that natural width), its srcset.
MEASURE = """async (selector) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1000;
    canvas.height = 1;
    const png = canvas.toDataURL();
    const found = [];
    for (const img of document.querySelectorAll(selector)) {
        const probe = new Image();
        probe.sizes = img.sizes;
        probe.srcset = png + ' 1000w';
        await probe.decode();
        found.push([img.getBoundingClientRect().width, probe.naturalWidth, img.srcset]);
    }
    return found;
}"""


def _widest_rendition(built_site: Path, srcset: str) -> int:
    """The widest rendition the build made of this photo (`anh/<hash>-<width>w.jpg`)."""
    digest = re.search(r"/anh/([0-9a-f]+)-\d+w\.", srcset).group(1)
    return max(
        int(p.stem.rsplit("-", 1)[1][:-1]) for p in (built_site / "anh").glob(f"{digest}-*w.jpg")
    )


@pytest.mark.parametrize("width", VIEWPORTS)
def test_photo_sizes_is_the_width_drawn_and_srcset_fills_it_twice(
    browser, site_url, built_site, width
):
    context = browser.new_context(viewport={"width": width, "height": 740})
    tab = context.new_page()
    wrong, measured = [], 0
    for url, places in PLACES.items():
        tab.goto(site_url + url, wait_until="load")
        for selector, may_be_wider in places:
            for drawn, slot, srcset in tab.evaluate(MEASURE, selector):
                measured += 1
                where = f"{url} {selector}: drawn {drawn:.1f}px, sizes {slot}px"
                # naturalWidth is whole pixels; anything narrower than drawn is enlarged.
                if slot < drawn - 1.5 or (not may_be_wider and slot > drawn + 1.5):
                    wrong.append(where)
                offered = max(int(c.split()[1][:-1]) for c in srcset.split(", "))
                wanted = min(2 * slot, _widest_rendition(built_site, srcset))
                if offered < wanted:
                    wrong.append(f"{where}: srcset stops at {offered}w, under 2x ({wanted}w)")
    context.close()
    assert measured >= 8
    assert wrong == []
