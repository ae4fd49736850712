"""`newsroom check [PATH…]`: editorial lint, one table of rules, findings with a severity.

Each rule looks at one article and yields (line, message) pairs; the runner
turns them into Findings with the rule's code and severity. The caller counts
them: errors fail, and `--strict` makes warnings fail too. Messages are in
Vietnamese, because reporters read them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from . import desk_index
from .article import (
    FIELDS,
    INDEX_NAME,
    REQUIRED,
    Article,
    DateOutOfRange,
    out_of_range,
    parse_datetime,
    read_article,
)
from .article_files import Identity, articles_root, file_identity, index_files, read_with_slug
from .config import Config, load_config
from .conventions import definition_spans, is_abbreviation, parse_byline
from .errors import NewsroomError, PhotoError
from .manifest import ARTICLES_DIR
from .page_files import find_page, page_paths
from .photos import identifying_metadata, open_image
from .resolver import resolve_article, slug_collisions
from .search import SEARCH_DIR
from .slugs import is_valid_slug, make_slug
from .urls import AUTHOR_URL, PELICAN_URLS, SECTION_URL, TAG_URL
from .verify import PHOTOS_DIR
from .vietnamese import is_nfc

ERROR, WARNING = "error", "warning"
SEVERITY_NAMES = {ERROR: "lỗi", WARNING: "cảnh báo"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif", ".tif", ".tiff"}
FIELD_NAMES = {
    "Title": "tiêu đề",
    "Date": "ngày giờ đăng",
    "Section": "chuyên mục",
    "Authors": "tác giả",
    "Summary": "sapo (phần mở đầu)",
}
DANGEROUS_HTML = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|form|input|button|textarea|select|link|meta|"
    r"base|svg|math|frame|frameset|applet)\b|<[^>]*\son[a-z]+\s*=",
    re.IGNORECASE,
)
CODE_SPAN = re.compile(r"`[^`\n]*`")
CODE_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
HEADER_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>?")
DANGEROUS_URL = re.compile(
    r"(?:\]\(\s*<?|(?:href|src|srcset|action|formaction|xlink:href)\s*=\s*[\"']?\s*)"
    r"(?:javascript|vbscript|data)\s*:",
    re.IGNORECASE,
)
# A browser drops tabs and newlines inside a URL and reads "\\" as "/": `/<TAB>/host` is remote.
REMOTE_IMAGE = re.compile(
    r"<\s*(?:img|source)\b[^>]*\b(?:src|srcset)\s*=\s*[\"']?\s*(?:https?:)?[\t\n\r]*[/\\\\][\t\n\r]*[/\\\\]",
    re.I,
)
# Pelican's links to a file of the content: `{static}`/`{attach}` copy it into the site
# as it is; `{filename}` links the page made from it.
FILE_LINK = re.compile(r"[{|](static|attach|filename)[|}]([^\s)\]\"'>]*)")
ROMAN = re.compile(r"^[IVXLCDM]+$")
TOKEN = re.compile(r"(?<![\w-])([^\W\d_][\w-]*\w|[^\W\d_]{2})(?![\w-])")
# Parts joined by "/" or "-": `106/2014/NĐ-CP`, `05-CT/TW`, `KN-01`, `COVID-19`. In
# capitals and with a number among the parts it is a document or ship number, which the
# paper never expands: no part of it is an abbreviation to explain.
CODE = re.compile(r"(?<![\w/-])[^\W_]+(?:[/-][^\W_]+)+(?![\w/-])")
# Well-known international acronyms that the paper prints without explaining them. Keep
# this short: the site's own terms go in the glossary of newsroom.toml.
KNOWN_ACRONYMS = frozenset({"ASEAN", "COVID", "GMT", "GPS", "USD"})
# Words in capitals in a row, `ĐỒN BIÊN PHÒNG HOÀNH MÔ`: a sentence or heading in
# capitals, not abbreviations.
CAPITALS_RUN = 3
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# What the site itself writes at its top level, so no static page's address (`/<slug>/`, or
# its Save_as) may take it: the URL table (pipeline/urls.py), the photos, the search index,
# the sitemaps and robots.txt (plugins/sitemaps), the older pages of the home page
# (plugins/site_writer: `page/N/`) and Pelican's theme files (THEME_STATIC_DIR). Four digits
# are a year: the date archives and the articles (`/2022/…`).
SITE_NAMES = {
    "index.html": "trang chủ",
    "page": "các trang cũ của trang chủ",
    SECTION_URL.split("/")[0]: "trang chuyên mục",
    AUTHOR_URL.split("/")[0]: "trang tác giả",
    TAG_URL.split("/")[0]: "trang chủ đề",
    PELICAN_URLS["FEED_ALL_ATOM"].split("/")[0]: "nguồn tin RSS/Atom",
    PELICAN_URLS["DRAFT_URL"].split("/")[0]: "bản nháp khi xem trước",
    PHOTOS_DIR: "ảnh của các bài",
    SEARCH_DIR: "chỉ mục tìm kiếm",
    "sitemaps": "sơ đồ trang (sitemap)",
    "sitemap.xml": "sơ đồ trang (sitemap)",
    "robots.txt": "tệp robots.txt",
    "theme": "tệp giao diện",
}
YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    code: str
    severity: str
    message: str

    def format(self) -> str:
        severity = SEVERITY_NAMES[self.severity]
        return f"{_shown(self.path)}:{self.line}: {self.code} [{severity}] {self.message}"


@dataclass
class Context:
    config: Config
    collisions: dict[Path, tuple[str, Path]] = field(default_factory=dict)
    slugs: frozenset[str] = frozenset()  # every article's in the working copy
    page: bool = False  # a static page: its address sits at the site's top level


Problems = Iterable[tuple[int, str]]


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _field_line(article: Article, name: str) -> int:
    return article.field_lines.get(name, 1)


def _body_lines(article: Article) -> Iterator[tuple[int, str]]:
    for offset, text in enumerate(article.body.split("\n")):
        yield article.body_line + offset, text


# --- Rules ----------------------------------------------------------------------------------


def missing_fields(article: Article, context: Context) -> Problems:
    for name in REQUIRED:
        if not article.fields.get(name, "").strip():
            yield _field_line(article, name), f"thiếu {FIELD_NAMES[name]}: hãy điền trường {name}"


def bad_dates(article: Article, context: Context) -> Problems:
    for name in ("Date", "Modified"):
        value = article.fields.get(name, "").strip()
        if not value:
            continue
        try:
            parse_datetime(value)
        except DateOutOfRange:
            yield (
                _field_line(article, name),
                out_of_range(f'{name} "{value}"') + "; hãy sửa lại ngày giờ",
            )
        except ValueError:
            yield (
                _field_line(article, name),
                f'{name} "{value}" không đúng dạng ISO có giờ; hãy viết như '
                '"2022-11-28T07:00:00+07:00"',
            )
    event = article.fields.get("Event_date", "").strip()
    if event and not DATE_ONLY.match(event):
        yield _field_line(article, "Event_date"), f'Event_date "{event}" phải có dạng "2022-09-16"'


def unknown_section(article: Article, context: Context) -> Problems:
    section = article.section.strip()
    if section and context.config.section_by_name(section) is None:
        known = ", ".join(s.name for s in context.config.sections)
        yield _field_line(article, "Section"), f'không có chuyên mục "{section}"; hãy chọn: {known}'


def missing_photo_files(article: Article, context: Context) -> Problems:
    folder = article.folder.resolve()
    for photo in article.photos:
        if not photo.is_local:
            yield photo.line, f"ảnh {photo.src} phải là tệp trong thư mục bài, không lấy từ mạng"
            continue
        path = (folder / photo.src).resolve()
        if not path.is_relative_to(folder):
            yield photo.line, f"ảnh {photo.src} phải nằm trong thư mục bài"
        elif not path.is_file():
            yield (
                photo.line,
                f"không tìm thấy tệp ảnh {photo.src}; hãy thêm ảnh bằng "
                f"`newsroom photo add BÀI TỆP_ẢNH --replace {photo.src}` hoặc bỏ khối ảnh",
            )


def photo_words(article: Article, context: Context) -> Problems:
    for photo in article.photos:
        if not photo.caption:
            yield photo.line, f"ảnh {photo.src} thiếu chú thích: hãy viết chú thích dưới dòng ảnh"
        if not photo.alt:
            yield photo.line, f"ảnh {photo.src} thiếu mô tả (alt): hãy viết trong ![…]"


def lead_image(article: Article, context: Context) -> Problems:
    wanted = article.fields.get("Image", "").strip()
    if wanted and wanted not in {photo.src for photo in article.photos}:
        yield _field_line(article, "Image"), f"Image ghi {wanted} nhưng bài không có ảnh này"


def not_nfc(article: Article, context: Context) -> Problems:
    text = article.path.read_text("utf-8")
    for number, line in enumerate(text.split("\n"), start=1):
        if not is_nfc(line):
            yield (
                number,
                "chữ không ở dạng Unicode dựng sẵn (NFC); hãy chạy lại import hoặc gõ lại dòng này",
            )


def raw_html(article: Article, context: Context) -> Problems:
    """Dangerous HTML anywhere: header fields (plain text only) and the body, across lines,
    with entities decoded (`java&#115;cript:`), and images that would load from elsewhere."""
    for name, value in article.fields.items():
        tag = HEADER_TAG.search(html.unescape(value))  # `&lt;script&gt;` is a tag to a feed
        if tag:
            yield (
                _field_line(article, name),
                f'trường {name} có mã HTML "{tag.group(0)}"; hãy chỉ viết chữ',
            )
    body = CODE_BLOCK.sub(_blank_keep_lines, CODE_SPAN.sub(_blank_keep_lines, article.body))
    decoded = html.unescape(body)
    for pattern in (DANGEROUS_HTML, DANGEROUS_URL, REMOTE_IMAGE):
        for match in pattern.finditer(decoded):
            line = article.body_line + decoded.count("\n", 0, match.start())
            found = " ".join(match.group(0).split())[:60]
            yield (line, f'có mã HTML hoặc liên kết nguy hiểm "{found}" trong bài; hãy xóa')


# Header fields of a static page: its title and address (404.md: `Save_as: 404.html`, `Url`),
# whether it is listed (`Status: hidden`) and the template it uses.
PAGE_FIELDS = ("Title", "Slug", "Save_as", "Url", "Status", "Template", "Summary")
PAGE_STATUSES = ("published", "hidden")
PAGE_TEMPLATES = ("page", "search")


def unknown_fields(article: Article, context: Context) -> Problems:
    """Only the fields of the format: Pelican obeys any other (`Url: //other.host/x` would send
    every list's link to the article off the site, `Template`, `Save_as` or `Status` would
    stop every publish)."""
    known = PAGE_FIELDS if context.page else FIELDS
    for name in article.fields:
        if name not in known:
            yield (
                _field_line(article, name),
                f'trường "{name}" không dùng trong {"trang tĩnh" if context.page else "bài"} '
                f"(chỉ dùng: {', '.join(known)}); hãy xóa dòng này",
            )
    if not context.page:
        return
    url = article.fields.get("Url", "")
    if url and (url.startswith("/") or "//" in url or ":" in url or "\\" in url):
        yield (
            _field_line(article, "Url"),
            f'Url "{url}" phải là địa chỉ trong trang, không bắt đầu bằng "/" (ví dụ 404.html)',
        )
    for name, allowed in (("Status", PAGE_STATUSES), ("Template", PAGE_TEMPLATES)):
        value = article.fields.get(name)
        if value is not None and value not in allowed:
            yield (
                _field_line(article, name),
                f'{name} "{value}" không dùng được (chỉ: {", ".join(allowed)}); hãy sửa dòng này',
            )


# Characters nobody can see: C0 controls but tab and newline, and the noncharacters U+FFFE
# and U+FFFF (XML, so the feeds and sitemaps, cannot carry them); the bidirectional overrides
# and isolates, which make text read in another order than it is written; and a byte-order
# mark inside the text (copied from another file).
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\u202a-\u202e\u2066-\u2069\ufeff]"
)


def invisible_characters(article: Article, context: Context) -> Problems:
    text = article.path.read_text("utf-8").removeprefix("\ufeff")  # a file's own BOM is fine
    for number, line in enumerate(text.split("\n"), start=1):
        found = INVISIBLE.search(line.removesuffix("\r"))
        if found:
            yield (
                number,
                f"có ký tự điều khiển không nhìn thấy (U+{ord(found.group()):04X}, cột "
                f"{found.start() + 1}); hãy xóa nó (gõ lại chữ quanh đó)",
            )


def file_links(article: Article, context: Context) -> Problems:
    """`{static}anh.jpg` or `{attach}…` would publish the file itself: an original photo with
    its GPS position and camera data (plugins/sanitize drops such links and fails the build).
    `{filename}` may link another article (its .md file), nothing else."""
    body = CODE_BLOCK.sub(_blank_keep_lines, CODE_SPAN.sub(_blank_keep_lines, article.body))
    decoded = html.unescape(body)
    for match in FILE_LINK.finditer(decoded):
        line = article.body_line + decoded.count("\n", 0, match.start())
        if match.group(1) in ("static", "attach"):
            yield (
                line,
                f'liên kết "{match.group(0)}" sẽ đăng nguyên tệp gốc (ảnh gốc còn vị trí GPS và '
                "thông tin máy ảnh); ảnh chỉ được đăng bằng cú pháp ảnh của bài: hãy xóa liên "
                "kết này",
            )
        else:
            problem = _link_problem(urlsplit(match.group(2)).path, context)
            if problem:
                yield line, f'liên kết "{match.group(0)}" {problem}'


def _link_problem(target: str, context: Context) -> str | None:
    """Why a `{filename}` target would not lead to an article (or a static page) in every
    build; None when it does. Articles are linked by slug, `/articles/<slug>/index.md`: the
    working copy keeps them under year and month, a publish under their slug alone
    (plugins/slugs answers the slug path in both)."""
    parts = target.lstrip("/").split("/")
    if target.startswith("/pages/") and target.endswith(".md"):
        if (context.config.content_path / target.lstrip("/")).is_file():
            return None
        return "không dẫn tới trang tĩnh nào: hãy sửa hoặc xóa liên kết này"
    if target.startswith("/") and len(parts) == 3 and parts[0] == ARTICLES_DIR:
        if parts[2] == "index.md" and parts[1] in context.slugs:
            return None
        if parts[2] == "index.md":
            return f'không dẫn tới bài nào: không có bài nào có slug "{parts[1]}"'
    if not target.endswith(".md"):
        return (
            "không dẫn tới bài nào; {filename} chỉ dùng để dẫn tới bài khác, dạng "
            f"{{filename}}/{ARTICLES_DIR}/<slug>/index.md: hãy sửa hoặc xóa liên kết này"
        )
    slug = parts[-2] if len(parts) >= 2 and parts[-1] == "index.md" else "<slug>"
    return (
        f"sẽ không tìm thấy bài khi xuất bản; hãy dẫn theo slug: "
        f"{{filename}}/{ARTICLES_DIR}/{slug}/index.md"
    )


def _blank_keep_lines(match: re.Match[str]) -> str:
    """Code is shown, not run: blank it out but keep its line breaks for line numbers."""
    return re.sub(r"[^\n]", " ", match.group(0))


def slug_problems(article: Article, context: Context) -> Problems:
    """The Slug's form and uniqueness (Context.collisions); a page's address must also be free."""
    slug = article.slug
    if slug and not is_valid_slug(slug):
        yield (
            _field_line(article, "Slug"),
            f'Slug "{slug}" phải là chữ thường ASCII nối bằng "-", tối đa 80 ký tự',
        )
    if article.path in context.collisions:
        slug, other = context.collisions[article.path]
        what = "bài" if other.name == INDEX_NAME else "trang"
        yield (
            _field_line(article, "Slug"),
            f'slug "{slug}" trùng với {what} {_shown(other)}; hãy đổi Slug',
        )
    if context.page:
        yield from _address_taken(article)


def page_address(page: Article) -> tuple[str, str]:
    """A static page's slug and the file that the build writes it to: plugins/slugs makes a
    missing Slug from the title, and a Save_as field replaces PAGE_SAVE_AS."""
    slug = page.slug or make_slug(page.title)
    saved = page.fields.get("Save_as", "") or PELICAN_URLS["PAGE_SAVE_AS"].format(slug=slug)
    return slug, saved


def _address_taken(page: Article) -> Problems:
    slug, saved = page_address(page)
    top = saved.strip("/").split("/")[0]
    if not slug or not top:  # no Slug, a Title without letters, or Save_as: /
        line = _field_line(page, "Save_as" if page.fields.get("Save_as") else "Slug")
        yield line, "trang không có địa chỉ riêng; hãy ghi Slug (ví dụ `Slug: lich-truc-ban`)"
        return
    what = "lưu trữ bài theo năm" if YEAR.match(top) else SITE_NAMES.get(top)
    if what is None:
        return
    if page.fields.get("Save_as"):
        line, name, change = _field_line(page, "Save_as"), f'Save_as "{saved}"', "Save_as"
    else:
        line, name, change = _field_line(page, "Slug"), f'slug "{slug}"', "Slug"
    yield line, f"{name} trùng với địa chỉ /{top}/ mà trang web dùng cho {what}; hãy đổi {change}"


def missing_credits(article: Article, context: Context) -> Problems:
    for photo in article.photos:
        if not photo.credit:
            yield (
                photo.line,
                f'ảnh {photo.src} thiếu tác giả ảnh: thêm dòng "Ảnh: Tên" sau chú thích',
            )


def _reading_flow(article: Article) -> Iterator[tuple[int, str]]:
    """The lead, then the body without photos and headings: where abbreviations are read."""
    yield _field_line(article, "Summary"), article.summary
    photo_lines: set[int] = set()
    for photo in article.photos:
        number = photo.line
        for offset, text in enumerate(article.body.split("\n")[photo.line - article.body_line :]):
            if not text.strip():
                break
            photo_lines.add(number + offset)
    for number, text in _body_lines(article):
        if number not in photo_lines and not text.lstrip().startswith("#"):
            yield number, CODE_SPAN.sub("", text)


def _abbreviation(token: str) -> bool:
    return is_abbreviation(token) and not ROMAN.match(token)  # XIII is a number


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where a document or ship number stands: `123/QĐ-UBND`, `CSB-8001`."""
    return [
        match.span()
        for match in CODE.finditer(text)
        if match.group() == match.group().upper() and any(c.isdigit() for c in match.group())
    ]


def _capital_spans(text: str) -> list[tuple[int, int]]:
    """Where CAPITALS_RUN or more words in capitals follow each other, parted by spaces only;
    a comma ends the run, so that `UBND, HĐND, MTTQ` stays three abbreviations."""
    spans: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []
    for word in [*re.finditer(r"\S+", text), None]:
        capital = word is not None and any(c.isalpha() for c in word.group())
        capital = capital and word.group() == word.group().upper()
        if capital:
            run.append(word)
        if run and (not capital or word.group()[-1] in ",;"):
            if len(run) >= CAPITALS_RUN:
                spans.append((run[0].start(), run[-1].end()))
            run = []
    return spans


def undefined_abbreviations(article: Article, context: Context) -> Problems:
    seen = set(context.config.glossary) | KNOWN_ACRONYMS
    byline = _trailing_byline(article)
    for number, text in _reading_flow(article):
        if number == byline:
            continue  # W203 tells to delete it
        spans = definition_spans(text)
        skipped = _code_spans(text) + _capital_spans(text)
        for match in TOKEN.finditer(text):
            term = match.group(1)
            if term in seen or not _abbreviation(term):
                continue
            if any(start <= match.start() < end for start, end in skipped):
                continue
            seen.add(term)
            if not any(start < match.start() < end for start, end in spans):
                yield (
                    number,
                    f'chữ viết tắt "{term}" chưa được giải thích ở lần dùng đầu; hãy viết '
                    f'"tên đầy đủ ({term})" hoặc thêm vào bảng chú giải',
                )


