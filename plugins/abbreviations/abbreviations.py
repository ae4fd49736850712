"""Abbreviations as <abbr title> at their first use, from the lead onward.

Terms come from the glossary in newsroom.toml and the article's own
`Abbreviations` field (which wins). The lead is read before the body, so a
term defined in the lead is marked there and not again in the body. Captions
and links are not reading flow and are left alone.
"""

from __future__ import annotations

import re
from html import unescape

from bs4 import BeautifulSoup, NavigableString
from pelican import signals
from pelican.contents import Article

from pipeline.article import parse_abbreviations

SKIP_PARENTS = {"abbr", "a", "figcaption", "code", "pre", "script", "style"}


def _pattern(terms: dict[str, str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)")


def mark_first_uses(html: str, pending: dict[str, str]) -> str:
    """Wrap the first use of each pending term in `html`; remove marked terms from `pending`."""
    if not pending or not html:
        return html
    if not _pattern(pending).search(unescape(html)):  # `PCMT&TP` is `PCMT&amp;TP` in HTML
        return html
    soup = BeautifulSoup(html, "html.parser")
    for node in list(soup.find_all(string=True)):
        if not pending:
            break
        if any(parent.name in SKIP_PARENTS for parent in node.parents):
            continue
        text = str(node)
        pieces: list = []
        position = 0
        for match in _pattern(pending).finditer(text):
            term = match.group(1)
            if term not in pending:
                continue
            pieces.append(text[position : match.start()])
            abbr = soup.new_tag("abbr", attrs={"title": pending.pop(term)})
            abbr.string = term
            pieces.append(abbr)
            position = match.end()
        if pieces:
            pieces.append(text[position:])
            for piece in pieces:
                node.insert_before(NavigableString(piece) if isinstance(piece, str) else piece)
            node.extract()
    return str(soup)


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
