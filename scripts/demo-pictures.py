#!/usr/bin/env python3
"""Regenerate the demo's pictures in src/demo/pictures/ (embedded by src/demo/pictures.rs).

How to run, from the repository root:

    apt-get install -y fonts-noto-cjk     # a CJK font (fonts-wqy-zenhei works too)
    pip install pillow                    # Pillow >= 9.1 (made with Pillow 13.0)
    python3 scripts/demo-pictures.py      # writes src/demo/pictures/*

Options: --out DIR (default src/demo/pictures), --font PATH (a .ttc/.ttf/.otf with
Chinese glyphs; default: the first of Noto Sans CJK, WenQuanYi Zen Hei found). The
environment variable MASTHEAD_CJK_FONT does the same as --font.

What it makes (all drawn here from simple shapes: no photos, nothing downloaded):
  training.jpg, procuratorate.jpg, discussion.jpg, roundtable.jpg, quiz.jpg
      1600x1067 baseline JPEG, quality 82, caption band at the bottom
      (training.jpg also carries EXIF: Orientation 1, a camera model and a fake GPS
      position in Nanshan, Shenzhen, so the server's metadata stripping has something
      to strip)
  issue85-cover.jpg   900x1260 baseline JPEG, the cover of issue 85
  logo.png            360x96 RGBA PNG, transparent background: an emblem, a small
                      南方 and the wordmark 大视野 (the site is 南方大视野)

All randomness is seeded, so two runs with the same Pillow and the same font give the
same pictures, byte for byte (the committed files were made with Pillow 13.0.0 and
Debian's fonts-noto-cjk 1:20220127+repack1-1, Noto Sans CJK SC Bold; another font or
Pillow version draws the same scenes with slightly different pixels). Each file is checked against its size budget (photos and cover <= 250 KB,
logo <= 30 KB, all together <= 1.5 MB); the script fails if one is over.
"""

import argparse
import os
import random
import sys

try:
    from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
except ImportError:  # pragma: no cover - a message for the person running it
    sys.exit("demo-pictures.py needs Pillow: pip install pillow")

RESAMPLE = Image.Resampling.LANCZOS

PHOTO_W, PHOTO_H = 1600, 1067
COVER_W, COVER_H = 900, 1260
LOGO_W, LOGO_H = 360, 96
SS = 2  # supersampling: scenes are drawn at twice the size, then scaled down
JPEG_QUALITY = 82

PHOTO_BUDGET = 250 * 1024
LOGO_BUDGET = 30 * 1024
TOTAL_BUDGET = 1536 * 1024

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
]

CAPTIONS = {
    "training": "南山区儿童主任网络安全专题培训暨护苗工作站交流活动",
    "procuratorate": "南山区人民检察院第三检察部主任林婷解读《未成年人保护法》",
    "discussion": "儿童主任积极参与互动讨论",
    "roundtable": "“合力加强未成年人网络素养教育”圆桌论坛",
    "quiz": "未成年人网络保护知识问答",
}


# --------------------------------------------------------------------------- fonts


class Fonts:
    """Finds a CJK font and hands out sizes of it (the Simplified Chinese face of a .ttc)."""

    def __init__(self, path):
        self.path = path
        self.index = 0
        self._cache = {}
        if path.lower().endswith(".ttc"):
            # Noto's collections hold JP, KR, SC, TC, HK faces: take SC for mainland glyphs.
            for i in range(12):
                try:
                    name = ImageFont.truetype(path, 12, index=i).getname()[0]
                except OSError:
                    break
                if "SC" in name.split():
                    self.index = i
                    break
        probe = ImageFont.truetype(path, 40, index=self.index)
        if not has_glyph(probe, "视"):
            sys.exit(f"{path} has no Chinese glyphs: install fonts-noto-cjk or pass --font")
        self.name = " ".join(probe.getname())

    def __call__(self, size):
        size = int(round(size))
        if size not in self._cache:
            self._cache[size] = ImageFont.truetype(self.path, size, index=self.index)
        return self._cache[size]


def has_glyph(font, ch):
    """Whether the font draws `ch` as something other than its missing-glyph box."""
    mask = font.getmask(ch)
    return mask.getbbox() is not None and bytes(mask) != bytes(font.getmask("\uffff"))


def find_font(explicit):
    if explicit:
        if not os.path.exists(explicit):
            sys.exit(f"font not found: {explicit}")
        return explicit
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return path
    sys.exit(
        "no CJK font found: apt-get install -y fonts-noto-cjk (or fonts-wqy-zenhei), "
        "or pass --font PATH"
    )


# --------------------------------------------------------------------------- drawing


def rgb(hex_color, alpha=None):
    h = hex_color.lstrip("#")
    c = tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))
    return c if alpha is None else c + (alpha,)