def _trailing_byline(article: Article) -> int | None:
    """The line of a byline typed as the last paragraph of the body, `ĐÌNH QUANG – VI TOÀN`,
    when it names the article's Authors (compared as the site does, by their slugs)."""
    lines = [(number, text) for number, text in _body_lines(article) if text.strip()]
    if not lines or not article.authors:
        return None
    number, text = lines[-1]
    byline = parse_byline(text.strip().strip("*_").strip())
    if byline is None:
        return None
    named = sorted(make_slug(name) for name in byline.authors)
    return number if named == sorted(make_slug(name) for name in article.authors) else None


def unknown_places(article: Article, context: Context) -> Problems:
    """A place the gazetteer does not spell so: related articles match places exactly."""
    known = context.config.provinces
    for place in article.places if known else ():
        if place not in known:
            close = [p for p in known if make_slug(p) == make_slug(place)]
            hint = f' (có phải "{close[0]}"?)' if close else ""
            yield (
                _field_line(article, "Places"),
                f'địa danh "{place}" không có trong [gazetteer] của newsroom.toml{hint}; hãy '
                "viết đúng như danh sách để bài được nối với các bài cùng nơi",
            )


def repeated_byline(article: Article, context: Context) -> Problems:
    number = _trailing_byline(article)
    if number is not None:
        yield (
            number,
            "dòng tên tác giả cuối bài sẽ in hai lần: trang lấy tên tác giả từ trường "
            "Authors, hãy xóa dòng này",
        )


