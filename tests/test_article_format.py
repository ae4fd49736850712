"""The article format: header fields, body, photos, and the ARTICLE resolver."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pelican.readers import ensure_metadata_list

from pipeline.article import (
    ISO_DATETIME,
    DateOutOfRange,
    format_article,
    format_datetime,
    parse_abbreviations,
    parse_datetime,
    parse_list,
    parse_text,
    read_article,
)
from pipeline.errors import ArticleError, ArticleNotFoundError, SlugCollisionError
from pipeline.figures import FigureExtension, Photo, format_photo, parse_block, parse_photos
from pipeline.resolver import find_slug_collisions, resolve_article
from pipeline.vietnamese import TIMEZONE
from tests.helpers import REPO, SEED_SLUG, write_article

SEED = next((REPO / "content/articles").rglob(f"{SEED_SLUG}/index.md"))


def test_read_article_reads_the_seed_fields():
    article = read_article(SEED)
    assert article.title.startswith("Cụm thi đua số 1 Bộ đội Biên phòng")
    assert article.date == datetime(2022, 11, 28, 7, 0, tzinfo=TIMEZONE)
    assert article.authors == ["Đình Quang", "Vi Toàn"]
    assert article.slug == SEED_SLUG
    assert article.abbreviations["TĐKT"] == "thi đua khen thưởng"
    assert [photo.src for photo in article.photos] == ["anh-giu-cho.jpg"]
    assert article.photos[0].line == article.body_line  # the photo opens the body


def test_parse_text_reports_a_bad_header_line_with_its_number():
    with pytest.raises(ArticleError) as caught:
        parse_text("Title: Bài\nđây không phải trường\n\nThân bài", Path("x/index.md"))
    assert caught.value.line == 2
    assert str(caught.value).startswith("x/index.md:2: ")


def test_parse_text_joins_indented_continuation_lines():
    article = parse_text("Title: Một\n  hai\nSlug: mot\n\nThân", Path("index.md"))
    assert article.title == "Một hai"
    assert article.body.strip() == "Thân"
    assert article.body_line == 5


def test_format_article_round_trips_through_parse_text():
    fields = {"Slug": "a", "Title": "Tiêu đề", "Date": "2023-01-01T07:00:00+07:00", "X_extra": "1"}
    text = format_article(fields, "Thân bài.")
    assert text.splitlines()[0] == "Title: Tiêu đề"  # canonical field order
    assert parse_text(text, Path("index.md")).fields == fields


def test_read_article_rejects_non_utf8_with_line(tmp_path):
    path = tmp_path / "index.md"
    path.write_bytes(b"Title: a\n\nd\xf2ng hai\n")  # a legacy 8-bit byte on line 3
    with pytest.raises(ArticleError, match="UTF-8") as caught:
        read_article(path)
    assert caught.value.line == 3


def test_parse_datetime_requires_time_and_defaults_to_vietnam_zone():
    assert parse_datetime("2022-11-28T07:00") == datetime(2022, 11, 28, 7, tzinfo=TIMEZONE)
    with pytest.raises(ValueError):
        parse_datetime("2022-11-28")


@pytest.mark.parametrize(
    "value",
    [
        "1900-01-01T00:00:00",  # local mean time, +07:06:30
        "1911-04-30T23:59:59",  # the last second before the zone ran on whole minutes
        "1911-04-30T16:59:59+00:00",  # the same moment as seen from UTC
        "0001-01-01T00:00:00+07:00",  # would overflow when moved to another zone
        "2100-01-01T00:00:00+07:00",
        "9999-12-31T23:59:59",
    ],
)
def test_parse_datetime_refuses_a_date_outside_the_range_the_site_can_write_back(value: str):
    with pytest.raises(DateOutOfRange):
        parse_datetime(value)


@pytest.mark.parametrize(
    "value",
    [
        "1911-05-01T00:00:00+07:00",  # the first moment of the range
        "1911-04-30T17:00:00+00:00",  # the same moment, written in UTC
        "1960-06-01T12:00:00",  # a year when Asia/Ho_Chi_Minh was +08:00
        "2099-12-31T23:59:59+07:00",  # the last second of the range
    ],
)
def test_parse_datetime_accepts_every_date_in_range_and_it_is_written_back_readable(value: str):
    moment = parse_datetime(value)
    written = format_datetime(moment)
    assert ISO_DATETIME.match(written)
    assert parse_datetime(written) == moment


def test_parse_text_refuses_a_repeated_field_at_its_second_line():
    text = "Title: Bài hai\nSlug: bai-hai\nTitle: Bài hai tiêu đề (sửa)\n\nThân bài."
    with pytest.raises(ArticleError) as caught:
        parse_text(text, Path("x/index.md"))
    assert caught.value.line == 3
    assert str(caught.value).startswith("x/index.md:3: trường Title lặp lại (đã có ở dòng 1)")


def test_parse_text_refuses_a_list_field_repeated_in_another_case_and_says_to_use_commas():
    with pytest.raises(ArticleError) as caught:
        parse_text("Title: A\nTags: tuần tra\ntags: biên giới\n\nThân", Path("index.md"))
    assert caught.value.line == 3
    assert "dòng 2, cách nhau bằng dấu phẩy" in caught.value.message


def test_parse_abbreviations_reads_pairs_and_ignores_junk():
    assert parse_abbreviations("BĐBP = Bộ đội Biên phòng; junk; ĐBP=Đồn Biên phòng") == {
        "BĐBP": "Bộ đội Biên phòng",
        "ĐBP": "Đồn Biên phòng",
    }


def test_photo_block_parses_alt_caption_and_credit():
    photo = parse_block(
        ["![Tổ tuần tra](a.jpg)", "Tổ tuần tra song phương", "trên đường biên.", "Ảnh: Minh Tuấn"]
    )
    assert photo == Photo(
        "a.jpg", "Tổ tuần tra", "Tổ tuần tra song phương trên đường biên.", "Minh Tuấn"
    )


def test_photo_block_without_credit_keeps_whole_caption():
    photo = parse_block(["![alt](a.jpg)", "Chỉ có chú thích"])
    assert (photo.caption, photo.credit) == ("Chỉ có chú thích", "")


def test_paragraph_with_inline_image_is_not_a_photo():
    assert parse_block(["Văn bản ![alt](a.jpg) giữa đoạn"]) is None


def test_format_photo_round_trips():
    photo = Photo("b.png", "Cột mốc", "Cột mốc 1116", "Vi Toàn")
    assert parse_block(format_photo(photo).split("\n")) == photo


def test_parse_photos_gives_file_lines():
    body = "Đoạn một.\n\n![a](1.jpg)\nChú thích\n\nĐoạn hai.\n\n![b](2.jpg)\nChú thích 2\nẢnh: X"
    assert [(p.src, p.line) for p in parse_photos(body, first_line=11)] == [
        ("1.jpg", 13),
        ("2.jpg", 18),
    ]


def test_figure_extension_renders_figure_with_figcaption_and_credit():
    html = markdown.markdown(
        "Mở đầu.\n\n![Tổ tuần tra](a.jpg)\nTổ tuần tra\nẢnh: Minh Tuấn\n\nKết.",
        extensions=[FigureExtension()],
    )
    assert '<figure class="photo"><img alt="Tổ tuần tra"' in html
    assert '<span class="caption">Tổ tuần tra</span>' in html
    assert '<span class="credit">Ảnh: Minh Tuấn</span>' in html
    assert "<p>![" not in html


def test_resolve_article_accepts_folder_index_and_slug(empty_project):
    content = empty_project / "content"
    path = write_article(empty_project, "bai-mot", datetime(2023, 1, 2, tzinfo=TIMEZONE))
    for argument in (str(path.parent), str(path), "bai-mot"):
        assert resolve_article(argument, content).path == path


def test_resolve_article_unknown_slug_is_a_clear_error(empty_project):
    with pytest.raises(ArticleNotFoundError, match='không tìm thấy bài viết "khong-co"'):
        resolve_article("khong-co", empty_project / "content")


def test_resolve_article_ambiguous_slug_names_both_files(empty_project):
    first = write_article(empty_project, "trung", datetime(2023, 1, 2, tzinfo=TIMEZONE))
    second = write_article(
        empty_project, "trung", datetime(2023, 1, 3, tzinfo=TIMEZONE), folder="khac"
    )
    with pytest.raises(SlugCollisionError) as caught:
        resolve_article("trung", empty_project / "content")
    assert str(first) in str(caught.value) and str(second) in str(caught.value)
    articles = [read_article(first), read_article(second)]
    assert find_slug_collisions(articles) == [("trung", first, second)]


@given(st.text(alphabet=st.sampled_from(list("ab ,;\tĐà"))))
def test_parse_list_splits_authors_and_tags_as_pelican_does(value: str):
    assert parse_list(value) == ensure_metadata_list(value)
