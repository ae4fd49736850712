"""Test data for the intake commands, made at test time: images with metadata, .docx files."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path

from PIL import Image, ImageCms

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "intake"
NEWSROOM = Path(sys.executable).parent / "newsroom"
SEED_TEXT = FIXTURES / "seed.txt"
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_bytes(text: str) -> bytes:
    """Text as Windows-1258 stores it: base letters precomposed, tones as combining marks."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def jpeg_with_gps(path: Path, size=(120, 80), orientation: int = 6) -> Path:
    """A JPEG with GPS, camera make/model/serial and an EXIF rotation, as phones write them."""
    image = Image.new("RGB", size, "#3366aa")
    image.paste((250, 250, 250), (0, 0, size[0] // 2, size[1] // 4))  # a mark to see rotation
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0xA431] = "SN-123456"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (21.0, 1.0, 30.0), "E", (105.0, 51.0, 10.0)
    path.parent.mkdir(parents=True, exist_ok=True)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(path, "JPEG", exif=exif, xmp=xmp, icc_profile=srgb)
    return path


def cmyk_jpeg(path: Path) -> Path:
    Image.new("CMYK", (60, 40), (0, 200, 200, 20)).save(path, "JPEG")
    return path


def png_with_alpha(path: Path) -> Path:
    image = Image.new("RGBA", (50, 50), (200, 30, 30, 255))
    image.paste((0, 0, 0, 0), (0, 0, 25, 50))
    image.save(path, "PNG")
    return path


def huge_png(path: Path, width: int = 30000, height: int = 30000) -> Path:
    """A tiny file whose header claims more pixels than the decompression-bomb limit."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path


def jpeg_bytes_with_gps() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), "#aa3333")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[1] = "N"
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="jpeg" ContentType="image/jpeg"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}">
<Relationship Id="rId1" Target="word/document.xml" Type="{R}/officeDocument"/>
</Relationships>"""
DOCUMENT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}">
<Relationship Id="rId5" Target="media/image1.jpeg" Type="{R}/image"/>
<Relationship Id="rId6" Target="styles.xml" Type="{R}/styles"/>
</Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="Caption"/></w:style>
</w:styles>"""
DRAWING = """<w:r><w:drawing><wp:inline><wp:extent cx="1905000" cy="1270000"/>
<wp:docPr id="1" name="Picture 1" descr="{alt}"/>
<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">
<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image1.jpeg"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:embed="rId5"/></pic:blipFill><pic:spPr/></pic:pic>
</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"""


def _paragraph(text: str, style: str = "") -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def make_docx(path: Path, paragraphs: list[tuple[str, str]], image: bytes | None = None) -> Path:
    """A minimal WordprocessingML file. Each paragraph is (style, text); style "image" holds the
    embedded image, with the text as its alt text."""
    body = []
    for style, text in paragraphs:
        if style == "image":
            body.append(f"<w:p>{DRAWING.format(alt=text)}</w:p>")
        else:
            body.append(_paragraph(text, style))
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" '
        f'xmlns:r="{R}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        archive.writestr("word/styles.xml", STYLES)
        archive.writestr("word/document.xml", document)
        if image is not None:
            archive.writestr("word/media/image1.jpeg", image)
    return path


def run_newsroom(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real console script, as a reporter runs it."""
    return subprocess.run(
        [str(NEWSROOM), *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )
