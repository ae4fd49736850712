"""Slugs are ASCII, Vietnamese-correct, at most 80 characters, cut at a word boundary."""

import pytest

from pipeline.slugs import MAX_LENGTH, is_valid_slug, make_slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đồn Biên phòng Đắk Lắk", "don-bien-phong-dak-lak"),
        ("Ngày 16/9 tại Lạng Sơn", "ngay-16-9-tai-lang-son"),
        ("Quốc phòng – An ninh", "quoc-phong-an-ninh"),
        ("“Xuân Biên phòng ấm lòng dân bản”", "xuan-bien-phong-am-long-dan-ban"),
    ],
)
def test_make_slug_transliterates_vietnamese(title, slug):
    assert make_slug(title) == slug


def test_make_slug_cuts_long_titles_at_a_word_boundary():
    title = (
        "Cụm thi đua số 1 Bộ đội Biên phòng: Tổng kết công tác thi đua khen thưởng "
        "và phong trào thi đua quyết thắng năm 2022"
    )
    slug = make_slug(title)
    assert len(slug) <= MAX_LENGTH
    assert slug == "cum-thi-dua-so-1-bo-doi-bien-phong-tong-ket-cong-tac-thi-dua-khen-thuong-va"
    assert slug.isascii()


def test_is_valid_slug_rejects_uppercase_and_spaces():
    assert is_valid_slug("bien-gioi")
    assert not is_valid_slug("Bien Gioi")
    assert not is_valid_slug("")
