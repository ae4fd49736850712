"""Benchmark: our photo renditions against pelican-image-process, cold and with nothing changed.

Both sides build a real Pelican site of N articles with one large photo each
and produce the same rendition set per photo: widths 240 (list thumbnail),
480, 960 and 1600 (never above the original) in AVIF, WebP and JPEG, plus a
1200x630 social JPEG and 16:9, 4:3 and 1:1 JPEG crops. Both use Pillow's
encoders at the same quality: pelican-image-process cannot set one, so ours
is set to Pillow's defaults, which it uses (JPEG 75, WebP 80, AVIF 75).
AVIF effort differs in one column only: ours runs once with Pillow's default
speed 6, exactly like pelican-image-process, and once with our production
default PHOTOS_AVIF_SPEED (7: about half the encoder time for output within
1% of the bytes). pelican-image-process runs from its own virtualenv
(.cache/bench-venv), which `make bench` installs.

    python benchmarks/photos_bench.py [--photos 50] [--size 3000x2000]

Prints a table and writes benchmarks/results/photos_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.config import load_config  # noqa: E402
from plugins.photos.photos import DEFAULTS  # noqa: E402

WORK = REPO / ".cache" / "bench"
BENCH_VENV = REPO / ".cache" / "bench-venv"
RESULTS = REPO / "benchmarks" / "results" / "photos_bench.json"
# Pillow's default encoder settings, which pelican-image-process always uses.
PILLOW_DEFAULT_QUALITY = {"jpeg": 75, "webp": 80, "avif": 75}
PILLOW_DEFAULT_AVIF_SPEED = 6


def make_photo(args: tuple[Path, int, tuple[int, int]]) -> Path:
    """A deterministic photo-like JPEG: gradients, overlapping shapes, blur and sensor noise."""
    path, seed, size = args
    if path.exists():
        return path
    rng = random.Random(seed)
    width, height = size
    red = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize(size)
    green = Image.radial_gradient("L").resize(size)
    blue = Image.linear_gradient("L").transpose(Image.Transpose.TRANSPOSE).resize(size)
    image = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(image)
    for _ in range(140):
        x, y = rng.randrange(width), rng.randrange(height)
        box = (x, y, x + rng.randrange(20, width // 5), y + rng.randrange(20, height // 5))
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle(box, fill=colour)
        else:
            draw.ellipse(box, fill=colour, outline=(0, 0, 0), width=rng.randrange(1, 6))
    for _ in range(60):
        points = [(rng.randrange(width), rng.randrange(height)) for _ in range(4)]
        draw.line(points, fill=tuple(rng.randrange(256) for _ in range(3)), width=3)
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    noise = Image.effect_noise(size, 28 + seed % 7).convert("RGB")
    image = Image.blend(image, noise, 0.12)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90)
    return path


def make_photos(count: int, size: tuple[int, int]) -> list[Path]:
    folder = WORK / "photos" / f"{size[0]}x{size[1]}"
    jobs = [(folder / f"p{i:03d}.jpg", 1000 + i, size) for i in range(count)]
    with ProcessPoolExecutor() as pool:
        return list(pool.map(make_photo, jobs))


def child_cpu() -> float:
    """CPU seconds of finished child processes (and theirs): robust to other load on the host."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


# Our side: the project's own build, with the photos plugin.


def our_project(photos: list[Path], avif_speed: int) -> Path:
    root = WORK / f"ours-speed{avif_speed}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name in ("newsroom.toml", "pelicanconf.py", "publishconf.py"):
        shutil.copy2(REPO / name, root / name)
    for name in ("theme", "plugins"):
        (root / name).symlink_to(REPO / name, target_is_directory=True)
    shutil.copytree(REPO / "content" / "pages", root / "content" / "pages")
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            "\n# Benchmark: Pillow's default encoder settings, as pelican-image-process uses.\n"
            f"PHOTOS_QUALITY = {PILLOW_DEFAULT_QUALITY!r}\n"
            f"PHOTOS_AVIF_SPEED = {avif_speed}\n"
        )
    for index, photo in enumerate(photos):
        folder = root / "content" / "articles" / "2024" / "01" / f"bai-{index:03d}"
        folder.mkdir(parents=True)
        os.link(photo, folder / "anh.jpg")
        (folder / "index.md").write_text(
            f"Title: Bài thử {index}\n"
            f"Date: 2024-01-{1 + index % 28:02d}T08:{index % 60:02d}:00+07:00\n"
            "Section: Biên giới\nAuthors: Minh Tuấn\nSummary: Bài thử hiệu năng.\n"
            f"Slug: bai-thu-{index:03d}\n\n"
            "Đoạn mở đầu.\n\n![Ảnh thử](anh.jpg)\nChú thích ảnh.\nẢnh: Minh Tuấn\n",
            "utf-8",
        )
    return root


