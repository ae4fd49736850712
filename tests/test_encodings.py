"""Decoding reporters' files: UTF-8/16, Windows-1258, TCVN3 and VNI, always to NFC."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.encodings import (
    decode_text,
    encode_legacy,
    is_vietnamese_syllable,
    vietnamese_score,
)
from pipeline.errors import EncodingError
from tests.intake_support import FIXTURES, SEED_TEXT, cp1258_bytes

SAMPLE = "Bộ đội Biên phòng tỉnh Lạng Sơn tổ chức hội nghị tổng kết năm 2022."
PATH = Path("bai.txt")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16"),
        (SAMPLE.encode("utf-16-be"), "utf-16"),
        (cp1258_bytes(SAMPLE), "cp1258"),
        (encode_legacy(SAMPLE, "vni"), "vni"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16-le", "utf16-be", "cp1258", "vni"],
)
def test_decode_text_detects_encoding(data: bytes, encoding: str):
    decoded = decode_text(data, PATH)
    assert decoded.encoding == encoding
    assert decoded.text == SAMPLE


def test_decode_text_tcvn3_fixture_matches_its_unicode_text():
    decoded = decode_text((FIXTURES / "tcvn3.txt").read_bytes(), PATH)
    assert decoded.encoding == "tcvn3"
    assert decoded.text == (FIXTURES / "tcvn3.expected.txt").read_text("utf-8")


def test_decode_text_vni_fixture_matches_its_unicode_text():
    decoded = decode_text((FIXTURES / "vni.txt").read_bytes(), PATH)
    assert decoded.encoding == "vni"
    assert decoded.text == (FIXTURES / "vni.expected.txt").read_text("utf-8")


@pytest.mark.parametrize(
    ("mojibake", "encoding"),
    [
        # How these encodings look in a Western font: written independently of our tables.
        ("Bé ®éi Biªn phßng tØnh Qu¶ng Ninh", "tcvn3"),
        ("Boä ñoäi Bieân phoøng tænh Quaûng Ninh", "vni"),
    ],
)
def test_decode_text_known_legacy_bytes(mojibake: str, encoding: str):
    expected = "Bộ đội Biên phòng tỉnh Quảng Ninh"
    assert decode_text(mojibake.encode("cp1252"), PATH).text == expected
    # The same text pasted into a UTF-8 editor keeps its look: it is converted too.
    decoded = decode_text(mojibake.encode("utf-8"), PATH)
    assert (decoded.text, decoded.encoding) == (expected, encoding)


def test_decode_text_output_is_nfc():
    decomposed = unicodedata.normalize("NFD", SAMPLE)
    assert decode_text(decomposed.encode("utf-8"), PATH).text == SAMPLE


def test_decode_text_seed_is_utf8():
    decoded = decode_text(SEED_TEXT.read_bytes(), PATH)
    assert decoded.encoding == "utf-8"
    assert vietnamese_score(decoded.text) > 0.99


def test_decode_text_override_wins():
    data = encode_legacy(SAMPLE, "vni")
    assert decode_text(data, PATH, "VNI").text == SAMPLE


def test_decode_text_override_converts_legacy_text_that_detection_refuses():
    # Tây Nguyên names (Đắk, Lắk) are not Vietnamese syllables, so detection refuses the file;
    # naming its encoding is how the reporter gets it in.
    text = "Đắk Lắk, Đắk Nông và Đắk Glei: Bộ đội Biên phòng Đắk Lắk"
    data = encode_legacy(text, "tcvn3")
    with pytest.raises(EncodingError, match="TCVN3"):
        decode_text(data, PATH)
    assert decode_text(data, PATH, "tcvn3").text == text


def test_decode_text_override_that_reads_as_mojibake_is_refused_naming_the_likely_encoding():
    data = encode_legacy("Tiêu đề", "vni") + b"\n" + encode_legacy(SAMPLE, "vni")
    with pytest.raises(EncodingError, match="--encoding") as error:
        decode_text(data, PATH, "cp1258")
    assert "Windows-1258" in error.value.message and "VNI" in error.value.message
    assert error.value.line == 1


def test_decode_text_override_that_cannot_decode_names_encoding():
    with pytest.raises(EncodingError, match="UTF-8"):
        decode_text(cp1258_bytes(SAMPLE), PATH, "utf-8")


def line_two(first: bytes, second: bytes) -> bytes:
    return first + b"\r\n" + second + b"\n"


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (codecs.BOM_UTF8 + line_two(SAMPLE.encode(), b"N\xe9i dung \xe0\xe1"), "UTF-8"),
        ((SAMPLE + "\r\nx").encode("utf-16") + b"\x00\xd8", "UTF-16"),
        ((SAMPLE + "\nHết bài").encode("utf-16-be") + b"\xdc\x00\x00a", "UTF-16"),
        (
            line_two(encode_legacy(SAMPLE, "tcvn3"), b"\x93" + encode_legacy("Tin", "tcvn3")),
            "TCVN3",
        ),
        (line_two(encode_legacy(SAMPLE, "vni"), encode_legacy("Hết", "vni") + b"\x81"), "VNI"),
        (line_two(*(t.encode() for t in ("Bé ®éi Biªn phßng", "“tØnh” Qu¶ng Ninh"))), "TCVN3"),
    ],
    ids=["utf8-bom", "utf16-bom", "utf16-be-no-bom", "tcvn3", "vni", "tcvn3-pasted-in-utf8"],
)
def test_decode_text_refuses_a_byte_its_encoding_lacks_naming_line_and_encoding(
    data: bytes, named: str
):
    with pytest.raises(EncodingError, match=named) as error:
        decode_text(data, PATH)
    assert (error.value.path, error.value.line) == (str(PATH), 2)
    assert "\ufffd" not in error.value.message and "; hãy " in error.value.message


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258", "utf-8", "utf-16"])
def test_decode_text_override_refuses_bytes_outside_the_named_encoding(encoding: str):
    data = codecs.BOM_UTF8 + line_two(b"Tin", "Hết bài \udc81".encode("utf-8", "surrogateescape"))
    if encoding == "utf-16":
        data = "Tin\r\nHết bài".encode("utf-16") + b"\x00\xdc"
    with pytest.raises(EncodingError, match="--encoding") as error:
        decode_text(data, PATH, encoding)
    assert error.value.line == (1 if encoding == "tcvn3" else 2)  # TCVN3 lacks the BOM's BF


def test_decode_text_refuses_replacement_character_already_in_the_file():
    data = line_two(SAMPLE.encode(), "Nội dung \ufffd hỏng".encode())
    with pytest.raises(EncodingError, match="\ufffd") as error:
        decode_text(data, PATH)
    assert error.value.line == 2


def test_decode_text_unknown_encoding_name():
    with pytest.raises(EncodingError, match="koi8"):
        decode_text(b"abc", PATH, "koi8")


def test_decode_text_refuses_garbled_legacy_by_name():
    words = SAMPLE.split()
    mixed = b" ".join(
        encode_legacy(word, "tcvn3") if index % 3 == 2 else encode_legacy(word, "vni")
        for index, word in enumerate(words)
    )
    with pytest.raises(EncodingError, match="VNI") as error:
        decode_text(mixed, PATH)
    assert "không chuyển được chính xác" in error.value.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "rỗng"),
        (b"  \n\n ", "rỗng"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"%PDF-1.4\n", "PDF"),
        (bytes(range(256)) * 4, "nhị phân"),
    ],
    ids=["empty", "blank", "png", "pdf", "binary"],
)
def test_decode_text_refuses_non_text(data: bytes, message: str):
    with pytest.raises(EncodingError, match=message) as error:
        decode_text(data, PATH)
    assert error.value.path == str(PATH)


@pytest.mark.parametrize(
    ("word", "valid"),
    [
        ("Nguyễn", True),
        ("thưởng", True),
        ("khuya", True),
        ("nghiêng", True),
        ("Đoàn", True),
        ("Hµ", False),  # TCVN3 in a Western font
        ("Vieät", False),  # VNI in a Western font
        ("Viờũt", False),  # two tones
        ("café", False),
    ],
)
def test_is_vietnamese_syllable(word: str, valid: bool):
    assert is_vietnamese_syllable(word) is valid


SYLLABLES = (
    "bộ đội biên phòng tỉnh lạng sơn người những được thưởng khuyến nghiêng quốc gia "
    "trường chiến sĩ ấm ức ạ ẵm ẳng ặc ỵ ỷ ỹ ý ỳ uyển huơ khuỷu tuần tra hội nghị Đoàn"
).split()


@given(st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=30))
def test_encode_legacy_round_trips(words: list[str]):
    text = " ".join(words)
    for encoding in ("tcvn3", "vni"):
        assert decode_text(encode_legacy(text, encoding), PATH, encoding).text == text
    upper = text.upper()
    assert decode_text(encode_legacy(upper, "vni"), PATH, "vni").text == upper