def mix(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


class Canvas:
    """An RGB picture drawn in logical coordinates, stored `scale` times larger."""

    def __init__(self, w, h, fonts, scale=SS, color=(0, 0, 0)):
        self.w, self.h, self.s = w, h, scale
        self.fonts = fonts
        self.img = Image.new("RGB", (w * scale, h * scale), color)
        self.draw = ImageDraw.Draw(self.img, "RGBA")

    def _p(self, v):
        return int(round(v * self.s))

    def _box(self, box):
        return [self._p(v) for v in box]

    def rect(self, box, fill, outline=None, width=0):
        self.draw.rectangle(self._box(box), fill=fill, outline=outline, width=self._p(width))

    def rounded(self, box, radius, fill, outline=None, width=0):
        self.draw.rounded_rectangle(
            self._box(box), radius=self._p(radius), fill=fill, outline=outline,
            width=self._p(width),
        )

    def ellipse(self, box, fill, outline=None, width=0):
        self.draw.ellipse(self._box(box), fill=fill, outline=outline, width=self._p(width))

    def circle(self, cx, cy, r, fill, outline=None, width=0):
        self.ellipse((cx - r, cy - r, cx + r, cy + r), fill, outline, width)

    def polygon(self, pts, fill, outline=None):
        self.draw.polygon([(self._p(x), self._p(y)) for x, y in pts], fill=fill, outline=outline)

    def line(self, pts, fill, width=1):
        self.draw.line([(self._p(x), self._p(y)) for x, y in pts], fill=fill, width=self._p(width))

    def pieslice(self, box, start, end, fill):
        self.draw.pieslice(self._box(box), start, end, fill=fill)

    def text(self, xy, text, size, fill, anchor="la", stroke=0, stroke_fill=None):
        font = self.fonts(size * self.s)
        self.draw.text(
            (self._p(xy[0]), self._p(xy[1])), text, font=font, fill=fill, anchor=anchor,
            stroke_width=self._p(stroke), stroke_fill=stroke_fill,
        )

    def text_width(self, text, size):
        font = self.fonts(size * self.s)
        return font.getlength(text) / self.s

    def fit_text(self, xy, text, size, max_width, fill, anchor="la", **kw):
        """Draws text at `size`, or smaller so that it fits in `max_width`."""
        while size > 8 and self.text_width(text, size) > max_width:
            size -= 1
        self.text(xy, text, size, fill, anchor=anchor, **kw)
        return size

    def vgradient(self, box, top, bottom):
        """Fills box with a vertical gradient from colour `top` to `bottom`."""
        x0, y0, x1, y1 = self._box(box)
        w, h = max(1, x1 - x0), max(1, y1 - y0)
        mask = Image.linear_gradient("L").resize((w, h), RESAMPLE)
        a = Image.new("RGB", (w, h), top)
        b = Image.new("RGB", (w, h), bottom)
        self.img.paste(Image.composite(b, a, mask), (x0, y0))

    def hgradient(self, box, left, right):
        x0, y0, x1, y1 = self._box(box)
        w, h = max(1, x1 - x0), max(1, y1 - y0)
        mask = Image.linear_gradient("L").rotate(90, expand=True).transpose(
            Image.Transpose.FLIP_LEFT_RIGHT
        ).resize((w, h), RESAMPLE)
        a = Image.new("RGB", (w, h), left)
        b = Image.new("RGB", (w, h), right)
        self.img.paste(Image.composite(b, a, mask), (x0, y0))

    def glow(self, cx, cy, rx, ry, color, strength=0.6):
        """A soft radial light: `color` at the centre fading out at radius rx, ry."""
        x0, y0 = self._p(cx - rx), self._p(cy - ry)
        w, h = max(2, self._p(2 * rx)), max(2, self._p(2 * ry))
        mask = Image.radial_gradient("L").resize((w, h), RESAMPLE)
        # radial_gradient is 0 at the centre and 181 at the middle of each edge: fade to 0 there
        def falloff(v):
            t = max(0.0, 1.0 - v / 181.0)
            return int(255 * t * t * (3 - 2 * t) * strength)

        mask = mask.point(falloff)
        layer = Image.new("RGB", (w, h), color)
        region = self.img.crop((x0, y0, x0 + w, y0 + h))
        region = Image.composite(layer, region, mask)
        self.img.paste(region, (x0, y0))

    def shadow(self, box, radius=0, blur=12, alpha=90):
        """A blurred dark shape under something that stands on the floor."""
        pad = blur * 3
        x0, y0, x1, y1 = self._box(box)
        w, h = x1 - x0 + 2 * self._p(pad), y1 - y0 + 2 * self._p(pad)
        mask = Image.new("L", (w, h), 0)
        ImageDraw.Draw(mask).rounded_rectangle(
            (self._p(pad), self._p(pad), w - self._p(pad), h - self._p(pad)),
            radius=self._p(radius), fill=alpha,
        )
        mask = mask.filter(ImageFilter.GaussianBlur(self._p(blur)))
        ox, oy = x0 - self._p(pad), y0 - self._p(pad)
        region = self.img.crop((ox, oy, ox + w, oy + h))
        region = Image.composite(Image.new("RGB", (w, h), (10, 10, 16)), region, mask)
        self.img.paste(region, (ox, oy))

    def blur_region(self, box, radius, feather=0):
        """Blurs part of the picture (depth of field), fading in over `feather` from the top."""
        b = self._box(box)
        part = self.img.crop(b)
        blurred = part.filter(ImageFilter.GaussianBlur(self._p(radius)))
        if feather:
            w, h = part.size
            f = min(h, self._p(feather))
            ramp = Image.linear_gradient("L").resize((w, f), RESAMPLE)
            mask = Image.new("L", (w, h), 255)
            mask.paste(ramp, (0, 0))
            blurred = Image.composite(blurred, part, mask)
        self.img.paste(blurred, b[:2])

    def clipped(self):
        """A transparent layer to draw on; `paste_clipped` keeps only what falls in a box."""
        layer = Image.new("RGBA", self.img.size, (0, 0, 0, 0))
        return layer, ImageDraw.Draw(layer)

    def paste_clipped(self, layer, box):
        b = self._box(box)
        part = layer.crop(b)
        self.img.paste(part, b[:2], part)

    def finish(self):
        """The picture at its real size."""
        if self.s == 1:
            return self.img.copy()
        return self.img.resize((self.w, self.h), RESAMPLE)


def add_grain(img, seed, amount=6, blur=0.5, chroma=2):
    """Adds seeded film grain, so the picture compresses like a photo and looks less flat."""
    rnd = random.Random(seed)
    w, h = img.size

    def noise_plane(amp):
        raw = Image.frombytes("L", (w, h), rnd.randbytes(w * h))
        if blur:
            raw = raw.filter(ImageFilter.GaussianBlur(blur))
            # blurring uniform noise narrows it: stretch it back around 128
            raw = raw.point(lambda v: max(0, min(255, 128 + int((v - 128) * 2.2))))
        return raw.point(lambda v: 128 + int(round((v - 128) * amp / 128)))

    luma = noise_plane(amount)
    planes = []
    for _ in range(3):
        if chroma:
            planes.append(ImageChops.add(luma, noise_plane(chroma), 1.0, -128))
        else:
            planes.append(luma)
    noise = Image.merge("RGB", planes)
    return ImageChops.add(img, noise, 1.0, -128)


def vignette(img, strength=0.35):
    w, h = img.size
    mask = Image.radial_gradient("L").resize((w, h), RESAMPLE)
    mask = mask.point(lambda v: int(max(0, v - 110) / 145 * 255 * strength))
    return Image.composite(Image.new("RGB", (w, h), (8, 8, 12)), img, mask)


def caption_band(img, fonts, text, height=104):
    """A dark translucent band at the bottom of a photo with its caption in white."""
    w, h = img.size
    base = img.convert("RGBA")
    band = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(band)
    # a short fade above the band, then the band itself
    fade = 40
    for i in range(fade):
        a = int(150 * (i / fade) ** 2)
        d.line([(0, h - height - fade + i), (w, h - height - fade + i)], fill=(12, 14, 22, a))
    d.rectangle((0, h - height, w, h), fill=(12, 14, 22, 170))
    d.rectangle((56, h - height + 30, 62, h - 30), fill=(214, 40, 40, 255))  # red tick
    size = 44
    max_w = w - 56 - 24 - 56
    while fonts(size).getlength(text) > max_w:
        size -= 1
    d.text(
        (84, h - height / 2), text, font=fonts(size), fill=(255, 255, 255, 255), anchor="lm",
    )
    return Image.alpha_composite(base, band).convert("RGB")


# --------------------------------------------------------------------------- people

SKIN = [rgb("#f1c9a5"), rgb("#e8b890"), rgb("#d9a57c"), rgb("#f5d3b3"), rgb("#c99068")]
HAIR = [rgb("#1b1714"), rgb("#2a211b"), rgb("#3b2c22"), rgb("#121212"), rgb("#4a3527")]
SHIRTS = [
    rgb("#f2f2ee"), rgb("#2f4a7a"), rgb("#b23a3a"), rgb("#3f6f5a"), rgb("#d8c7a8"),
    rgb("#6b6f78"), rgb("#25324a"), rgb("#c98a3a"), rgb("#7a4b8c"), rgb("#e6e1d6"),
]


class Crowd:
    """Hands out seeded looks so the same scene always has the same people."""

    def __init__(self, seed):
        self.rnd = random.Random(seed)

    def look(self):
        r = self.rnd
        return {
            "skin": r.choice(SKIN),
            "hair": r.choice(HAIR),
            "shirt": r.choice(SHIRTS),
            "long_hair": r.random() < 0.55,  # most children's directors are women
        }


def person_front(c, x, y, r, look, arms="down", lanyard=False, tie=False):
    """A person facing the viewer: head centre (x, y), head radius r."""
    shirt = look["shirt"]
    dark = mix(shirt, (0, 0, 0), 0.25)
    if look["long_hair"]:
        c.rounded((x - 1.15 * r, y - 0.9 * r, x + 1.15 * r, y + 1.9 * r), 0.9 * r, look["hair"])
    # torso
    c.rounded((x - 1.75 * r, y + 1.35 * r, x + 1.75 * r, y + 5.2 * r), 0.9 * r, shirt)
    c.polygon(
        [(x - 0.45 * r, y + 1.3 * r), (x + 0.45 * r, y + 1.3 * r), (x, y + 2.1 * r)],
        mix(look["skin"], (0, 0, 0), 0.1),
    )
    if tie:
        c.polygon(
            [(x - 0.18 * r, y + 1.9 * r), (x + 0.18 * r, y + 1.9 * r), (x + 0.25 * r, y + 3.6 * r),
             (x, y + 3.9 * r), (x - 0.25 * r, y + 3.6 * r)],
            rgb("#8c1f28"),
        )
    if lanyard:
        c.line([(x - 0.6 * r, y + 1.5 * r), (x, y + 3.0 * r), (x + 0.6 * r, y + 1.5 * r)],
               rgb("#c0302f"), width=max(1, 0.12 * r))
        c.rect((x - 0.35 * r, y + 3.0 * r, x + 0.35 * r, y + 3.6 * r), rgb("#f4f4f4"))
    if arms == "up":  # one hand raised
        c.rounded((x + 1.2 * r, y - 1.6 * r, x + 1.9 * r, y + 2.6 * r), 0.35 * r, dark)
        c.circle(x + 1.55 * r, y - 1.8 * r, 0.42 * r, look["skin"])
    # neck, head, hair
    c.rect((x - 0.32 * r, y + 0.7 * r, x + 0.32 * r, y + 1.45 * r), mix(look["skin"], (0, 0, 0), 0.08))
    c.ellipse((x - 0.85 * r, y - 1.0 * r, x + 0.85 * r, y + 1.05 * r), look["skin"])
    c.pieslice((x - 0.95 * r, y - 1.12 * r, x + 0.95 * r, y + 0.5 * r), 180, 360, look["hair"])
    # a hint of eyes
    c.circle(x - 0.32 * r, y + 0.05 * r, 0.07 * r, rgb("#2a1f1a"))
    c.circle(x + 0.32 * r, y + 0.05 * r, 0.07 * r, rgb("#2a1f1a"))


def person_back(c, x, y, r, look):
    """A person seen from behind (audience): head centre (x, y), head radius r."""
    shirt = look["shirt"]
    c.rounded((x - 1.8 * r, y + 1.1 * r, x + 1.8 * r, y + 5.0 * r), 0.95 * r, shirt)
    c.rect((x - 0.35 * r, y + 0.6 * r, x + 0.35 * r, y + 1.3 * r), mix(look["skin"], (0, 0, 0), 0.2))
    c.ellipse((x - 0.9 * r, y - 1.0 * r, x + 0.9 * r, y + 1.0 * r), look["hair"])
    if look["long_hair"]:
        c.rounded((x - 0.95 * r, y - 0.2 * r, x + 0.95 * r, y + 1.9 * r), 0.6 * r, look["hair"])
    # highlight on the hair from the stage lights
    c.ellipse((x - 0.45 * r, y - 0.85 * r, x + 0.25 * r, y - 0.45 * r), (255, 255, 255, 28))


def chair_back(c, x, y, w, h, color):
    c.rounded((x - w / 2, y, x + w / 2, y + h), w * 0.18, color)


def plant(c, x, y, s):
    """A potted plant standing on (x, y), s = its height."""
    c.shadow((x - 0.25 * s, y - 0.05 * s, x + 0.25 * s, y + 0.04 * s), radius=0.1 * s, blur=6, alpha=80)
    for i, (dx, dy, rr, col) in enumerate(
        [(-0.18, -0.62, 0.22, "#2e6b3a"), (0.16, -0.66, 0.24, "#3a7d45"), (0, -0.86, 0.24, "#2f7040"),
         (-0.05, -0.55, 0.2, "#4c8f4f"), (0.22, -0.48, 0.16, "#2a5e34"), (-0.24, -0.42, 0.15, "#3d8047")]
    ):
        c.circle(x + dx * s, y + dy * s, rr * s, rgb(col))
    c.polygon([(x - 0.2 * s, y - 0.32 * s), (x + 0.2 * s, y - 0.32 * s), (x + 0.15 * s, y), (x - 0.15 * s, y)],
              rgb("#d9d4ca"))


# --------------------------------------------------------------------------- room parts


def room(c, wall_top, wall_bottom, floor_top, floor_bottom, horizon):
    c.vgradient((0, 0, c.w, horizon), wall_top, wall_bottom)
    c.vgradient((0, horizon, c.w, c.h), floor_top, floor_bottom)
    c.rect((0, horizon - 6, c.w, horizon), mix(wall_bottom, (0, 0, 0), 0.35))  # skirting


def ceiling_lights(c, y, xs, color=(255, 246, 225)):
    for x in xs:
        c.glow(x, y, 120, 60, color, 0.35)
        c.ellipse((x - 26, y - 6, x + 26, y + 6), (255, 252, 240))


def screen(c, box, top, bottom, frame=rgb("#15161a")):
    x0, y0, x1, y1 = box
    c.glow((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.75, (y1 - y0) * 0.85, mix(top, (255, 255, 255), 0.4), 0.35)
    c.rect((x0 - 10, y0 - 10, x1 + 10, y1 + 10), frame)
    c.vgradient(box, top, bottom)


def slide_logo(c, x, y, r):
    """The 护苗 (protect the seedlings) mark: a green sprout in a circle."""
    c.circle(x, y, r, (255, 255, 255))
    c.circle(x, y, r * 0.86, rgb("#2f8f4e"))
    c.rounded((x - r * 0.06, y - r * 0.15, x + r * 0.06, y + r * 0.6), r * 0.05, (255, 255, 255))
    c.ellipse((x - r * 0.55, y - r * 0.45, x - r * 0.02, y - r * 0.05), (255, 255, 255))
    c.ellipse((x + r * 0.02, y - r * 0.6, x + r * 0.6, y - r * 0.15), (255, 255, 255))


def podium(c, x, y_top, w, h, color=rgb("#7a4a2b"), front_text=None):
    c.shadow((x - w / 2, y_top + h - 10, x + w / 2, y_top + h + 8), radius=10, blur=10, alpha=110)
    c.polygon([(x - w / 2, y_top), (x + w / 2, y_top), (x + w * 0.42, y_top + h), (x - w * 0.42, y_top + h)], color)
    c.rect((x - w / 2 - 6, y_top - 10, x + w / 2 + 6, y_top + 4), mix(color, (0, 0, 0), 0.3))
    c.circle(x, y_top + h * 0.32, w * 0.13, rgb("#c8a24a"))
    c.circle(x, y_top + h * 0.32, w * 0.1, rgb("#b8262b"))
    if front_text:
        c.fit_text((x, y_top + h * 0.62), front_text, 20, w * 0.8, rgb("#f0e2c0"), anchor="mm")


def microphone(c, x0, y0, x1, y1):
    c.line([(x0, y0), (x1, y1)], rgb("#1a1a1a"), width=4)
    c.circle(x1, y1, 7, rgb("#2a2a2a"))


# --------------------------------------------------------------------------- photos


def scene_training(fonts):
    c = Canvas(PHOTO_W, PHOTO_H, fonts)
    crowd = Crowd(101)
    room(c, rgb("#2a3550"), rgb("#46527a"), rgb("#3a2f2c"), rgb("#241c1a"), 640)
    # wooden wall panels either side of the screen
    for x in range(0, 1600, 80):
        if 300 < x < 1280:
            continue
        c.rect((x, 0, x + 76, 634), (255, 255, 255, 10))
    ceiling_lights(c, 40, [200, 520, 800, 1080, 1400])
    # banner over the stage
    c.rect((300, 70, 1300, 130), rgb("#b4232a"))
    c.hgradient((300, 70, 1300, 130), rgb("#a81f26"), rgb("#c9343a"))
    c.text((800, 100), "护苗有我  安全同行  ·  2021年护苗工作站系列活动", 32, rgb("#ffe9a8"), anchor="mm")
    # the screen and its slide
    screen(c, (380, 160, 1220, 600), rgb("#1d5fa8"), rgb("#0f3566"))
    slide_logo(c, 450, 225, 36)
    c.text((500, 225), "护苗 · 网络安全", 24, (220, 236, 255), anchor="lm")
    c.text((800, 330), "南山区儿童主任", 40, (255, 255, 255), anchor="mm")
    c.text((800, 400), "网络安全专题培训", 62, (255, 255, 255), anchor="mm")
    c.text((800, 470), "暨护苗工作站交流活动", 38, rgb("#ffe08a"), anchor="mm")
    c.rect((560, 515, 1040, 518), (255, 255, 255, 120))
    c.text((800, 548), "深圳 · 2021年11月15日", 24, (205, 222, 245), anchor="mm")
    # stage and speaker at the podium, left of the screen
    c.rect((0, 600, 1600, 650), rgb("#3b2a24"))
    c.rect((0, 600, 1600, 606), rgb("#5a4238"))
    speaker = {"skin": SKIN[0], "hair": HAIR[0], "shirt": rgb("#1f2a44"), "long_hair": True}
    person_front(c, 250, 440, 26, speaker, lanyard=True)
    podium(c, 250, 500, 150, 150, front_text="南山区")
    microphone(c, 230, 505, 245, 470)
    plant(c, 1330, 640, 150)
    plant(c, 110, 650, 130)
    # audience, back to the camera, three rows of desks getting nearer
    rows = [(700, 20, 17, 92), (800, 27, 13, 122), (930, 36, 10, 160)]
    for ri, (y, r, n, gap) in enumerate(rows):
        desk = mix(rgb("#e6e0d4"), (0, 0, 0), 0.18 - ri * 0.05)
        c.rect((0, y + 2.2 * r, 1600, y + 2.2 * r + 10 + ri * 4), desk)
        offset = (ri % 2) * gap / 2
        for i in range(n + 1):
            x = 40 + offset + i * gap + crowd.rnd.uniform(-8, 8)
            chair_back(c, x, y + 1.6 * r, 3.6 * r, 4 * r, rgb("#1c2233"))
            person_back(c, x, y + crowd.rnd.uniform(-4, 4), r, crowd.look())
    c.blur_region((0, 860, 1600, 1067), 2.2, feather=90)  # the nearest row is out of focus
    img = vignette(c.finish(), 0.4)
    return img


def scene_procuratorate(fonts):
    c = Canvas(PHOTO_W, PHOTO_H, fonts)
    room(c, rgb("#30394f"), rgb("#4d5874"), rgb("#3c3533"), rgb("#2a2422"), 700)
    ceiling_lights(c, 30, [260, 800, 1340])
    # the screen behind the speaker
    screen(c, (520, 90, 1480, 630), rgb("#f4f6fa"), rgb("#dfe5ee"), frame=rgb("#1a1b20"))
    c.rect((520, 90, 1480, 190), rgb("#8c1d24"))
    c.hgradient((520, 90, 1480, 190), rgb("#7c1820"), rgb("#b02a31"))
    c.circle(590, 140, 34, rgb("#d8b04c"))
    c.circle(590, 140, 27, rgb("#8c1d24"))
    c.text((590, 141), "检", 30, rgb("#f5d77a"), anchor="mm")
    c.text((640, 140), "《未成年人保护法》解读", 44, (255, 255, 255), anchor="lm")
    items = [
        ("一、", "家庭保护"), ("二、", "学校保护"), ("三、", "社会保护"),
        ("四、", "网络保护"), ("五、", "政府保护"), ("六、", "司法保护"),
    ]
    for i, (num, item) in enumerate(items):
        col, row = i // 3, i % 3
        x, y = 600 + col * 430, 250 + row * 110
        hot = item == "网络保护"
        if hot:
            c.rounded((x - 20, y - 38, x + 380, y + 38), 12, rgb("#fde7c8"))
        c.text((x, y), num + item, 40, rgb("#b02a31") if hot else rgb("#1f2a44"), anchor="lm")
        c.rect((x, y + 26, x + 300, y + 30), (120, 130, 150, 90))
    c.text((1000, 600), "南山区人民检察院  第三检察部", 24, rgb("#5c6478"), anchor="mm")
    # the speaker, seated at a desk in the foreground on the left
    speaker = {"skin": SKIN[3], "hair": HAIR[3], "shirt": rgb("#1d2c4c"), "long_hair": True}
    person_front(c, 330, 470, 70, speaker, tie=False)
    c.polygon([(330 - 25, 470 + 95), (330 + 25, 470 + 95), (330, 470 + 150)], rgb("#f5f5f5"))
    # the desk, with a blue cloth, a nameplate, a laptop and a microphone
    c.shadow((60, 760, 700, 1000), radius=10, blur=18, alpha=120)
    c.rect((40, 720, 720, 760), rgb("#e9e4da"))
    c.vgradient((40, 760, 720, 1067), rgb("#213a6b"), rgb("#152547"))
    c.polygon([(430, 716), (630, 716), (646, 604), (446, 604)], rgb("#b9bec8"))  # laptop lid, back
    c.hgradient((452, 612, 630, 614), rgb("#d6dae2"), rgb("#b9bec8"))
    c.circle(538, 660, 12, rgb("#d9dde4"))
    c.rect((410, 714, 660, 726), rgb("#8d939e"))
    c.rect((120, 670, 330, 722), rgb("#fbfbf8"))  # nameplate
    c.polygon([(120, 722), (330, 722), (320, 740), (130, 740)], rgb("#d9d6cf"))
    c.text((225, 697), "林  婷", 34, rgb("#8c1d24"), anchor="mm")
    microphone(c, 380, 720, 345, 590)
    c.ellipse((360, 712, 410, 728), rgb("#1a1a1a"))
    c.rect((560, 690, 590, 722), rgb("#ffffff"))  # a cup
    c.ellipse((560, 684, 590, 696), rgb("#e7e2d8"))
    plant(c, 1540, 700, 170)
    crowd = Crowd(202)
    for i, x in enumerate((840, 1010, 1180, 1350, 1520)):  # the front row, backs to us
        person_back(c, x + (i % 2) * 12, 880 + (i % 2) * 10, 44, crowd.look())
    c.blur_region((760, 800, 1600, 1067), 3, feather=60)
    img = vignette(c.finish(), 0.35)
    return img


def scene_discussion(fonts):
    c = Canvas(PHOTO_W, PHOTO_H, fonts)
    crowd = Crowd(303)
    room(c, rgb("#c9d3dc"), rgb("#aebbc8"), rgb("#8b7f74"), rgb("#5e544c"), 470)
    # big windows with a view of the bay
    for i in range(4):
        x0 = 60 + i * 385
        c.rect((x0, 60, x0 + 355, 420), rgb("#6c7884"))
        c.vgradient((x0 + 8, 68, x0 + 347, 300), rgb("#9cc4e4"), rgb("#d6e8f2"))
        c.vgradient((x0 + 8, 300, x0 + 347, 412), rgb("#6a9bb8"), rgb("#4f7f9c"))
        rnd = random.Random(30 + i)
        x = x0 + 8
        while x < x0 + 340:
            bw = rnd.randint(18, 40)
            bh = rnd.randint(20, 110)
            c.rect((x, 300 - bh, min(x + bw, x0 + 347), 300), rgb("#8aa3b8"))
            x += bw + rnd.randint(2, 10)
        c.rect((x0 + 175, 60, x0 + 181, 420), rgb("#6c7884"))
    c.glow(800, 240, 900, 260, (255, 255, 255), 0.25)
    c.blur_region((0, 0, 1600, 440), 1.2)  # the windows slightly out of focus

    def table(cx, cy, rx, ry, seats_back, seats_front, raised=None):
        # people behind the table face the camera, those in front sit with their backs to it
        for i, x in enumerate(seats_back):
            look = crowd.look()
            person_front(c, cx + x, cy - ry - 70, 30, look, lanyard=True,
                         arms="up" if raised == i else "down")
        c.shadow((cx - rx, cy - ry + 20, cx + rx, cy + ry + 30), radius=ry, blur=16, alpha=100)
        c.ellipse((cx - rx, cy - ry + 14, cx + rx, cy + ry + 14), rgb("#b9ab98"))
        c.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), rgb("#f1ede6"))
        rnd = random.Random(int(cx))
        for _ in range(6):  # papers and cups on the table
            px = cx + rnd.uniform(-rx * 0.6, rx * 0.6)
            py = cy + rnd.uniform(-ry * 0.45, ry * 0.45)
            c.polygon([(px - 30, py - 12), (px + 26, py - 16), (px + 32, py + 12), (px - 24, py + 16)],
                      (255, 255, 255))
            c.line([(px - 18, py - 4), (px + 18, py - 7)], (120, 130, 150, 160), width=2)
            c.line([(px - 16, py + 4), (px + 20, py + 1)], (120, 130, 150, 160), width=2)
        for dx in (-rx * 0.35, rx * 0.4):
            c.rect((cx + dx - 10, cy - 26, cx + dx + 10, cy - 4), rgb("#fbfbfb"))
            c.ellipse((cx + dx - 10, cy - 30, cx + dx + 10, cy - 22), rgb("#c8b8a0"))
        for x in seats_front:
            person_back(c, cx + x, cy + ry - 10, 38, crowd.look())

    table(420, 690, 330, 90, [-220, -75, 75, 220], [-190, 10, 200], raised=2)
    table(1200, 720, 340, 95, [-230, -80, 70, 220], [-200, 0, 190])
    # the woman standing with the microphone, asking a question
    asker = {"skin": SKIN[1], "hair": HAIR[2], "shirt": rgb("#b23a3a"), "long_hair": True}
    x, y, r = 805, 420, 30
    c.shadow((x - 45, y + 330, x + 45, y + 346), radius=8, blur=6, alpha=90)
    c.rect((x - 20, y + 230, x - 8, y + 334), asker["skin"])  # legs
    c.rect((x + 8, y + 230, x + 20, y + 334), asker["skin"])
    c.rounded((x - 26, y + 328, x - 4, y + 342), 5, rgb("#1e1e24"))  # shoes
    c.rounded((x + 4, y + 328, x + 26, y + 342), 5, rgb("#1e1e24"))
    c.polygon([(x - 42, y + 150), (x + 42, y + 150), (x + 52, y + 240), (x - 52, y + 240)], rgb("#2b2b35"))
    person_front(c, x, y, r, asker, lanyard=True)
    c.rounded((x - 9, y + 62, x + 11, y + 140), 8, mix(asker["shirt"], (0, 0, 0), 0.25))  # arm
    c.circle(x + 1, y + 60, 9, asker["skin"])
    microphone(c, x + 1, y + 64, x + 10, y + 34)
    img = vignette(c.finish(), 0.3)
    return img


