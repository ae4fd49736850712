"""Machine-readable news: NewsArticle and BreadcrumbList JSON-LD, OpenGraph and Twitter tags.

Python builds every value here, when an article page renders (the filter
`news_meta`); the template `_news_meta.html` only prints them. Times carry the
+07:00 offset. Images are the lead photo's crops when the photos plugin made
them (16:9, 4:3, 1:1), else the lead photo itself; an article without a photo
shows the paper's card (its emblem and name), so that a shared link still has a
picture and search engines get the image that NewsArticle needs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape

from pelican import signals
from pelican.contents import Article

from pipeline.article import format_datetime

NEWS_METADATA_LOGO = "theme/img/logo-publisher.png"
NEWS_METADATA_LOGO_SIZE = (600, 60)
# The image of an article without a photo; made by `tools/make_sample_photos.py --card`.
NEWS_METADATA_DEFAULT_IMAGE = "theme/img/social-card.png"
NEWS_METADATA_DEFAULT_IMAGE_SIZE = (1200, 630)
NEWS_METADATA_DEFAULT_IMAGE_ALT = "Biểu trưng {site_name}"
CROP_ORDER = ("16x9", "4x3", "1x1")
TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class NewsMeta:
    """What the <head> of an article page carries for search engines and social sites."""

    canonical: str
    jsonld: list[str]  # each a JSON document, safe inside <script>
    properties: list[tuple[str, str]]  # <meta property=… content=…>
    names: list[tuple[str, str]]  # <meta name=… content=…>


def _absolute(site_url: str, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{site_url}/{url.lstrip('/')}"


def _json(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # Inside <script>, "</script" closes it and "<!--" makes the parser swallow the rest of
    # the page: none of <, > and & is left as itself (JSON reads the escapes back the same).
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class DefaultImage:
    """The paper's card, as the social tags read an image (url, width, height, alt)."""

    url: str
    width: int
    height: int
    alt: str


def default_image(site_url: str, site_name: str) -> DefaultImage:
    width, height = NEWS_METADATA_DEFAULT_IMAGE_SIZE
    alt = NEWS_METADATA_DEFAULT_IMAGE_ALT.format(site_name=site_name)
    return DefaultImage(f"{site_url}/{NEWS_METADATA_DEFAULT_IMAGE}", width, height, alt)


def _images(article, site_url: str, site_name: str) -> list[str]:
    crops = getattr(article, "photo_crops", None) or {}
    urls = [_absolute(site_url, crops[key].url) for key in CROP_ORDER if key in crops]
    lead = getattr(article, "lead_photo", None)
    if not urls and lead is not None:
        urls = [_absolute(site_url, lead.url)]
    return urls or [default_image(site_url, site_name).url]


def _social_image(article, site_url: str, site_name: str):
    crops = getattr(article, "photo_crops", None) or {}
    image = crops.get("social") or getattr(article, "lead_photo", None)
    if image is None:
        image = default_image(site_url, site_name)
    return _absolute(site_url, image.url), image


def _corrections(article) -> list[dict]:
    return [
        {"@type": "CorrectionComment", "text": c.text, "datePublished": format_datetime(c.date)}
        for c in getattr(article, "corrections", []) or []
    ]


def news_article(article, site_url: str, site_name: str, description: str) -> dict:
    url = f"{site_url}/{article.url}"
    modified = getattr(article, "modified", None) or article.date
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "description": description,
        "inLanguage": "vi",
        "datePublished": format_datetime(article.date),
        "dateModified": format_datetime(modified),
        "author": [{"@type": "Person", "name": author.name} for author in article.authors],
        "image": _images(article, site_url, site_name),
        "publisher": {
            "@type": "Organization",
            "name": site_name,
            "logo": {
                "@type": "ImageObject",
                "url": f"{site_url}/{NEWS_METADATA_LOGO}",
                "width": NEWS_METADATA_LOGO_SIZE[0],
                "height": NEWS_METADATA_LOGO_SIZE[1],
            },
        },
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in getattr(article, "tags", [])],
    }
    if not data["description"]:
        del data["description"]
    corrections = _corrections(article)
    if corrections:
        data["correction"] = corrections
    return data


def breadcrumbs(article, site_url: str) -> dict:
    trail = [
        ("Trang chủ", f"{site_url}/"),
        (article.category.name, f"{site_url}/{article.category.url}"),
    ]
    trail.append((article.title, f"{site_url}/{article.url}"))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def build_meta(article, site_url: str, site_name: str, summary_text: str) -> NewsMeta:
    url = f"{site_url}/{article.url}"
    modified = getattr(article, "modified", None) or article.date
    properties = [
        ("og:type", "article"),
        ("og:site_name", site_name),
        ("og:locale", "vi_VN"),
        ("og:title", article.title),
        ("og:description", summary_text),
        ("og:url", url),
        ("article:published_time", format_datetime(article.date)),
        ("article:modified_time", format_datetime(modified)),
        ("article:section", article.category.name),
    ]
    properties += [("article:author", author.name) for author in article.authors]
    properties += [("article:tag", tag.name) for tag in getattr(article, "tags", [])]
    image_url, image = _social_image(article, site_url, site_name)
    properties += [
        ("og:image", image_url),
        ("og:image:width", str(image.width)),
        ("og:image:height", str(image.height)),
        ("og:image:alt", image.alt),
    ]
    names = [("twitter:card", "summary_large_image")]
    names += [("twitter:title", article.title), ("twitter:description", summary_text)]
    names += [("twitter:image", image_url), ("twitter:image:alt", image.alt)]
    documents = [
        news_article(article, site_url, site_name, summary_text),
        breadcrumbs(article, site_url),
    ]
    return NewsMeta(url, [_json(d) for d in documents], properties, names)


def _plain(html: str) -> str:
    """The lead as plain text (its HTML is our own Markdown output: tags and entities only)."""
    return " ".join(unescape(TAGS.sub("", html or "")).split())


def news_meta_filter(settings):
    """`article|news_meta`: an article page's metadata, built as the page renders, so that a
    build keeps none for the thousands of articles whose pages it does not render."""
    config = settings["NEWSROOM"]

    def news_meta(article) -> NewsMeta | None:
        if not isinstance(article, Article):
            return None
        summary = _plain(article.metadata.get("summary", ""))
        return build_meta(article, config.site_url, config.site_name, summary)

    return news_meta


def add_filter(generator) -> None:
    generator.env.filters["news_meta"] = news_meta_filter(generator.settings)


def register() -> None:
    signals.generator_init.connect(add_filter)