def run_ours(photos: list[Path], avif_speed: int) -> dict:
    """Strict builds of the working copy (pelicanconf.py, all our plugins), as a preview runs:
    publishing would add the editorial record's approvals, which are not photo work."""
    from pipeline.build import run_pelican

    root = our_project(photos, avif_speed)
    release = root / "built"
    cache = WORK / f"ours-speed{avif_speed}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["NEWSROOM_PHOTOS_CACHE"] = str(cache)
    runs = {}
    for name in ("cold", "rebuild"):
        started, cpu = time.perf_counter(), child_cpu()
        run_pelican(root, "pelicanconf.py", release)
        wall, cpu = time.perf_counter() - started, child_cpu() - cpu
        stats = json.loads((cache / "stats.json").read_text("utf-8"))
        runs[name] = {
            "wall_seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "photo_seconds": stats["seconds"],
            **stats,
        }
    files, size = tree_bytes(release / "anh")
    runs["output_files"], runs["output_bytes"] = files, size
    runs["avif_speed"] = avif_speed
    return runs


# Their side: pelican-image-process in its own virtualenv, configured for the same set.

THEIR_CONF = '''"""pelican-image-process, set up for the renditions of our photos plugin."""

from PIL import Image, ImageOps

PATH = "content"
STATIC_PATHS = ["images"]
PLUGINS = ["image_process"]
THEME = "notmyidea"
TIMEZONE = "Asia/Ho_Chi_Minh"
SITEURL = ""
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
LOAD_CONTENT_CACHE = False
WIDTHS = {widths!r}


def centre_crop(ratio, exact=None, max_width=1200):
    """Largest centred box of `ratio`, then at most `max_width` wide (or an exact size)."""

    def crop(image):
        width, height = image.size
        if width * ratio[1] > height * ratio[0]:
            box_w, box_h = round(height * ratio[0] / ratio[1]), height
        else:
            box_w, box_h = width, round(width * ratio[1] / ratio[0])
        if exact:
            size = exact
        else:
            size = (min(box_w, max_width), round(min(box_w, max_width) * ratio[1] / ratio[0]))
        return ImageOps.fit(image, size, Image.Resampling.LANCZOS)

    return crop


def srcset(fmt):
    return [(f"{{w}}w", [f"scale_in {{w}} None False"], fmt) for w in WIDTHS]


IMAGE_PROCESS = {{
    "photo": {{
        "type": "picture",
        "sources": [
            {{"name": "avif", "srcset": srcset("avif"), "sizes": "46rem"}},
            {{"name": "webp", "srcset": srcset("webp"), "sizes": "46rem"}},
            {{"name": "default", "srcset": srcset("jpeg"), "sizes": "46rem"}},
        ],
        "default": ("default", "960w", "jpeg"),
    }},
    "social": {{
        "type": "image", "ops": [centre_crop((40, 21), (1200, 630))], "output-format": "jpeg"
    }},
    "wide": {{"type": "image", "ops": [centre_crop((16, 9))], "output-format": "jpeg"}},
    "standard": {{"type": "image", "ops": [centre_crop((4, 3))], "output-format": "jpeg"}},
    "square": {{"type": "image", "ops": [centre_crop((1, 1))], "output-format": "jpeg"}},
}}
IMAGE_PROCESS_METADATA = {{name: name for name in ("social", "wide", "standard", "square")}}
'''


def their_project(photos: list[Path], widths: list[int]) -> Path:
    root = WORK / "theirs"
    shutil.rmtree(root, ignore_errors=True)
    (root / "content" / "images").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(THEIR_CONF.format(widths=widths), "utf-8")
    for index, photo in enumerate(photos):
        image = f"/images/p{index:03d}.jpg"
        os.link(photo, root / "content" / "images" / f"p{index:03d}.jpg")
        crops = "".join(f"{name}: {image}\n" for name in ("Social", "Wide", "Standard", "Square"))
        (root / "content" / f"bai-{index:03d}.md").write_text(
            f"Title: Bài thử {index}\nDate: 2024-01-{1 + index % 28:02d} 08:{index % 60:02d}\n"
            f"Summary: Bài thử hiệu năng.\nSlug: bai-thu-{index:03d}\n{crops}\n"
            "Đoạn mở đầu.\n\n"
            f'<picture><source class="avif" src="{image}"><source class="webp" src="{image}">'
            f'<img class="image-process-photo" src="{image}" alt="Ảnh thử"></picture>\n',
            "utf-8",
        )
    return root


