"""Turn the bytes of a reporter's file into NFC text, whatever Vietnamese encoding it uses.

Accepted: UTF-8 (with or without a BOM), UTF-16 and Windows-1258, plus the
legacy 8-bit font encodings TCVN3 (ABC) and VNI, which we convert with our own
tables. A plain UTF-8-then-cp1258 fallback would turn TCVN3 and VNI into
mojibake without any error, so every candidate decoding is scored by how many
of its words are valid Vietnamese syllables, and the best valid one wins. Text
that is recognizably legacy but does not convert cleanly is refused by name.
No decoding puts U+FFFD where a byte cannot be read: such a file is refused,
naming the line of its first bad byte.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import EncodingError
from .vietnamese import nfc

# --- Vietnamese syllables ---------------------------------------------------------------------

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
VOWEL_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
# The vowel nuclei (with their glides) that Vietnamese spelling allows, longest first.
NUCLEI = (
    "iêu oai oay oeo uây uôi uya uyê uyu ươi ươu yêu "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê "
    "a ă â e ê i o ô ơ u ư y"
).split()
SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    rf"(?:{'|'.join(NUCLEI)})"
    r"(?:ch|nh|ng|[cmnpt])?"
)
# BĐBP, TĐKT: abbreviations are not syllables, and no mojibake looks like them.
ABBREVIATION = re.compile(r"^[A-ZĐ]{2,}$")
# Spaces, ASCII punctuation (markup included) and typographic punctuation end a word; the
# symbols that legacy encodings show as (¸ § ® «) do not, so mojibake stays visible.
WORD_SEPARATORS = re.compile(r"[\s!-/:-@\[-`{-~“”‘’…–—]+")


def is_vietnamese_syllable(word: str) -> bool:
    """True for `Nguyễn`, `thưởng`, `BĐBP`-free words like `Việt`; false for `Hµ` or `Vieät`."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [char for char in decomposed if char in TONE_MARKS]
    if len(tones) > 1:
        return False
    for char in decomposed:
        if unicodedata.combining(char) and char not in TONE_MARKS | VOWEL_MARKS:
            return False
    toneless = nfc("".join(char for char in decomposed if char not in TONE_MARKS))
    return bool(SYLLABLE.fullmatch(toneless))


def _non_ascii_words(text: str) -> list[str]:
    """Words with a non-ASCII letter; markup and ASCII punctuation separate words."""
    return [
        word
        for word in WORD_SEPARATORS.split(text)
        if word and not word.isascii() and not ABBREVIATION.match(word)
    ]


def vietnamese_score(text: str) -> float:
    """Share of the non-ASCII words that are valid Vietnamese syllables (1.0 if there are none)."""
    words = _non_ascii_words(text)
    if not words:
        return 1.0
    return sum(is_vietnamese_syllable(word) for word in words) / len(words)


# --- Legacy tables ----------------------------------------------------------------------------

# TCVN 5712:1993 "VN3" (the ABC fonts): one byte per lowercase letter with its tone;
# uppercase letters with tones do not exist (the uppercase fonts draw these bytes as capitals).
_TCVN3_LETTERS = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

# VNI Windows: a base letter followed by a byte that adds its marks (given here as combining
# characters). The same bytes in their uppercase form (minus 0x20) do the same after capitals.
_VNI_MARKS_LOWER = {
    0xF9: "\u0301", 0xF8: "\u0300", 0xFB: "\u0309", 0xF5: "\u0303", 0xEF: "\u0323",
    0xE2: "\u0302", 0xEA: "\u0306",
    0xE1: "\u0302\u0301", 0xE0: "\u0302\u0300", 0xE5: "\u0302\u0309", 0xE3: "\u0302\u0303",
    0xE4: "\u0302\u0323",
    0xE9: "\u0306\u0301", 0xE8: "\u0306\u0300", 0xFA: "\u0306\u0309", 0xFC: "\u0306\u0303",
    0xEB: "\u0306\u0323",
}  # fmt: skip
_VNI_LETTERS_LOWER = {
    0xF6: "ư", 0xF4: "ơ", 0xF1: "đ", 0xED: "í", 0xEC: "ì", 0xE6: "ỉ", 0xF3: "ĩ", 0xF2: "ị",
}  # fmt: skip
_VNI_MARKS = {**_VNI_MARKS_LOWER, **{b - 0x20: m for b, m in _VNI_MARKS_LOWER.items()}}
_VNI_LETTERS = {
    **_VNI_LETTERS_LOWER,
    **{b - 0x20: letter.upper() for b, letter in _VNI_LETTERS_LOWER.items()},
}
_VOWELS = set("aeiouyAEIOUY")


