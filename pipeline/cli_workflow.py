"""The workflow commands of `newsroom`: staff, submit … withdraw, review, publish, backup.

Each handler parses nothing itself: it calls one library function and
prints its result in Vietnamese. `make_parser()` in cli.py calls
`add_commands(subparsers)`. Identity: `--as ID` on each command, or
NEWSROOM_USER.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from . import backup as backups
from . import pages, review, staff, workflow
from . import preview as previews
from . import publish as publishing
from .errors import NewsroomError
from .failure_lines import failure
from .page_files import PAGES_DIR
from .revisions import short
from .workflow import ACTION_LABELS, open_desk, parse_at


def _cmd_staff_add(args) -> int:
    member = staff.add_staff(args.root, args.actor, args.id, args.name, args.role)
    print(f"Đã thêm {member.id}: {member.name} ({ROLE_LABELS[member.role]})")
    return 0


def _cmd_staff_list(args) -> int:
    for member in staff.list_staff(args.root):
        print(f"{member.id}\t{member.name}\t{ROLE_LABELS[member.role]}")
    return 0


def _submit(desk, argument: str, args):
    """An article, or a static page given by its path (content/pages/<name>.md)."""
    page = pages.page_path(desk, argument)
    return pages.submit(desk, page) if page else workflow.submit(desk, argument)


def _approve(desk, argument: str, args):
    page = pages.page_path(desk, argument)
    if page:
        return pages.approve(desk, page, args.revision, args.note, args.correction)
    return workflow.approve(desk, argument, args.revision, args.note, args.correction)


def _say(message: str, row) -> None:
    print(
        message.format(
            slug=row.slug,
            submitted=short(row.submitted_revision),
            approved=short(row.approved_revision),
        ),
        flush=True,
    )


def _on_each(action: Callable, message: str, done: str) -> Callable:
    """A handler for one or more ARTICLE arguments (articles or static pages): the articles are
    checked together, then acted on one by one, one line each. The first failure stops the
    command with its usual one line, naming the article; the ones before it stay done."""

    def handler(args) -> int:
        several = len(args.articles) > 1
        one_only = (getattr(args, "revision", None), getattr(args, "correction", None))
        if several and one_only != (None, None):
            raise workflow.WorkflowError(
                "--revision và --correction chỉ dùng khi duyệt một bài; hãy duyệt từng bài một"
            )
        with open_desk(args.root, args.actor) as desk:
            articles = [a for a in args.articles if several and not pages.page_path(desk, a)]
            with workflow.prechecked(desk, articles) if articles else nullcontext():
                for number, argument in enumerate(args.articles):
                    try:
                        row = action(desk, argument, args)
                    except NewsroomError as error:
                        if several:
                            before = f"; {number} bài trước đó đã {done}" if number else ""
                            error.message += f' (dừng ở "{argument}"{before})'
                        raise
                    _say(message, row)
        return 0

    return handler


def _on_desk(action: Callable, message: str) -> Callable:
    """A handler: open the desk as the acting person, run one workflow action, say what it did."""

    def handler(args) -> int:
        with open_desk(args.root, args.actor) as desk:
            row = action(desk, args)
        _say(message, row)
        return 0

    return handler


def _cmd_withdraw(args) -> int:
    with open_desk(args.root, args.actor) as desk:
        row = workflow.withdraw(desk, args.article, args.reason)
        linking = workflow.linking_to(desk, row.slug)
    _say("Đã gỡ {slug}; trang sẽ cập nhật ở lần xuất bản tới", row)
    if linking:
        print(
            f"Lưu ý: {len(linking)} bài đang dẫn tới bài này ({publishing.some(linking, 5)}); "
            "liên kết của chúng sẽ mở trang thông báo gỡ bài cho đến khi được sửa",
            flush=True,
        )
    return 0


def _show_statuses(items: list[review.Status]) -> None:
    if not items:
        print("Không có bài nào.")
    for item in items:
        row = item.row
        extra = ""
        if item.error:
            extra = f" — {item.error}"
        elif item.state in ("rejected", "withdrawn") and row and row.reason:
            extra = f" — lý do: {row.reason}"
        elif item.state == "scheduled" and row:
            extra = f" — đăng lúc {row.publish_at}"
        elif item.submitted:
            extra = f" — bản {short(item.submitted)}"
        print(f"{item.slug}\t{item.label}{extra}\t{item.title}")


def _cmd_status(args) -> int:
    with open_desk(args.root, args.actor, need_actor=False) as desk:
        _show_statuses(review.statuses(desk, args.article))
    return 0


def _cmd_queue(args) -> int:
    with open_desk(args.root, args.actor) as desk:
        _show_statuses(review.queue(desk))
    return 0


def _cmd_history(args) -> int:
    with open_desk(args.root, args.actor, need_actor=False) as desk:
        for entry in review.history(desk, args.article):
            label = ACTION_LABELS.get(entry.action, entry.action)
            detail = f" — {entry.detail}" if entry.detail else ""
            print(f"{entry.at}\t{entry.actor}\t{label}\t{short(entry.revision)}{detail}")
    return 0


def _cmd_diff(args) -> int:
    with open_desk(args.root, args.actor, need_actor=False) as desk:
        shown = review.diff(desk, args.article)
    if shown.submitted:
        pinned = short(shown.submitted)
        against = (
            f"so với bản đã duyệt {short(shown.approved)}"
            if shown.approved
            else "(chưa có bản nào được duyệt)"
        )
        if shown.moved or shown.unreadable:  # approve refuses then: say what helps instead
            print(f"Bản chờ duyệt {pinned} {against}")
        else:
            print(
                f"Bản chờ duyệt {pinned} {against}; để duyệt đúng bản này: "
                f"newsroom approve {shown.name} --revision {pinned}"
            )
    print(shown.text or "Không có thay đổi so với bản đã duyệt.\n", end="")
    if shown.moved:
        print(
            f"Lưu ý: bản làm việc đã sửa sau bản chờ duyệt ({'; '.join(shown.moved)}); trên đây "
            "là bản chờ duyệt — muốn duyệt bản mới thì phóng viên cần gửi duyệt lại"
        )
    elif shown.unreadable:
        print(
            f"Lưu ý: bản làm việc không đọc được ({shown.unreadable}); trên đây là bản chờ "
            "duyệt, lấy từ sổ biên tập"
        )
    return 0


def _cmd_preview(args) -> int:
    if args.article is not None:
        url = previews.preview_submitted(args.root.resolve(), args.article, args.actor)
        print(f"Bản xem trước: preview/{url}")
    else:
        _target, left_out = previews.preview_working_copy(args.root.resolve())
        print("Bản xem trước (cả bản nháp): preview/")
        if left_out:
            print(_left_out(left_out))
    return 0


def _left_out(left_out: list) -> str:
    """What the working-copy preview left out: article folders by slug, pages by file."""
    articles = [path.name for path in left_out if path.suffix != ".md"]
    pages = [f"{PAGES_DIR}/{path.name}" for path in left_out if path.suffix == ".md"]
    counts = [f"{len(articles)} bài" if articles else "", f"{len(pages)} trang" if pages else ""]
    what = " và ".join(count for count in counts if count)
    names = publishing.some(articles + pages, 5)
    return f"Bỏ qua {what} còn lỗi ({names}); xem lỗi bằng newsroom check"


# Roles as editors read them (newsroom.toml and --role keep `reporter` and `editor`).
ROLE_LABELS = {"reporter": "phóng viên", "editor": "biên tập viên"}


def _notes(notes: tuple[str, ...]) -> None:
    """Housekeeping a publish or rollback could not do: the site is live, someone should look."""
    for note in notes:
        print(f"newsroom: lưu ý: {note}", file=sys.stderr)


def _cmd_publish(args) -> int:
    at = parse_at(args.at) if args.at is not None else None
    if args.watch:

        def said(error: Exception) -> str:
            return failure(args.root, error)[0]

        publishing.watch(args.root, args.interval, given_actor=args.actor, failure=said)
        return 0
    result = publishing.publish(
        args.root, at, args.actor, args.wait, args.if_due, args.force, args.rebuild
    )
    if isinstance(result, publishing.Skipped):
        print(result.reason)
        return 0
    print(f"Đã xuất bản {result.summary()}: {result.release}")
    _notes(result.notes)
    return 0


def _cmd_rollback(args) -> int:
    done = publishing.rollback(args.root, args.actor, wait=args.wait)
    print(f"Đã quay lại bản phát hành {done.release.name}")
    _notes(done.notes)
    if done.reverted:
        shown = publishing.some(done.reverted, 5)
        print(
            f"Lưu ý: {len(done.reverted)} bài trở lại bản trước khi sửa ({shown}); nếu bản sửa "
            "là đính chính cần giữ, hãy xuất bản lại (newsroom publish) sau khi xử lý điều "
            "khiến phải quay lại"
        )
    if done.removed:
        shown = publishing.some(done.removed, 5)
        print(
            f"Lưu ý: {len(done.removed)} bài rời khỏi trang vì bản phát hành này chưa có "
            f"({shown}); chúng lên lại ở lần xuất bản tới (newsroom publish), trừ bài nào được "
            "gỡ (newsroom withdraw) trước đó"
        )
    if done.withdrawn:
        shown = publishing.some(done.withdrawn, 5)
        print(f"Đã gỡ khỏi trang {len(done.withdrawn)} bài đã có lệnh gỡ ({shown})")
    return 0


def _cmd_backup(args) -> int:
    print(f"Đã sao lưu sổ biên tập vào {backups.backup(args.root, args.file, args.actor)}")
    return 0


def _cmd_restore(args) -> int:
    damaged = backups.restore(args.root, args.file, args.actor, args.force)
    print(f"Đã khôi phục sổ biên tập từ {args.file}")
    if damaged is not None:
        print(f"Sổ hỏng được cất ở {damaged}")
    return 0


def _seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f'"{text}" phải là số giây dương, ví dụ 60')
    return value


def _identity() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--as", dest="actor", metavar="MÃ", help="người thực hiện (mặc định: $NEWSROOM_USER)"
    )
    return parent


def add_commands(subparsers) -> None:
    """Register every workflow command on `newsroom`'s subparsers."""
    who = [_identity()]

    def command(
        name: str, help_text: str, handler: Callable, article=""
    ) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(name, help=help_text, parents=who)
        if article == "required":
            parser.add_argument("article", metavar="BÀI", help="thư mục bài, index.md hoặc slug")
        elif article == "several":
            parser.add_argument(
                "articles",
                metavar="BÀI",
                nargs="+",
                help="thư mục bài, index.md, slug hoặc tệp trang tĩnh; có thể nêu nhiều bài",
            )
        elif article == "optional":
            parser.add_argument(
                "article",
                metavar="BÀI",
                nargs="?",
                help="thư mục bài, index.md hoặc slug (bỏ trống: mọi bài của bản làm việc)",
            )
        parser.set_defaults(handler=handler)
        return parser

    staff_parser = subparsers.add_parser("staff", help="quản lý nhân sự")
    staff_commands = staff_parser.add_subparsers(dest="staff_command", required=True)
    add = staff_commands.add_parser("add", help="thêm nhân sự", parents=who)
    add.add_argument("id", metavar="MÃ")
    add.add_argument("--name", required=True, help="họ tên (bút danh trên bài)")
    add.add_argument(
        "--role",
        required=True,
        choices=("reporter", "editor"),
        help="reporter: phóng viên; editor: biên tập viên",
    )
    add.set_defaults(handler=_cmd_staff_add)
    staff_commands.add_parser("list", help="liệt kê nhân sự").set_defaults(handler=_cmd_staff_list)

    command(
        "submit",
        "gửi bài để duyệt",
        _on_each(_submit, "Đã gửi duyệt {slug} (bản {submitted})", "gửi duyệt"),
        "several",
    )
    approve = command(
        "approve",
        "duyệt bản đã gửi",
        _on_each(_approve, "Đã duyệt {slug} (bản {approved})", "duyệt"),
        "several",
    )
    approve.add_argument(
        "--revision", metavar="HASH", help="bản cần duyệt (mặc định: bản đã gửi; chỉ cho một bài)"
    )
    approve.add_argument("--note", default="", help="ghi chú của biên tập viên")
    approve.add_argument(
        "--correction", metavar="NỘI_DUNG", help="đính chính cho bài đã đăng (chỉ cho một bài)"
    )
    reject = command(
        "reject",
        "trả lại bài, kèm lý do",
        _on_desk(lambda d, a: workflow.reject(d, a.article, a.reason), "Đã trả lại {slug}"),
        "required",
    )
    reject.add_argument("--reason", required=True, help="lý do trả lại")
    schedule = command(
        "schedule",
        "hẹn giờ đăng bài đã duyệt",
        _on_desk(
            lambda d, a: workflow.schedule(d, a.article, parse_at(a.at)), "Đã hẹn giờ đăng {slug}"
        ),
        "required",
    )
    schedule.add_argument("--at", required=True, metavar='"YYYY-MM-DD HH:MM"')
    command(
        "feature",
        "chọn làm bài đinh trang chủ",
        _on_desk(lambda d, a: workflow.feature(d, a.article), "Đã chọn {slug} làm bài đinh"),
        "required",
    )
    withdraw = command("withdraw", "gỡ bài đã đăng", _cmd_withdraw, "required")
    withdraw.add_argument("--reason", required=True, help="lý do gỡ bài")
    command("queue", "việc đang chờ tôi", _cmd_queue)
    command("status", "tình trạng bài", _cmd_status, "optional")
    command("history", "nhật ký của bài", _cmd_history, "required")
    command("diff", "thay đổi so với bản đã duyệt", _cmd_diff, "required")
    command("preview", "xem trước (không đăng)", _cmd_preview).add_argument(
        "article",
        metavar="BÀI",
        nargs="?",
        help="thư mục bài, index.md, slug hoặc tệp trang tĩnh: bản đã gửi duyệt, dựng cùng trang "
        "đang đăng (bỏ trống: mọi bài của bản làm việc)",
    )
    publish = command("publish", "xuất bản các bài đã duyệt đến giờ đăng", _cmd_publish)
    publish.add_argument("--at", metavar='"YYYY-MM-DD HH:MM"', help="xuất bản như ở thời điểm này")
    publish.add_argument("--wait", action="store_true", help="chờ nếu đang có lần xuất bản khác")
    publish.add_argument(
        "--watch", action="store_true", help="chạy liên tục, xuất bản mỗi khi có bài đến giờ"
    )
    publish.add_argument(
        "--if-due", action="store_true", help="chỉ xuất bản khi trang sẽ thay đổi (cho cron)"
    )
    publish.add_argument(
        "--interval",
        type=_seconds,
        default=60,
        help="với --watch: chờ nhiều nhất bấy nhiêu giây giữa hai lần xem (số dương); bài vừa "
        "duyệt, gỡ hay đến giờ hẹn được đăng ngay",
    )
    publish.add_argument(
        "--force", action="store_true", help="xuất bản cả khi mọi bài đang đăng sẽ bị gỡ khỏi trang"
    )
    publish.add_argument(
        "--rebuild",
        action="store_true",
        help="dựng lại cả khi không có gì thay đổi so với trang đang đăng",
    )
    rollback = command("rollback", "quay lại bản phát hành trước", _cmd_rollback)
    rollback.add_argument("--wait", action="store_true", help="chờ nếu đang có lần xuất bản khác")
    command("backup", "sao lưu sổ biên tập", _cmd_backup).add_argument(
        "file", metavar="TỆP", type=Path
    )
    restore = command("restore", "khôi phục sổ biên tập", _cmd_restore)
    restore.add_argument("file", metavar="TỆP", type=Path)
    restore.add_argument(
        "--force",
        action="store_true",
        help="khôi phục cả bản sao lưu cũ hơn sổ (nhật ký và các bài đã gỡ vẫn được giữ)",
    )