Rule = Callable[[Article, Context], Problems]
# code -> (severity, rule). The order here is the order of the report.
RULES: dict[str, tuple[str, Rule]] = {
    "E101": (ERROR, missing_fields),
    "E102": (ERROR, bad_dates),
    "E103": (ERROR, unknown_section),
    "E104": (ERROR, missing_photo_files),
    "E105": (ERROR, photo_words),
    "E106": (ERROR, lead_image),
    "E107": (ERROR, not_nfc),
    "E108": (ERROR, raw_html),
    "E109": (ERROR, slug_problems),
    "E112": (ERROR, file_links),
    "E113": (ERROR, unknown_fields),
    "E114": (ERROR, invisible_characters),
    "W201": (WARNING, missing_credits),
    "W202": (WARNING, undefined_abbreviations),
    "W203": (WARNING, repeated_byline),
    "W204": (WARNING, unknown_places),
}
# What a static page is checked for: it has no dateline, section, photos or byline.
PAGE_RULES = ("E107", "E108", "E109", "E112", "E113", "E114")
# Codes of the findings that are not about an article's text.
UNREADABLE_ARTICLE = "E100"
IMAGE_METADATA = "E110"
BROKEN_IMAGE = "E111"


# What check_image found, by the image file's identity: a photo is decoded once per process
# while it is unchanged (the same file is checked again at approval, or hard-linked into
# several articles).
_image_findings: dict[Identity, list[Finding]] = {}


