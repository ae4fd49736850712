"""Every article tells search engines and social sites exactly what it is."""

from __future__ import annotations

import json

from PIL import Image

from pipeline.config import load_config
from plugins.news_metadata.news_metadata import _json
from tests.helpers import REPO, SEED_URL, page

SITE_URL = load_config(REPO).site_url


def _jsonld(built_site, url: str) -> dict[str, dict]:
    scripts = page(built_site, url).find_all("script", type="application/ld+json")
    documents = [json.loads(script.string) for script in scripts]
    return {document["@type"]: document for document in documents}


def test_seed_article_has_news_article_jsonld(built_site):
    news = _jsonld(built_site, SEED_URL)["NewsArticle"]
    assert news["headline"].startswith("Cụm thi đua số 1 Bộ đội Biên phòng")
    assert news["datePublished"] == "2022-11-28T07:00:00+07:00"
    assert news["dateModified"].endswith("+07:00")
    assert news["author"] == [
        {"@type": "Person", "name": "Đình Quang"},
        {"@type": "Person", "name": "Vi Toàn"},
    ]
    assert news["articleSection"] == "Xây dựng lực lượng"
    assert "thi đua khen thưởng" in news["keywords"]
    assert news["description"].startswith("Ngày 16/9, tại Bộ Chỉ huy Bộ đội Biên phòng (BĐBP) tỉnh")
    logo = news["publisher"]["logo"]["url"]
    assert (built_site / logo.removeprefix(SITE_URL + "/")).is_file()
    for image in news["image"]:
        assert (built_site / image.removeprefix(SITE_URL + "/")).is_file()
    assert "correction" not in news


def test_seed_article_has_breadcrumbs_canonical_and_social_tags(built_site):
    crumbs = _jsonld(built_site, SEED_URL)["BreadcrumbList"]["itemListElement"]
    assert [item["name"] for item in crumbs][:2] == ["Trang chủ", "Xây dựng lực lượng"]
    html = page(built_site, SEED_URL)
    assert html.find("link", rel="canonical")["href"] == f"{SITE_URL}/{SEED_URL}"
    properties = {m["property"]: m["content"] for m in html.find_all("meta", property=True)}
    assert properties["og:type"] == "article"
    assert properties["og:url"] == f"{SITE_URL}/{SEED_URL}"
    assert properties["article:published_time"] == "2022-11-28T07:00:00+07:00"
    assert properties["og:image"].startswith(SITE_URL + "/")
    names = {m["name"]: m["content"] for m in html.find_all("meta", attrs={"name": True})}
    assert names["twitter:card"] == "summary_large_image"
    assert len(html.find_all("link", rel="canonical")) == 1


def _articles_without_photo(built_site) -> list[str]:
    """Article pages whose search result has no image: the articles without any photo."""
    found = []
    for file in sorted(built_site.glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html")):
        marker = page(built_site, str(file.relative_to(built_site))).select_one("[data-image]")
        if marker is not None and marker["data-image"] == "":
            found.append(str(file.parent.relative_to(built_site)) + "/")
    assert found, "the samples hold an article without a photo"
    return found


def test_article_without_photo_shows_the_papers_card_to_social_sites(built_site):
    for url in _articles_without_photo(built_site):
        html = page(built_site, url)
        properties = {m["property"]: m["content"] for m in html.find_all("meta", property=True)}
        names = {m["name"]: m["content"] for m in html.find_all("meta", attrs={"name": True})}
        card = properties["og:image"]
        assert card.startswith(SITE_URL + "/theme/"), url
        assert names["twitter:card"] == "summary_large_image"
        assert names["twitter:image"] == card
        assert properties["og:image:alt"] == f"Biểu trưng {load_config(REPO).site_name}"
        assert _jsonld(built_site, url)["NewsArticle"]["image"] == [card]
        file = built_site / card.removeprefix(SITE_URL + "/")
        with Image.open(file) as image:
            assert image.format in ("PNG", "JPEG")
            assert image.size == (
                int(properties["og:image:width"]),
                int(properties["og:image:height"]),
            )
            assert image.width >= 1200 and abs(image.width / image.height - 1.91) < 0.01


def test_papers_card_is_one_clean_file_of_the_theme(built_site, repo):
    url = page(built_site, _articles_without_photo(built_site)[0]).find(
        "meta", property="og:image"
    )["content"]
    published = built_site / url.removeprefix(SITE_URL + "/")
    stored = repo / "theme/static" / published.relative_to(built_site / "theme")
    assert stored.read_bytes() == published.read_bytes()  # in the repository, not downloaded
    data = published.read_bytes()
    copies = [p for p in built_site.rglob("*") if p.is_file() and p.stat().st_size == len(data)]
    assert [p for p in copies if p.read_bytes() == data] == [published]
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, offset = [], 8
    while offset < len(data):
        length = int.from_bytes(data[offset : offset + 4], "big")
        chunks.append(data[offset + 4 : offset + 8].decode("ascii"))
        offset += 12 + length
    assert set(chunks) <= {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}  # no text, EXIF or ICC


def test_json_ld_text_can_neither_close_its_script_nor_open_a_comment():
    """A summary or correction with `<!--<script>` (typed as entities) made the browser take
    the rest of the article page as script: the page showed nothing."""
    data = {"description": "Sapo <!--<script> tiếp </script> & hết >"}
    text = _json(data)
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text) == data
