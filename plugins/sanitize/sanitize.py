"""Sanitize every article's and page's rendered HTML with an allowlist (nh3).

Reporters write Markdown, which lets raw HTML through; `newsroom check`
refuses the dangerous kinds before submission, and this plugin makes sure
that nothing else can reach a reader: only the tags and attributes our own
Markdown and photo markup produce survive, links may only be http(s),
mailto or site-relative, and images may only load from the site itself (no
request leaves the site). It runs on the content before the other plugins
add their own markup (abbreviations).
"""

from __future__ import annotations

import logging
import re

import nh3
from pelican import signals
from pelican.contents import Content

SANITIZE_TAGS = {
    "p", "br", "hr", "a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark",
    "cite", "q", "abbr", "code", "pre", "blockquote", "span", "div", "h2", "h3", "h4", "h5",
    "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "figure", "figcaption", "picture", "source", "img",
}  # fmt: skip
SANITIZE_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "img": {
        "src",
        "srcset",
        "sizes",
        "alt",
        "width",
        "height",
        "loading",
        "decoding",
        "fetchpriority",
    },
    "source": {"srcset", "sizes", "type", "media"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
SANITIZE_URL_SCHEMES = {"http", "https", "mailto"}
# Pelican's intrasite links that copy a file of the article folder into the site as it is
# (`{static}anh.jpg`, `|attach|anh.jpg`): an original photo with its GPS position and camera
# data. Photos reach readers only as renditions, through the photo syntax.
FILE_LINK = re.compile(r"\s*[{|](static|attach)[|}]")
LOADING_ATTRIBUTES = {("img", "src"), ("img", "srcset"), ("source", "srcset")}

logger = logging.getLogger(__name__)


ASCII_WHITESPACE = re.compile(r"[\t\n\f\r ]")


def _is_remote(url: str) -> bool:
    """Whether a browser would load `url` from another host. It drops tabs and newlines
    anywhere in a URL and reads a backslash as a slash (the URL standard), so `/<TAB>/host`
    and `\\\\host` are remote too."""
    url = ASCII_WHITESPACE.sub("", url).replace("\\", "/").lower()
    return url.startswith(("http:", "https:", "//")) or ":" in url.split("/", 1)[0]


def _keep_local_images(tag: str, attribute: str, value: str) -> str | None:
    """Images load only from the site: a reader's browser never asks another host."""
    if (tag, attribute) not in LOADING_ATTRIBUTES:
        return value
    candidates = [part.strip().split(" ")[0] for part in value.split(",")]
    return None if any(_is_remote(c) for c in candidates if c) else value


def _allowed(refused: list[str]):
    """The attribute filter: images stay local, and a link that would publish a file of the
    article folder as it is (Pelican's `{static}` and `{attach}`) is dropped and noted."""

    def allowed(tag: str, attribute: str, value: str) -> str | None:
        if FILE_LINK.match(value):
            refused.append(value.strip())
            return None
        return _keep_local_images(tag, attribute, value)

    return allowed


def sanitize_html(html: str, refused: list[str] | None = None) -> str:
    """`html` with only our tags and attributes; file links are dropped (and added to
    `refused`, when given)."""
    if not html:
        return html
    return nh3.clean(
        html,
        tags=SANITIZE_TAGS,
        attributes=SANITIZE_ATTRIBUTES,
        url_schemes=SANITIZE_URL_SCHEMES,
        attribute_filter=_allowed(refused if refused is not None else []),
        link_rel=None,
        strip_comments=True,
    )


def sanitize_content(instance) -> None:
    if not isinstance(instance, Content):
        return
    refused: list[str] = []
    instance._content = sanitize_html(instance._content, refused)
    summary = instance.metadata.get("summary")
    if summary:
        instance.metadata["summary"] = instance._summary = sanitize_html(summary, refused)
    if refused:
        logger.error(
            "%s: liên kết %s sẽ đăng nguyên tệp gốc (ảnh gốc còn vị trí GPS và thông tin máy "
            "ảnh); ảnh chỉ được đăng bằng cú pháp ảnh của bài: hãy xóa liên kết này",
            instance.source_path,
            refused[0],
        )


def register() -> None:
    signals.content_object_init.connect(sanitize_content)
