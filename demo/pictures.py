"""Abstract illustrations for the demo stories, drawn with Pillow.

Each picture is a small composition (a skyline at dusk, hills, waves, orbits,
bold shapes, a running track) in its section's palette. The same seed always
draws the same picture. 1200 pixels wide is enough: the widest rendition is
``max(settings.RENDITION_WIDTHS)``, 1200, and a wider original would only
make seeding slower.
"""

import random
from io import BytesIO
from math import pi, sin

from PIL import Image, ImageDraw, ImageFilter, ImageOps

SIZE = (1200, 750)

# Per section: dark, deep, mid, warm, light. Colours chosen to read well behind white headlines.
PALETTES = {
    "politics": [(22, 32, 64), (48, 70, 130), (196, 74, 62), (236, 160, 92), (250, 226, 190)],
    "world": [(14, 46, 64), (26, 96, 120), (70, 160, 170), (232, 196, 120), (244, 238, 220)],
    "business": [(24, 30, 38), (44, 76, 92), (86, 150, 120), (214, 178, 76), (236, 240, 230)],
    "science": [(10, 14, 40), (40, 36, 110), (92, 90, 200), (120, 220, 210), (240, 244, 255)],
    "culture": [(56, 20, 48), (160, 50, 90), (240, 120, 80), (250, 200, 70), (252, 240, 224)],
    "sport": [(18, 50, 30), (40, 120, 70), (214, 80, 40), (240, 200, 60), (246, 246, 240)],
}
COMPOSITIONS = {
    "politics": ["skyline", "blocks", "hills"],
    "world": ["waves", "hills", "skyline"],
    "business": ["skyline", "waves", "blocks"],
    "science": ["orbits", "hills", "waves"],
    "culture": ["blocks", "orbits", "skyline"],
    "sport": ["track", "hills", "blocks"],
}
DESCRIPTIONS = {
    "skyline": (
        "A city skyline at dusk",
        "dark towers of different heights against a {sky} sky, a low sun behind them",
    ),
    "hills": ("Rolling hills under a low sun", "layers of hills fading into the distance under a {sky} sky"),
    "waves": ("Waves on an open sea", "rows of waves rolling toward a far horizon under a {sky} sky"),
    "orbits": ("Planets on their orbits", "rings and small bright planets circling a glowing centre on a {sky} ground"),
    "blocks": ("Bold shapes in the style of a poster", "circles, bars and triangles overlapping on a {sky} ground"),
    "track": ("Lanes of a running track", "curved lanes of a running track sweeping across a {sky} ground"),
}
SKY_WORDS = {
    "politics": "deep blue and amber",
    "world": "teal and sand",
    "business": "slate and gold",
    "science": "midnight blue",
    "culture": "plum and coral",
    "sport": "green and orange",
}


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _varied(palette, rng):
    """The section's palette, warmed or cooled a little so its pictures are not all alike."""
    shift = rng.uniform(-0.12, 0.12)
    target = (255, 190, 120) if shift > 0 else (90, 130, 220)
    return [_mix(colour, target, abs(shift)) for colour in palette]


def _vertical_gradient(size, top, bottom):
    """Coloured in a one-pixel strip, then stretched: colouring the full image costs ten times more."""
    strip = ImageOps.colorize(Image.linear_gradient("L").resize((1, size[1])), top, bottom)
    return strip.resize(size, Image.Resampling.NEAREST)


