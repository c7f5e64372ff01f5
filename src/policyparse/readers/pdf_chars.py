"""Characters of a PDF page with their boxes, from pypdfium2 (fast) or pdfplumber.

Both sources give the same ``Char`` records in the same frame: points, origin at
the top-left of the page as displayed (page rotation applied), ``base`` the
baseline, ``size`` the em height.  Characters the PDF library made up (spaces
and line breaks it guessed) are left out: spaces are decided from geometry.

    >>> Char("中", 10.0, 22.0, 5.0, 17.0, 15.0, 12.0).width
    12.0
"""

from __future__ import annotations

import ctypes
import math
from typing import NamedTuple


GUESSED_SPACE = "\x1f"  # a space pdfium guessed from a gap (weaker evidence than a drawn one)


class Char(NamedTuple):
    """One drawn glyph: text and box (top-down coordinates, points)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float  # baseline, measured from the top
    size: float  # em height
    upright: bool = True

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def mid_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


def _frame(mediabox, rotation: int):
    """A function mapping PDF user space (x, y) to displayed top-down (x, top)."""
    x0, y0, x1, y1 = mediabox
    rotation %= 360
    if rotation == 90:
        return lambda x, y: (y - y0, x - x0)
    if rotation == 180:
        return lambda x, y: (x1 - x, y - y0)
    if rotation == 270:
        return lambda x, y: (y1 - y, x1 - x)
    return lambda x, y: (x - x0, y1 - y)


def displayed_size(mediabox, rotation: int) -> tuple[float, float]:
    """Width and height of the page as displayed."""
    w, h = mediabox[2] - mediabox[0], mediabox[3] - mediabox[1]
    return (h, w) if rotation % 180 == 90 else (w, h)


def pdfium_chars(page) -> list[Char]:
    """Characters of a ``pypdfium2.PdfPage``: four C calls per character, no more."""
    import pypdfium2.raw as pr

    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pr.FPDFText_CountChars(raw)
        if count <= 0:
            return []
        mediabox = page.get_mediabox()
        rotation = page.get_rotation() % 360
        to_top = _frame(mediabox, rotation)
        left0, top0 = mediabox[0], mediabox[3]
        rect = pr.FS_RECTF()
        mat = pr.FS_MATRIX()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        buf = ctypes.create_string_buffer((count + 1) * 2)
        got = pr.FPDFText_GetText(raw, 0, count, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        utf16 = buf.raw[: max(0, got - 1) * 2].decode("utf-16-le", errors="replace")
        by_index = _unicode_per_index(utf16, count, raw, pr)
        loose, origin, matrix, font_size = (
            pr.FPDFText_GetLooseCharBox,
            pr.FPDFText_GetCharOrigin,
            pr.FPDFText_GetMatrix,
            pr.FPDFText_GetFontSize,
        )
        out = []
        append = out.append
        for i in range(count):
            ch = by_index[i]
            # pdfium makes up only white space (guessed spaces, line breaks); drawn spaces are kept
            if not ch or (ch != " " and ch.isspace()):
                continue
            if ch == " " and pr.FPDFText_IsGenerated(raw, i) == 1:
                ch = GUESSED_SPACE  # pdfium's guess; it also flags some drawn spaces so
            loose(raw, i, rect)
            origin(raw, i, ox, oy)
            matrix(raw, i, mat)
            a, b, c, d = mat.a, mat.b, mat.c, mat.d
            size = font_size(raw, i) * math.sqrt(abs(a * d - b * c))
            if rotation == 0:
                left, right = rect.left - left0, rect.right - left0
                top, bottom, base = top0 - rect.top, top0 - rect.bottom, top0 - oy.value
            else:
                ax, atop = to_top(rect.left, rect.top)
                bx, btop = to_top(rect.right, rect.bottom)
                left, right, top, bottom = min(ax, bx), max(ax, bx), min(atop, btop), max(atop, btop)
                base = to_top(ox.value, oy.value)[1]
            upright = _upright(a, b, c, d, rotation)
            if size <= 0.1:
                size = bottom - top if upright else right - left
            append(Char(ch, left, right, top, bottom, base if upright else bottom, max(size, 0.1), upright))
        return out
    finally:
        textpage.close()


def _upright(a: float, b: float, c: float, d: float, rotation: int) -> bool:
    """Whether a glyph with text matrix (a b c d) reads left to right on the displayed page."""
    if rotation == 0:
        return a > 0 and abs(b) <= 0.1 * abs(a)
    angle = (math.degrees(math.atan2(b, a)) - rotation) % 360  # page /Rotate turns clockwise
    return angle < 5 or angle > 355


def _unicode_per_index(utf16: str, count: int, raw, pr) -> list[str]:
    """The character at each char index (GetText is 1:1 unless surrogate pairs occur)."""
    if len(utf16) == count:
        return list(utf16)
    return [_chr(pr.FPDFText_GetUnicode(raw, i)) for i in range(count)]


def _chr(cp: int) -> str:
    try:
        return chr(cp) if cp else ""
    except ValueError:
        return ""


def plumber_chars(page) -> list[Char]:
    """Characters of a ``pdfplumber.Page`` in the same frame as :func:`pdfium_chars`."""
    out = []
    for c in page.chars:
        text = c.get("text") or ""
        if not text or (text.isspace() and text != " "):
            continue
        size = float(c.get("size") or (c["bottom"] - c["top"]) or 0.1)
        top, bottom = float(c["top"]), float(c["bottom"])
        upright = bool(c.get("upright", True))
        m = c.get("matrix")
        # the glyph origin (matrix translation) is on the baseline; y0 is the box's PDF-space bottom
        base = bottom - (float(m[5]) - float(c["y0"])) if upright and m else bottom
        out.append(Char(text, float(c["x0"]), float(c["x1"]), top, bottom, base, size, upright))
    return out