def check_image(path: Path) -> list[Finding]:
    """An image under content/ must open, and must carry no GPS or camera metadata."""
    found = file_identity(path)
    if found is None:
        return _check_image(path)
    if found not in _image_findings:
        _image_findings[found] = _check_image(path)
    return [replace(finding, path=path) for finding in _image_findings[found]]


def _article_of(image: Path) -> str:
    """The article an image sits beside (its folder), or BÀI where it is in no article."""
    return image.parent.name if (image.parent / INDEX_NAME).is_file() else "BÀI"


def _check_image(path: Path) -> list[Finding]:
    try:
        open_image(path)
        found = identifying_metadata(path)
    except PhotoError as error:
        return [Finding(path, 1, BROKEN_IMAGE, ERROR, error.message)]
    if not found:
        return []
    return [
        Finding(
            path,
            1,
            IMAGE_METADATA,
            ERROR,
            f"ảnh còn thông tin nhận dạng ({', '.join(found)}); hãy lưu bản sạch bằng "
            f"`newsroom photo add {_article_of(path)} {path} --replace {path.name}` rồi chuyển tệp "
            f"{path.name} này ra khỏi thư mục bài",
        )
    ]


def check_article(article: Article, context: Context) -> list[Finding]:
    findings = []
    for code, (severity, rule) in RULES.items():
        for line, message in rule(article, context):
            findings.append(Finding(article.path, line, code, severity, message))
    return findings


