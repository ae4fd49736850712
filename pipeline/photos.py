"""Photo files: validate untrusted images and write clean, metadata-free copies.

One reader of photo files for the whole project: `photo add`, import and the
build's photos plugin all call these functions.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .article_files import Identity, identity
from .errors import PhotoError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
# Pillow's own decompression-bomb limit, made an error rather than a warning.
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int


# SHA-256 of files already read in this process, by path and file identity: one build
# hashes each content file once, though the photos plugin and the approval gate both ask.
_hashed: dict[str, tuple[Identity, str]] = {}


def source_hash(path: Path | str) -> str:
    """The SHA-256 of a file's bytes; a file written since it was last hashed (any write
    changes its ctime, which user space cannot set back) is read again."""
    name = os.fspath(path)
    now = identity(os.stat(name))
    known = _hashed.get(name)
    if known is not None and known[0] == now:
        return known[1]
    with open(name, "rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    _hashed[name] = (now, digest)
    return digest


def remember_staged(content: Path | str, state_file: Path | str) -> int:
    """Take the SHA-256 of each file under `content` from the state that `materialize` wrote
    with it, where the bytes it wrote were the approved ones (the hash of the bytes equals the
    manifest's), so a build reads no staged file that has not been written since. Any later
    write changes the file's ctime, so `source_hash` reads that file again. Returns how many
    it took; a lost or damaged state takes none."""
    try:
        state = json.loads(Path(state_file).read_text("utf-8"))
        entries = [
            (str(path), tuple(int(n) for n in entry[1]), entry[2])
            for path, entry in state.items()
            if isinstance(entry, list) and len(entry) == 3 and entry[1] and entry[2] == entry[0]
        ]
    except (OSError, ValueError, TypeError, AttributeError):
        return 0
    folders = {os.fspath(content), os.path.realpath(content)}  # as the gate and photos name them
    for path, written, digest in entries:
        for folder in folders:
            _hashed[os.path.join(folder, path)] = (written, digest)
    return len(entries)


# What Pillow's format plugins raise besides OSError on a malformed file (an EMF whose frame
# is all zeros: ZeroDivisionError), all of them a broken image to the person who gave it.
MALFORMED = (ArithmeticError, IndexError, KeyError, TypeError, EOFError, struct.error)


@contextmanager
def _untrusted(path: Path) -> Iterator[None]:
    """Reading an untrusted image: a decompression bomb is an error, and every way that a file
    can fail to be an allowed image becomes one PhotoError that names it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except FileNotFoundError:
        raise PhotoError("không tìm thấy tệp ảnh", path) from None
    except IsADirectoryError:
        raise PhotoError("đây là thư mục, không phải tệp ảnh; hãy chỉ ra tệp ảnh", path) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("ảnh quá lớn (vượt giới hạn giải nén); hãy thu nhỏ ảnh", path) from None
    except UnidentifiedImageError:
        raise PhotoError(
            "không phải tệp ảnh hoặc định dạng không được nhận; hãy dùng ảnh JPEG, PNG, WebP "
            "hoặc HEIC",
            path,
        ) from None
    except (OSError, SyntaxError, ValueError, *MALFORMED) as error:
        raise PhotoError(
            f"tệp ảnh hỏng hoặc bị cắt cụt ({error or type(error).__name__}); hãy xuất lại ảnh",
            path,
        ) from None


def _check_header(image: Image.Image, path: Path) -> None:
    """An allowed format and a pixel count under the limit, before any pixel is decoded."""
    if image.format not in ALLOWED_FORMATS:
        raise PhotoError(
            f"định dạng ảnh {image.format} không được nhận; hãy dùng JPEG, PNG, WebP hoặc HEIC",
            path,
        )
    if image.width * image.height > MAX_PIXELS:
        raise PhotoError("ảnh quá lớn (vượt giới hạn giải nén); hãy thu nhỏ ảnh", path)


def image_bytes(path: Path) -> bytes:
    """An untrusted image file's bytes, or one PhotoError that names it."""
    with _untrusted(path):
        return Path(path).read_bytes()


def open_image(path: Path, data: bytes | None = None) -> Image.Image:
    """Open and fully decode an untrusted image, or raise one PhotoError that names it; from
    `data` (the file's bytes, read once by the caller) when given."""
    with _untrusted(path):
        image = Image.open(path if data is None else io.BytesIO(data))
        try:
            _check_header(image, path)
            image.load()
        except BaseException:
            image.close()
            raise
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    target = "RGBA" if has_alpha else "RGB"
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            if image.mode not in ("RGB", "RGBA", "CMYK"):
                image = image.convert("RGBA" if has_alpha else "RGB")
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: fall back to a plain conversion
    return image.convert(target)


def clean_image(image: Image.Image, max_side: int) -> Image.Image:
    """Upright, sRGB, at most `max_side` on its longest side, with no metadata attached."""
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)  # a fresh image carries no info dict: no EXIF, XMP, IPTC or ICC
    return clean


def encode(image: Image.Image, quality: int) -> CleanPhoto:
    """JPEG, or PNG when the image has transparency; saved with no metadata."""
    buffer = io.BytesIO()
    if image.mode == "RGBA" and image.getextrema()[3][0] < 255:
        image.save(buffer, "PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        extension = "jpg"
    return CleanPhoto(buffer.getvalue(), extension, image.width, image.height)


def clean_photo_file(path: Path, max_side: int, quality: int) -> CleanPhoto:
    return encode(clean_image(open_image(path), max_side), quality)


# EXIF orientations that turn the stored image a quarter turn (width and height swap).
_QUARTER_TURNS = {5, 6, 7, 8}


def probe_image(path: Path) -> tuple[int, int]:
    """The upright size of an untrusted image from its header, checked but not decoded.

    The build plans renditions (names, sizes, srcset) from this alone, so a
    rebuild with cached renditions never decodes pixels.
    """
    with _untrusted(path), Image.open(path) as image:
        _check_header(image, path)
        width, height = image.size
        orientation = image.getexif().get(0x0112)
    return (height, width) if orientation in _QUARTER_TURNS else (width, height)


def register_heif() -> bool:
    """Let Pillow open HEIC photos from phones (pillow-heif); False if it is not installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


register_heif()

# EXIF tags that identify a camera or its owner (in the main IFD or the Exif IFD).
CAMERA_TAGS = {
    0x010F: "hãng máy ảnh",
    0x0110: "đời máy ảnh",
    0xA430: "chủ máy ảnh",
    0xA431: "số sê-ri máy ảnh",
    0xA433: "hãng ống kính",
    0xA434: "đời ống kính",
    0xA435: "số sê-ri ống kính",
}
GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def identifying_metadata(path: Path) -> list[str]:
    """What a stored image still reveals (GPS, camera, XMP, IPTC); empty when it is clean.

    Only the headers are read, not the pixels, so checking a whole content tree is cheap.
    """
    with Image.open(path) as image:
        found = []
        exif = image.getexif()
        if exif.get(GPS_IFD) or exif.get_ifd(GPS_IFD):
            found.append("vị trí GPS")
        tags = {**dict(exif), **dict(exif.get_ifd(EXIF_IFD))}
        found += [name for tag, name in CAMERA_TAGS.items() if tags.get(tag)]
        if image.info.get("xmp") or image.info.get("XML:com.adobe.xmp"):
            found.append("XMP")
        if image.info.get("photoshop") or image.info.get("iptc"):
            found.append("IPTC")
    return found
