"""Abbreviations as <abbr title> at their first use, from the lead onward.

Terms come from the glossary in newsroom.toml and the article's own
`Abbreviations` field (which wins). The lead is read before the body, so a
term defined in the lead is marked there and not again in the body. Captions
and links are not reading flow and are left alone.
"""

from __future__ import annotations

import re
from html import escape

from pelican import signals
from pelican.contents import Article

from pipeline.article import parse_abbreviations

SKIP_PARENTS = {"abbr", "a", "figcaption", "code", "pre", "script", "style"}
TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
TAG_NAME = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")
VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr"}


def _pattern(terms: dict[str, str]) -> re.Pattern[str]:
    """Whole-word matches of the terms as they appear in HTML text (`&` is `&amp;`)."""
    escaped = sorted((escape(term, quote=False) for term in terms), key=len, reverse=True)
    return re.compile(rf"(?<!\w)({'|'.join(re.escape(term) for term in escaped)})(?!\w)")


def mark_first_uses(html: str, pending: dict[str, str]) -> str:
    """Wrap the first use of each pending term in `html`; remove marked terms from `pending`.

    A small tokenizer rather than a full HTML parser: the build runs this on
    every article, and only text outside links, captions and code counts.
    """
    if not pending or not html:
        return html
    by_html = {escape(term, quote=False): term for term in pending}
    pattern = _pattern(pending)
    if not pattern.search(html):
        return html
    open_tags: list[str] = []
    pieces: list[str] = []
    for token in TOKEN.split(html):
        if token.startswith("<"):
            match = TAG_NAME.match(token)
            if match:
                closing, name = match.group(1), match.group(2).lower()
                if closing:
                    if name in open_tags:
                        del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name) :]
                elif name not in VOID and not token.endswith("/>"):
                    open_tags.append(name)
            pieces.append(token)
            continue
        if not pending or SKIP_PARENTS.intersection(open_tags):
            pieces.append(token)
            continue

        def wrap(match: re.Match[str]) -> str:
            term = by_html[match.group(1)]
            if term not in pending:
                return match.group(0)
            title = escape(pending.pop(term), quote=True)
            return f'<abbr title="{title}">{match.group(1)}</abbr>'

        pieces.append(pattern.sub(wrap, token))
    return "".join(pieces)


def mark_article(instance) -> None:
    if not isinstance(instance, Article):
        return
    terms = dict(instance.settings["NEWSROOM"].glossary)
    terms.update(parse_abbreviations(instance.metadata.get("abbreviations", "")))
    summary = instance.metadata.get("summary")
    if summary:
        instance.metadata["summary"] = instance._summary = mark_first_uses(summary, terms)
    instance._content = mark_first_uses(instance._content, terms)


def register() -> None:
    signals.content_object_init.connect(mark_article)