def _undecodable(encoding: str, data: bytes, index: int) -> UnicodeDecodeError:
    return UnicodeDecodeError(encoding, data, index, index + 1, "byte not in the table")


def _decode_tcvn3(data: bytes, errors: str = "strict") -> str:
    """TCVN3 bytes as text; a byte the table lacks raises, or becomes U+FFFD for scoring."""
    chars = []
    for index, byte in enumerate(data):
        if byte < 0x80:
            chars.append(chr(byte))
        elif byte in _TCVN3_LETTERS:
            chars.append(_TCVN3_LETTERS[byte])
        elif errors == "replace":
            chars.append("\ufffd")
        else:
            raise _undecodable("tcvn3", data, index)
    return nfc("".join(chars))


def _decode_vni(data: bytes, errors: str = "strict") -> str:
    """VNI bytes as text; other bytes are Windows-1252, as VNI fonts draw them."""
    chars: list[str] = []
    for index, byte in enumerate(data):
        previous = chars[-1] if chars else ""
        base = unicodedata.normalize("NFD", previous)[:1]
        if byte in _VNI_MARKS and base in _VOWELS and len(previous) == 1:
            chars[-1] = previous + _VNI_MARKS[byte]
        elif byte in _VNI_LETTERS:
            chars.append(_VNI_LETTERS[byte])
        elif byte < 0x80:
            chars.append(chr(byte))
        else:
            try:
                chars.append(bytes([byte]).decode("cp1252"))
            except UnicodeDecodeError:
                if errors != "replace":
                    raise _undecodable("vni", data, index) from None
                chars.append("\ufffd")
    return nfc("".join(chars))


def _encode_tcvn3(text: str) -> bytes:
    table = {letter: byte for byte, letter in _TCVN3_LETTERS.items()}
    out = bytearray()
    for char in nfc(text):
        if char.isascii():
            out.append(ord(char))
        elif char in table:
            out.append(table[char])
        elif char.lower() in table:  # capitals with tones: the uppercase fonts' convention
            out.append(table[char.lower()])
        else:
            raise ValueError(f"TCVN3 has no code for {char!r}")
    return bytes(out)


def _encode_vni(text: str) -> bytes:
    letters = {letter: byte for byte, letter in _VNI_LETTERS.items()}
    marks = {m: byte for byte, m in _VNI_MARKS.items() if byte >= 0xE0}
    upper_marks = {m: byte for byte, m in _VNI_MARKS.items() if byte < 0xE0}
    out = bytearray()
    for char in nfc(text):
        if char.isascii():
            out.append(ord(char))
            continue
        if char in letters:
            out.append(letters[char])
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, rest = decomposed[0], decomposed[1:]
        if not rest and not base.isalpha():  # punctuation such as – and “”, as in Windows-1252
            punctuation = char.encode("cp1252", errors="replace")
            if punctuation[0] in _VNI_MARKS or punctuation[0] in _VNI_LETTERS:
                raise ValueError(f"VNI has no code for {char!r}")
            out += punctuation
            continue
        if rest[:1] == "\u031b":  # ư, ơ and their tones: the horn letter, then the tone
            base, rest = nfc(base + "\u031b"), rest[1:]
        vowel_mark = "".join(m for m in rest if m in VOWEL_MARKS)
        tone = "".join(m for m in rest if m in TONE_MARKS)
        if base in letters:
            out.append(letters[base])
        elif base.isascii():
            out.append(ord(base))
        else:
            raise ValueError(f"VNI has no code for {char!r}")
        if vowel_mark + tone:
            table = upper_marks if base.isupper() else marks
            if vowel_mark + tone not in table:
                raise ValueError(f"VNI has no code for {char!r}")
            out.append(table[vowel_mark + tone])
    return bytes(out)


def encode_legacy(text: str, encoding: str) -> bytes:
    """Text in TCVN3 or VNI bytes: how the tests make legacy fixtures with our own tables."""
    return {"tcvn3": _encode_tcvn3, "vni": _encode_vni}[encoding](text)


# --- Detection --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decoded:
    text: str  # NFC, with "\n" line ends
    encoding: str  # the name we detected or were told


# A decoder takes the bytes and Python's `errors`: "strict" raises UnicodeDecodeError at the
# first byte the encoding lacks; "replace" (only for scoring candidates) puts U+FFFD there.
Decoder = Callable[[bytes, str], str]


