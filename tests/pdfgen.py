"""Build PDFs at test time: notices typeset from text, ruled task tables, broken files.

Uses reportlab (a dev extra) with a CJK font a package provides: an embedded
TrueType font from Debian's fonts-wqy-microhei / fonts-wqy-zenhei when present,
else reportlab's own Adobe CID font STSong-Light (not embedded, but its text
layer maps to Unicode the same way).  Pages carry the furniture real notices
carry: running heads, page numbers in several styles, browser print chrome.

    >>> font = cjk_font()   # doctest: +SKIP
"""

from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

A4 = (595.28, 841.89)
LEFT, RIGHT, TOP, BOTTOM = 79.0, 79.0, 96.0, 92.0
TTF_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)


def reportlab():
    """The reportlab package, or skip the test with the reason."""
    return pytest.importorskip("reportlab", reason="reportlab (dev extra) is needed to build test PDFs")


@functools.cache
def cjk_font(embedded: bool = False) -> str:
    """Register a CJK font with reportlab and return its name (skips the test when none can be had)."""
    reportlab()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path, index in TTF_CANDIDATES:
        if Path(path).exists() and os.environ.get("PDFGEN_FONT") != "cid":  # PDFGEN_FONT=cid: try the fallback
            pdfmetrics.registerFont(TTFont("CJK", path, subfontIndex=index))
            return "CJK"
    if embedded:
        pytest.skip("no CJK TrueType font installed (apt-get install fonts-wqy-microhei)")
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@dataclass
class Style:
    """How a notice is typeset and which furniture its pages carry."""

    size: float = 15.0
    pitch: float = 28.0
    head: str | None = None  # running head printed above a rule on every page but the first
    folio: str = "dash"  # page numbers: dash (- 3 -), plain (3), of (第 3 页 共 9 页), none
    chrome: bool = False  # browser print: date + title on top, address + n/m at the bottom
    justify: bool = True  # full lines are spread to the right margin (letter-spaced CJK)
    bold_labels: bool = False  # lines opening with 一、 drawn twice, slightly offset (fake bold)
    blank_gap: float = 0.5  # extra space (in pitches) for a blank line of the source


@dataclass
class _Printed:
    text: str
    indent: float = 0.0
    full: bool = False  # a wrapped line that is not a paragraph's last: justified
    center: bool = False
    bold: bool = False
    size: float | None = None
    gap: float = 0.0  # extra space above, in pitches


def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def layout(text: str, style: Style, font: str) -> list[_Printed]:
    """The printed lines of a plain-text or markdown notice: headings centered, long lines wrapped."""
    import re

    width = A4[0] - LEFT - RIGHT
    out: list[_Printed] = []
    gap = 0.0
    for raw in text.splitlines():
        line = raw.replace("**", "").strip()
        if not line:
            gap = style.blank_gap if out else 0.0
            continue
        heading = re.match(r"^#{1,6}\s*", line)
        if heading:
            line = line[heading.end():]
            size = style.size + 3
            for part in _wrap(line, font, size, width):
                out.append(_Printed(part, center=True, bold=True, size=size, gap=gap))
                gap = 0.0
            continue
        bold = style.bold_labels and bool(re.match(r"^[一二三四五六七八九十]+、", line))
        if _width(line, font, style.size) <= width + 0.5:
            out.append(_Printed(line, bold=bold, gap=gap))
        else:  # a paragraph: first line indented two em, full lines justified
            parts = _wrap(line, font, style.size, width, first_indent=2 * style.size)
            for k, part in enumerate(parts):
                out.append(_Printed(part, indent=2 * style.size if k == 0 else 0.0, full=k < len(parts) - 1,
                                    bold=bold and k == 0, gap=gap if k == 0 else 0.0))
        gap = 0.0
    return out


