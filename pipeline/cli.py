"""The `newsroom` command: parse arguments, call one library function, map errors.

Every user error is one line on stderr and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import NoReturn

from . import desk_index
from .build import build_site
from .cli_intake import add_commands as add_intake_commands
from .cli_workflow import add_commands
from .config import load_config
from .errors import NewsroomError
from .failure_lines import failure


def _cmd_build(args: argparse.Namespace) -> int:
    release = build_site(args.root, given_actor=args.actor)
    print(f"Đã dựng trang: {release}")
    return 0


def _cmd_config(args: argparse.Namespace) -> int:
    config = load_config(args.root)
    print(f"newsroom.toml hợp lệ: {len(config.sections)} chuyên mục, {len(config.staff)} nhân sự")
    return 0


# argparse's own messages, in Vietnamese (matched once formatted: its gettext catalogue has no
# Vietnamese, and patching its module-wide `_` would change every parser in the process).
ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", r"thiếu tham số bắt buộc: \1"),
    (r"unrecognized arguments: (.*)", r"tham số không nhận ra: \1"),
    (r"one of the arguments (.*) is required", r"cần một trong các tham số \1"),
    (r"argument (.*?): invalid choice: (.*) \(choose from (.*)\)", r"\1: không có \2 (chọn \3)"),
    (r"argument (.*?): expected one argument", r"\1 cần một giá trị"),
    (r"argument (.*?): expected at least one argument", r"\1 cần ít nhất một giá trị"),
    (r"argument (.*?): not allowed with argument (.*)", r"\1 không dùng cùng \2"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"\1: giá trị \3 không hợp lệ"),
    (r"argument (.*?): ignored explicit argument (.*)", r"\1 không nhận giá trị \2"),
    (r"ambiguous option: (.*?) could match (.*)", r"tùy chọn \1 không rõ: có thể là \2"),
    (r"argument (.*?): (.*)", r"\1: \2"),  # our own argument types' messages are Vietnamese
)


def vietnamese_usage_error(message: str) -> str:
    for english, vietnamese in ARGPARSE_MESSAGES:
        if re.fullmatch(english, message):
            return re.sub(english, vietnamese, message)
    return message


METAVARS = {  # an option's value, by the option's name
    "root": "THƯ_MỤC",
    "section": "CHUYÊN_MỤC",
    "author": "TÁC_GIẢ",
    "encoding": "BẢNG_MÃ",
    "caption": "CHÚ_THÍCH",
    "alt": "MÔ_TẢ",
    "credit": "TÁC_GIẢ_ẢNH",
    "replace": "TÊN_ẢNH",
    "name": "HỌ_TÊN",
    "note": "GHI_CHÚ",
    "reason": "LÝ_DO",
    "correction": "ĐÍNH_CHÍNH",
    "revision": "BẢN",
    "at": "THỜI_ĐIỂM",
    "interval": "GIÂY",
    "actor": "MÃ",
}


class _Help(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse in Vietnamese, with a usage error in one line like every other error
    (subcommands too: they are made of this class)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")

    def add_argument(self, *args, **kwargs):
        """An option's value is named in Vietnamese in usage and help (argparse would show the
        option's English name in capitals: ROOT, SECTION)."""
        takes_value = kwargs.get("action", "store") in ("store", "append")
        if args[0].startswith("-") and takes_value and not {"metavar", "choices"} & kwargs.keys():
            dest = kwargs.get("dest") or args[-1].lstrip("-").replace("-", "_")
            kwargs["metavar"] = METAVARS.get(dest, "GIÁ_TRỊ")
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        shown = vietnamese_usage_error(message)
        self.exit(2, f"{self.prog}: {shown} (xem {self.prog} --help)\n")


def make_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="newsroom", description="Hệ thống xuất bản Báo Biên phòng")
    parser.add_argument("--root", type=Path, default=Path("."), help="thư mục dự án (mặc định: .)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    build = commands.add_parser("build", help="dựng trang công khai vào output/")
    build.add_argument(
        "--as", dest="actor", metavar="MÃ", help="biên tập viên xuất bản (mặc định: $NEWSROOM_USER)"
    )
    build.set_defaults(handler=_cmd_build)
    config = commands.add_parser("config", help="kiểm tra newsroom.toml")
    config.set_defaults(handler=_cmd_config)
    add_commands(commands)
    add_intake_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        if not (args.root / "newsroom.toml").is_file():
            return args.handler(args)  # no project here: nothing is kept (the handler says so)
        with desk_index.kept_in(args.root / desk_index.FOLDER) as index:
            status = args.handler(args)
            if status == 0:
                index.save()  # a command that failed leaves nothing behind
            sys.stdout.flush()  # a closed pipe is found here, not at the interpreter's exit
            return status
    except BrokenPipeError:  # whoever read the output stopped (`| head`): end quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a process ended by SIGPIPE
    except (NewsroomError, OSError, sqlite3.Error) as error:
        line, status = failure(args.root, error)
        print(f"newsroom: {line}", file=sys.stderr)
        return status
    except KeyboardInterrupt:
        print("newsroom: đã dừng theo yêu cầu", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
