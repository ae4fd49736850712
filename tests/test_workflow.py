"""The editorial workflow through the real `newsroom` commands: roles, separation of duties,
revisions, rejection, scheduling, identity and staff. No builds here."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.record import Record
from tests.helpers import write_photo
from tests.workflow_helpers import cli, make_newsroom, story, submit_and_approve


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    root = make_newsroom(tmp_path / "site")
    story(root, "tuan-tra-song-bien", "Tổ tuần tra đi dọc sông biên giới.", photo_color="#224466")
    return root


def _err(capsys) -> str:
    return capsys.readouterr().err


def _row(root: Path, slug: str):
    record = Record(load_config(root).record_path)
    try:
        return record.article(slug)
    finally:
        record.close()


def test_approve_by_reporter_refused(newsroom, capsys):
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    assert cli(newsroom, "approve", "tuan-tra-song-bien", "--as", "dinhquang") == 2
    err = _err(capsys)
    assert "chỉ biên tập viên mới được duyệt" in err
    assert len(err.strip().splitlines()) == 1


def test_approve_own_submission_refused(newsroom, capsys):
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "hoa") == 0
    assert cli(newsroom, "approve", "tuan-tra-song-bien", "--as", "hoa") == 2
    assert "không được tự duyệt bài mình đã gửi" in _err(capsys)
    assert _row(newsroom, "tuan-tra-song-bien").state == "submitted"


def test_approve_after_any_own_submission_refused(newsroom, capsys):
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "bientapvien") == 0
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    assert cli(newsroom, "approve", "tuan-tra-song-bien", "--as", "bientapvien") == 2
    assert "không được tự duyệt bài mình đã gửi" in _err(capsys)
    assert _row(newsroom, "tuan-tra-song-bien").state == "submitted"
    assert cli(newsroom, "queue", "--as", "bientapvien") == 0
    assert "tuan-tra-song-bien" not in capsys.readouterr().out
    assert cli(newsroom, "approve", "tuan-tra-song-bien", "--as", "hoa") == 0


def test_page_approval_follows_article_rules(newsroom, capsys):
    page = newsroom / "content" / "pages" / "gioi-thieu.md"
    page.write_text(page.read_text("utf-8") + "\nĐoạn mới.\n", "utf-8")
    assert cli(newsroom, "submit", str(page), "--as", "hoa") == 0
    capsys.readouterr()
    assert cli(newsroom, "queue", "--as", "bientapvien") == 0
    assert "pages/gioi-thieu.md\tchờ duyệt" in capsys.readouterr().out
    assert cli(newsroom, "queue", "--as", "hoa") == 0
    assert "pages/gioi-thieu.md" not in capsys.readouterr().out
    assert cli(newsroom, "approve", "content/pages/gioi-thieu.md", "--as", "hoa") == 2
    assert "không được tự duyệt bài mình đã gửi" in _err(capsys)
    submitted = page.read_text("utf-8")
    page.write_text(submitted + "<script>x()</script>\n", "utf-8")
    assert cli(newsroom, "approve", str(page), "--as", "bientapvien") == 2
    assert 'trang còn lỗi: có mã HTML hoặc liên kết nguy hiểm "<script' in _err(capsys)
    page.write_text(submitted + "Đoạn sửa thêm.\n", "utf-8")
    assert cli(newsroom, "approve", str(page), "--as", "bientapvien") == 2
    assert "trang đã sửa sau khi gửi duyệt (sửa pages/gioi-thieu.md" in _err(capsys)
    assert cli(newsroom, "submit", str(page), "--as", "vitoan") == 0
    assert cli(newsroom, "approve", str(page), "--as", "vitoan") == 2
    assert "chỉ biên tập viên mới được duyệt" in _err(capsys)
    assert cli(newsroom, "approve", str(page), "--as", "bientapvien") == 0
    capsys.readouterr()
    assert cli(newsroom, "history", str(page)) == 0
    assert "bientapvien\tduyệt" in capsys.readouterr().out.splitlines()[-1]
    record = Record(load_config(newsroom).record_path)
    try:
        row = record.page("pages/gioi-thieu.md")
        assert row.state == "approved" and row.approved_by == "bientapvien"
        assert record.load_revision(row.approved_revision).files["index.md"] == page.read_bytes()
    finally:
        record.close()


def test_approve_by_author_refused(newsroom, capsys):
    story(newsroom, "bai-cua-hoa", "Bài do biên tập viên viết.", authors="Lê Thị Hoa, Vi Toàn")
    assert cli(newsroom, "submit", "bai-cua-hoa", "--as", "vitoan") == 0
    assert cli(newsroom, "approve", "bai-cua-hoa", "--as", "hoa") == 2
    assert "không được duyệt bài mình là tác giả" in _err(capsys)
    assert cli(newsroom, "approve", "bai-cua-hoa", "--as", "bientapvien") == 0


@pytest.mark.parametrize(
    "authors",
    ["Vi Toàn; Lê Thị Hoa", "Vi Toàn, Lê  Thị  Hoa", "Vi Toàn, LE THI HOA", "Le Thi Hoa"],
    ids=["semicolons", "spacing", "unaccented-capitals", "unaccented"],
)
def test_approve_refused_to_an_author_however_the_byline_writes_the_name(newsroom, capsys, authors):
    """The site tells authors apart by the slug of their page (/tac-gia/le-thi-hoa/), and
    Pelican splits Authors on semicolons when there is one: so does separation of duties."""
    story(newsroom, "bai-cua-hoa", "Bài do biên tập viên viết.", authors=authors)
    assert cli(newsroom, "submit", "bai-cua-hoa", "--as", "vitoan") == 0
    capsys.readouterr()
    assert cli(newsroom, "queue", "--as", "hoa") == 0
    assert "bai-cua-hoa" not in capsys.readouterr().out
    assert cli(newsroom, "approve", "bai-cua-hoa", "--as", "hoa") == 2
    assert "không được duyệt bài mình là tác giả" in _err(capsys)


def test_approve_changed_after_submission_refused_with_summary(newsroom, capsys):
    folder = newsroom / "content" / "articles" / "2024" / "05" / "tuan-tra-song-bien"
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    write_photo(folder / "anh.jpg", color="#ff0000")
    index = folder / "index.md"
    index.write_text(index.read_text("utf-8") + "\nCâu thêm sau khi gửi.\n", "utf-8")
    assert cli(newsroom, "approve", "tuan-tra-song-bien", "--as", "bientapvien") == 2
    err = _err(capsys)
    assert "bài đã sửa sau khi gửi duyệt" in err
    assert "thay ảnh anh.jpg" in err and "sửa index.md" in err
    assert _row(newsroom, "tuan-tra-song-bien").approved_revision is None


def test_approve_wrong_revision_refused(newsroom, capsys):
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    assert cli(newsroom, "approve", "tuan-tra-song-bien", "--as", "hoa", "--revision", "abc") == 2
    assert "không phải bản đang chờ duyệt" in _err(capsys)


def test_approve_records_exact_revision_and_audit(newsroom, capsys):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    row = _row(newsroom, "tuan-tra-song-bien")
    assert row.approved_revision == row.submitted_revision
    capsys.readouterr()
    assert cli(newsroom, "history", "tuan-tra-song-bien") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[1:3] for line in lines] == [
        ["vitoan", "gửi duyệt"],
        ["bientapvien", "duyệt"],
    ]
    assert all(row.approved_revision[:12] in line for line in lines)


def test_submit_blocked_by_check_errors(newsroom, capsys):
    story(newsroom, "thieu-tom-tat", "Thân bài.", summary="")
    assert cli(newsroom, "submit", "thieu-tom-tat", "--as", "vitoan") == 2
    error = _err(capsys)
    assert "bài còn lỗi" in error and "Summary" in error
    assert _row(newsroom, "thieu-tom-tat") is None


def test_reject_requires_reason_and_reporter_sees_it(newsroom, capsys):
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    assert cli(newsroom, "reject", "tuan-tra-song-bien", "--as", "hoa", "--reason", " ") == 2
    assert "cần --reason" in _err(capsys)
    assert (
        cli(newsroom, "reject", "tuan-tra-song-bien", "--as", "hoa", "--reason", "Thiếu nguồn") == 0
    )
    capsys.readouterr()
    assert cli(newsroom, "queue", "--as", "vitoan") == 0
    assert "bị trả lại — lý do: Thiếu nguồn" in capsys.readouterr().out
    assert cli(newsroom, "status", "tuan-tra-song-bien") == 0
    assert "Thiếu nguồn" in capsys.readouterr().out
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    assert cli(newsroom, "approve", "tuan-tra-song-bien", "--as", "hoa") == 0


def test_queue_shows_editor_only_what_they_may_approve(newsroom, capsys):
    story(newsroom, "bai-cua-hoa", "Bài của Hoa.", authors="Lê Thị Hoa")
    for slug in ("tuan-tra-song-bien", "bai-cua-hoa"):
        assert cli(newsroom, "submit", slug, "--as", "vitoan") == 0
    capsys.readouterr()
    assert cli(newsroom, "queue", "--as", "hoa") == 0
    out = capsys.readouterr().out
    assert "tuan-tra-song-bien\tchờ duyệt" in out and "bai-cua-hoa" not in out


def test_status_after_edit_shows_changed_since_approval(newsroom, capsys):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    index = newsroom / "content" / "articles" / "2024" / "05" / "tuan-tra-song-bien" / "index.md"
    index.write_text(index.read_text("utf-8").replace("sông", "suối"), "utf-8")
    write_photo(index.parent / "anh.jpg", color="#ff0000")
    capsys.readouterr()
    assert cli(newsroom, "status", "tuan-tra-song-bien") == 0
    assert "đã sửa sau khi duyệt" in capsys.readouterr().out
    assert cli(newsroom, "diff", "tuan-tra-song-bien") == 0
    out = capsys.readouterr().out
    assert "-Tổ tuần tra đi dọc sông biên giới." in out
    assert "+Tổ tuần tra đi dọc suối biên giới." in out
    assert "ẢNH: thay ảnh anh.jpg" in out


def test_schedule_needs_approval_and_shows_time(newsroom, capsys):
    assert (
        cli(newsroom, "schedule", "tuan-tra-song-bien", "--as", "hoa", "--at", "2099-01-01 07:00")
        == 2
    )
    assert "chỉ hẹn giờ được bài đã duyệt" in _err(capsys)
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert (
        cli(newsroom, "schedule", "tuan-tra-song-bien", "--as", "hoa", "--at", "2099-01-01 07:00")
        == 0
    )
    capsys.readouterr()
    assert cli(newsroom, "status", "tuan-tra-song-bien") == 0
    assert "hẹn giờ đăng — đăng lúc 2099-01-01T07:00:00+07:00" in capsys.readouterr().out
    assert (
        cli(newsroom, "schedule", "tuan-tra-song-bien", "--as", "hoa", "--at", "2099-13-01 07:00")
        == 2
    )
    assert "không có thật" in _err(capsys)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["submit", "tuan-tra-song-bien"], "chưa rõ ai thực hiện lệnh"),
        (["submit", "tuan-tra-song-bien", "--as", "ai-do"], '"ai-do" không có trong danh sách'),
        (["submit", "khong-co-bai", "--as", "vitoan"], 'không tìm thấy bài viết "khong-co-bai"'),
        (["withdraw", "tuan-tra-song-bien", "--as", "hoa", "--reason", "x"], "chưa được gửi duyệt"),
    ],
)
def test_cli_user_error_is_one_line(newsroom, capsys, monkeypatch, args, message):
    monkeypatch.delenv("NEWSROOM_USER", raising=False)
    assert cli(newsroom, *args) == 2
    err = _err(capsys)
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_identity_from_environment(newsroom, monkeypatch):
    monkeypatch.setenv("NEWSROOM_USER", "vitoan")
    assert cli(newsroom, "submit", "tuan-tra-song-bien") == 0
    assert _row(newsroom, "tuan-tra-song-bien").submitted_by == "vitoan"


def test_staff_add_keeps_comments_and_needs_editor(newsroom, capsys):
    before = (newsroom / "newsroom.toml").read_text("utf-8")
    add_lan = ["staff", "add", "lan", "--name", "Phạm Lan", "--role", "reporter", "--as"]
    assert cli(newsroom, *add_lan, "vitoan") == 2
    assert "chỉ biên tập viên mới được thêm nhân sự" in _err(capsys)
    assert cli(newsroom, *add_lan, "hoa") == 0
    after = (newsroom / "newsroom.toml").read_text("utf-8")
    comments = [line for line in before.splitlines() if line.startswith("#")]
    assert comments == [line for line in after.splitlines() if line.startswith("#")]
    assert [line for line in after.splitlines() if line not in before.splitlines()] == [
        'id = "lan"',
        'name = "Phạm Lan"',
    ]
    capsys.readouterr()
    assert cli(newsroom, "staff", "list") == 0
    assert "lan\tPhạm Lan\tphóng viên" in capsys.readouterr().out


def test_staff_add_first_member_by_anyone(tmp_path, capsys):
    root = make_newsroom(tmp_path / "site")
    config = root / "newsroom.toml"
    text = config.read_text("utf-8")
    config.write_text(text[: text.index("[[staff]]")] + text[text.index("# Site-wide") :], "utf-8")
    assert cli(root, "staff", "add", "tbt", "--name", "Tổng Biên Tập", "--role", "editor") == 0
    assert [m.id for m in load_config(root).staff] == ["tbt"]


@pytest.mark.parametrize("form", ["folder", "index", "slug"])
def test_submit_accepts_folder_index_or_slug(newsroom, form):
    folder = newsroom / "content" / "articles" / "2024" / "05" / "tuan-tra-song-bien"
    argument = {"folder": str(folder), "index": str(folder / "index.md"), "slug": folder.name}[form]
    assert cli(newsroom, "submit", argument, "--as", "vitoan") == 0
    assert _row(newsroom, "tuan-tra-song-bien").state == "submitted"


def test_approve_blocked_by_check_errors(newsroom, capsys):
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 0
    config = newsroom / "newsroom.toml"
    config.write_text(config.read_text("utf-8").replace('"Biên giới"', '"Biên cương"'), "utf-8")
    assert cli(newsroom, "approve", "tuan-tra-song-bien", "--as", "hoa") == 2
    error = _err(capsys)
    assert "bài còn lỗi" in error and 'chuyên mục "Biên giới"' in error
    assert _row(newsroom, "tuan-tra-song-bien").state == "submitted"


def test_withdrawn_article_cannot_be_resubmitted(newsroom, capsys):
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "withdraw", "tuan-tra-song-bien", "--as", "hoa", "--reason", "Sai") == 0
    assert cli(newsroom, "submit", "tuan-tra-song-bien", "--as", "vitoan") == 2
    assert '"tuan-tra-song-bien" đã bị gỡ; gỡ bài là vĩnh viễn' in _err(capsys)


def test_withdraw_names_the_approved_articles_that_link_the_withdrawn_one(newsroom, capsys):
    link = "[bài trước]({filename}/articles/tuan-tra-song-bien/index.md)"
    story(newsroom, "don-bien-phong", f"Tiếp theo {link}, đồn tổ chức họp.")
    story(newsroom, "hop-dan", "Bản duyệt không có liên kết; bản đang sửa có.")
    story(newsroom, "da-go", f"Bài đã gỡ {link}.")
    for slug in ("tuan-tra-song-bien", "don-bien-phong", "hop-dan", "da-go"):
        submit_and_approve(newsroom, slug)
    assert cli(newsroom, "withdraw", "da-go", "--as", "hoa", "--reason", "Trùng bài") == 0
    draft = next((newsroom / "content" / "articles").glob("*/*/hop-dan/index.md"))
    draft.write_text(draft.read_text("utf-8").replace("bản đang sửa có", link), "utf-8")
    capsys.readouterr()

    assert cli(newsroom, "withdraw", "tuan-tra-song-bien", "--as", "hoa", "--reason", "Sai") == 0
    out = capsys.readouterr().out.splitlines()
    # only the approved text counts (not a working copy), and not an article already withdrawn
    assert out[1] == (
        "Lưu ý: 1 bài đang dẫn tới bài này (don-bien-phong); liên kết của chúng sẽ mở trang "
        "thông báo gỡ bài cho đến khi được sửa"
    )


def test_withdraw_of_an_article_nobody_links_says_only_that_it_is_withdrawn(newsroom, capsys):
    story(newsroom, "don-bien-phong", "Đồn tổ chức họp, không dẫn bài nào.")
    for slug in ("tuan-tra-song-bien", "don-bien-phong"):
        submit_and_approve(newsroom, slug)
    capsys.readouterr()
    assert cli(newsroom, "withdraw", "tuan-tra-song-bien", "--as", "hoa", "--reason", "Sai") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Đã gỡ tuan-tra-song-bien; trang sẽ cập nhật ở lần xuất bản tới"
    ]


def test_a_static_page_linking_no_article_is_named_by_check_and_cannot_be_submitted(
    newsroom, capsys
):
    page = newsroom / "content" / "pages" / "gioi-thieu.md"
    text = page.read_text("utf-8")
    page.write_text(text + "\nXem [bài mới]({filename}/articles/khong-co/index.md).\n", "utf-8")
    line = len(text.split("\n")) + 1
    capsys.readouterr()

    assert cli(newsroom, "check", str(page)) == 1
    out = capsys.readouterr().out
    assert f"gioi-thieu.md:{line}: E112 [lỗi]" in out and 'có slug "khong-co"' in out
    assert out.splitlines()[-1] == "Đã kiểm tra 0 bài và 1 trang tĩnh: 1 lỗi, 0 cảnh báo."
    assert cli(newsroom, "submit", "content/pages/gioi-thieu.md", "--as", "vitoan") == 2
    error = _err(capsys).strip()
    assert len(error.splitlines()) == 1 and "trang còn lỗi" in error and f":{line}:" in error

    page.write_text(
        text + "\nXem [bài mới]({filename}/articles/tuan-tra-song-bien/index.md).\n", "utf-8"
    )
    assert cli(newsroom, "check") == 0  # every article and page
    assert "và 4 trang tĩnh: 0 lỗi" in capsys.readouterr().out
    assert cli(newsroom, "submit", "content/pages/gioi-thieu.md", "--as", "vitoan") == 0


def test_a_static_page_that_does_not_exist_is_named_as_a_page(newsroom, capsys):
    for command in (["check"], ["submit", "--as", "vitoan"]):
        assert cli(newsroom, *command, "content/pages/khong-co.md") == 2
        error = _err(capsys).strip()
        assert len(error.splitlines()) == 1
        assert 'không tìm thấy trang tĩnh "content/pages/khong-co.md"' in error


def test_refusals_by_state_read_as_sentences_and_a_withdrawn_article_says_it_is_final(
    newsroom, capsys
):
    story(newsroom, "bai-go", "Bài sẽ bị gỡ.")
    assert cli(newsroom, "approve", "bai-go", "--as", "hoa") == 2
    assert 'bài "bai-go" chưa được gửi duyệt: chỉ duyệt được bài đang chờ duyệt' in _err(capsys)
    submit_and_approve(newsroom, "bai-go")
    assert cli(newsroom, "reject", "bai-go", "--as", "hoa", "--reason", "Sai") == 2
    assert 'bài "bai-go" đã được duyệt: chỉ trả lại được bài đang chờ duyệt' in _err(capsys)
    assert cli(newsroom, "withdraw", "bai-go", "--as", "hoa", "--reason", "Sai sự thật") == 0
    assert cli(newsroom, "withdraw", "bai-go", "--as", "hoa", "--reason", "Lần nữa") == 2
    said = _err(capsys)
    assert 'bài "bai-go" đã bị gỡ; gỡ bài là vĩnh viễn, không gỡ bài được nữa' in said
    assert "chưa từng được duyệt" not in said and "đang đã" not in said


def test_schedule_in_the_past_is_refused_and_keeps_the_articles_time(newsroom, capsys):
    """The publication time dates the article's URL: a past one (a slipped year) would
    publish today's story at /2020/01/01/…, buried in the archive."""
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    args = ["schedule", "tuan-tra-song-bien", "--as", "hoa", "--at", "2020-01-01 07:00"]
    assert cli(newsroom, *args) == 2
    assert "--at 2020-01-01T07:00:00+07:00 đã qua" in _err(capsys)
    record = Record(load_config(newsroom).record_path)
    try:
        assert record.article("tuan-tra-song-bien").publish_at != "2020-01-01T07:00:00+07:00"
        assert [e.action for e in record.history("tuan-tra-song-bien")][-1] == "approve"
    finally:
        record.close()