def _codec(name: str) -> Decoder:
    return lambda data, errors="strict": data.decode(name, errors)


def _decode_utf8(data: bytes, errors: str = "strict") -> str:
    return data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors)


# Canonical name -> (decoder, the name reporters know it by).
DECODERS: dict[str, tuple[Decoder, str]] = {
    "utf-8": (_decode_utf8, "UTF-8"),
    "utf-16": (_codec("utf-16"), "UTF-16"),
    "utf-16-le": (_codec("utf-16-le"), "UTF-16"),
    "utf-16-be": (_codec("utf-16-be"), "UTF-16"),
    "cp1258": (_codec("cp1258"), "Windows-1258"),
    "tcvn3": (_decode_tcvn3, "TCVN3 (ABC)"),
    "vni": (_decode_vni, "VNI"),
}
ALIASES = {
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "utf16": "utf-16",
    "windows-1258": "cp1258",
    "cp-1258": "cp1258",
    "tcvn": "tcvn3",
    "abc": "tcvn3",
    "vni-windows": "vni",
}
LEGACY = ("cp1258", "tcvn3", "vni")
GOOD_SCORE = 0.8  # share of valid syllables for a decoding to be believed
LEGACY_HINT = 0.3  # a legacy decoding this good is "recognized" even when we refuse it
MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP hoặc Office",
    b"\x89PNG": "ảnh PNG",
    b"\xff\xd8\xff": "ảnh JPEG",
    b"GIF8": "ảnh GIF",
    b"\xd0\xcf\x11\xe0": "Word đời cũ (.doc)",
}


def canonical_encoding(name: str, path: Path) -> str:
    key = name.strip().lower().replace("_", "-")
    key = ALIASES.get(key, key)
    if key not in DECODERS:
        known = ", ".join(sorted({"utf-8", "utf-16", "cp1258", "tcvn3", "vni"}))
        raise EncodingError(f'không biết bảng mã "{name}"; hãy dùng một trong: {known}', path)
    return key


def _line_count(text: str) -> int:
    """How many lines `text` spans, with every kind of line end counted once."""
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def _line_of_error(error: UnicodeDecodeError) -> int:
    """The line (as the decoded text numbers them) of the first byte that failed."""
    prefix = error.object[: error.start]
    codec = error.encoding if error.encoding.lower().startswith("utf-16") else "latin-1"
    return _line_count(bytes(prefix).decode(codec, errors="replace"))


def _finish(text: str, encoding: str) -> Decoded:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(nfc(text), encoding)


