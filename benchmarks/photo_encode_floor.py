"""How fast any photo pipeline can be at pelican-image-process's encoder settings.

Both sides must write the same AVIF and WebP files with the same libraries at
the same settings, so the CPU time of those encodes alone is a floor under
any implementation's cost; on this machine's cores it bounds the best
possible wall time, and so the best possible throughput ratio against the
measured pelican-image-process time (benchmarks/results/photos_bench.json).
This prints that floor, per format and AVIF speed, for the benchmark's
photos and rendition widths, measured single-threaded with process CPU time.

    python benchmarks/photo_encode_floor.py [--photos 6]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.photos_bench import (  # noqa: E402
    PILLOW_DEFAULT_QUALITY,
    RESULTS,
    make_photos,
)

WIDTHS = (1600, 960, 480, 240)  # the benchmark's rendition widths (photos_bench.py)


def _encode_seconds(images: list[Image.Image], fmt: str, **options) -> float:
    started = time.process_time()
    for image in images:
        image.save(io.BytesIO(), fmt, **options)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=6)
    args = parser.parse_args(argv)
    measured = json.loads(RESULTS.read_text("utf-8"))
    n = measured["photos"]
    theirs = measured["pelican_image_process"]["cold"]["wall_seconds"]
    sources = make_photos(n, (3000, 2000))[: args.photos]
    scaled = []
    for path in sources:
        with Image.open(path) as image:
            image = image.convert("RGB")
            for width in WIDTHS:
                scaled.append(image.resize((width, round(width * image.height / image.width))))
    per_photo = {
        f"avif speed {speed}": _encode_seconds(
            scaled, "AVIF", quality=PILLOW_DEFAULT_QUALITY["avif"], speed=speed, max_threads=1
        )
        / len(sources)
        for speed in (6, 7)
    }
    per_photo["webp"] = _encode_seconds(scaled, "WEBP", quality=PILLOW_DEFAULT_QUALITY["webp"])
    per_photo["webp"] /= len(sources)
    cores = os.cpu_count() or 1
    print(f"encoder CPU per photo ({len(sources)} photos of {n}, widths {WIDTHS}):")
    for name, seconds in per_photo.items():
        print(f"  {name:14} {seconds:6.2f} s")
    result = {"photos": n, "cores": cores, "theirs_seconds": theirs, "per_photo": per_photo}
    for speed in (6, 7):
        floor = n * (per_photo[f"avif speed {speed}"] + per_photo["webp"]) / cores
        result[f"best_ratio_avif_speed_{speed}"] = round(theirs / floor, 2)
        print(
            f"AVIF speed {speed}: AVIF+WebP alone take {floor:.1f} s on {cores} cores for {n} "
            f"photos: at most {theirs / floor:.2f}x pelican-image-process ({theirs:.1f} s)"
        )
    out = RESULTS.with_name("photo_encode_floor.json")
    out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"Đã ghi {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
