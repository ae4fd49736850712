"""A deterministic corpus of N articles in our real format, for the benchmarks.

Each article has its own text of about 600 words, built from a Vietnamese
word pool with a seeded generator, across 10 sections, 200 tags and 50
authors, dated over 5 years, with one photo from a shared pool (hard-linked
into the article folder, as `photo add` would copy it). The same seed always
gives the same bytes. The same tree is written for plain Pelican with
`Category:` in place of `Section:`.

    python -m benchmarks.corpus OUT_DIR --articles 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageFilter

from pipeline.article import format_article
from pipeline.figures import Photo, format_photo
from pipeline.slugs import make_slug
from pipeline.vietnamese import TIMEZONE

REPO = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("thoi-su", "Thời sự"),
    ("bien-gioi", "Biên giới"),
    ("quoc-phong-an-ninh", "Quốc phòng – An ninh"),
    ("xay-dung-luc-luong", "Xây dựng lực lượng"),
    ("doi-song-bien-phong", "Đời sống Biên phòng"),
    ("bien-dao", "Biển đảo"),
    ("phap-luat", "Pháp luật"),
    ("van-hoa", "Văn hóa"),
    ("doi-ngoai", "Đối ngoại"),
    ("phong-su", "Phóng sự"),
]
WORDS = (
    "biên giới đồn bộ đội chiến sĩ tuần tra cột mốc nhân dân bản làng đường biên quản lý bảo vệ "
    "chủ quyền lãnh thổ an ninh trật tự phối hợp lực lượng tổ chức hội nghị tổng kết công tác "
    "thi đua khen thưởng phong trào quyết thắng huấn luyện sẵn sàng chiến đấu tuyên truyền pháp "
    "luật phòng chống ma túy buôn lậu gian lận thương mại xuất nhập cảnh cửa khẩu kinh tế xã hội "
    "giúp đỡ đồng bào dân tộc thiểu số vùng cao hải đảo ngư dân tàu thuyền khai thác hải sản mùa "
    "mưa lũ sạt lở khắc phục hậu quả thiên tai xây dựng nông thôn mới trường học học sinh nâng "
    "bước em tới trường mái ấm nhà tình nghĩa cấp ủy chỉ huy đơn vị cán bộ đảng viên chính trị "
    "tư tưởng kỷ luật rèn luyện bản lĩnh trách nhiệm nhiệm vụ kết quả tích cực hiệu quả"
).split()
PLACES = ["Quảng Ninh", "Lạng Sơn", "Cao Bằng", "Hà Giang", "Lào Cai", "Lai Châu", "Điện Biên",
          "Sơn La", "Nghệ An", "Quảng Trị", "Kon Tum", "Gia Lai", "Tây Ninh", "An Giang",
          "Cà Mau"]  # fmt: skip
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Văn Hùng", "Minh Tuấn", "Thị Lan", "Đức Long", "Quang Huy", "Thu Hà", "Hồng Sơn",
         "Ngọc Anh", "Xuân Trường", "Thanh Bình"]  # fmt: skip
PHOTOS = 20
START = datetime(2021, 1, 1, 6, 0, tzinfo=TIMEZONE)
SPAN_MINUTES = 5 * 365 * 24 * 60


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, words: int) -> str:
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(_sentence(rng))
    return " ".join(sentences)


def make_photo_pool(folder: Path, seed: int, count: int = PHOTOS) -> list[Path]:
    """Detailed photos (noise, shapes, blur): the encoders get real work, as with real photos."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"anh-{number:02d}.jpg"
        if not path.exists():
            rng = random.Random(seed * 1000 + number)  # the noise too: same seed, same bytes
            noise = Image.frombytes("L", (1200, 800), rng.randbytes(1200 * 800)).convert("RGB")
            tint = Image.new("RGB", (1200, 800), (rng.randrange(256), rng.randrange(256), 90))
            image = Image.blend(noise, tint, 0.55).filter(ImageFilter.GaussianBlur(1.2))
            image.save(path, "JPEG", quality=88)
        paths.append(path)
    return paths


def article_fields(
    rng: random.Random, number: int, tags: list[str], authors: list[str]
) -> dict[str, str]:
    title = f"{_sentence(rng, 6, 12).rstrip('.')} {number}"
    date = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
    section = SECTIONS[rng.randrange(len(SECTIONS))][1]
    return {
        "Title": title,
        "Date": date.isoformat(timespec="seconds"),
        "Section": section,
        "Authors": ", ".join(rng.sample(authors, rng.choice((1, 1, 2)))),
        "Tags": ", ".join(rng.sample(tags, 3)),
        "Summary": _paragraph(rng, 40),
        "Slug": make_slug(title),
        "Places": ", ".join(rng.sample(PLACES, 2)),
    }


def article_body(rng: random.Random, photo: Photo) -> str:
    """A photo, then five paragraphs of about 110 words: about 600 words of its own."""
    return "\n\n".join([format_photo(photo)] + [_paragraph(rng, 110) for _ in range(5)])


def write_corpus(out: Path, articles: int, seed: int = 7) -> tuple[Path, Path]:
    """Write `out/ours/` (a full project) and `out/plain/content/`; return both roots."""
    rng = random.Random(seed)
    ours, plain = out / "ours", out / "plain"
    for root in (ours, plain):
        shutil.rmtree(root / "content", ignore_errors=True)
    _write_project(ours)
    pool = make_photo_pool(out / "photo-pool", seed)
    tags = sorted({" ".join(rng.sample(WORDS, 2)) for _ in range(400)})[:200]
    authors = [f"{s} {g}" for s in SURNAMES for g in GIVEN][:50]
    for number in range(articles):
        fields = article_fields(rng, number, tags, authors)
        photo_src = pool[rng.randrange(len(pool))]
        photo = Photo(
            photo_src.name, f"Ảnh minh họa số {number}", _sentence(rng, 8, 14), "Tòa soạn"
        )
        text = format_article(fields, article_body(rng, photo))
        date = datetime.fromisoformat(fields["Date"])
        relative = Path("content/articles") / f"{date:%Y}" / f"{date:%m}" / fields["Slug"]
        for root, document in (
            (ours, text),
            (plain, re.sub(r"^Section:", "Category:", text, flags=re.M)),
        ):
            folder = root / relative
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.md").write_text(document, "utf-8")
            os.link(photo_src, folder / photo_src.name)
    return ours, plain


def _write_project(root: Path) -> None:
    """Our project around the corpus: the real config with ten sections, theme, plugins."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy2(REPO / name, root / name)
    for name in ("theme", "plugins"):
        link = root / name
        if not link.exists():
            link.symlink_to(REPO / name, target_is_directory=True)
    config = (REPO / "newsroom.toml").read_text("utf-8")
    config = re.sub(r"\[\[sections\]\].*?(?=\n\[\[staff\]\])", "", config, flags=re.S)
    sections = "".join(f'[[sections]]\nslug = "{s}"\nname = "{n}"\n\n' for s, n in SECTIONS)
    config = config.replace("\n[[staff]]", "\n" + sections + "[[staff]]", 1)
    config = re.sub(r"^page_size = \d+$", "page_size = 20", config, flags=re.M)
    (root / "newsroom.toml").write_text(config, "utf-8")
    (root / "content" / "pages").mkdir(parents=True, exist_ok=True)
    for page in (REPO / "content" / "pages").glob("*.md"):
        shutil.copy2(page, root / "content" / "pages" / page.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    ours, plain = write_corpus(args.out, args.articles, args.seed)
    print(f"{args.articles} bài: {ours} (newsroom) và {plain} (Pelican thuần)")


if __name__ == "__main__":
    main()
