"""Plain text in the newspaper's layout -> lines for `build_draft`.

One paragraph per line, as word processors copy it. Hard-wrapped text (a line
that breaks mid-sentence and goes on in lowercase) is joined back together.
"""

from __future__ import annotations

import re

from .draft import Block

SPACES = re.compile(r"[\s\u200b\u2028\u2029]+")
# Characters that show nothing and mean nothing in an article: controls, noncharacters, soft
# hyphens, bidirectional overrides and isolates, byte-order marks (check refuses most: E114).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\u00ad\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_line(text: str) -> str:
    """One line with its spaces collapsed and control characters removed."""
    return SPACES.sub(" ", CONTROL.sub("", text)).strip()


def continues(previous: str, line: str) -> bool:
    """Whether `line` goes on the sentence `previous` leaves open (a line break mid-sentence)."""
    return bool(previous) and previous[-1] not in '.!?…:;"”)' and line[:1].islower()


def text_blocks(text: str) -> list[Block]:
    """Each paragraph of the text as a Block that knows its first line number."""
    blocks: list[Block] = []
    joinable = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = clean_line(raw)
        if not line:
            joinable = False
            continue
        if joinable and continues(blocks[-1].text, line):
            blocks[-1] = Block(f"{blocks[-1].text} {line}", line=blocks[-1].line)
        else:
            blocks.append(Block(line, line=number))
        joinable = True
    return blocks
