"""W202 leaves the paper's house style alone; W203 finds a byline typed into the body."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.check import check_paths
from tests.test_check import clean_article


def findings(root: Path, path: Path, extra: str) -> list[tuple[str, str]]:
    path.write_text(path.read_text("utf-8") + extra, "utf-8")
    return [(f.code, f.message) for f in check_paths(root, [str(path)]).findings]


@pytest.mark.parametrize(
    "extra",
    [
        "\nTheo Nghị định 106/2014/NĐ-CP của Chính phủ.\n",
        "\nThực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị.\n",
        "\nỦy ban nhân dân (UBND) tỉnh ra Quyết định số 123/QĐ-UBND.\n",
        "\nTheo Thông tư 45/2022/TT-BQP.\n",
        "\nTàu kiểm ngư (KN) KN-01 và tàu cảnh sát biển (CSB) CSB-8001 cập cảng.\n",
    ],
    ids=["decree", "directive", "decision", "circular", "ships"],
)
def test_document_and_ship_numbers_are_not_undefined_abbreviations(empty_project: Path, extra: str):
    path = clean_article(empty_project)
    assert findings(empty_project, path, extra) == []


def test_a_sentence_in_capitals_is_not_a_run_of_abbreviations(empty_project: Path):
    path = clean_article(empty_project)
    extra = "\nĐỒN BIÊN PHÒNG HOÀNH MÔ LÀ ĐƠN VỊ ANH HÙNG.\n"
    assert findings(empty_project, path, extra) == []


def test_well_known_international_acronyms_need_no_definition(empty_project: Path):
    path = clean_article(empty_project)
    extra = "\nDịch COVID-19 trong khối ASEAN, lúc 7 giờ GMT.\n"
    assert findings(empty_project, path, extra) == []


@pytest.mark.parametrize(
    ("extra", "terms"),
    [
        ("\nĐồn BPCK Lào Cai nhận văn bản 12/QĐ-BQP.\n", ["BPCK"]),  # a code beside it
        ("\nĐại diện UBND, HĐND, MTTQ xã dự.\n", ["UBND", "HĐND", "MTTQ"]),  # a list
        ("\nĐỒN BPCK LÀO CAI\n\nCán bộ BPCK tuần tra.\n", ["BPCK"]),  # after capitals
    ],
    ids=["beside-a-code", "comma-list", "after-capitals"],
)
def test_abbreviations_beside_codes_lists_and_capitals_are_still_found(
    empty_project: Path, extra: str, terms: list[str]
):
    path = clean_article(empty_project)
    found = findings(empty_project, path, extra)
    assert [code for code, _ in found] == ["W202"] * len(terms)
    assert all(f'"{term}"' in message for term, (_, message) in zip(terms, found, strict=True))


def test_byline_typed_as_last_paragraph_is_one_warning_to_delete_it(empty_project: Path):
    path = clean_article(empty_project, authors="Đình Quang, Vi Toàn")
    found = findings(empty_project, path, "\nĐÌNH QUANG – VI TOÀN\n")
    assert [code for code, _ in found] == ["W203"]
    message = found[0][1]
    assert "Authors" in message and "xóa dòng này" in message and "\n" not in message
    last = path.read_text("utf-8").rstrip("\n").count("\n") + 1
    assert check_paths(empty_project, [str(path)]).findings[0].line == last


@pytest.mark.parametrize(
    ("authors", "extra"),
    [
        ("Đình Quang, Vi Toàn", "\nĐÌNH QUANG – VI TOÀN\n\nĐoạn cuối của bài.\n"),  # not last
        ("Đình Quang", "\nĐÌNH QUANG – VI TOÀN\n"),  # not the Authors
    ],
    ids=["not-last", "other-names"],
)
def test_byline_that_is_not_the_authors_at_the_end_is_no_w203(
    empty_project: Path, authors: str, extra: str
):
    path = clean_article(empty_project, authors=authors)
    assert "W203" not in [code for code, _ in findings(empty_project, path, extra)]