def _sun(draw, rng, w, horizon, colour):
    r = rng.randint(w // 14, w // 8)
    cx = rng.randint(r * 2, w - r * 2)
    cy = horizon - rng.randint(r // 2, r * 2)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*colour, 235))


def _skyline(image, rng, palette):
    w, h = image.size
    dark, deep, _mid, warm, light = palette
    horizon = int(h * rng.uniform(0.62, 0.74))
    image.paste(_vertical_gradient((w, horizon), deep, warm), (0, 0))
    draw = ImageDraw.Draw(image, "RGBA")
    _sun(draw, rng, w, horizon, light)
    for depth, shade in enumerate((0.55, 0.3, 0.0)):
        colour = _mix(dark, deep, shade)
        x = rng.randint(-60, 0)
        while x < w:
            width = rng.randint(w // 24, w // 9)
            top = horizon - rng.randint(h // 12, int(h / (3 - depth * 0.6)))
            draw.rectangle((x, top, x + width, horizon), fill=(*colour, 255))
            if depth == 2 and rng.random() < 0.5:
                for wy in range(top + 14, horizon - 10, 22):
                    for wx in range(x + 8, x + width - 8, 18):
                        if rng.random() < 0.3:
                            draw.rectangle((wx, wy, wx + 6, wy + 9), fill=(*light, 150))
            x += width + rng.randint(-10, 16)
    image.paste(_vertical_gradient((w, h - horizon), dark, deep), (0, horizon))
    for y in range(horizon + 8, h, 14):
        half = rng.randint(w // 30, w // 10)
        cx = rng.randint(w // 4, w * 3 // 4)
        draw.line((cx - half, y, cx + half, y), fill=(*warm, 90), width=3)


def _hills(image, rng, palette):
    w, h = image.size
    dark, _deep, mid, warm, light = palette
    image.paste(_vertical_gradient((w, h), light, warm), (0, 0))
    draw = ImageDraw.Draw(image, "RGBA")
    _sun(draw, rng, w, int(h * 0.55), _mix(light, warm, 0.2))
    layers = 4
    for i in range(layers):
        base = int(h * (0.45 + i * 0.14))
        amplitude = rng.randint(h // 20, h // 8)
        wavelength = rng.uniform(0.6, 1.6) * w
        phase = rng.uniform(0, 2 * pi)
        colour = _mix(mid, dark, i / (layers - 1))
        points = [(x, base - amplitude * sin(2 * pi * x / wavelength + phase)) for x in range(0, w + 40, 40)]
        draw.polygon([(0, h), *points, (w, h)], fill=(*colour, 255))


def _waves(image, rng, palette):
    w, h = image.size
    dark, deep, mid, warm, light = palette
    horizon = int(h * rng.uniform(0.4, 0.55))
    image.paste(_vertical_gradient((w, horizon), light, warm), (0, 0))
    image.paste(_vertical_gradient((w, h - horizon), mid, dark), (0, horizon))
    draw = ImageDraw.Draw(image, "RGBA")
    _sun(draw, rng, w, horizon, _mix(light, warm, 0.5))
    draw.rectangle((0, horizon, w, h), fill=(*mid, 255))
    rows = 9
    for i in range(rows):
        t = i / (rows - 1)
        y = horizon + int((h - horizon) * t**1.4)
        amplitude = 4 + 26 * t
        wavelength = 60 + 220 * t
        phase = rng.uniform(0, 2 * pi)
        colour = _mix(deep, dark, t)
        points = [(x, y - amplitude * sin(2 * pi * x / wavelength + phase)) for x in range(0, w + 20, 20)]
        draw.polygon([(0, h), *points, (w, h)], fill=(*colour, 255))
        draw.line(points, fill=(*light, 110), width=2)


def _orbits(image, rng, palette):
    w, h = image.size
    dark, deep, mid, warm, light = palette
    image.paste(_vertical_gradient((w, h), dark, deep), (0, 0))
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(140):
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.choice((1, 1, 1, 2))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*light, rng.randint(80, 200)))
    cx, cy = int(w * rng.uniform(0.3, 0.7)), int(h * rng.uniform(0.4, 0.6))
    for i in range(5, 0, -1):
        glow = 30 + i * 24
        draw.ellipse((cx - glow, cy - glow, cx + glow, cy + glow), fill=(*warm, 28))
    draw.ellipse((cx - 38, cy - 38, cx + 38, cy + 38), fill=(*light, 255))
    for i in range(1, 6):
        rx, ry = 90 + i * 95, 40 + i * 42
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), outline=(*mid, 170), width=3)
        angle = rng.uniform(0, 2 * pi)
        px, py = cx + rx * sin(angle), cy + ry * sin(angle + pi / 2)
        pr = rng.randint(9, 26)
        draw.ellipse((px - pr, py - pr, px + pr, py + pr), fill=(*rng.choice((warm, mid, light)), 255))


def _blocks(image, rng, palette):
    w, h = image.size
    dark, deep, mid, warm, light = palette
    image.paste(Image.new("RGB", (w, h), light), (0, 0))
    draw = ImageDraw.Draw(image, "RGBA")
    colours = [dark, deep, mid, warm]
    for _ in range(rng.randint(7, 11)):
        colour = (*rng.choice(colours), rng.randint(170, 240))
        kind = rng.choice(("circle", "bar", "triangle"))
        x, y = rng.randint(-w // 8, w), rng.randint(-h // 8, h)
        size = rng.randint(h // 6, h // 2)
        if kind == "circle":
            draw.ellipse((x, y, x + size, y + size), fill=colour)
        elif kind == "bar":
            if rng.random() < 0.5:
                draw.rectangle((x, y, x + size * 2, y + size // 4), fill=colour)
            else:
                draw.rectangle((x, y, x + size // 4, y + size * 2), fill=colour)
        else:
            draw.polygon([(x, y + size), (x + size, y + size), (x + size // 2, y)], fill=colour)


def _track(image, rng, palette):
    w, h = image.size
    dark, deep, mid, warm, light = palette
    image.paste(_vertical_gradient((w, h), deep, dark), (0, 0))
    draw = ImageDraw.Draw(image, "RGBA")
    cx, cy = int(w * rng.uniform(0.9, 1.3)), int(h * rng.uniform(1.1, 1.4))
    for i in range(8):
        r = int(h * 0.5) + i * 70
        draw.ellipse((cx - r * 1.6, cy - r, cx + r * 1.6, cy + r), outline=(*mid, 255), width=46)
        draw.ellipse((cx - r * 1.6, cy - r, cx + r * 1.6, cy + r), outline=(*light, 200), width=4)
    bx, by, br = int(w * rng.uniform(0.15, 0.35)), int(h * rng.uniform(0.2, 0.4)), rng.randint(50, 90)
    draw.ellipse((bx - br, by - br, bx + br, by + br), fill=(*warm, 255))


DRAW = {
    "skyline": _skyline,
    "hills": _hills,
    "waves": _waves,
    "orbits": _orbits,
    "blocks": _blocks,
    "track": _track,
}


def draw_picture(section_slug, seed, size=None):
    """A JPEG illustration for a story in ``section_slug``: ``(jpeg_bytes, title, description)``.

    The title suits a caption ("A city skyline at dusk"); the description is
    alt text that says what the picture shows.
    """
    rng = random.Random(seed)
    palette = _varied(PALETTES.get(section_slug, PALETTES["politics"]), rng)
    composition = rng.choice(COMPOSITIONS.get(section_slug, list(DRAW)))
    image = Image.new("RGB", size or SIZE)
    DRAW[composition](image, rng, palette)
    if rng.random() < 0.5:
        image = ImageOps.mirror(image)
    image = image.filter(ImageFilter.SMOOTH)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=84)
    title, description = DESCRIPTIONS[composition]
    sky = SKY_WORDS.get(section_slug, "blue")
    return buffer.getvalue(), title, f"Abstract illustration: {description.format(sky=sky)}."