def _wrap(text: str, font: str, size: float, width: float, first_indent: float = 0.0) -> list[str]:
    lines, cur, avail = [], "", width - first_indent
    for ch in text:
        if cur and _width(cur + ch, font, size) > avail:
            if ch in "，。、；：！？）》”":  # no closing punctuation at a line start
                cur += ch
                continue
            lines.append(cur)
            cur, avail = ch, width
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def notice_pdf(text: str, style: Style | None = None, *, title: str = "通知", embedded: bool = False) -> bytes:
    """Typeset ``text`` as a notice and return the PDF bytes."""
    reportlab()
    from reportlab.pdfgen import canvas

    style = style or Style()
    font = cjk_font(embedded)
    printed = layout(text, style, font)
    pages: list[list[tuple[float, _Printed]]] = [[]]
    y = TOP
    for p in printed:
        y += p.gap * style.pitch
        if y + style.pitch > A4[1] - BOTTOM and pages[-1]:
            pages.append([])
            y = TOP
        pages[-1].append((y, p))
        y += style.pitch if p.size is None else style.pitch * 1.2
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n, page in enumerate(pages, 1):
        _furniture(c, style, font, n, len(pages), title)
        for top, p in page:
            _draw_line(c, p, top, style, font)
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_line(c, p: _Printed, top: float, style: Style, font: str) -> None:
    size = p.size or style.size
    width = A4[0] - LEFT - RIGHT
    base = A4[1] - top - size
    natural = _width(p.text, font, size)
    x = LEFT + p.indent
    if p.center:
        x = LEFT + (width - natural) / 2
    spacing = 0.0
    if p.full and style.justify and len(p.text) > 1:
        spacing = max(0.0, (width - p.indent - natural) / (len(p.text) - 1))
    for dx in ((0.0, 0.45) if p.bold else (0.0,)):
        t = c.beginText(x + dx, base)
        t.setFont(font, size)
        t.setCharSpace(spacing)
        t.textOut(p.text)
        c.drawText(t)


def _furniture(c, style: Style, font: str, n: int, total: int, title: str) -> None:
    w, h = A4
    if style.head and n > 1:
        c.setFont(font, 10)
        c.drawCentredString(w / 2, h - 60, style.head)
        c.setLineWidth(0.8)
        c.line(LEFT, h - 66, w - RIGHT, h - 66)
    c.setFont(font, 12)
    if style.folio == "dash":
        text = f"- {n} -"
        if n % 2:
            c.drawRightString(w - RIGHT, 48, text)
        else:
            c.drawString(LEFT, 48, text)
    elif style.folio == "plain":
        c.drawCentredString(w / 2, 48, str(n))
    elif style.folio == "of":
        c.drawCentredString(w / 2, 48, f"第 {n} 页 共 {total} 页")
    if style.chrome:
        c.setFont(font, 8)
        c.drawString(24, h - 18, "2024/3/5 10:21")
        c.drawCentredString(w / 2, h - 18, f"{title}_政府信息公开专栏")
        c.drawString(24, 14, "https://www.example.gov.cn/art/2023/11/10/art_1229_7712345.html")
        c.drawRightString(w - 24, 14, f"{n}/{total}")


# ---- tables ---------------------------------------------------------------------


@dataclass
class TableSpec:
    """A task table: a title, the header (the section column's first), and per section its title and rows."""

    header: list[str]
    sections: list[tuple[str, list[list[str]]]] = field(default_factory=list)
    title: str = ""
    widths: list[float] = field(default_factory=list)  # column widths (points), the section column first
    size: float = 10.5
    rows_per_page: int = 5
    ruled: bool = True  # False: no rulings at all, the columns stand apart by white space only


