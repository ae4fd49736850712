"""Raw HTML from articles never reaches a reader, and text is always escaped in pages."""

from __future__ import annotations

from datetime import datetime

import pytest

from pipeline.build import run_pelican
from pipeline.errors import BuildError
from pipeline.vietnamese import TIMEZONE
from plugins.sanitize.sanitize import sanitize_html
from tests.helpers import page, write_article, write_photo


@pytest.mark.parametrize(
    ("dirty", "gone"),
    [
        ("<p>a</p><script>alert(1)</script>", "<script"),
        ('<p onmouseover="x()">a</p>', "onmouseover"),
        ('<a href="javascript:alert(1)">a</a>', "javascript"),
        ('<a href="data:text/html,x">a</a>', "data:"),
        ('<iframe src="/x"></iframe>', "<iframe"),
        ('<img src="https://tracker.example/x.gif" alt="">', "tracker"),
        ('<picture><source srcset="//cdn.example/a.avif 480w"></picture>', "cdn.example"),
        ("<p>a<!-- ghi chú nội bộ --></p>", "ghi chú"),
        # A browser drops tabs and newlines in a URL, and reads "\\" as "/": all remote.
        ('<img src="/\t/tracker.example/x.svg" alt="">', "tracker"),
        ('<img src="/\n/tracker.example/x.svg" alt="">', "tracker"),
        ('<img src="\\\\tracker.example/x.svg" alt="">', "tracker"),
        (
            '<picture><source srcset="/anh/a.avif 480w, /\t/cdn.example/b.avif 960w"></picture>',
            "cdn",
        ),
    ],
)
def test_sanitize_html_removes_dangerous_markup(dirty, gone):
    assert gone not in sanitize_html(dirty)


def test_sanitize_html_keeps_our_own_markup():
    ours = (
        '<figure class="photo"><picture><source type="image/avif" srcset="/anh/a-480w.avif 480w" '
        'sizes="46rem"><img src="/anh/a-960w.jpg" alt="Tổ tuần tra" width="960" height="640" '
        'loading="lazy" decoding="async"></picture><figcaption><span class="caption">Chú thích'
        '</span> <span class="credit">Ảnh: Vi Toàn</span></figcaption></figure>'
        '<p><abbr title="Bộ đội Biên phòng">BĐBP</abbr> <a href="https://bienphong.vn/">trang</a></p>'
    )
    assert sanitize_html(ours) == ours


def test_built_page_escapes_titles_and_drops_raw_html(empty_project):
    """Even past `check` (here: a plain build of the working copy), a page stays safe."""
    write_article(
        empty_project,
        "le-xuat-quan",
        datetime(2023, 3, 1, 8, tzinfo=TIMEZONE),
        title='Lễ "xuất quân" <b onmouseover=alert(1)>năm 2026',
        tags="<svg/onload=alert(1)>, tuần tra",
        summary="Tin &lt;b&gt; tóm tắt.",
        body=(
            "Đoạn một.\n\n<script>alert(1)</script>\n\n[x](java&#115;cript:alert(1))\n\n"
            '<a href="#"\nonmouseover="steal()">y</a>\n\n<img src="https://tracker.example/p.gif">'
        ),
    )
    output = empty_project / "built"
    run_pelican(empty_project, "pelicanconf.py", output)
    soup = page(output, "2023/03/01/le-xuat-quan/")
    elements = soup.find_all(True)
    assert not [e for e in elements if any(a.lower().startswith("on") for a in e.attrs)]
    assert not [e for e in elements if e.name in ("svg", "b", "iframe")]
    assert all(s.get("type") == "application/ld+json" for s in soup.find_all("script"))
    links = [a.get("href", "") for a in soup.find_all("a")]
    assert not [href for href in links if href.lower().startswith(("javascript", "data"))]
    assert not [img for img in soup.find_all("img") if "tracker" in img.get("src", "")]
    title = 'Lễ "xuất quân" <b onmouseover=alert(1)>năm 2026'
    assert soup.find("h1").get_text() == title
    assert soup.find("meta", property="og:title")["content"] == title
    assert soup.find("meta", property="og:description")["content"] == "Tin <b> tóm tắt."


@pytest.mark.parametrize(
    "link", ["{static}anh.jpg", "|attach|anh.jpg", " {static}/articles/x/anh.jpg"]
)
def test_sanitize_html_drops_links_that_would_publish_a_file_as_it_is(link):
    refused: list[str] = []
    html = f'<p><a href="{link}">Ảnh gốc</a> <img src="{link}" alt=""></p>'
    assert sanitize_html(html, refused) == '<p><a>Ảnh gốc</a> <img alt=""></p>'
    assert refused == [link.strip()] * 2


def test_build_with_a_link_to_the_original_photo_fails_and_copies_nothing(empty_project):
    """`[…]({static}anh.jpg)` would publish the original photo, GPS and camera data included."""
    article = write_article(
        empty_project,
        "anh-goc",
        datetime(2023, 3, 1, 8, tzinfo=TIMEZONE),
        body="![Ảnh tuần tra](anh.jpg)\nChú thích.\nẢnh: Minh Tuấn\n\n[Ảnh gốc]({static}anh.jpg)",
    )
    write_photo(article.parent / "anh.jpg")
    output = empty_project / "built"
    with pytest.raises(BuildError, match=r"anh-goc/index\.md: liên kết \{static\}anh\.jpg sẽ đăng"):
        run_pelican(empty_project, "pelicanconf.py", output)
    assert not output.exists() or not list(output.rglob("anh.jpg"))