def scene_roundtable(fonts):
    c = Canvas(PHOTO_W, PHOTO_H, fonts)
    crowd = Crowd(404)
    room(c, rgb("#15203a"), rgb("#1f2d52"), rgb("#5a2228"), rgb("#3a161a"), 650)
    # the backdrop
    c.rect((120, 60, 1480, 600), rgb("#0d1a3a"))
    c.vgradient((130, 70, 1470, 590), rgb("#1b4fa0"), rgb("#0e2c64"))
    layer, d = c.clipped()
    for i in range(9):  # light curves on the backdrop
        d.ellipse([v * c.s for v in (-200 + i * 60, 380 - i * 18, 2000 - i * 40, 1100)],
                  outline=(255, 255, 255, 22), width=2 * c.s)
    c.paste_clipped(layer, (130, 70, 1470, 590))
    c.glow(800, 300, 700, 260, rgb("#5fa0ff"), 0.3)
    slide_logo(c, 220, 140, 42)
    c.text((280, 140), "护苗有我  安全同行", 30, (225, 236, 255), anchor="lm")
    c.text((800, 235), "“合力加强未成年人网络素养教育”", 56, (255, 255, 255), anchor="mm")
    c.text((800, 330), "圆 桌 论 坛", 78, rgb("#ffd66b"), anchor="mm")
    c.text((800, 410), "主办:南山区  ·  2021年11月15日", 26, (190, 210, 240), anchor="mm")
    # stage
    c.rect((60, 600, 1540, 680), rgb("#40161b"))
    c.rect((60, 600, 1540, 608), rgb("#7a3038"))
    for x in (260, 800, 1340):
        c.glow(x, 660, 340, 140, (255, 230, 190), 0.25)
    # five guests in armchairs on a gentle arc, the host standing at the right
    seats = [(300, 560), (520, 540), (800, 532), (1080, 540), (1300, 560)]
    for i, (x, y) in enumerate(seats):
        c.shadow((x - 80, y + 150, x + 80, y + 180), radius=20, blur=10, alpha=120)
        c.rounded((x - 80, y - 30, x + 80, y + 160), 30, rgb("#e8e2d6"))  # chair back
        look = crowd.look()
        person_front(c, x, y - 40, 32, look, tie=(i % 2 == 1))
        c.rounded((x - 95, y + 60, x - 60, y + 160), 14, rgb("#d7cfbf"))  # armrests
        c.rounded((x + 60, y + 60, x + 95, y + 160), 14, rgb("#d7cfbf"))
        c.rounded((x - 62, y + 100, x + 62, y + 160), 16, mix(look["shirt"], (0, 0, 0), 0.35))  # lap
        c.rect((x - 50, y + 160, x - 36, y + 200), rgb("#1b1b1b"))
        c.rect((x + 36, y + 160, x + 50, y + 200), rgb("#1b1b1b"))
    # low round tables with flowers and water
    for x in (410, 660, 940, 1190):
        c.ellipse((x - 40, 700, x + 40, 720), rgb("#f3efe7"))
        c.rect((x - 5, 710, x + 5, 760), rgb("#c9c2b5"))
        c.rect((x - 8, 676, x + 8, 706), (230, 240, 250))
    c.shadow((660, 770, 940, 810), radius=30, blur=10, alpha=110)
    c.rect((792, 770, 808, 808), rgb("#c9c2b5"))
    c.ellipse((660, 740, 940, 784), rgb("#f3efe7"))
    for dx, col in [(-34, "#e0475a"), (-12, "#f3c04c"), (12, "#e86f86"), (34, "#f3c04c"), (0, "#d83a4c")]:
        c.circle(800 + dx, 730 - abs(dx) * 0.4, 14, rgb(col))
    c.ellipse((772, 740, 828, 766), rgb("#3f7a45"))
    host = {"skin": SKIN[0], "hair": HAIR[1], "shirt": rgb("#f2f2ee"), "long_hair": True}
    person_front(c, 1460, 470, 34, host)
    c.rounded((1420, 645, 1500, 760), 14, rgb("#23283a"))
    microphone(c, 1445, 560, 1440, 520)
    # the audience in the front row, dark against the stage
    for i in range(12):
        x = 60 + i * 135 + (i % 3) * 12
        person_back(c, x, 900 + (i % 2) * 14, 44, {
            "skin": SKIN[2], "hair": HAIR[i % len(HAIR)], "shirt": mix(SHIRTS[i % len(SHIRTS)], (0, 0, 0), 0.6),
            "long_hair": i % 3 != 0,
        })
    c.blur_region((0, 820, 1600, 1067), 3, feather=60)
    img = vignette(c.finish(), 0.45)
    return img


