"""Staff: who may act, and `newsroom staff add/list`, which edits newsroom.toml keeping comments.

On the command line identity is asserted (`--as ID` or NEWSROOM_USER), as
git's author is; every id must be a staff member of newsroom.toml.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import tomlkit

from .config import CONFIG_NAME, ROLES, Config, StaffMember, load_config, validate
from .errors import ConfigError, NewsroomError
from .import_text import clean_line
from .slugs import is_valid_slug
from .vietnamese import nfc

USER_VARIABLE = "NEWSROOM_USER"


class IdentityError(NewsroomError):
    """No identity given, or an id that is not on the staff."""


class PermissionDenied(NewsroomError):
    """The person may not do this (role or separation of duties)."""


def actor_id(given: str | None) -> str | None:
    return given or os.environ.get(USER_VARIABLE) or None


def find_member(config: Config, member_id: str) -> StaffMember | None:
    return next((m for m in config.staff if m.id == member_id), None)


def resolve_actor(config: Config, given: str | None) -> StaffMember:
    """The staff member acting, from `--as` or NEWSROOM_USER; unknown ids are refused."""
    member_id = actor_id(given)
    if not member_id:
        raise IdentityError(
            f"chưa rõ ai thực hiện lệnh; hãy thêm --as MÃ_NHÂN_SỰ hoặc đặt biến {USER_VARIABLE}",
            config.root / CONFIG_NAME,
        )
    member = find_member(config, member_id)
    if member is None:
        raise IdentityError(
            f'"{member_id}" không có trong danh sách nhân sự; hãy dùng "newsroom staff list" '
            "để xem mã đúng",
            config.root / CONFIG_NAME,
        )
    return member


def add_staff(root: Path, given_actor: str | None, member_id: str, name: str, role: str):
    """Append one [[staff]] entry, keeping every comment; the first entry needs no editor.

    The name is a byline, so it is cleaned as `newsroom new` cleans one: NFC, on one line,
    without control characters."""
    config = load_config(root)
    path = config.root / CONFIG_NAME
    name = nfc(clean_line(name))  # one line, as `newsroom new` cleans a byline
    if config.staff:
        actor = resolve_actor(config, given_actor)
        if actor.role != "editor":
            raise PermissionDenied("chỉ biên tập viên mới được thêm nhân sự", path)
    problems = [
        (not is_valid_slug(member_id), 'mã nhân sự phải là chữ thường ASCII, ví dụ "vitoan"'),
        (role not in ROLES, 'vai trò phải là "reporter" hoặc "editor"'),
        (not name, 'họ tên không được rỗng; hãy ghi --name "Họ Tên"'),
        (find_member(config, member_id) is not None, f'mã "{member_id}" đã có'),
    ]
    for failed, message in problems:
        if failed:
            raise ConfigError(message, path)
    text = _insert_entry(path.read_text("utf-8"), member_id, name, role)
    data = tomllib.loads(text)
    if validate(data) or len(data.get("staff", [])) != len(config.staff) + 1:
        raise ConfigError("không thể thêm nhân sự mà vẫn giữ cấu hình hợp lệ", path)
    temporary = path.with_name(f".{CONFIG_NAME}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)
    return StaffMember(member_id, name, role)


def _insert_entry(text: str, member_id: str, name: str, role: str) -> str:
    """The file with one [[staff]] table after the last one, every other byte (comments
    included) unchanged; tomlkit writes the entry, so its strings are quoted correctly."""
    entry = tomlkit.aot()
    entry.append(tomlkit.item({"id": member_id, "name": name, "role": role}))
    block = tomlkit.dumps({"staff": entry}).strip() + "\n"
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip() == "[[staff]]"]
    if not starts:
        return text.rstrip("\n") + "\n\n" + block
    end = starts[-1] + 1
    while end < len(lines) and lines[end].strip() and lines[end].lstrip()[:1] not in "[#":
        end += 1
    return "".join([*lines[:end], "\n", block, *lines[end:]])


def list_staff(root: Path) -> list[StaffMember]:
    return list(load_config(root).staff)
