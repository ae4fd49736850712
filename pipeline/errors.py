"""Errors that a person can fix.

Each carries the file (and line) it is about, so the CLI can print one line
and exit non-zero without a traceback. Messages are in Vietnamese, because
reporters and editors read them.
"""

from __future__ import annotations

import errno
from pathlib import Path


class NewsroomError(Exception):
    """Base of every user-facing error. `exit_code` is what the CLI returns."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class ConfigError(NewsroomError):
    """newsroom.toml is missing, unreadable or has bad keys."""


class ArticleError(NewsroomError):
    """An article file cannot be read or is malformed."""


class SlugCollisionError(NewsroomError):
    """Two articles (or pages) would publish to the same URL."""


class PhotoError(NewsroomError):
    """A photo is missing, unreadable, or not an allowed image."""


class ArticleNotFoundError(NewsroomError):
    """An ARTICLE argument names no known article."""


class BuildError(NewsroomError):
    """The Pelican build failed; the published site was left untouched."""

    exit_code = 1


class EncodingError(NewsroomError):
    """A file to import is empty, binary, or in an encoding we cannot read correctly."""


# What the operating system says of a failed file operation, in Vietnamese (its own text,
# `strerror`, is English): by errno, the system's own words only for the rare rest.
OS_REASONS = {
    errno.ENOENT: "không có tệp hay thư mục đó",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "đây là thư mục, không phải tệp",
    errno.EACCES: "không có quyền",
    errno.EPERM: "không được phép",
    errno.ENOSPC: "đĩa đầy",
    errno.EDQUOT: "vượt hạn mức đĩa",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EEXIST: "đã có tệp hay thư mục trùng tên",
    errno.ENOTEMPTY: "thư mục không rỗng",
    errno.EIO: "lỗi đọc/ghi đĩa",
    errno.ENAMETOOLONG: "tên quá dài",
    errno.EMFILE: "mở quá nhiều tệp cùng lúc",
    errno.ENFILE: "mở quá nhiều tệp cùng lúc",
    errno.EXDEV: "khác ổ đĩa",
    errno.EBUSY: "tệp đang bận",
    errno.EFBIG: "tệp vượt giới hạn kích thước cho phép",
}


def os_reason(error: OSError) -> str:
    """Why a file operation failed, as a reporter or editor reads it."""
    return OS_REASONS.get(error.errno, error.strerror or str(error))


FILE_TROUBLE = "lỗi đọc/ghi tệp"


def os_problem(error: OSError, path: object = None) -> str:
    """One line for a file operation that failed: where (`path`, else the error's own file),
    why, and what to look at. Not the content's fault: `newsroom check` cannot help."""
    named = path if path is not None else error.filename
    where = f"{named}: " if named else ""
    return (
        f"{where}{FILE_TROUBLE} ({os_reason(error)}); hãy kiểm tra đường dẫn, quyền ghi và chỗ "
        "trống trên đĩa"
    )