def scene_quiz(fonts):
    c = Canvas(PHOTO_W, PHOTO_H, fonts)
    crowd = Crowd(505)
    room(c, rgb("#3a2d4a"), rgb("#4f4168"), rgb("#3b3130"), rgb("#272020"), 600)
    ceiling_lights(c, 36, [240, 640, 960, 1360])
    # the quiz board
    screen(c, (300, 90, 1300, 560), rgb("#0f6b5c"), rgb("#0a3f39"))
    c.rounded((330, 110, 560, 170), 28, rgb("#f3c04c"))
    c.text((445, 141), "知识问答", 34, rgb("#5a2a00"), anchor="mm")
    c.text((1270, 140), "第 3 题", 30, (220, 255, 240), anchor="rm")
    c.fit_text((800, 230), "遇到网络欺凌,未成年人应该怎么做?", 44, 900, (255, 255, 255), anchor="mm")
    options = [("A", "及时告诉家长或老师", True), ("B", "以牙还牙,骂回去", False),
               ("C", "默默忍受,不告诉别人", False), ("D", "转发扩散,让更多人知道", False)]
    for i, (letter, text, right) in enumerate(options):
        col, row = i % 2, i // 2
        x0, y0 = 350 + col * 460, 300 + row * 120
        fill = rgb("#f3c04c") if right else (255, 255, 255, 40)
        c.rounded((x0, y0, x0 + 430, y0 + 90), 18, fill, outline=(255, 255, 255, 120), width=2)
        c.circle(x0 + 48, y0 + 45, 28, rgb("#5a2a00") if right else (255, 255, 255))
        c.text((x0 + 48, y0 + 46), letter, 32, (255, 255, 255) if right else rgb("#0f6b5c"), anchor="mm")
        c.fit_text((x0 + 90, y0 + 45), text, 30, 325, rgb("#3a1c00") if right else (255, 255, 255), anchor="lm")
        if right:
            c.line([(x0 + 385, y0 + 46), (x0 + 398, y0 + 60), (x0 + 418, y0 + 28)], rgb("#1d7a3a"), width=7)
    # the host at the left with a microphone
    host = {"skin": SKIN[3], "hair": HAIR[0], "shirt": rgb("#2f4a7a"), "long_hair": False}
    person_front(c, 150, 400, 36, host, lanyard=True)
    c.rounded((110, 580, 190, 720), 16, rgb("#23283a"))
    microphone(c, 170, 470, 172, 436)
    # the audience facing the board, answer cards held up
    rnd = random.Random(55)
    rows = [(640, 24, 12, 128), (760, 32, 9, 170), (900, 42, 7, 236)]
    for ri, (y, r, n, gap) in enumerate(rows):
        for i in range(n + 1):
            x = 30 + (ri % 2) * gap / 2 + i * gap + rnd.uniform(-10, 10)
            look = crowd.look()
            raise_card = rnd.random() < 0.55
            if raise_card:
                letter = "A" if rnd.random() < 0.8 else rnd.choice("BCD")
                cx, cy = x + (1 if i % 2 else -1) * 1.3 * r, y - 2.6 * r
                c.rect((cx - 0.12 * r, cy, cx + 0.12 * r, cy + 3.2 * r), rgb("#b08a5a"))  # stick
                c.rounded((cx - 1.0 * r, cy - 1.6 * r, cx + 1.0 * r, cy + 0.5 * r), 0.2 * r,
                          (250, 250, 246), outline=(180, 180, 180), width=1)
                c.text((cx, cy - 0.55 * r), letter, 1.5 * r, rgb("#c0302f") if letter == "A" else rgb("#2f4a7a"),
                       anchor="mm")
            person_back(c, x, y, r, look)
    c.blur_region((0, 840, 1600, 1067), 2.5, feather=90)
    img = vignette(c.finish(), 0.4)
    return img