def test_a_slug_changed_after_submission_is_refused_and_the_old_slug_still_names_its_article(
    newsroom, capsys
):
    """A slug is the article's URL: changing it in the header after submitting would make a
    second article while the first stays approved (and on the site once published)."""
    submit_and_approve(newsroom, "tuan-tra-song-bien")
    assert cli(newsroom, "publish", "--as", "hoa") == 0
    index = newsroom / "content" / "articles" / "2024" / "05" / "tuan-tra-song-bien" / "index.md"
    index.write_text(
        index.read_text("utf-8").replace("Slug: tuan-tra-song-bien", "Slug: tuan-tra-moi"),
        "utf-8",
    )
    capsys.readouterr()
    assert cli(newsroom, "submit", "tuan-tra-moi", "--as", "vitoan") == 2
    said = _err(capsys)
    assert 'đã gửi duyệt với slug "tuan-tra-song-bien"' in said
    assert 'hãy để lại "Slug: tuan-tra-song-bien"' in said and "index.md:" in said
    record = Record(load_config(newsroom).record_path)
    try:
        assert record.article("tuan-tra-moi") is None
    finally:
        record.close()
    # the folder still bears the old slug's name: the record's article is the one it names
    assert cli(newsroom, "withdraw", "tuan-tra-song-bien", "--as", "hoa", "--reason", "Trùng") == 0
    assert "Đã gỡ tuan-tra-song-bien" in capsys.readouterr().out