@dataclass
class Report:
    findings: list[Finding]
    articles: int
    pages: int = 0

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def _targets(paths: list[str], content: Path) -> list[Path]:
    """The index.md files named by PATH arguments (folders, index.md files, slugs)."""
    if not paths:
        return [Path(path) for path in index_files(articles_root(content), resolve_links=True)]
    found: list[Path] = []
    for argument in paths:
        if not argument.strip():
            raise NewsroomError("đường dẫn rỗng; hãy đưa thư mục bài, tệp index.md hoặc slug")
        path = Path(argument).resolve()  # the same spelling as content/'s own paths
        if path.is_dir() and not (path / INDEX_NAME).is_file():
            inside = [Path(index) for index in index_files(str(path))]
            if not inside:
                raise NewsroomError(f"thư mục không chứa bài viết nào ({INDEX_NAME})", path)
            found += inside
        elif path.is_dir() or (path.name == INDEX_NAME and path.is_file()):
            found.append(path / INDEX_NAME if path.is_dir() else path)  # read later, as a finding
        else:
            found.append(resolve_article(argument, content).path.resolve())
    return list(dict.fromkeys(found))


def _images(folders: list[Path]) -> list[Path]:
    images: set[Path] = set()
    for folder in folders:
        images |= {p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES}
    return sorted(images)


