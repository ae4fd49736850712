"""Generate the illustrative photos of the sample articles, deterministically.

Usage: python tools/make_sample_photos.py [CONTENT_DIR]
       python tools/make_sample_photos.py --card [PNG]   (the site's default social image)

The sample articles need photos, but we have no real ones we may publish.
Each photo here is drawn from a small scene description (sky, land, props)
with a fixed seed, so running the script again gives the same bytes. Every
image carries an "ẢNH MINH HỌA" band, and the articles' alt text says it is
an illustration, so no reader takes it for a real news photo. Needs Pillow
and the DejaVu fonts (Debian's fonts-dejavu-core) for Vietnamese text.
"""

from __future__ import annotations

import math
import random
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

WIDTH, HEIGHT = 1200, 800
QUALITY = 78
MAX_BYTES = 120_000
LABEL = "ẢNH MINH HỌA"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
CONDENSED = FONT_DIR / "DejaVuSansCondensed-Bold.ttf"
CONTENT = Path(__file__).resolve().parent.parent / "content" / "articles"
SERIF_BOLD = FONT_DIR / "DejaVuSerif-Bold.ttf"
# The paper's card for articles without a photo (og:image, JSON-LD; plugins/news_metadata).
CARD = Path(__file__).resolve().parent.parent / "theme" / "static" / "img" / "social-card.png"
CARD_SIZE = (1200, 630)

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Sky:
    top: RGB
    bottom: RGB
    haze: RGB  # the colour far ridges fade into
    sun: RGB | None  # glow colour, or None for an overcast sky
    sun_at: tuple[float, float] = (0.75, 0.3)  # position as fractions of the frame
    land: RGB = (58, 92, 52)  # the nearest ground


SKIES: dict[str, Sky] = {
    "morning": Sky((120, 170, 215), (242, 222, 190), (185, 200, 205), (255, 236, 190), (0.2, 0.28)),
    "day": Sky((70, 135, 210), (200, 225, 240), (170, 195, 215), (255, 250, 230), (0.8, 0.15)),
    "dusk": Sky(
        (60, 70, 120), (245, 160, 95), (170, 120, 120), (255, 200, 120), (0.65, 0.5), (40, 45, 40)
    ),
    "overcast": Sky((128, 136, 146), (196, 200, 202), (160, 166, 170), None, land=(60, 78, 56)),
}


@dataclass(frozen=True)
class Scene:
    """What one illustration shows: a sky, a kind of land, and props drawn on top in order."""

    seed: int
    sky: str = "day"
    land: str = "mountains"  # a key of LANDS
    props: tuple[str, ...] = ()  # keys of PROPS, drawn in this order
    banner: str = ""  # text on a banner, for the "banner" prop and halls
    marker: str = ""  # the number on a border marker


@dataclass
class Canvas:
    """The image being drawn, with what later props need to know about the land."""

    image: Image.Image
    rng: random.Random
    scene: Scene
    sky: Sky
    ground_y: int = int(HEIGHT * 0.72)  # where figures and props stand

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.image)


# --- small drawing helpers ---------------------------------------------------------------


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _shade(color: RGB, amount: int) -> RGB:
    return tuple(max(0, min(255, c + amount)) for c in color)  # type: ignore[return-value]


def _noise(rng: random.Random, scale: int) -> Image.Image:
    """Smooth grey noise: random pixels at 1/scale size, enlarged (cheap to compress)."""
    size = (WIDTH // scale + 1, HEIGHT // scale + 1)
    small = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return small.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)


def _textured(rng: random.Random, color: RGB, spread: int, scale: int = 5) -> Image.Image:
    return ImageOps.colorize(_noise(rng, scale), _shade(color, -spread), _shade(color, spread))


def _ridge(rng: random.Random, base: float, amplitude: float, roughness: float) -> list[float]:
    """A ridge line by midpoint displacement: one height per x pixel."""
    count = 65
    points = [0.0] * count
    points[0] = base + rng.uniform(-amplitude, amplitude)
    points[-1] = base + rng.uniform(-amplitude, amplitude)
    step, spread = count - 1, amplitude
    while step > 1:
        half = step // 2
        for start in range(0, count - 1, step):
            middle = (points[start] + points[start + step]) / 2
            points[start + half] = middle + rng.uniform(-spread, spread)
        step, spread = half, spread * roughness
    segment = WIDTH / (count - 1)
    heights = []
    for x in range(WIDTH + 1):
        index = min(int(x / segment), count - 2)
        t = x / segment - index
        heights.append(points[index] * (1 - t) + points[index + 1] * t)
    return heights


def _fill(canvas: Canvas, polygon: list[tuple[float, float]], texture: Image.Image) -> None:
    mask = Image.new("L", (WIDTH, HEIGHT), 0)
    ImageDraw.Draw(mask).polygon(polygon, fill=255)
    canvas.image.paste(texture, mask=mask)


def _ridge_layer(canvas: Canvas, line: list[float], color: RGB, spread: int = 18) -> None:
    polygon = [(0, HEIGHT), *((x, y) for x, y in enumerate(line)), (WIDTH, HEIGHT)]
    _fill(canvas, polygon, _textured(canvas.rng, color, spread))


