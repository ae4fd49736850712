"""Generate the labelled placeholder photo for an article whose real photo is not available.

Usage: python tools/make_placeholder.py OUTPUT.jpg "First label line" ["Second line"]

The image is a neutral grey frame with a crossed box and the label, so that
no reader can take it for a real photo. Needs the DejaVu fonts (Debian's
fonts-dejavu-core) for the Vietnamese diacritics.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
SIZE = (1200, 800)


def make_placeholder(target: Path, lines: list[str]) -> None:
    image = Image.new("RGB", SIZE, "#d9d6cf")
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    margin = 40
    draw.rectangle([margin, margin, width - margin, height - margin], outline="#8c887f", width=6)
    draw.line([margin, margin, width - margin, height - margin], fill="#b9b5ac", width=4)
    draw.line([margin, height - margin, width - margin, margin], fill="#b9b5ac", width=4)
    font = ImageFont.truetype(str(FONT), 54)
    small = ImageFont.truetype(str(FONT), 34)
    box_top = height // 2 - 110
    draw.rectangle(
        [120, box_top, width - 120, box_top + 220], fill="#f4f2ed", outline="#8c887f", width=3
    )
    for index, line in enumerate(lines):
        face = font if index == 0 else small
        text_width = draw.textlength(line, font=face)
        y = box_top + 40 + index * 80
        draw.text(((width - text_width) / 2, y), line, font=face, fill="#3d3a35")
    image.save(target, "JPEG", quality=80, optimize=True, progressive=True)


if __name__ == "__main__":
    make_placeholder(Path(sys.argv[1]), sys.argv[2:])
