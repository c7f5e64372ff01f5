"""Page furniture found by position and repetition: running heads, page numbers, print chrome.

A line is furniture when it sits in a page's top or bottom band (among the
first or last few lines) and the same line — digits ignored, so ``- 3 -`` and
``- 4 -`` agree — stands at about the same height on other pages.  On its own
page a line is still furniture when it has the shape of a page number (digits
and punctuation only, or 第…页) or sits at the very edge of the page in print
smaller than the body (a browser's date, title or address).  Small print that
closes the document after its last body line (a web page's site footer) goes too.

    >>> from policyparse.readers.pdf_lines import PLine
    >>> def page(*texts):
    ...     return [PLine(t, 90, 500, top, top + 16, top + 14, 16) for t, top in zip(texts, (40, 100, 130, 780))]
    >>> find([page("通知", "一、总体要求", "要求。", "- 1 -"), page("通知", "二、工作安排", "安排。", "- 2 -")], [842, 842])
    [{0, 3}, {0, 3}]
"""

from __future__ import annotations

import regex

from .. import recache
from .pdf_lines import PLine, left_margin

BAND = 0.2  # share of the page height at the top and the bottom where furniture lives
EDGE = 0.06  # share at the very edge where browser print chrome lives
EDGE_LINES = 3  # furniture is among the first or last lines of a page
SAME_HEIGHT = 18.0  # points: the same running line on two pages
_NUMERALS = recache.lazy(r"[0-9０-９]+|[一二三四五六七八九十百零〇]+(?=\s*页)")
_PAGE_NUMBER = recache.lazy(
    r"""^[\s\-—–－_·.~()（）\[\]【】|/／第页共总Pagepageof,，:：]*
        [0-9０-９ivxlcIVXLC]+
        [\s\-—–－_·.~()（）\[\]【】|/／第页共总Pagepageof,，:：0-9０-９]*$""",
    regex.VERBOSE,
)


def key(text: str) -> str:
    """A line's text with numbers blanked and spaces removed."""
    return _NUMERALS.sub("#", regex.sub(r"\s+", "", text))


def is_page_number(text: str) -> bool:
    """Digits and punctuation only, or 第 n 页 (共 m 页): the shape of a page number.

    >>> [is_page_number(t) for t in ("- 3 -", "第 3 页 共 9 页", "3/9", "2025年", "（一）")]
    [True, True, True, False, False]
    """
    t = text.strip()
    return bool(t) and len(t) <= 24 and bool(_PAGE_NUMBER.match(t))


def body_size(pages: list[list[PLine]]) -> float:
    """The font size most characters are set in."""
    weight: dict[float, int] = {}
    for lines in pages:
        for ln in lines:
            s = round(ln.size, 1)
            weight[s] = weight.get(s, 0) + len(ln.text)
    return max(weight, key=weight.get) if weight else 0.0


def _candidates(lines: list[PLine], height: float) -> list[int]:
    n = len(lines)
    idx = set(range(min(EDGE_LINES, n))) | set(range(max(0, n - EDGE_LINES), n))
    return sorted(i for i in idx if lines[i].top < BAND * height or lines[i].bottom > (1 - BAND) * height)


