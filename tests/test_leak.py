"""The leak test: an unapproved, a submitted, a scheduled and a withdrawn article leave no trace
in the release: not their sentence, title or slug, not their photos, however encoded. The same
scan finds the approved article, which proves that it looks in the right places."""

from __future__ import annotations

import gzip
import html
import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from pipeline.config import load_config
from pipeline.photos import clean_photo_file, source_hash
from pipeline.vietnamese import TIMEZONE
from tests.workflow_helpers import cli, live, make_newsroom, story, submit_and_approve

SURROGATES = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)
ESCAPE = re.compile(r"\\u([0-9a-f]{4})", re.IGNORECASE)
# slug -> (unique sentence, unique title, photo colour, date)
ARTICLES = {
    "da-duyet-cong-khai": (
        "Câu đã duyệt về cột mốc số chín.",
        "Cột mốc sáng đèn ở Hà Giang",
        "#0a5a2a",
    ),
    "ban-nhap-bi-mat": (
        "Câu nháp chưa ai duyệt ở bản Mù.",
        "Bản nháp “mật” về đường tuần tra",
        "#5a0a0a",
    ),
    "cho-duyet-bi-mat": (
        "Câu chờ duyệt về trạm kiểm soát.",
        "Trạm kiểm soát & đêm trực",
        "#0a0a5a",
    ),
    "hen-gio-bi-mat": ("Câu hẹn giờ về lễ xuất quân.", "Lễ xuất quân năm 2099", "#5a5a0a"),
    "da-go-bi-mat": ("Câu đã gỡ về vụ việc đính chính.", "Vụ việc đã gỡ ở Cà Mau", "#5a0a5a"),
}
SECRETS = [slug for slug in ARTICLES if slug != "da-duyet-cong-khai"]
# Static pages: one approved (then edited: the edit is not approved), one never approved.
APPROVED_PAGE = ("trang-cong-khai", "Trang về đồn Lũng Cú", "Câu trang đã duyệt về đồn Lũng Cú.")
PAGE_EDIT = "Câu trang sửa sau khi duyệt về kho đạn."
UNAPPROVED_PAGE = ("trang-bi-mat", "Trang mật chưa duyệt", "Câu trang chưa duyệt về kho vũ khí.")


def _json_unescape(text: str) -> str:
    text = SURROGATES.sub(
        lambda m: (
            (chr(int(m.group(1), 16)) + chr(int(m.group(2), 16)))
            .encode("utf-16", "surrogatepass")
            .decode("utf-16")
        ),
        text,
    )
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def decode(data: bytes) -> str:
    """A file as a reader or a crawler could read it: gunzipped, JSON-unescaped, HTML-unescaped,
    URL-decoded and NFC, casefolded for comparison."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    for layer in (_json_unescape, html.unescape, unquote, html.unescape):
        text = layer(text)
    return unicodedata.normalize("NFC", text).casefold()


def _needle(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def scan(release: Path) -> dict[str, str]:
    """Each file's decoded text, keyed by its decoded path."""
    return {
        decode(str(p.relative_to(release)).encode()): decode(p.read_bytes())
        for p in sorted(release.rglob("*"))
        if p.is_file()
    }