def _strict(data: bytes, name: str, path: Path, problem: str, advice: str) -> str:
    """`data` decoded as `name`; a byte it cannot read is refused, naming its line."""
    try:
        return DECODERS[name][0](data, "strict")
    except UnicodeDecodeError as error:
        bad = bytes(error.object[error.start : error.end]).hex(" ").upper()
        raise EncodingError(
            f"{problem} (byte {bad}); {advice}",
            path,
            _line_of_error(error),
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even_zeros = data[0::2].count(0) / (len(data) // 2)
    odd_zeros = data[1::2].count(0) / (len(data) // 2)
    if odd_zeros > 0.3 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.3 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _refuse_binary(data: bytes, path: Path) -> None:
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            raise EncodingError(
                f"đây là tệp {kind}, không phải văn bản; hãy dùng tệp .txt, .html hoặc .docx", path
            )
    controls = sum(1 for byte in data if byte < 0x20 and byte not in b"\t\n\r\f") + data.count(0x7F)
    if b"\x00" in data or controls > max(2, len(data) // 100):
        raise EncodingError(
            "tệp nhị phân, không phải văn bản; hãy dùng tệp .txt, .html hoặc .docx", path
        )


RESAVE = "hãy sửa chữ hỏng ở dòng này, lưu lại tệp với bảng mã UTF-8 rồi nhập lại"
CONVERT = "hãy chuyển tệp sang Unicode (ví dụ bằng Unikey) rồi nhập lại"


def _reinterpret_as_legacy(text: str) -> bytes | None:
    """UTF-8 text that is TCVN3 or VNI shown in a Western font: the bytes that font showed."""
    try:
        return bytes(ord(c) if ord(c) < 256 else c.encode("cp1252")[0] for c in text)
    except UnicodeEncodeError:
        return None


def _best_legacy(data: bytes, names: tuple[str, ...] = LEGACY) -> tuple[str, float]:
    """The legacy encoding whose reading of `data` has the most Vietnamese syllables.

    Candidates are scored with U+FFFD for the bytes they lack, so a file that is plainly
    TCVN3 but for one stray byte is still recognized, and then refused by name."""
    scored = []
    for name in names:
        text = DECODERS[name][0](data, "replace")
        scored.append((vietnamese_score(text), -names.index(name), name))
    score, _, name = max(scored)
    return name, score


def _first_line_with_bad_word(text: str) -> int | None:
    for number, line in enumerate(text.split("\n"), start=1):
        if not all(is_vietnamese_syllable(word) for word in _non_ascii_words(line)):
            return number
    return None


def _detect(data: bytes, path: Path) -> Decoded:
    if not data.strip():
        raise EncodingError("tệp rỗng; không có gì để nhập", path)
    if data.startswith(codecs.BOM_UTF8):
        problem = "tệp có dấu BOM của UTF-8 nhưng có chỗ không phải UTF-8"
        return _finish(_strict(data, "utf-8", path, problem, RESAVE), "utf-8")
    utf16 = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None
    utf16 = utf16 or _utf16_without_bom(data)
    if utf16:
        problem = "tệp UTF-16 có chỗ hỏng"
        return _finish(_strict(data, utf16, path, problem, RESAVE), "utf-16")
    _refuse_binary(data, path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if vietnamese_score(text) >= 0.5:
            return _finish(text, "utf-8")
        raw = _reinterpret_as_legacy(text)
        if raw is not None:
            name, score = _best_legacy(raw, ("tcvn3", "vni"))
            if score >= GOOD_SCORE:
                problem = f"tệp UTF-8 chứa chữ {DECODERS[name][1]} nhưng có ký tự ngoài bảng mã này"
                return _finish(_strict(raw, name, path, problem, CONVERT), name)
        return _finish(text, "utf-8")
    name, score = _best_legacy(data)
    if score >= GOOD_SCORE:
        problem = f"tệp có vẻ dùng bảng mã {DECODERS[name][1]} nhưng có ký tự ngoài bảng mã này"
        return _finish(_strict(data, name, path, problem, CONVERT), name)
    if score >= LEGACY_HINT and name != "cp1258":
        raise EncodingError(
            f"tệp có vẻ dùng bảng mã {DECODERS[name][1]} nhưng không chuyển được chính xác "
            f"(chỉ {score:.0%} từ hợp lệ); {CONVERT}",
            path,
        )
    raise EncodingError(
        "không nhận ra bảng mã của tệp (không phải UTF-8, UTF-16, Windows-1258, TCVN3 hay VNI); "
        "hãy lưu lại với UTF-8 hoặc chỉ rõ --encoding",
        path,
    )


def _decode_as(data: bytes, path: Path, encoding: str) -> Decoded:
    """`data` in the encoding the reporter named, unless it plainly is another one."""
    name = canonical_encoding(encoding, path)
    label = DECODERS[name][1]
    problem = f"tệp không đọc được bằng bảng mã {label}"
    decoded = _finish(
        _strict(
            data,
            name,
            path,
            problem,
            "hãy bỏ --encoding để tự nhận bảng mã hoặc chỉ rõ bảng mã khác",
        ),
        name,
    )
    score = vietnamese_score(decoded.text)
    if score >= 0.5:
        return decoded
    try:
        detected = _detect(data, path)
    except EncodingError:
        return decoded  # we cannot tell better: the reporter's word stands
    if detected.text == decoded.text or vietnamese_score(detected.text) < GOOD_SCORE:
        return decoded
    raise EncodingError(
        f"đọc bằng bảng mã {label} chỉ có {score:.0%} từ tiếng Việt hợp lệ, còn tệp có vẻ dùng "
        f"{DECODERS[detected.encoding][1]}; hãy bỏ --encoding để tự nhận bảng mã",
        path,
        _first_line_with_bad_word(decoded.text),
    )


def decode_text(data: bytes, path: Path, encoding: str | None = None) -> Decoded:
    """The NFC text of `data`; one EncodingError naming the file if it cannot be read correctly.

    No decoding substitutes U+FFFD for a byte it cannot read, and a file that already holds
    one (its text was damaged before it reached us) is refused too, naming the line."""
    decoded = _decode_as(data, path, encoding) if encoding else _detect(data, path)
    if "\ufffd" in decoded.text:
        line = _line_count(decoded.text[: decoded.text.index("\ufffd")])
        raise EncodingError(
            "tệp có ký tự thay thế \ufffd (chữ đã hỏng từ trước khi nhập); hãy gõ lại chữ đó "
            "trong tệp rồi nhập lại",
            path,
            line,
        )
    return decoded
