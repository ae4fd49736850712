"""Every article tells search engines and social sites exactly what it is."""

from __future__ import annotations

import json

from pipeline.config import load_config
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
