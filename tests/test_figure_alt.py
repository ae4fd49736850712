"""Alt text with brackets survives the photo convention: written, read back and rendered."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from pipeline.figures import FigureExtension, Photo, format_photo, parse_block

ONE_LINE = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda text: text.strip() == text)


@given(alt=ONE_LINE)
def test_any_one_line_alt_text_round_trips_through_the_photo_convention(alt: str):
    photo = Photo("anh-1.jpg", alt, "Chú thích.", "Vi Toàn")
    assert parse_block(format_photo(photo).split("\n")) == photo


def test_alt_text_with_brackets_renders_as_a_figure_with_that_alt():
    alt = "Bản đồ [minh họa] khu vực a](http://x)"
    block = format_photo(Photo("ban-do.jpg", alt, "Bản đồ khu vực tuần tra.", "Vi Toàn"))
    html = markdown.markdown(f"Mở đầu.\n\n{block}\n\nKết.", extensions=[FigureExtension()])
    soup = BeautifulSoup(html, "html.parser")
    figure = soup.select_one("figure.photo")
    assert figure is not None
    assert figure.img["alt"] == alt and figure.img["src"] == "ban-do.jpg"
    assert len(soup.find_all("img")) == 1 and soup.find("a") is None  # no link made of the alt
