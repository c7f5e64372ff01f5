"""Printed lines rebuilt from character positions.

Characters that share a baseline form a line, read left to right.  A glyph
drawn twice at (almost) the same place — fake bold — is read once.  Spaces come
from the gaps between glyphs: none between two CJK characters unless the gap is
a full em or more (letter-spaced justification is not a word break), one where
a Latin letter or digit meets anything across a visible gap.

    >>> from policyparse.readers.pdf_chars import Char
    >>> cs = [Char(t, 10 + 12 * i, 22 + 12 * i, 0, 12, 10, 12) for i, t in enumerate("到年底")]
    >>> [ln.text for ln in build_lines(cs + [cs[1]._replace(x0=22.4, x1=34.4)])]
    ['到年底']
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from .pdf_chars import GUESSED_SPACE, Char

CJK_SPACE_EM = 0.9  # gap between two CJK glyphs that reads as a space
SPACE_EM = 0.2  # gap next to a Latin letter or digit that reads as a space
SPACE_GLYPH_EM = 0.1  # gap holding a space glyph the PDF draws
CJK_GLYPH_EM = 0.15  # the same between two CJK glyphs
CJK_GUESS_EM = 0.15  # the same where pdfium reports the space as its own guess (it flags some drawn spaces so)
COLUMN_EM = 1.8  # gap that separates columns of an unruled table


@dataclass(slots=True)
class PLine:
    """One printed line: its text and where it sits on the page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    size: float
    gaps: list[tuple[float, float]] = field(default_factory=list)  # column-wide gaps (x from, x to)
    chars: list[Char] = field(default_factory=list)


_SPACES = (" ", GUESSED_SPACE)


def is_wide(ch: str) -> bool:
    """CJK ideographs, kana and full-width punctuation."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def build_lines(chars: list[Char]) -> list[PLine]:
    """Group upright characters into lines, top to bottom."""
    rows = group_rows([c for c in chars if c.upright])
    out = []
    for row in rows:
        if all(c.text in _SPACES for c in row):
            continue
        line = make_line(row)
        if line.text:
            out.append(line)
    out.sort(key=lambda ln: (round(ln.base, 1), ln.x0))
    return out


def group_rows(chars: list[Char]) -> list[list[Char]]:
    """Characters whose baselines agree (within a third of an em) form one row."""
    rows: list[list[Char]] = []
    base = size = 0.0
    for c in sorted(chars, key=lambda c: (c.base, c.x0)):
        if rows and abs(c.base - base) <= 0.35 * max(size, c.size):
            rows[-1].append(c)
            size = max(size, c.size)
        else:
            rows.append([c])
            base, size = c.base, c.size
    return _merge_small(rows)


def _merge_small(rows: list[list[Char]]) -> list[list[Char]]:
    """Superscripts and subscripts (m², 10⁴) join the row whose box holds their baseline."""
    if len(rows) < 2:
        return rows
    sizes = [max(c.size for c in r) for r in rows]
    merged: list[list[Char]] = []
    for i, row in enumerate(rows):
        small = sizes[i]
        host = None
        for j in (i - 1, i + 1):
            if 0 <= j < len(rows) and sizes[j] >= 1.3 * small:
                top = min(c.top for c in rows[j])
                bottom = max(c.bottom for c in rows[j])
                lo, hi = min(c.x0 for c in rows[j]), max(c.x1 for c in rows[j])
                if all(top <= c.base <= bottom + 0.2 * small and lo - small <= c.x0 <= hi + small for c in row):
                    host = j
                    break
        if host is None:
            merged.append(row)
        elif host < i:
            merged[-1].extend(row)
        else:
            rows[host] = rows[host] + row
    return merged


def dedupe(chars: list[Char]) -> list[Char]:
    """Drop a glyph drawn again at (nearly) the same place: fake bold and shadows."""
    out: list[Char] = []
    for c in chars:
        dup = False
        for k in out[-4:]:
            if k.text == c.text and abs(k.x0 - c.x0) < max(0.6, 0.3 * c.width) and abs(k.base - c.base) < 0.25 * c.size:
                dup = True
                break
        if not dup:
            out.append(c)
    return out


def make_line(row: list[Char]) -> PLine:
    """Text of one row of characters, with spaces decided from the gaps."""
    everything = dedupe(sorted(row, key=lambda c: c.x0))
    cs = [c for c in everything if c.text not in _SPACES]
    parts: list[str] = []
    gaps: list[tuple[float, float]] = []
    prev = None
    glyph = ""  # the space (drawn or guessed) seen since the previous character
    spread = _letter_spacing(cs)
    for c in everything:
        if c.text in _SPACES:
            if prev is not None and glyph != " ":
                glyph = c.text
            continue
        if prev is not None:
            gap = c.x0 - prev.x1
            em = max(prev.size, c.size)
            if gap >= COLUMN_EM * em:
                gaps.append((prev.x1, c.x0))
            wide = is_wide(prev.text[-1]) and is_wide(c.text[0])
            if wide:
                need = (CJK_GLYPH_EM if glyph == " " else CJK_GUESS_EM if glyph else CJK_SPACE_EM) * em + spread
            else:
                need = (SPACE_GLYPH_EM if glyph else SPACE_EM) * em
            if gap >= need:
                parts.append(" ")
        parts.append(c.text)
        prev = c
        glyph = ""
    if not cs:
        return PLine("", 0, 0, 0, 0, 0, 0)
    text = "".join(parts)
    return PLine(
        text=text,
        x0=cs[0].x0,
        x1=max(c.x1 for c in cs),
        top=min(c.top for c in cs),
        bottom=max(c.bottom for c in cs),
        base=_median([c.base for c in cs]),
        size=_median([c.size for c in cs]),
        gaps=gaps,
        chars=cs,
    )


def _letter_spacing(cs: list[Char]) -> float:
    """The usual gap between two CJK glyphs of a line: a justified line spreads them all alike."""
    gaps = [b.x0 - a.x1 for a, b in zip(cs, cs[1:]) if is_wide(a.text[-1]) and is_wide(b.text[0])]
    return max(0.0, _median(gaps)) if len(gaps) >= 3 else 0.0


def join_wrapped(texts: list[str]) -> str:
    """Lines of one table cell joined as one text: no space unless two words meet.

    >>> join_wrapped(["2002—2012", "年平均每", "年增长约", "5.3%"])
    '2002—2012年平均每年增长约5.3%'
    """
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and t[0].isascii() and t[0].isalpha():
            out += " "
        out += t
    return out


def cell_text(chars: list[Char]) -> str:
    """The text of a table cell: its lines joined without inserted spaces."""
    if not chars:
        return ""
    upright = [c for c in chars if c.upright]
    texts = [ln.text for ln in build_lines(upright)]
    rotated = [c for c in chars if not c.upright]
    if rotated:  # text turned 90°: read top to bottom
        texts.append("".join(c.text for c in dedupe(sorted(rotated, key=lambda c: (c.top, c.x0)))))
    return join_wrapped(texts)


def left_margin(pages: list[list[PLine]]) -> float:
    """The body's left edge: the leftmost x at which a good share of the text starts."""
    lefts: dict[int, int] = {}
    for lines in pages:
        for ln in lines:
            lefts[round(ln.x0)] = lefts.get(round(ln.x0), 0) + len(ln.text)
    if not lefts:
        return 0.0
    top = max(lefts.values())
    return float(min(x for x, n in lefts.items() if n >= 0.25 * top))


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2] if xs else 0.0