def _star(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    points = []
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + index * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def _font(size: int, path: Path = BOLD) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


# --- skies and lands -----------------------------------------------------------------------


def paint_sky(canvas: Canvas) -> None:
    sky = canvas.sky
    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    canvas.image.paste(ImageOps.colorize(gradient, sky.top, sky.bottom))
    if sky.sun:
        glow = Image.new("L", (WIDTH, HEIGHT), 0)
        x, y = sky.sun_at[0] * WIDTH, sky.sun_at[1] * HEIGHT
        ImageDraw.Draw(glow).ellipse([x - 60, y - 60, x + 60, y + 60], fill=255)
        glow = glow.filter(ImageFilter.GaussianBlur(70))
        canvas.image.paste(Image.new("RGB", (WIDTH, HEIGHT), sky.sun), mask=glow)
        ImageDraw.Draw(canvas.image).ellipse([x - 34, y - 34, x + 34, y + 34], fill=sky.sun)
    clouds = _noise(canvas.rng, 60).filter(ImageFilter.GaussianBlur(18))
    clouds = clouds.point(lambda v: max(0, v - 140) * 2)
    fade = Image.linear_gradient("L").resize((WIDTH, HEIGHT)).point(lambda v: 255 - v)
    clouds = ImageChops.multiply(clouds, fade)
    canvas.image.paste(Image.new("RGB", (WIDTH, HEIGHT), (250, 250, 248)), mask=clouds)


def land_mountains(canvas: Canvas) -> None:
    """Four ridges from hazy to near, with a tree line on the nearest one."""
    rng, sky = canvas.rng, canvas.sky
    layers = 4
    for index in range(layers):
        t = index / (layers - 1)
        base = HEIGHT * (0.38 + 0.12 * index)
        line = _ridge(rng, base, 60 + 30 * index, 0.55)
        color = _mix(sky.haze, sky.land, 0.25 + 0.75 * t)
        _ridge_layer(canvas, line, color, 10 + 10 * index)
        if index == layers - 1:
            draw = canvas.draw
            for x in range(0, WIDTH, 9):
                if rng.random() < 0.7:
                    top = line[x] - rng.uniform(12, 30)
                    tree = _shade(color, -rng.randint(10, 30))
                    draw.polygon([(x - 7, line[x] + 4), (x, top), (x + 7, line[x] + 4)], fill=tree)
            canvas.ground_y = int(min(HEIGHT - 60, max(line[500:700]) + 70))
    foreground = _ridge(rng, HEIGHT * 0.9, 25, 0.5)
    _ridge_layer(canvas, foreground, _shade(sky.land, -8), 22)
    canvas.ground_y = int(min(canvas.ground_y, HEIGHT * 0.86))


def land_sea(canvas: Canvas) -> None:
    """A horizon, limestone islands, and water with glints."""
    rng, sky = canvas.rng, canvas.sky
    horizon = int(HEIGHT * 0.55)
    water_top = _mix(sky.bottom, (40, 90, 120), 0.35)
    water = Image.linear_gradient("L").resize((WIDTH, HEIGHT - horizon))
    water = ImageOps.colorize(water, water_top, (22, 60, 88))
    canvas.image.paste(water, (0, horizon))
    draw = canvas.draw
    for _ in range(5):
        cx = rng.uniform(0, WIDTH)
        width = rng.uniform(50, 140)
        height = rng.uniform(60, 170)
        color = _mix(sky.haze, (50, 80, 60), rng.uniform(0.3, 0.8))
        top = horizon - height
        draw.rounded_rectangle(
            [cx - width / 2, top, cx + width / 2, horizon + 4], radius=width / 3, fill=color
        )
        for _ in range(12):
            x = rng.uniform(cx - width / 2 + 6, cx + width / 2 - 6)
            y = rng.uniform(top + 8, horizon - 6)
            draw.ellipse([x - 6, y - 4, x + 6, y + 4], fill=_shade(color, -14))
    for _ in range(260):
        y = rng.uniform(horizon + 4, HEIGHT)
        x = rng.uniform(0, WIDTH)
        length = 6 + (y - horizon) * 0.08
        draw.line([x, y, x + length, y], fill=_mix(water_top, (255, 255, 255), 0.4), width=1)
    canvas.ground_y = int(HEIGHT * 0.82)


def land_plain(canvas: Canvas) -> None:
    """Flat fields to a tree line with palms, furrows running to the horizon."""
    rng, sky = canvas.rng, canvas.sky
    horizon = int(HEIGHT * 0.58)
    draw = canvas.draw
    for x in range(-20, WIDTH + 20, 26):
        r = rng.uniform(18, 34)
        color = _mix(sky.haze, (40, 80, 45), 0.7)
        draw.ellipse([x - r, horizon - r * 1.4, x + r, horizon + 6], fill=color)
    field_color = _mix(sky.land, (120, 140, 60), 0.35)
    _fill(
        canvas,
        [(0, horizon), (WIDTH, horizon), (WIDTH, HEIGHT), (0, HEIGHT)],
        _textured(rng, field_color, 16),
    )
    draw = canvas.draw
    vanish = (WIDTH * 0.55, horizon)
    for index in range(-12, 26):
        x = index * 70
        draw.line([vanish, (x, HEIGHT)], fill=_shade(field_color, -18), width=2)
    for _ in range(4):
        x = rng.uniform(40, WIDTH - 40)
        base = horizon + rng.uniform(0, 10)
        height = rng.uniform(110, 170)
        trunk = [(x, base), (x + 8, base - height)]
        draw.line(trunk, fill=(70, 60, 45), width=5)
        for angle in range(0, 360, 40):
            a = math.radians(angle + rng.uniform(-10, 10))
            end = (x + 8 + 55 * math.cos(a), base - height + 30 * math.sin(a) + 14)
            draw.line([(x + 8, base - height), end], fill=(35, 70, 40), width=6)
    canvas.ground_y = int(HEIGHT * 0.8)


def land_yard(canvas: Canvas) -> None:
    """Distant ridges, a border-post building, and a concrete parade ground."""
    rng, sky = canvas.rng, canvas.sky
    for index in range(2):
        line = _ridge(rng, HEIGHT * (0.35 + 0.08 * index), 50, 0.55)
        _ridge_layer(canvas, line, _mix(sky.haze, sky.land, 0.3 + 0.35 * index), 12)
    draw = canvas.draw
    top, bottom = int(HEIGHT * 0.38), int(HEIGHT * 0.6)
    left, right = int(WIDTH * 0.12), int(WIDTH * 0.88)
    draw.polygon([(left - 30, top), (WIDTH / 2, top - 70), (right + 30, top)], fill=(150, 60, 45))
    _fill(
        canvas,
        [(left, top), (right, top), (right, bottom), (left, bottom)],
        _textured(rng, (232, 205, 120), 10, 8),
    )
    draw = canvas.draw
    for x in range(left + 40, right - 40, 90):
        draw.rectangle(
            [x, top + 40, x + 44, top + 100], fill=(90, 120, 130), outline=(250, 245, 230), width=4
        )
    yard = (176, 174, 166)
    _fill(
        canvas,
        [(0, bottom), (WIDTH, bottom), (WIDTH, HEIGHT), (0, HEIGHT)],
        _textured(rng, yard, 12, 6),
    )
    draw = canvas.draw
    for y in range(bottom + 30, HEIGHT, 60):
        draw.line([0, y, WIDTH, y], fill=_shade(yard, -20), width=2)
    canvas.ground_y = int(HEIGHT * 0.8)


def land_hall(canvas: Canvas) -> None:
    """A conference hall: red stage curtain, star emblem, banner, table, audience."""
    rng = canvas.rng
    image = canvas.image
    image.paste(_textured(rng, (214, 200, 176), 8, 10))
    draw = canvas.draw
    stage = (120, 60, 1080, 520)
    for x in range(stage[0], stage[2], 24):
        red = _shade((170, 30, 35), int(25 * math.sin(x / 13)))
        draw.rectangle([x, stage[1], x + 24, stage[3]], fill=red)
    draw.ellipse([540, 90, 660, 210], fill=(200, 160, 40))
    draw.ellipse([550, 100, 650, 200], fill=(190, 30, 35))
    draw.polygon(_star(600, 152, 42), fill=(250, 215, 60))
    if canvas.scene.banner:
        font = _font(34, CONDENSED)
        width = draw.textlength(canvas.scene.banner, font=font)
        draw.text(((WIDTH - width) / 2, 240), canvas.scene.banner, font=font, fill=(250, 220, 90))
    draw.rectangle([200, 390, 1000, 470], fill=(245, 245, 240))
    draw.rectangle([200, 470, 1000, 520], fill=(120, 40, 40))
    for x in range(260, 960, 120):
        draw.ellipse([x, 330, x + 40, 372], fill=(60, 45, 35))
        draw.rounded_rectangle([x - 22, 366, x + 62, 400], radius=16, fill=(55, 75, 50))
    draw.rectangle([0, 520, WIDTH, HEIGHT], fill=(120, 100, 80))
    for row, y in enumerate((560, 640, 730)):
        size = 34 + row * 10
        for x in range(-20 + row * 17, WIDTH, size * 2 + 14):
            tone = (30 + rng.randint(0, 25), 28, 24)
            draw.ellipse([x, y, x + size, y + size * 1.1], fill=tone)
            draw.rounded_rectangle(
                [x - size * 0.6, y + size, x + size * 1.6, y + size * 2.4],
                radius=size // 2,
                fill=(50, 70, 45) if rng.random() < 0.7 else (230, 230, 225),
            )
    canvas.ground_y = HEIGHT


LANDS: dict[str, Callable[[Canvas], None]] = {
    "mountains": land_mountains,
    "sea": land_sea,
    "plain": land_plain,
    "yard": land_yard,
    "hall": land_hall,
}


# --- props -----------------------------------------------------------------------------------


def _person(
    draw: ImageDraw.ImageDraw,
    x: float,
    feet: float,
    height: float,
    body: RGB,
    hat: RGB | None,
    step: float = 0.0,
    pack: RGB | None = None,
) -> None:
    """A standing or walking figure, feet at (x, feet)."""
    h = height
    head_r = h * 0.075
    head_y = feet - h + head_r
    skin = (120, 90, 70)
    draw.polygon(
        [
            (x - h * 0.05, feet - h * 0.45),
            (x - h * 0.07 - step, feet),
            (x - h * 0.01 - step, feet),
            (x + h * 0.01, feet - h * 0.45),
        ],
        fill=_shade(body, -25),
    )
    draw.polygon(
        [
            (x, feet - h * 0.45),
            (x + h * 0.01 + step, feet),
            (x + h * 0.07 + step, feet),
            (x + h * 0.05, feet - h * 0.45),
        ],
        fill=_shade(body, -25),
    )
    draw.polygon(
        [
            (x - h * 0.12, feet - h * 0.8),
            (x + h * 0.12, feet - h * 0.8),
            (x + h * 0.09, feet - h * 0.42),
            (x - h * 0.09, feet - h * 0.42),
        ],
        fill=body,
    )
    if pack:
        draw.rounded_rectangle(
            [x - h * 0.17, feet - h * 0.78, x - h * 0.08, feet - h * 0.52],
            radius=h * 0.03,
            fill=pack,
        )
    draw.line(
        [(x - h * 0.11, feet - h * 0.78), (x - h * 0.14 - step / 2, feet - h * 0.46)],
        fill=body,
        width=max(2, int(h * 0.05)),
    )
    draw.line(
        [(x + h * 0.11, feet - h * 0.78), (x + h * 0.14 + step / 2, feet - h * 0.46)],
        fill=body,
        width=max(2, int(h * 0.05)),
    )
    draw.ellipse([x - head_r, head_y - head_r, x + head_r, head_y + head_r], fill=skin)
    if hat:
        draw.chord(
            [x - head_r * 1.5, head_y - head_r * 1.6, x + head_r * 1.5, head_y + head_r * 0.9],
            180,
            360,
            fill=hat,
        )


UNIFORM = (70, 95, 55)
HELMET = (95, 115, 70)


def prop_patrol(canvas: Canvas) -> None:
    """A patrol in single file along a path, getting smaller into the distance."""
    draw, rng = canvas.draw, canvas.rng
    start = rng.uniform(0.55, 0.8) * WIDTH
    y = canvas.ground_y
    path = [(start - 40, y + 60), (start + 300, y + 80), (start - 380, y - 90)]
    draw.line([path[2], (start - 40, y + 30), (start + 260, HEIGHT)], fill=(150, 130, 95), width=18)
    for index in range(5):
        t = index / 4
        x = start - t * 330
        feet = y + 20 - t * 100
        height = 150 - t * 70
        _person(draw, x, feet, height, UNIFORM, HELMET, step=6 * (-1) ** index, pack=(60, 70, 45))


def prop_ranks(canvas: Canvas) -> None:
    """A formation of soldiers in rows on the parade ground."""
    draw = canvas.draw
    y = canvas.ground_y
    for row in range(3):
        feet = y - 70 + row * 55
        height = 120 + row * 22
        gap = 46 + row * 9
        count = int(800 / gap)
        left = (WIDTH - count * gap) / 2 + 30
        for index in range(count):
            _person(draw, left + index * gap, feet, height, _shade(UNIFORM, row * 4), HELMET)


def prop_flag(canvas: Canvas) -> None:
    """A national flag on a pole, the cloth waving."""
    draw = canvas.draw
    x = WIDTH * 0.86 if canvas.scene.land != "yard" else WIDTH * 0.5
    base = canvas.ground_y - (10 if canvas.scene.land != "yard" else 150)
    top = base - 330
    draw.line([x, base, x, top], fill=(210, 210, 205), width=7)
    draw.ellipse([x - 7, top - 8, x + 7, top + 6], fill=(220, 190, 60))
    width, height = 190, 125
    upper = [(x + i, top + 10 + 10 * math.sin(i / 30)) for i in range(0, width + 1, 10)]
    lower = [(px, py + height) for px, py in reversed(upper)]
    draw.polygon([*upper, *lower], fill=(205, 30, 35))
    draw.polygon(
        _star(x + width / 2, top + 10 + height / 2 + 8 * math.sin(width / 60), 40),
        fill=(255, 220, 40),
    )


def prop_marker(canvas: Canvas) -> None:
    """A grey stone border marker on its base, with the country name and number."""
    draw = canvas.draw
    x = WIDTH * 0.3
    feet = canvas.ground_y + 40
    width, height = 90, 230
    draw.rectangle([x - 80, feet - 30, x + 80, feet + 10], fill=(160, 158, 150))
    draw.polygon(
        [(x - 80, feet - 30), (x - 70, feet - 40), (x + 90, feet - 40), (x + 80, feet - 30)],
        fill=(190, 188, 180),
    )
    face = [
        (x - width / 2, feet - 30),
        (x - width / 2 + 6, feet - 30 - height),
        (x + width / 2 - 6, feet - 30 - height),
        (x + width / 2, feet - 30),
    ]
    draw.polygon(face, fill=(214, 212, 204))
    side = [
        (x + width / 2, feet - 30),
        (x + width / 2 - 6, feet - 30 - height),
        (x + width / 2 + 16, feet - 38 - height),
        (x + width / 2 + 22, feet - 40),
    ]
    draw.polygon(side, fill=(160, 158, 150))
    cap_y = feet - 30 - height
    draw.polygon(
        [
            (x - width / 2 + 6, cap_y),
            (x, cap_y - 34),
            (x + width / 2 + 16, cap_y - 8),
            (x + width / 2 - 6, cap_y),
        ],
        fill=(190, 188, 180),
    )
    draw.ellipse([x - 20, cap_y + 14, x + 20, cap_y + 54], fill=(200, 35, 40))
    draw.polygon(_star(x, cap_y + 34, 13), fill=(255, 215, 50))
    font = _font(15, CONDENSED)
    for index, text in enumerate(("VIỆT NAM", canvas.scene.marker)):
        if text:
            width_text = draw.textlength(text, font=font)
            draw.text(
                (x - width_text / 2, cap_y + 72 + index * 30), text, font=font, fill=(150, 30, 30)
            )


def prop_houses(canvas: Canvas) -> None:
    """A hamlet: stilt houses in the hills, tiled houses on the plain."""
    draw, rng = canvas.draw, canvas.rng
    stilts = canvas.scene.land == "mountains"
    for index in range(4):
        x = 80 + index * 270 + rng.uniform(-30, 30)
        scale = rng.uniform(0.8, 1.1)
        floor = canvas.ground_y - 60 - rng.uniform(0, 30)
        w, h = 170 * scale, 70 * scale
        if stilts:
            for post in range(5):
                px = x + post * w / 4
                draw.line([px, floor, px, floor + 50 * scale], fill=(80, 55, 35), width=6)
        else:
            floor += 40
        draw.rectangle([x, floor - h, x + w, floor], fill=(150, 105, 65))
        for plank in range(1, 6):
            draw.line(
                [x, floor - h + plank * h / 6, x + w, floor - h + plank * h / 6],
                fill=(125, 85, 50),
                width=2,
            )
        draw.rectangle([x + w * 0.4, floor - h * 0.75, x + w * 0.6, floor], fill=(70, 45, 30))
        roof = (90, 80, 70) if stilts else (170, 80, 55)
        draw.polygon(
            [
                (x - 25, floor - h),
                (x + w * 0.2, floor - h - 65 * scale),
                (x + w * 0.8, floor - h - 65 * scale),
                (x + w + 25, floor - h),
            ],
            fill=roof,
        )


def prop_villagers(canvas: Canvas) -> None:
    """Villagers in bright clothes, with soldiers among them."""
    draw, rng = canvas.draw, canvas.rng
    colors = [(40, 50, 110), (180, 40, 60), (30, 30, 35), (200, 120, 40), (60, 120, 150)]
    for index in range(9):
        x = 120 + index * 115 + rng.uniform(-20, 20)
        feet = canvas.ground_y + 60 + rng.uniform(-15, 15)
        soldier = index % 3 == 1
        body = UNIFORM if soldier else colors[index % len(colors)]
        hat = HELMET if soldier else (30, 30, 35) if rng.random() < 0.5 else None
        _person(draw, x, feet, rng.uniform(140, 175), body, hat)


def prop_children(canvas: Canvas) -> None:
    """Children with school bags walking behind a soldier."""
    draw, rng = canvas.draw, canvas.rng
    feet = canvas.ground_y + 50
    road = (160, 110, 70)
    draw.polygon(
        [(0, feet - 30), (WIDTH, feet - 60), (WIDTH, feet + 40), (0, feet + 30)], fill=road
    )
    for _ in range(90):
        x, y = rng.uniform(0, WIDTH), rng.uniform(feet - 40, feet + 30)
        draw.ellipse([x - 3, y - 2, x + 3, y + 2], fill=_shade(road, -30))
    _person(draw, 820, feet, 180, UNIFORM, HELMET, step=6)
    bags = [(200, 50, 60), (40, 90, 170), (230, 170, 40), (60, 150, 90)]
    for index in range(5):
        x = 700 - index * 95
        _person(
            draw,
            x,
            feet + rng.uniform(-6, 6),
            110,
            (240, 240, 235),
            None,
            step=5 * (-1) ** index,
            pack=bags[index % len(bags)],
        )


def prop_boat(canvas: Canvas) -> None:
    """A green patrol boat with its wake."""
    draw = canvas.draw
    x, y = WIDTH * 0.48, canvas.ground_y - 20
    draw.polygon(
        [(x - 230, y), (x + 200, y), (x + 260, y - 50), (x - 240, y - 40)], fill=(60, 85, 65)
    )
    draw.line([(x - 240, y - 30), (x + 250, y - 36)], fill=(190, 40, 40), width=5)
    draw.rectangle([x - 110, y - 110, x + 60, y - 45], fill=(210, 215, 205))
    for wx in range(int(x - 95), int(x + 50), 34):
        draw.rectangle([wx, y - 96, wx + 22, y - 76], fill=(60, 80, 95))
    draw.line([x - 30, y - 110, x - 30, y - 190], fill=(200, 200, 195), width=4)
    draw.polygon([(x - 28, y - 190), (x + 20, y - 180), (x - 28, y - 168)], fill=(205, 30, 35))
    for index in range(6):
        draw.arc(
            [x - 300 - index * 60, y - 10 + index * 6, x + 300 + index * 60, y + 40 + index * 12],
            0,
            180,
            fill=(225, 235, 240),
            width=2,
        )


def prop_fishing_boats(canvas: Canvas) -> None:
    """Blue wooden fishing boats moored in a row."""
    draw, rng = canvas.draw, canvas.rng
    for index in range(4):
        x = 170 + index * 280 + rng.uniform(-20, 20)
        y = canvas.ground_y - 90 + index % 2 * 30
        w = rng.uniform(180, 230)
        draw.polygon(
            [(x - w / 2, y - 30), (x + w / 2, y - 40), (x + w / 2 - 30, y), (x - w / 2 + 20, y)],
            fill=(40, 90, 160),
        )
        draw.line([(x - w / 2, y - 26), (x + w / 2, y - 36)], fill=(200, 50, 50), width=4)
        draw.rectangle([x - 30, y - 80, x + 40, y - 34], fill=(235, 235, 225))
        draw.line([x + 5, y - 80, x + 5, y - 150], fill=(90, 70, 50), width=3)
        draw.polygon([(x + 7, y - 150), (x + 45, y - 142), (x + 7, y - 132)], fill=(205, 30, 35))


def prop_river(canvas: Canvas) -> None:
    """A river winding from the valley to the foreground."""
    draw = canvas.draw
    top = HEIGHT * 0.55
    left, right = [], []
    for step in range(41):
        y = top + (HEIGHT - top) * step / 40
        center = WIDTH * 0.55 + 120 * math.sin(step / 7)
        half = 8 + (y - top) * 0.5
        left.append((center - half, y))
        right.append((center + half, y))
    water = _mix(canvas.sky.bottom, (70, 110, 120), 0.5)
    draw.polygon([*left, *reversed(right)], fill=water)
    for (lx, ly), (rx, _ry) in zip(left[::3], right[::3], strict=True):
        draw.line(
            [(lx + (rx - lx) * 0.3, ly), (lx + (rx - lx) * 0.55, ly)],
            fill=_mix(water, (255, 255, 255), 0.35),
            width=2,
        )


def prop_post(canvas: Canvas) -> None:
    """A border-post building on the near hill."""
    draw = canvas.draw
    x, floor = WIDTH * 0.52, canvas.ground_y - 30
    draw.rectangle([x - 170, floor - 110, x + 170, floor], fill=(232, 205, 120))
    draw.polygon(
        [(x - 195, floor - 110), (x, floor - 170), (x + 195, floor - 110)], fill=(150, 60, 45)
    )
    for wx in range(int(x - 140), int(x + 140), 70):
        draw.rectangle(
            [wx, floor - 85, wx + 36, floor - 40],
            fill=(90, 120, 130),
            outline=(250, 245, 230),
            width=3,
        )
    draw.rectangle([x - 60, floor - 150, x + 60, floor - 128], fill=(190, 30, 35))


def prop_banner(canvas: Canvas) -> None:
    """A red banner with yellow lettering on the building."""
    draw = canvas.draw
    top = int(HEIGHT * 0.38) + 4
    draw.rectangle([WIDTH * 0.14, top, WIDTH * 0.86, top + 34], fill=(190, 25, 30))
    font = _font(22, CONDENSED)
    width = draw.textlength(canvas.scene.banner, font=font)
    draw.text(((WIDTH - width) / 2, top + 4), canvas.scene.banner, font=font, fill=(255, 220, 60))


def prop_blossom(canvas: Canvas) -> None:
    """A peach-blossom branch reaching in from the top-right corner."""
    draw, rng = canvas.draw, canvas.rng

    def branch(x: float, y: float, angle: float, length: float, depth: int) -> None:
        end = (x + length * math.cos(angle), y + length * math.sin(angle))
        draw.line([(x, y), end], fill=(80, 50, 40), width=max(2, depth * 3))
        for _ in range(4 if depth < 3 else 1):
            t = rng.random()
            bx, by = x + (end[0] - x) * t, y + (end[1] - y) * t
            r = rng.uniform(7, 12)
            draw.ellipse([bx - r, by - r, bx + r, by + r], fill=(240, 150, 175))
            draw.ellipse([bx - 3, by - 3, bx + 3, by + 3], fill=(200, 60, 100))
        if depth > 0:
            for turn in (-0.5, 0.45):
                branch(*end, angle + turn + rng.uniform(-0.2, 0.2), length * 0.68, depth - 1)

    branch(WIDTH + 10, -10, math.radians(150), 230, 4)


def prop_flood(canvas: Canvas) -> None:
    """Muddy flood water up to the house walls: the sky mirrored in it, ripples and debris."""
    rng = canvas.rng
    top = canvas.ground_y - 75
    mirror = canvas.image.crop((0, 0, WIDTH, HEIGHT - top)).transpose(
        Image.Transpose.FLIP_TOP_BOTTOM
    )
    mud = _textured(rng, (158, 128, 88), 10, 8).crop((0, top, WIDTH, HEIGHT))
    canvas.image.paste(Image.blend(mud, mirror, 0.3), (0, top))
    draw = canvas.draw
    draw.line([0, top, WIDTH, top], fill=(205, 190, 160), width=3)
    for _ in range(160):
        x, y = rng.uniform(0, WIDTH), rng.uniform(top + 6, HEIGHT)
        length = 14 + (y - top) * 0.15
        draw.line([x, y, x + length, y], fill=(200, 180, 140), width=2)
    for _ in range(10):
        x, y = rng.uniform(0, WIDTH), rng.uniform(top + 20, HEIGHT - 20)
        draw.line(
            [x, y, x + rng.uniform(30, 70), y - rng.uniform(-6, 6)], fill=(90, 65, 40), width=5
        )


PROPS: dict[str, Callable[[Canvas], None]] = {
    "patrol": prop_patrol,
    "ranks": prop_ranks,
    "flag": prop_flag,
    "marker": prop_marker,
    "houses": prop_houses,
    "villagers": prop_villagers,
    "children": prop_children,
    "boat": prop_boat,
    "fishing_boats": prop_fishing_boats,
    "river": prop_river,
    "post": prop_post,
    "banner": prop_banner,
    "blossom": prop_blossom,
    "flood": prop_flood,
}


def paint_label(canvas: Canvas) -> None:
    """The "ẢNH MINH HỌA" band in the top-left corner, so nobody takes it for a real photo."""
    font = _font(26)
    band = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(band)
    width = draw.textlength(LABEL, font=font)
    draw.rectangle([0, 0, width + 48, 52], fill=(20, 20, 20, 170))
    draw.text((24, 11), LABEL, font=font, fill=(255, 255, 255, 255))
    canvas.image = Image.alpha_composite(canvas.image.convert("RGBA"), band).convert("RGB")


def paint_vignette(canvas: Canvas) -> None:
    mask = Image.radial_gradient("L").resize((WIDTH, HEIGHT)).point(lambda v: max(0, v - 120))
    darker = canvas.image.point(lambda v: int(v * 0.72))
    canvas.image.paste(darker, mask=mask)


def render(scene: Scene) -> Image.Image:
    canvas = Canvas(
        Image.new("RGB", (WIDTH, HEIGHT)), random.Random(scene.seed), scene, SKIES[scene.sky]
    )
    if scene.land != "hall":
        paint_sky(canvas)
    LANDS[scene.land](canvas)
    for name in scene.props:
        PROPS[name](canvas)
    paint_vignette(canvas)
    paint_label(canvas)
    return canvas.image


# --- the sample articles' photos: path under content/articles -> scene ------------------------

DIEN_BIEN = "2022/08/tuan-tra-song-phuong-viet-nam-lao-tren-tuyen-bien-gioi-dien-bien"
SON_LA = "2022/08/triet-pha-duong-day-mua-ban-trai-phep-chat-ma-tuy-qua-bien-gioi-son-la"
HA_GIANG = "2022/09/bo-doi-bien-phong-ha-giang-hoan-thanh-huan-luyen-chien-si-moi-nam-2022"
KON_TUM = "2022/09/nang-buoc-em-toi-truong-o-vung-bien-kon-tum"
QUANG_BINH = "2022/10/bo-doi-bien-phong-quang-binh-giup-dan-vung-bien-ung-pho-mua-lu"
NGHE_AN = "2022/10/kiem-tra-he-thong-moc-quoc-gioi-sau-mua-lu-tren-tuyen-bien-gioi-nghe-an"
LANG_SON = "2022/11/hoi-dam-dinh-ky-voi-luc-luong-quan-ly-bien-gioi-trung-quoc-tai-lang-son"
LAO_CAI = "2022/12/bo-chi-huy-bdbp-lao-cai-tong-ket-cong-tac-dang-cong-tac-chinh-tri-nam-2022"
LAI_CHAU = "2023/01/tham-chuc-tet-can-bo-chien-si-cac-don-bien-phong-tren-tuyen-bien-gioi-lai-chau"
CAO_BANG = "2023/01/xuan-bien-phong-am-long-dan-ban-o-vung-bien-cao-bang"
TAY_NINH = "2023/02/ngan-chan-duong-day-buon-lau-duong-cat-qua-bien-gioi-tay-ninh"
QUANG_NINH = "2023/02/bo-doi-bien-phong-quang-ninh-ra-quan-huan-luyen-nam-2023"
THANH_HOA = "2023/03/thanh-hoa-gap-mat-ky-niem-64-nam-ngay-truyen-thong-bo-doi-bien-phong"
CA_MAU = "2023/03/tuyen-truyen-ngu-dan-ca-mau-chong-khai-thac-hai-san-bat-hop-phap"

PHOTOS: dict[str, Scene] = {
    f"{DIEN_BIEN}/tuan-tra-tren-duong-bien-gioi.jpg": Scene(
        1101, "morning", "mountains", ("patrol", "marker"), marker="127"
    ),
    f"{DIEN_BIEN}/cot-moc-quoc-gioi.jpg": Scene(
        1102, "day", "mountains", ("marker", "flag"), marker="128"
    ),
    f"{SON_LA}/to-cong-tac-tren-duong-mon.jpg": Scene(1201, "dusk", "mountains", ("patrol",)),
    f"{HA_GIANG}/le-be-mac-huan-luyen.jpg": Scene(1301, "morning", "yard", ("ranks", "flag")),
    f"{KON_TUM}/dua-em-den-truong.jpg": Scene(1401, "morning", "mountains", ("children",)),
    f"{KON_TUM}/ban-lang-vung-bien.jpg": Scene(1402, "day", "mountains", ("houses", "villagers")),
    f"{QUANG_BINH}/nuoc-lu-dang-cao.jpg": Scene(1501, "overcast", "plain", ("houses", "flood")),
    f"{NGHE_AN}/kiem-tra-moc-sau-lu.jpg": Scene(
        1601, "overcast", "mountains", ("river", "patrol", "marker"), marker="312"
    ),
    f"{LANG_SON}/khu-vuc-cua-khau.jpg": Scene(
        1801, "day", "yard", ("flag", "banner"), banner="ĐỒN BIÊN PHÒNG CỬA KHẨU"
    ),
    f"{LANG_SON}/tuan-tra-khu-vuc-moc.jpg": Scene(
        1802, "morning", "mountains", ("patrol", "marker"), marker="1086"
    ),
    f"{LAO_CAI}/hoi-truong-tong-ket.jpg": Scene(
        2001, "day", "hall", banner="HỘI NGHỊ TỔNG KẾT CÔNG TÁC NĂM 2022"
    ),
    f"{LAI_CHAU}/don-bien-phong-don-xuan.jpg": Scene(
        2101,
        "morning",
        "yard",
        ("ranks", "flag", "banner", "blossom"),
        banner="MỪNG ĐẢNG – MỪNG XUÂN QUÝ MÃO 2023",
    ),
    f"{LAI_CHAU}/doanh-trai-giua-nui-rung.jpg": Scene(
        2102, "day", "mountains", ("post", "flag", "blossom")
    ),
    f"{CAO_BANG}/dan-ban-don-xuan.jpg": Scene(
        2201, "day", "mountains", ("houses", "villagers", "blossom")
    ),
    f"{CAO_BANG}/san-chuong-trinh.jpg": Scene(
        2202, "morning", "yard", ("ranks", "banner"), banner="XUÂN BIÊN PHÒNG ẤM LÒNG DÂN BẢN"
    ),
    f"{CAO_BANG}/ban-lang-ven-song.jpg": Scene(2203, "dusk", "mountains", ("river", "houses")),
    f"{TAY_NINH}/tuan-tra-duong-mon.jpg": Scene(
        2301, "dusk", "plain", ("patrol", "marker"), marker="172"
    ),
    f"{QUANG_NINH}/le-ra-quan.jpg": Scene(
        2401, "day", "yard", ("ranks", "flag", "banner"), banner="RA QUÂN HUẤN LUYỆN NĂM 2023"
    ),
    f"{QUANG_NINH}/tau-tuan-tra-tren-vinh.jpg": Scene(2402, "morning", "sea", ("boat",)),
    f"{THANH_HOA}/hoi-truong-ky-niem.jpg": Scene(
        2501, "day", "hall", banner="KỶ NIỆM 64 NĂM NGÀY TRUYỀN THỐNG BĐBP"
    ),
    f"{CA_MAU}/tau-tuan-tra-tren-bien.jpg": Scene(2601, "day", "sea", ("boat",)),
    f"{CA_MAU}/tau-ca-neo-dau.jpg": Scene(2602, "morning", "sea", ("fishing_boats",)),
}


def write_photos(content: Path) -> list[tuple[Path, int]]:
    written = []
    for relative, scene in PHOTOS.items():
        target = content / relative
        if not target.parent.is_dir():
            raise SystemExit(f"{target.parent}: article folder not found")
        render(scene).save(target, "JPEG", quality=QUALITY, optimize=True, progressive=True)
        size = target.stat().st_size
        if size > MAX_BYTES:
            raise SystemExit(
                f"{target}: {size} bytes, over the {MAX_BYTES} budget; simplify the scene"
            )
        written.append((target, size))
    return written


# --- the paper's card ------------------------------------------------------------------------

BRAND: RGB = (31, 77, 43)  # theme/static/css/site.css --brand
BRAND_DARK: RGB = (20, 54, 32)
GOLD: RGB = (217, 180, 74)  # the emblem's gold (theme/static/img/logo.svg)
ACCENT: RGB = (163, 38, 28)


def render_card(name: str, tagline: str = "") -> Image.Image:
    """The emblem of theme/static/img/logo.svg and the paper's name on its green, 1200x630
    (the social card ratio), drawn at twice the size and reduced, so edges are smooth."""
    scale = 2
    width, height = CARD_SIZE[0] * scale, CARD_SIZE[1] * scale
    image = Image.new("RGB", (width, height), BRAND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height - 36 * scale, width, height], fill=BRAND_DARK)
    draw.rectangle([0, height - 42 * scale, width, height - 36 * scale], fill=ACCENT)
    # The emblem: a green disc with a gold ring and a gold five-pointed star (logo.svg, 48 units).
    unit = 330 * scale / 48
    cx, cy = 100 * scale + 24 * unit, (height - 42 * scale) / 2
    disc = 23 * unit
    edge = round(1.2 * unit)
    draw.ellipse([cx - disc, cy - disc, cx + disc, cy + disc], BRAND_DARK, GOLD, edge)
    ring = 19 * unit
    draw.ellipse([cx - ring, cy - ring, cx + ring, cy + ring], outline=GOLD, width=round(2 * unit))
    draw.polygon(_star(cx, cy + 1.2 * unit, 15.2 * unit), fill=GOLD)
    left, right = cx + disc + 70 * scale, width - 70 * scale
    words = name.upper().split()
    lines = [" ".join(words[:3]), " ".join(words[3:])] if len(words) > 3 else [name.upper()]
    size = 92 * scale
    font = _font(size, SERIF_BOLD)
    while max(draw.textlength(line, font=font) for line in lines) > right - left:
        size -= 2 * scale
        font = _font(size, SERIF_BOLD)
    small = _font(30 * scale)
    block = len(lines) * size * 1.25 + (100 * scale if tagline else 0)
    y = cy - block / 2
    for line in lines:
        draw.text((left, y), line, font=font, fill=(255, 255, 255))
        y += size * 1.25
    if tagline:
        y += 20 * scale  # below the dots under the letters (Ị, Ọ)
        draw.rectangle([left, y, left + 120 * scale, y + 6 * scale], fill=GOLD)
        y += 30 * scale
        while draw.textlength(tagline, font=small) > right - left:
            small = _font(small.size - 2 * scale)
        draw.text((left, y), tagline, font=small, fill=GOLD)
    return image.resize(CARD_SIZE, Image.Resampling.LANCZOS)


def write_card(target: Path = CARD) -> Path:
    """The card, with the name and tagline of newsroom.toml, as a PNG with no metadata: Pillow
    writes no text, EXIF or ICC chunk unless asked. Quantized: a flat drawing needs few
    colours, and the file stays small."""
    site = tomllib.loads((CARD.parents[3] / "newsroom.toml").read_text("utf-8"))["site"]
    card = render_card(site["name"], site["tagline"])
    card = card.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    card.save(target, "PNG", optimize=True)
    return target


if __name__ == "__main__" and sys.argv[1:2] == ["--card"]:
    path = write_card(Path(sys.argv[2]) if len(sys.argv) > 2 else CARD)
    print(f"{path.stat().st_size:>7}  {path}")
elif __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else CONTENT
    for path, size in write_photos(root):
        print(f"{size:>7}  {path}")