# --------------------------------------------------------------------------- cover


def make_cover(fonts):
    c = Canvas(COVER_W, COVER_H, fonts)
    rnd = random.Random(85)
    # dusk sky over the bay
    c.vgradient((0, 0, COVER_W, 700), rgb("#0b1f45"), rgb("#e98a5c"))
    c.vgradient((0, 700, COVER_W, 900), rgb("#f0a46a"), rgb("#f6c98a"))
    c.glow(620, 760, 260, 160, rgb("#ffd9a0"), 0.7)
    c.circle(620, 770, 46, rgb("#ffe2b0"))
    # the skyline: far towers, then near ones with lit windows, and one landmark tower
    landmark_done = False
    for layer, (base, col, hmin, hmax, win) in enumerate(
        [(900, "#5b4a6e", 90, 230, False), (920, "#2a2440", 110, 330, True)]
    ):
        x = -20
        while x < COVER_W:
            bw = rnd.randint(40, 90)
            bh = rnd.randint(hmin, hmax)
            if layer == 1 and x > 560 and not landmark_done:
                landmark_done = True  # a tall tower with a stepped crown and a spire
                bw, bh = 84, 470
                c.rect((x + 10, base - bh - 30, x + bw - 10, base - bh), rgb(col))
                c.rect((x + 24, base - bh - 55, x + bw - 24, base - bh - 30), rgb(col))
                c.line([(x + bw / 2, base - bh - 120), (x + bw / 2, base - bh - 55)], rgb(col), width=4)
            c.rect((x, base - bh, x + bw, base), rgb(col))
            if win:
                for wy in range(int(base - bh + 14), base - 10, 18):
                    for wx in range(x + 8, x + bw - 8, 14):
                        if rnd.random() < 0.35:
                            c.rect((wx, wy, wx + 6, wy + 8), rgb("#ffd58a", 200))
            x += bw + rnd.randint(-6, 8)
    # water with reflections
    c.vgradient((0, 900, COVER_W, COVER_H), rgb("#1d2a4a"), rgb("#0b1226"))
    for i in range(60):
        y = 910 + rnd.random() * 330
        x = rnd.random() * COVER_W
        w = 20 + rnd.random() * 90
        c.rect((x, y, x + w, y + 2), (255, 200, 140, int(40 + rnd.random() * 70)))
    c.blur_region((0, 905, COVER_W, COVER_H), 0.8)
    img = c.finish()
    img = add_grain(img, seed=8501, amount=3, blur=0.5, chroma=1)

    # the type, drawn at the real size on top of the picture
    c2 = Canvas(COVER_W, COVER_H, fonts, scale=1)
    c2.img = img
    c2.draw = ImageDraw.Draw(c2.img, "RGBA")
    # masthead
    c2.text((52, 54), "南方", 40, (255, 255, 255), anchor="lt")
    c2.text((200, 22), "大视野", 168, (255, 255, 255), anchor="lt", stroke=2, stroke_fill=(190, 30, 40))
    c2.rect((52, 110, 136, 114), rgb("#d62828"))
    c2.text((52, 130), "综合月刊", 22, (230, 235, 245), anchor="lt")
    c2.text((52, 160), "2021年11月", 22, (230, 235, 245), anchor="lt")
    # issue badge
    c2.circle(790, 300, 72, rgb("#d62828"))
    c2.circle(790, 300, 64, None, outline=(255, 255, 255), width=2)
    c2.text((790, 270), "第", 26, (255, 255, 255), anchor="mm")
    c2.text((790, 310), "85", 56, (255, 255, 255), anchor="mm")
    c2.text((790, 346), "期", 22, (255, 255, 255), anchor="mm")
    c2.rect((52, 236, 620, 238), (255, 255, 255, 160))
    # cover lines
    c2.text((52, 262), "封面故事", 24, rgb("#ffd66b"), anchor="lt")
    c2.text((52, 300), "护苗有我", 66, (255, 255, 255), anchor="lt", stroke=1, stroke_fill=(20, 30, 60))
    c2.text((52, 380), "安全同行", 66, (255, 255, 255), anchor="lt", stroke=1, stroke_fill=(20, 30, 60))
    c2.text((52, 468), "南山区开展首次儿童主任", 28, (240, 244, 250), anchor="lt")
    c2.text((52, 506), "网络安全专题培训", 28, (240, 244, 250), anchor="lt")
    lines = [
        ("合力加强未成年人网络素养教育", "圆桌论坛实录"),
        ("家庭文明示范队成立", "以家风带民风"),
        ("深港青少年体育交流赛", "两地青少年同场竞技"),
    ]
    y = 960
    for head, sub in lines:
        c2.rect((52, y + 4, 58, y + 56), rgb("#d62828"))
        c2.text((74, y), head, 30, (255, 255, 255), anchor="lt")
        c2.text((74, y + 38), sub, 20, (205, 214, 232), anchor="lt")
        y += 84
    # barcode and price, bottom right
    c2.rect((700, 1110, 860, 1220), (255, 255, 255))
    bx = 712
    brnd = random.Random(1985)
    while bx < 848:
        bw = brnd.choice((1, 1, 2, 3))
        c2.rect((bx, 1118, bx + bw - 0.01, 1196), (0, 0, 0))
        bx += bw + brnd.choice((1, 2, 2, 3))
    c2.text((780, 1208), "定价:15.00元", 12, (0, 0, 0), anchor="mm")
    return c2.img