def table_pdf(spec: TableSpec, *, intro: str = "", embedded: bool = False) -> bytes:
    """A ruled table over several pages: header repeated on each, section titles down a merged first column."""
    reportlab()
    from reportlab.pdfgen import canvas

    font = cjk_font(embedded)
    w, h = A4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    if not spec.ruled:
        c.setStrokeColorRGB(1, 1, 1)  # rulings drawn white: invisible, as in a table set with spaces
    widths = spec.widths
    x0 = (w - sum(widths)) / 2
    xs = [x0]
    for cw in widths:
        xs.append(xs[-1] + cw)
    pad, lead = 3.0, spec.size * 1.35
    flat = [(s, row) for s, rows in spec.sections for row in rows]
    pages = [flat[i : i + spec.rows_per_page] for i in range(0, len(flat), spec.rows_per_page)]
    for n, rows in enumerate(pages, 1):
        top = 80.0
        if n == 1:
            c.setFont(font, 16)
            for line in ([spec.title] if spec.title else []) + ([intro] if intro else []):
                c.drawCentredString(w / 2, h - top - 16, line)
                top += 30
        c.setFont(font, 12)
        c.drawCentredString(w / 2, 40, f"- {n} -")
        cells_top = top
        if not spec.ruled:
            pad = max(pad, 6.0)
        # header row
        hh = max(len(_wrap(t, font, spec.size, cw - 2 * pad)) for t, cw in zip(spec.header, widths)) * lead + 2 * pad
        _cell_row(c, font, spec.size, xs, cells_top, hh, spec.header, pad, lead, skip_first=False)
        y = cells_top + hh
        c.line(xs[0], h - cells_top, xs[-1], h - cells_top)
        # rows, with the section column merged over each run of the same section
        spans: list[tuple[str, float, float]] = []
        heights = [max(len(_wrap(t, font, spec.size, cw - 2 * pad)) for t, cw in zip(row, widths[1:])) * lead + 2 * pad
                   for _, row in rows]
        k = 0
        while k < len(rows):  # make each run of a section tall enough for its title written downwards
            j = k
            while j + 1 < len(rows) and rows[j + 1][0] == rows[k][0]:
                j += 1
            need = len(rows[k][0]) * spec.size * 1.3 + 2 * pad
            have = sum(heights[k : j + 1])
            if have < need:
                heights[j] += need - have
            k = j + 1
        for (section, row), rh in zip(rows, heights):
            _cell_row(c, font, spec.size, xs, y, rh, [""] + row, pad, lead, skip_first=True)
            if spans and spans[-1][0] == section:
                spans[-1] = (section, spans[-1][1], y + rh)
            else:
                spans.append((section, y, y + rh))
            y += rh
        for section, a, b in spans:
            c.line(xs[0], h - a, xs[1], h - a)
            c.line(xs[0], h - b, xs[1], h - b)
            _vertical(c, font, spec.size, xs[0], xs[1], a, b, section)
        for x in xs:
            c.line(x, h - cells_top, x, h - y)
        c.showPage()
    c.save()
    return buf.getvalue()


def _cell_row(c, font, size, xs, top, height, texts, pad, lead, skip_first) -> None:
    h = A4[1]
    c.line(xs[1 if skip_first else 0], h - top - height, xs[-1], h - top - height)
    for k, text in enumerate(texts):
        if k == 0 and skip_first:
            continue
        lines = _wrap(text, font, size, xs[k + 1] - xs[k] - 2 * pad)
        c.setFont(font, size)
        for j, line in enumerate(lines):
            c.drawString(xs[k] + pad, h - top - pad - size - j * lead, line)


def _vertical(c, font, size, x0, x1, top, bottom, text) -> None:
    """A title written one character per line, centred in the merged cell."""
    h = A4[1]
    lead = size * 1.3
    start = (top + bottom) / 2 - len(text) * lead / 2
    c.setFont(font, size)
    for j, ch in enumerate(text):
        c.drawCentredString((x0 + x1) / 2, h - start - size - j * lead, ch)


# ---- broken inputs ----------------------------------------------------------------


def scanned_pdf() -> bytes:
    """Pages that hold only drawings: no text layer."""
    reportlab()
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for _ in range(2):
        c.rect(80, 80, 400, 600, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(text: str = "一、总体要求") -> bytes:
    """A notice that opens only with a password."""
    reportlab()
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=StandardEncryption("secret", "owner", canPrint=0))
    c.setFont(cjk_font(), 14)
    c.drawString(80, 700, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def rotated_pdf(lines: list[str], rotation: int) -> bytes:
    """One page whose /Rotate turns it by ``rotation`` degrees; the text reads upright once turned."""
    reportlab()
    from reportlab.pdfgen import canvas

    w, h = A4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setPageRotation(rotation)
    c.setFont(cjk_font(), 14)
    c.saveState()
    shift = {90: (w, 0), 180: (w, h), 270: (0, h)}.get(rotation % 360, (0, 0))
    c.translate(*shift)
    c.rotate(rotation % 360)
    height = w if rotation % 180 else h  # the displayed page's height
    for k, line in enumerate(lines):
        c.drawString(72, height - 100 - k * 24, line)
    c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()