def _sort(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (str(f.path), f.line, f.code))


def _check_texts(
    config: Config, targets: list[Path]
) -> dict[Path, tuple[Article | None, list[Finding]]]:
    """Each target's article as read and the findings on its text (images aside). Every
    other article under content/articles is looked at too, for the slug check: its slug is
    read again only when its file changed (pipeline.desk_index), so this stays cheap at scale."""
    named = {str(path): path for path in targets}
    every = index_files(articles_root(config.content_path), resolve_links=True)
    checked: dict[Path, tuple[Article | None, list[Finding]]] = {}
    slugs: list[tuple[str, str]] = []
    index = desk_index.current()
    for path in dict.fromkeys([*every, *named]):
        try:
            if path in named:
                article, slug = read_with_slug(path)
            else:
                article, slug = None, index.glance(path).slug
        except NewsroomError as error:
            if path in named:
                finding = Finding(
                    named[path], error.line or 1, UNREADABLE_ARTICLE, ERROR, error.message
                )
                checked[named[path]] = (None, [finding])
            continue
        slugs.append((slug, path))
        if path in named:
            checked[named[path]] = (article, [])
    context = Context(config, slugs=frozenset(slug for slug, _path in slugs))
    for slug, first, second in slug_collisions(slugs):
        context.collisions[Path(second)] = (slug, Path(first))
        context.collisions.setdefault(Path(first), (slug, Path(second)))
    for article, findings in checked.values():
        if article is not None:
            findings += check_article(article, context)
    return checked