# --------------------------------------------------------------------------- logo


def make_logo(fonts):
    s = 4  # drawn at four times the size for smooth edges
    img = Image.new("RGBA", (LOGO_W * s, LOGO_H * s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red, navy = rgb("#c8202b"), rgb("#1b2a4a")
    # emblem: a circle holding a rising sun over a wide horizon (视野: the field of view)
    cx, cy, r = 48 * s, 48 * s, 40 * s
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=red)
    d.ellipse((cx - 0.78 * r, cy - 0.78 * r, cx + 0.78 * r, cy + 0.78 * r), fill=(255, 255, 255, 255))
    d.pieslice((cx - 0.42 * r, cy - 0.2 * r, cx + 0.42 * r, cy + 0.64 * r), 180, 360, fill=red)
    for i, w in enumerate((0.7, 0.56, 0.4)):
        y = cy + 0.26 * r + i * 0.17 * r
        d.rounded_rectangle((cx - w * r, y, cx + w * r, y + 0.08 * r), radius=0.04 * r, fill=navy)
    # wordmark: 南方 stacked small, then 大视野 large, so it reads 南方大视野
    font_big = fonts(66 * s)
    font_small = fonts(21 * s)
    x = 102 * s
    d.text((x, 36 * s), "南", font=font_small, fill=red + (255,), anchor="lm")
    d.text((x, 60 * s), "方", font=font_small, fill=red + (255,), anchor="lm")
    d.rectangle((x + 26 * s, 24 * s, x + 28 * s, 72 * s), fill=red + (255,))
    d.text((x + 36 * s, 48 * s), "大视野", font=font_big, fill=navy + (255,), anchor="lm")
    img = img.resize((LOGO_W, LOGO_H), RESAMPLE)
    return img


# --------------------------------------------------------------------------- exif


def demo_exif():
    """EXIF for training.jpg: orientation, a camera, a time and a fake GPS position.

    The position is Nanshan, Shenzhen (22.53 N, 113.93 E): the event's district, given so
    the server's metadata stripping can be shown taking it away.
    """
    exif = Image.Exif()
    exif[0x010F] = "Masthead Demo"          # Make
    exif[0x0110] = "DemoCam X1 (generated)"  # Model
    exif[0x0112] = 1                         # Orientation: top-left, as drawn
    exif[0x0131] = "scripts/demo-pictures.py"  # Software
    exif[0x0132] = "2021:11:15 14:30:00"     # DateTime
    sub = exif.get_ifd(0x8769)               # Exif IFD
    sub[0x9003] = "2021:11:15 14:30:00"      # DateTimeOriginal
    gps = exif.get_ifd(0x8825)               # GPS IFD
    gps[0x0000] = b"\x02\x03\x00\x00"        # GPSVersionID 2.3
    gps[0x0001] = "N"
    gps[0x0002] = (22.0, 31.0, 48.0)         # 22°31'48" = 22.53
    gps[0x0003] = "E"
    gps[0x0004] = (113.0, 55.0, 48.0)        # 113°55'48" = 113.93
    gps[0x0012] = "WGS-84"
    return exif


# --------------------------------------------------------------------------- main


def save_jpeg(img, path, exif=None):
    kw = {"quality": JPEG_QUALITY, "progressive": False, "optimize": True, "subsampling": "4:2:0"}
    if exif is not None:
        kw["exif"] = exif.tobytes()
    img.save(path, "JPEG", **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=None, help="output folder (default: src/demo/pictures)")
    ap.add_argument("--font", default=os.environ.get("MASTHEAD_CJK_FONT"), help="a CJK font file")
    args = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = args.out or os.path.join(root, "src", "demo", "pictures")
    os.makedirs(out, exist_ok=True)
    fonts = Fonts(find_font(args.font))
    print(f"font: {fonts.path} ({fonts.name})")

    scenes = [
        ("training", scene_training, 1),
        ("procuratorate", scene_procuratorate, 2),
        ("discussion", scene_discussion, 3),
        ("roundtable", scene_roundtable, 4),
        ("quiz", scene_quiz, 5),
    ]
    written = []
    for key, draw, seed in scenes:
        img = draw(fonts)
        img = add_grain(img, seed=1000 + seed, amount=3, blur=0.5, chroma=1)
        img = caption_band(img, fonts, CAPTIONS[key])
        assert img.size == (PHOTO_W, PHOTO_H)
        path = os.path.join(out, f"{key}.jpg")
        save_jpeg(img, path, exif=demo_exif() if key == "training" else None)
        written.append((path, PHOTO_BUDGET))

    path = os.path.join(out, "issue85-cover.jpg")
    save_jpeg(make_cover(fonts), path)
    written.append((path, PHOTO_BUDGET))

    path = os.path.join(out, "logo.png")
    make_logo(fonts).save(path, "PNG", optimize=True)
    written.append((path, LOGO_BUDGET))

    total, over = 0, []
    for path, budget in written:
        size = os.path.getsize(path)
        total += size
        with Image.open(path) as im:
            print(f"{os.path.relpath(path, root):40} {im.width}x{im.height} {im.mode:4} {size / 1024:7.1f} KB")
        if size > budget:
            over.append(f"{path}: {size} bytes > {budget}")
    print(f"{'total':40} {'':14} {total / 1024:7.1f} KB")
    if total > TOTAL_BUDGET:
        over.append(f"total {total} bytes > {TOTAL_BUDGET}")
    if over:
        sys.exit("over budget:\n  " + "\n  ".join(over))


if __name__ == "__main__":
    main()