def test_leak_decoder_reads_every_encoding(tmp_path):
    sentence = "Câu “bí mật” & đặc biệt"
    nfd = unicodedata.normalize("NFD", sentence)
    files = {
        "search.json.gz": gzip.compress(json.dumps({"text": sentence}).encode()),
        "index.html": html.escape(sentence).encode().replace(b"&amp;", b"&#38;"),
        "feed.xml": f"<a href='/tim-kiem/?q={quote(sentence)}'>".encode(),
        "nfd.txt": nfd.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert json.dumps(sentence).count("\\u") > 0
    found = scan(tmp_path)
    assert all(_needle(sentence) in text for text in found.values()), found


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> tuple[Path, Path]:
    root = make_newsroom(tmp_path_factory.mktemp("leak") / "site")
    dates = {"hen-gio-bi-mat": datetime(2099, 1, 1, 7, tzinfo=TIMEZONE)}
    for slug, (sentence, title, color) in ARTICLES.items():
        kwargs = {"date": dates[slug]} if slug in dates else {}
        story(
            root,
            slug,
            sentence,
            photo_color=color,
            title=title,
            summary=f"Tóm tắt {slug}.",
            **kwargs,
        )
    for slug in ("da-duyet-cong-khai", "hen-gio-bi-mat", "da-go-bi-mat"):
        submit_and_approve(root, slug)
    pages = {
        slug: _write_page(root, slug, title, text)
        for slug, title, text in (APPROVED_PAGE, UNAPPROVED_PAGE)
    }
    submit_and_approve(root, str(pages[APPROVED_PAGE[0]]))
    with pages[APPROVED_PAGE[0]].open("a", encoding="utf-8") as edited:
        edited.write(f"\n{PAGE_EDIT}<script>alert(1)</script>\n")
    assert cli(root, "submit", "cho-duyet-bi-mat", "--as", "vitoan") == 0
    assert cli(root, "publish", "--as", "bientapvien") == 0
    assert cli(root, "withdraw", "da-go-bi-mat", "--as", "hoa", "--reason", "Sai sự thật") == 0
    assert cli(root, "publish", "--as", "bientapvien") == 0
    return root, live(root)


def _write_page(root: Path, slug: str, title: str, text: str) -> Path:
    path = root / "content" / "pages" / f"{slug}.md"
    path.write_text(f"Title: {title}\nSlug: {slug}\n\n{text}\n", "utf-8")
    return path


def _photo(root: Path, slug: str) -> Path:
    return next((root / "content" / "articles").glob(f"*/*/{slug}/anh.jpg"))


def _needles(root: Path, slug: str) -> dict[str, str]:
    sentence, title, _color = ARTICLES[slug]
    digest = source_hash(_photo(root, slug))
    return {
        "sentence": sentence,
        "title": title,
        "slug": slug,
        "summary": f"Tóm tắt {slug}.",
        "photo hash": digest[:16],
    }


def test_leak_positive_control_finds_approved_article(release):
    root, output = release
    files = scan(output)
    everything = "\n".join([*files.keys(), *files.values()])
    for kind, needle in _needles(root, "da-duyet-cong-khai").items():
        assert _needle(needle) in everything, kind
    config = load_config(root)
    clean = clean_photo_file(
        _photo(root, "da-duyet-cong-khai"), config.photo_max_side, config.jpeg_quality
    )
    assert any(p.read_bytes() == clean.data for p in output.rglob("*") if p.is_file())


@pytest.mark.parametrize("slug", SECRETS)
def test_leak_unapproved_scheduled_withdrawn_leave_no_trace(release, slug):
    root, output = release
    files = scan(output)
    notice = "2024/05/06/da-go-bi-mat/index.html" if slug == "da-go-bi-mat" else None
    for kind, needle in _needles(root, slug).items():
        for name, text in files.items():
            assert _needle(needle) not in text, f"{kind} of {slug} in {name}"
            if name != notice:
                assert _needle(needle) not in name, f"{kind} of {slug} in the name {name}"
    config = load_config(root)
    clean = clean_photo_file(_photo(root, slug), config.photo_max_side, config.jpeg_quality)
    assert not any(p.read_bytes() == clean.data for p in output.rglob("*") if p.is_file())


def _everything(output: Path) -> str:
    files = scan(output)
    return "\n".join([*files.keys(), *files.values()])


def test_leak_positive_control_finds_approved_page(release):
    _root, output = release
    everything = _everything(output)
    for needle in APPROVED_PAGE:
        assert _needle(needle) in everything, needle


@pytest.mark.parametrize("needle", [*UNAPPROVED_PAGE, PAGE_EDIT, "alert(1)"])
def test_leak_unapproved_page_and_page_edit_leave_no_trace(release, needle):
    _root, output = release
    assert _needle(needle) not in _everything(output)


def test_leak_withdrawn_url_shows_only_the_notice(release):
    _root, output = release
    text = decode((output / "2024/05/06/da-go-bi-mat/index.html").read_bytes())
    assert "bài viết đã được gỡ" in text
