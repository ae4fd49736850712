"""The reporter's intake commands: `new`, `import`, `photo add` and `check`.

Thin handlers: parse arguments, call one library function, print its result.
Errors are NewsroomErrors, which `pipeline.cli.main` turns into one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .article import parse_text
from .check import check_paths
from .new_article import new_article
from .photo_add import add_photo


def _cmd_new(args: argparse.Namespace) -> int:
    print(new_article(args.root, args.title, args.section, args.author))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .importer import import_files  # Word and HTML readers: loaded only to import

    prepared = import_files(
        args.root, args.files, dry_run=args.dry_run, encoding=args.encoding, section=args.section
    )
    for number, article in enumerate(prepared):
        if not args.dry_run:
            print(article.folder / "index.md")
            waiting = [photo.src for photo in parse_text(article.text, article.source).photos
                       if photo.is_local and photo.src not in article.files]  # fmt: skip
            if waiting:
                print(
                    f"  còn {len(waiting)} ảnh chưa có tệp ({', '.join(waiting)}): thêm bằng "
                    f"newsroom photo add {article.folder.name} ẢNH --replace TÊN"
                )
            continue
        if len(prepared) > 1:  # as `head` does: say which file each text comes from
            print(f"{chr(10) if number else ''}==> {article.source} <==")
        print(article.text, end="")
    return 0


def _cmd_photo_add(args: argparse.Namespace) -> int:
    added = add_photo(
        args.root, args.article, args.photo, args.caption, args.alt, args.credit, args.replace
    )
    print(added.photo)
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    report = check_paths(args.root, args.paths)
    for finding in report.findings:
        print(finding.format())
    pages = f" và {report.pages} trang tĩnh" if report.pages else ""
    print(
        f"Đã kiểm tra {report.articles} bài{pages}: {report.errors} lỗi, "
        f"{report.warnings} cảnh báo."
    )
    return 1 if report.failed(args.strict) else 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register the intake subcommands on the `newsroom` parser."""
    new = commands.add_parser("new", help="tạo bài mới từ mẫu")
    new.add_argument("title", metavar="TIÊU_ĐỀ")
    new.add_argument("--section", required=True, help="chuyên mục (tên hoặc slug)")
    new.add_argument(
        "--author", action="append", required=True, help="tác giả (lặp lại cho nhiều tác giả)"
    )
    new.set_defaults(handler=_cmd_new)

    imp = commands.add_parser("import", help="nhập bài từ tệp văn bản, HTML hoặc .docx")
    imp.add_argument("files", nargs="+", type=Path, metavar="TỆP")
    imp.add_argument("--dry-run", action="store_true", help="in Markdown ra, không ghi gì")
    imp.add_argument("--encoding", help="bảng mã: utf-8, utf-16, cp1258, tcvn3, vni")
    imp.add_argument("--section", help="chuyên mục của bài nhập")
    imp.set_defaults(handler=_cmd_import)

    photo = commands.add_parser("photo", help="ảnh của bài")
    photo_commands = photo.add_subparsers(dest="photo_command", required=True, metavar="LỆNH")
    add = photo_commands.add_parser("add", help="thêm ảnh (đã làm sạch) vào bài")
    add.add_argument("article", metavar="BÀI", help="thư mục bài, tệp index.md hoặc slug")
    add.add_argument("photo", type=Path, metavar="ẢNH")
    add.add_argument("--caption", help="chú thích ảnh (bắt buộc, trừ khi dùng --replace)")
    add.add_argument(
        "--alt", help="mô tả ảnh cho người không xem được ảnh (bắt buộc, trừ khi dùng --replace)"
    )
    add.add_argument("--credit", default="", help="tác giả ảnh")
    add.add_argument(
        "--replace", metavar="TÊN_ẢNH", help="điền ảnh vào khối ảnh đã có (ví dụ anh-1.jpg)"
    )
    add.set_defaults(handler=_cmd_photo_add)

    check = commands.add_parser("check", help="kiểm tra bài trước khi gửi duyệt")
    check.add_argument("paths", nargs="*", metavar="ĐƯỜNG_DẪN")
    check.add_argument("--strict", action="store_true", help="cảnh báo cũng tính là lỗi")
    check.set_defaults(handler=_cmd_check)