def find(pages: list[list[PLine]], heights: list[float]) -> list[set[int]]:
    """For each page, the indices of its lines that are furniture."""
    drop: list[set[int]] = [set() for _ in pages]
    size = body_size(pages)
    margin = left_margin(pages)
    seen: dict[tuple[str, bool], list[tuple[int, int, float]]] = {}
    body: dict[str, int] = {}  # how often a text stands among the body lines
    at_margin: list[tuple[int, int]] = []  # lone numbers at the left margin, set apart: folios or row numbers
    for p, (lines, height) in enumerate(zip(pages, heights)):
        cands = _candidates(lines, height)
        for i, ln in enumerate(lines):
            if i not in cands:
                k = key(ln.text)
                body[k] = body.get(k, 0) + 1
        for i in cands:
            ln = lines[i]
            top_band = ln.top < BAND * height
            seen.setdefault((key(ln.text), top_band), []).append((p, i, ln.top))
            if is_page_number(ln.text) and _apart(lines, i, margin):
                if _at_margin(ln, margin) and ln.text.strip().isdigit():
                    at_margin.append((p, i))
                else:
                    drop[p].add(i)
            elif size and ln.size < 0.85 * size and (ln.top < EDGE * height or ln.bottom > (1 - EDGE) * height):
                drop[p].add(i)
    for p, i in _folios(pages, drop, at_margin):
        drop[p].add(i)
    need = max(2, round(0.3 * len(pages)))
    for (k, _), hits in seen.items():
        for _, _, top in hits:
            near = [(p, i) for p, i, t in hits if abs(t - top) <= SAME_HEIGHT]
            pages_hit = len({p for p, _ in near})
            # text that also fills the body (a cell value, a row number) is not furniture
            if pages_hit >= need and body.get(k, 0) < max(2, 0.5 * pages_hit):
                for p, i in near:
                    drop[p].add(i)
    _closing_small_print(pages, drop, size)
    return drop


def _at_margin(ln: PLine, margin: float) -> bool:
    return abs(ln.x0 - margin) <= ln.size


def _folios(pages: list, drop: list[set[int]], at_margin: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The lone numbers at the left margin that number their pages.

    A task table's row number (``32``) may fall first or last on a page, set
    apart by blank lines like a folio.  A folio counts the pages: it is the
    page's index plus the offset the document's other folios keep (centred or
    outside ones, ``- 3 -``); with none, the offset most of the pages' lone
    numbers keep.

    >>> from policyparse.readers.pdf_lines import PLine
    >>> pages = [[PLine(t, 90, 500, 780, 796, 794, 16)] for t in ["1", "2", "3", "32"]]
    >>> _folios(pages, [set() for _ in pages], [(0, 0), (1, 0), (2, 0), (3, 0)])  # 32 on page 4 is a row
    [(0, 0), (1, 0), (2, 0)]
    """
    if not at_margin:
        return []
    offsets: dict[int, int] = {}
    for p, dropped in enumerate(drop):
        for i in dropped:  # the folios found so far (not a browser's date or address)
            v = _number(pages[p][i].text) if is_page_number(pages[p][i].text) else None
            if v is not None:
                offsets[v - (p + 1)] = offsets.get(v - (p + 1), 0) + 1
    if offsets:
        kept = {max(offsets, key=offsets.get)}
    else:  # only these: folios number most pages alike, row numbers fall where they may
        found: dict[int, int] = {}
        for p, i in at_margin:
            v = _number(pages[p][i].text)
            if v is not None:
                found[v - (p + 1)] = found.get(v - (p + 1), 0) + 1
        kept = {off for off, n in found.items() if n >= max(2, len(pages) // 2)}
    return [(p, i) for p, i in at_margin if (v := _number(pages[p][i].text)) is not None and v - (p + 1) in kept]


_DIGITS = recache.lazy(r"[0-9０-９]+")


def _number(text: str) -> int | None:
    m = _DIGITS.search(text)
    return int(m.group().translate(_FULL_WIDTH)) if m else None


_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _apart(lines: list[PLine], i: int, margin: float) -> bool:
    """A lone number at a page's edge is a folio unless it stands like a list's row number."""
    ln = lines[i]
    if 0 < i < len(lines) - 1:  # not the outermost line
        return False
    if not _at_margin(ln, margin):  # centred, or at the other margin
        return True
    other = lines[i + 1] if i == 0 and len(lines) > 1 else lines[i - 1] if i else None
    if other is None:
        return True
    return abs(other.base - ln.base) > 2.2 * max(ln.size, other.size)


def _closing_small_print(pages: list[list[PLine]], drop: list[set[int]], size: float) -> None:
    """Lines after the last body-size line of the document, set much smaller than the body."""
    if not size:
        return
    run = []
    for p in range(len(pages) - 1, -1, -1):
        for i in range(len(pages[p]) - 1, -1, -1):
            if i in drop[p]:
                continue
            if pages[p][i].size >= 0.75 * size:
                if len(run) >= 2:
                    for q, j in run:
                        drop[q].add(j)
                return
            run.append((p, i))
