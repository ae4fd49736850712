"""newsroom.toml: declared as a schema, validated once, every bad key reported together.

Both halves read settings only through `load_config`: the CLI, and
`pelicanconf.py` for the build.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from .errors import ConfigError, os_reason
from .slugs import is_valid_slug
from .vietnamese import nfc

CONFIG_NAME = "newsroom.toml"
ROLES = ("reporter", "editor")

# A check takes the raw value and returns an error text (what was expected) or None.
Check = Callable[[Any], str | None]


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "cần một chuỗi không rỗng"
    return None


def _url(value: Any) -> str | None:
    if not isinstance(value, str) or not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", value):
        return "cần một địa chỉ http(s)://…"
    return None


def _clock(value: Any) -> str | None:
    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        return 'cần giờ dạng HH:MM, ví dụ "07:00"'
    return None


def _positive_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return "cần một số nguyên dương"
    return None


def _quality(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        return "cần một số nguyên từ 1 đến 100"
    return None


def _widths(value: Any) -> str | None:
    if (
        not isinstance(value, list)
        or not value
        or any(_positive_int(item) for item in value)
        or value != sorted(set(value))
    ):
        return "cần một danh sách số nguyên dương tăng dần, ví dụ [480, 960, 1600]"
    return None


def _slug(value: Any) -> str | None:
    if not isinstance(value, str) or not is_valid_slug(value):
        return 'cần một slug ASCII chữ thường, ví dụ "bien-gioi"'
    return None


def _role(value: Any) -> str | None:
    if value not in ROLES:
        return 'cần "reporter" hoặc "editor"'
    return None


def _string_table(value: Any) -> str | None:
    if not isinstance(value, dict) or any(
        not isinstance(v, str) or not v.strip() for v in value.values()
    ):
        return 'cần một bảng chữ viết tắt = "nghĩa đầy đủ"'
    return None


def _string_list(value: Any) -> str | None:
    if not isinstance(value, list) or any(not isinstance(v, str) or not v for v in value):
        return "cần một danh sách chuỗi"
    return None


# The schema: table name -> key -> (check, required). Arrays of tables are
# listed in ARRAYS with the key that must be unique across their items.
TABLES: dict[str, dict[str, tuple[Check, bool]]] = {
    "site": {
        "name": (_text, True),
        "tagline": (_text, False),
        "url": (_url, True),
        "language": (_text, False),
        "default_time": (_clock, True),
        "page_size": (_positive_int, False),
        "legal": (lambda v: None if isinstance(v, dict) else "cần một bảng", True),
    },
    "site.legal": {
        "licence": (_text, True),
        "agency": (_text, True),
        "editor_in_chief": (_text, True),
        "address": (_text, True),
        "phone": (_text, False),
        "email": (_text, False),
    },
    "gazetteer": {"provinces": (_string_list, False)},
    "photos": {
        "max_side": (_positive_int, True),
        "widths": (_widths, True),
        "jpeg_quality": (_quality, False),
    },
    "paths": {"record": (_text, True), "releases": (_text, True)},
}
ARRAYS: dict[str, tuple[dict[str, tuple[Check, bool]], str]] = {
    "sections": ({"slug": (_slug, True), "name": (_text, True)}, "slug"),
    "staff": ({"id": (_slug, True), "name": (_text, True), "role": (_role, True)}, "id"),
}
TOP_LEVEL = {"site", "sections", "staff", "glossary", "gazetteer", "photos", "paths"}
REQUIRED_TOP = {"site", "sections", "photos", "paths"}


@dataclass(frozen=True)
class Section:
    slug: str
    name: str


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class Legal:
    licence: str
    agency: str
    editor_in_chief: str
    address: str
    phone: str
    email: str


@dataclass(frozen=True)
class Config:
    root: Path
    site_name: str
    tagline: str
    site_url: str
    language: str
    default_time: time
    page_size: int
    legal: Legal
    sections: tuple[Section, ...]
    staff: tuple[StaffMember, ...]
    glossary: dict[str, str]
    provinces: tuple[str, ...]
    photo_max_side: int
    photo_widths: tuple[int, ...]
    jpeg_quality: int
    record_path: Path
    releases_path: Path

    @property
    def content_path(self) -> Path:
        return self.root / "content"

    def section_by_name(self, name: str) -> Section | None:
        wanted = nfc(name).strip().casefold()
        for section in self.sections:
            if section.name.casefold() == wanted or section.slug == wanted:
                return section
        return None


def _check_table(data: Any, name: str, schema: dict[str, tuple[Check, bool]]) -> list[str]:
    if not isinstance(data, dict):
        return [f"{name}: cần một bảng, nhận được {_describe(data)}"]
    problems = []
    for key, (check, required) in schema.items():
        if key not in data:
            if required:
                problems.append(f"{name}.{key}: thiếu khóa bắt buộc")
            continue
        error = check(data[key])
        if error:
            problems.append(f"{name}.{key}: {error}, nhận được {_describe(data[key])}")
    for key in data:
        if key not in schema:
            problems.append(f"{name}.{key}: khóa không được hỗ trợ")
    return problems


def _check_array(data: Any, name: str, schema: dict, unique: str) -> list[str]:
    if not isinstance(data, list) or not data:
        return [f"{name}: cần ít nhất một mục [[{name}]]"]
    problems: list[str] = []
    seen: set[Any] = set()
    for index, item in enumerate(data, start=1):
        problems += _check_table(item, f"{name}[{index}]", schema)
        if isinstance(item, dict) and unique in item:
            if item[unique] in seen:
                problems.append(f"{name}[{index}].{unique}: trùng giá trị {item[unique]!r}")
            seen.add(item[unique])
    return problems


def _lookup(data: dict[str, Any], dotted: str) -> Any:
    table: Any = data
    for part in dotted.split("."):
        if not isinstance(table, dict) or part not in table:
            return None
        table = table[part]
    return table


def validate(data: dict[str, Any]) -> list[str]:
    """Every problem in the raw TOML data, each naming its key."""
    problems = [f"{key}: thiếu bảng bắt buộc" for key in sorted(REQUIRED_TOP - data.keys())]
    problems += [f"{key}: khóa không được hỗ trợ" for key in data if key not in TOP_LEVEL]
    for name, schema in TABLES.items():
        table = _lookup(data, name)
        if table is not None:  # a missing table is reported by its parent
            problems += _check_table(table, name, schema)
    for name, (schema, unique) in ARRAYS.items():
        if name in data:
            problems += _check_array(data[name], name, schema, unique)
    if "glossary" in data:
        error = _string_table(data["glossary"])
        if error:
            problems.append(f"glossary: {error}")
    return problems


def _build(root: Path, data: dict[str, Any]) -> Config:
    site, legal, photos, paths = data["site"], data["site"]["legal"], data["photos"], data["paths"]
    hour, minute = (int(part) for part in site["default_time"].split(":"))
    return Config(
        root=root,
        site_name=nfc(site["name"]),
        tagline=nfc(site.get("tagline", "")),
        site_url=site["url"].rstrip("/"),
        language=site.get("language", "vi"),
        default_time=time(hour, minute),
        page_size=site.get("page_size", 12),
        legal=Legal(
            licence=nfc(legal["licence"]),
            agency=nfc(legal["agency"]),
            editor_in_chief=nfc(legal["editor_in_chief"]),
            address=nfc(legal["address"]),
            phone=legal.get("phone", ""),
            email=legal.get("email", ""),
        ),
        sections=tuple(Section(s["slug"], nfc(s["name"])) for s in data["sections"]),
        staff=tuple(StaffMember(s["id"], nfc(s["name"]), s["role"]) for s in data.get("staff", [])),
        glossary={nfc(k): nfc(v) for k, v in data.get("glossary", {}).items()},
        provinces=tuple(nfc(p) for p in data.get("gazetteer", {}).get("provinces", [])),
        photo_max_side=photos["max_side"],
        photo_widths=tuple(photos["widths"]),
        jpeg_quality=photos.get("jpeg_quality", 82),
        record_path=root / paths["record"],
        releases_path=root / paths["releases"],
    )


def load_config(root: str | Path = ".") -> Config:
    """Read and validate `newsroom.toml` in `root`; raise one ConfigError naming every bad key."""
    root = Path(root).resolve()
    path = root / CONFIG_NAME
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise ConfigError(
            "không tìm thấy tệp cấu hình; hãy chạy lệnh trong thư mục dự án", path
        ) from None
    except OSError as error:
        raise ConfigError(f"không đọc được tệp cấu hình ({os_reason(error)})", path) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("tệp cấu hình phải là UTF-8", path) from None
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise ConfigError(
            f"cú pháp TOML sai ({error}); hãy sửa dòng này",
            path,
            int(line.group(1)) if line else None,
        ) from None
    problems = validate(data)
    if problems:
        raise ConfigError(
            f"cấu hình không hợp lệ ({len(problems)} lỗi) — " + "; ".join(problems), path
        )
    return _build(root, data)
