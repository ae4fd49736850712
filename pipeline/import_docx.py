"""A Word document (.docx) -> HTML with mammoth, then the HTML import; images kept in memory.

Embedded images come back as bytes keyed by a file name, so the importer can
clean and store them exactly as `photo add` does.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import mammoth

from .draft import Block, Hints
from .errors import ArticleError
from .import_html import html_blocks

# Word's own "Title" paragraph style is the article's title, its "Caption" style a caption.
STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='Caption'] => p.caption:fresh"
# An article with its photos unpacks to a few MB; a ZIP that claims more is refused before
# anything reads it (a 434 KB file unpacking to 150 MB of XML took 2.9 GB and then failed).
MAX_UNPACKED = 200 * 2**20
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}


def _unpacked_size(data: bytes) -> int:
    """How large the document's parts are once unpacked (what its ZIP says), 0 if not a ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return 0  # mammoth says what is wrong with it


def docx_html(data: bytes, source: Path) -> tuple[str, dict[str, bytes]]:
    """The document as HTML, and its images by the `src` that the HTML gives them."""
    unpacked = _unpacked_size(data)
    if unpacked > MAX_UNPACKED:
        raise ArticleError(
            f"tệp .docx giải nén ra {unpacked // 2**20} MB, quá lớn cho một bài (tối đa "
            f"{MAX_UNPACKED // 2**20} MB); hãy bỏ bớt ảnh hoặc lưu lại bằng Word",
            source,
        )
    images: dict[str, bytes] = {}

    def keep_image(image) -> dict[str, str]:
        extension = EXTENSIONS.get(image.content_type, "bin")
        name = f"anh-{len(images) + 1}.{extension}"
        with image.open() as stream:
            images[name] = stream.read()
        attributes = {"src": name}
        if image.alt_text:
            attributes["alt"] = image.alt_text
        return attributes

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(keep_image),
        )
    except Exception as error:
        if isinstance(error, zipfile.BadZipFile):
            error = ValueError("không phải tệp nén ZIP")
        raise ArticleError(
            f"tệp .docx hỏng hoặc không phải Word ({error}); hãy mở bằng Word và lưu lại",
            source,
        ) from None
    return result.value, images


def docx_blocks(data: bytes, source: Path) -> tuple[list[Block], Hints]:
    html, images = docx_html(data, source)
    return html_blocks(html, source, images)