def run_theirs(photos: list[Path], widths: list[int]) -> dict:
    root = their_project(photos, widths)
    pelican = BENCH_VENV / "bin" / "pelican"
    runs = {}
    for name in ("cold", "rebuild"):
        command = [str(pelican), "content", "-s", "pelicanconf.py", "-o", "output", "-q"]
        started, cpu = time.perf_counter(), child_cpu()
        subprocess.run(command, cwd=root, check=True)
        runs[name] = {
            "wall_seconds": round(time.perf_counter() - started, 3),
            "cpu_seconds": round(child_cpu() - cpu, 3),
        }
    files, size = tree_bytes(root / "output" / "images" / "derivatives")
    runs["output_files"], runs["output_bytes"] = files, size
    return runs


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def summary(ours: dict, theirs: dict, n: int) -> dict:
    our_rate = n / ours["cold"]["wall_seconds"]
    their_rate = n / theirs["cold"]["wall_seconds"]
    rebuild_share = ours["rebuild"]["photo_seconds"] / ours["cold"]["photo_seconds"]
    return {
        "photos_per_second": round(our_rate, 3),
        "throughput_ratio": round(our_rate / their_rate, 2),
        "cpu_ratio": round(theirs["cold"]["cpu_seconds"] / ours["cold"]["cpu_seconds"], 2),
        "rebuild_share_of_cold_photo_time": round(rebuild_share, 5),
        "goals_met": {
            "throughput_at_least_3x": our_rate / their_rate >= 3,
            "rebuild_under_1_percent": rebuild_share < 0.01,
        },
    }


def rows_for(columns: list[tuple[str, dict, dict | None]], n: int) -> list[tuple[str, ...]]:
    def row(label: str, cell) -> tuple[str, ...]:
        return (label, *(cell(run, derived) for _name, run, derived in columns))

    return [
        ("", *(name for name, _run, _derived in columns)),
        row("AVIF speed", lambda r, d: str(r.get("avif_speed", PILLOW_DEFAULT_AVIF_SPEED))),
        row("cold build (s)", lambda r, d: f"{r['cold']['wall_seconds']:.2f}"),
        row("cold build CPU (s)", lambda r, d: f"{r['cold']['cpu_seconds']:.2f}"),
        row("photos / second", lambda r, d: f"{n / r['cold']['wall_seconds']:.3f}"),
        row("throughput ratio", lambda r, d: f"{d['throughput_ratio']:.2f}x" if d else "1.00x"),
        row("CPU-time ratio", lambda r, d: f"{d['cpu_ratio']:.2f}x" if d else "1.00x"),
        row("output files", lambda r, d: str(r["output_files"])),
        row("output bytes", lambda r, d: f"{r['output_bytes']:,}"),
        row("no-change rebuild (s)", lambda r, d: f"{r['rebuild']['wall_seconds']:.2f}"),
        row(
            "photo time cold / rebuild (s)",
            lambda r, d: (
                f"{r['cold']['photo_seconds']:.2f} / {r['rebuild']['photo_seconds']:.4f}"
                if d
                else "-"
            ),
        ),
        row(
            "rebuild share of cold photo time",
            lambda r, d: f"{d['rebuild_share_of_cold_photo_time']:.3%}" if d else "-",
        ),
        row("images decoded on rebuild", lambda r, d: str(r["rebuild"]["decoded"]) if d else "-"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--size", default="3000x2000")
    args = parser.parse_args(argv)
    size = tuple(int(part) for part in args.size.split("x"))
    if not (BENCH_VENV / "bin" / "pelican").exists():
        print(f"Thiếu {BENCH_VENV}: hãy chạy 'make bench' để cài pelican-image-process.")
        return 2
    config = load_config(REPO)
    widths = sorted({*DEFAULTS["PHOTOS_THUMB_WIDTHS"], *config.photo_widths})
    production_speed = DEFAULTS["PHOTOS_AVIF_SPEED"]

    started = time.perf_counter()
    photos = make_photos(args.photos, size)
    n = len(photos)
    print(f"{n} ảnh {args.size} sẵn sàng ({time.perf_counter() - started:.1f} s)")
    same = run_ours(photos, PILLOW_DEFAULT_AVIF_SPEED)
    theirs = run_theirs(photos, widths)
    production = run_ours(photos, production_speed)
    columns = [
        ("ours, same settings", same, summary(same, theirs, n)),
        (
            f"ours, production (speed {production_speed})",
            production,
            summary(production, theirs, n),
        ),
        ("pelican-image-process", theirs, None),
    ]
    result = {
        "photos": n,
        "size": list(size),
        "widths": widths,
        "formats": ["avif", "webp", "jpeg"],
        "crops": ["social 1200x630", "16x9", "4x3", "1x1"],
        "quality": PILLOW_DEFAULT_QUALITY,
        "cpu_count": os.cpu_count(),
        "load_average_after": os.getloadavg(),
        "python": platform.python_version(),
        "ours_same_settings": {**same, **summary(same, theirs, n)},
        "ours_production_speed": {**production, **summary(production, theirs, n)},
        "pelican_image_process": theirs,
    }
    print(table(rows_for(columns, n)))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"Đã ghi {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