def check_paths(root: Path, paths: list[str]) -> Report:
    """Check the named articles and static pages (all of content/ when none) and the images
    beside the articles."""
    config = load_config(root)
    content = config.content_path
    named = {argument: find_page(argument, config.root, content) for argument in paths}
    pages = [page for page in named.values() if page] if paths else page_paths(content)
    articles = [argument for argument, page in named.items() if not page]
    targets = _targets(articles, content) if articles or not paths else []
    findings = [f for _, found in _check_texts(config, targets).values() for f in found]
    for image in _images([content] if not paths else [target.parent for target in targets]):
        findings += check_image(image)
    if pages:
        site = site_slugs(config)
        findings += [finding for page in pages for finding in check_page(page, config, site)]
    return Report(_sort(findings), len(targets), len(pages))


def check_page(path: Path, config: Config, site: SiteSlugs | None = None) -> list[Finding]:
    """A static page's findings (PAGE_RULES); `site`: what the site's other items take
    (site_slugs), looked up once for many pages."""
    try:
        page = read_article(path)
    except NewsroomError as error:
        return [Finding(path, error.line or 1, UNREADABLE_ARTICLE, ERROR, error.message)]
    site = site_slugs(config) if site is None else site
    context = Context(config, slugs=frozenset(site.articles), page=True)
    slug, saved = page_address(page)
    other = site.taken_by(path, slug, saved) if slug else None
    if other is not None:
        context.collisions[page.path] = other
    return _sort(
        [
            Finding(path, line, code, RULES[code][0], message)
            for code in PAGE_RULES
            for line, message in RULES[code][1](page, context)
        ]
    )


@dataclass(frozen=True)
class SiteSlugs:
    """What a static page must not repeat: every article's slug, and every page's slug and
    address, in the working copy."""

    articles: dict[str, Path]  # slug -> its article's index.md (the first, if several)
    pages: dict[Path, tuple[str, str]]  # page file (real path) -> page_address

    def taken_by(self, path: Path, slug: str, saved: str) -> tuple[str, Path] | None:
        """(slug, the file that holds it already) when the page at `path` may not have it."""
        if slug in self.articles:
            return slug, self.articles[slug]
        own = path.resolve()
        for other, (other_slug, other_saved) in self.pages.items():
            if other != own and (other_slug == slug or other_saved == saved):
                return slug, other
        return None


def site_slugs(config: Config) -> SiteSlugs:
    """Every article's slug (from the desk index: cheap at scale) and every page's address."""
    index = desk_index.current()
    articles: dict[str, Path] = {}
    for path in index_files(articles_root(config.content_path), resolve_links=True):
        try:
            articles.setdefault(index.glance(path).slug, Path(path))
        except NewsroomError:
            continue  # an unreadable article: its own check says why
    pages = {}
    for path in page_paths(config.content_path):
        try:
            pages[path.resolve()] = page_address(read_article(path))
        except NewsroomError:
            continue  # an unreadable page: its own check says why
    return SiteSlugs(articles, pages)


@dataclass(frozen=True)
class Checked:
    """One article's findings (text and the images beside it), and its text as checked."""

    article: Article | None  # None: it could not be read (the findings say why)
    findings: list[Finding]


def check_articles(root: Path, targets: list[Path]) -> dict[Path, Checked]:
    """Each article's findings, as `check_paths(root, [target])` gives them one by one, but with
    one look at the whole site for all of them. `targets`: real paths of index.md files."""
    config = load_config(root)
    result = {}
    for target, (article, findings) in _check_texts(config, targets).items():
        for image in _images([target.parent]):
            findings += check_image(image)
        result[target] = Checked(article, _sort(findings))
    return result


def run_checks(article: Article, config: Config) -> list[Finding]:
    """The findings for one article and the images beside it: what submit and approve enforce."""
    return check_paths(config.root, [str(article.path)]).findings
