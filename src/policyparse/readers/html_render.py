"""Render parsed HTML as text lines the way a browser breaks them; tables become TSV rows.

    >>> import lxml.html
    >>> render_lines(lxml.html.fromstring("<div><p>一、总体要求</p>到2025年<br>完成。</div>"))
    ['一、总体要求', '到2025年', '完成。']
"""

from __future__ import annotations

import re

from .. import recache
from .cells import Cell, join_wrapped, tsv_lines

_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p pre section "
    "summary table tbody td tfoot th thead title tr ul".split()
)
_DROP = frozenset(
    "script style noscript template iframe frame frameset object embed select option button input textarea "
    "svg canvas map head video audio link meta".split()
)

_PUNCT = recache.lazy(r"[。，；：！？、]")

# ---- lines ---------------------------------------------------------------------

_SEGMENT_BREAK = "\ue000"  # a source line break inside text (dropped between CJK characters)
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"


class _Lines:
    """Text collected while walking the tree, one output line per block."""

    def __init__(self):
        self.lines: list[str] = []
        self.buf: list[str] = []

    def text(self, s: str | None) -> None:
        if s:
            self.buf.append(re.sub(r"[ \t\r\n\f]*[\r\n][ \t\r\n\f]*", _SEGMENT_BREAK, s))

    def end_line(self) -> None:
        if not self.buf:
            return
        s = "".join(self.buf)
        self.buf = []
        s = re.sub(rf"(?<=[{_CJK}]){_SEGMENT_BREAK}+(?=[{_CJK}])", "", s)
        s = re.sub(rf"[ \t{_SEGMENT_BREAK}]+", " ", s).strip()  # also the \u3000 indent
        if s.strip():
            self.lines.append(s)


def _tag(el) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


def _render(el, out: _Lines, depth: int = 0) -> None:
    tag = _tag(el)
    if not tag or tag in _DROP:
        return
    if tag == "br":
        out.end_line()
        return
    if tag == "table":
        out.end_line()
        out.lines += _table(el)
        return
    if tag == "pre":
        out.end_line()
        out.lines += [ln.rstrip() for ln in el.text_content().split("\n") if ln.strip()]
        return
    if depth > 400:  # absurdly deep markup: keep its text in one piece
        out.text(el.text_content())
        return
    block = tag in _BLOCK
    if block:
        out.end_line()
    out.text(el.text)
    for child in el:
        _render(child, out, depth + 1)
        out.text(child.tail)
    if block:
        out.end_line()


def render_lines(el) -> list[str]:
    """The lines of an element as a browser would break them."""
    out = _Lines()
    _render(el, out)
    out.end_line()
    return out.lines


def _rows(tbl):
    for el in tbl:
        tag = _tag(el)
        if tag == "tr":
            yield el
        elif tag in ("thead", "tbody", "tfoot"):
            yield from _rows(el)


def _span(el, attr: str, cap: int) -> int:
    v = re.match(r"\s*(\d+)", el.get(attr) or "")
    return max(1, min(int(v.group(1)), cap)) if v else 1


def _table(tbl) -> list[str]:
    """A table as TSV rows; a layout table (one column, or holding tables) as its cells' lines."""
    rows: list[list[Cell]] = []
    carry: dict[tuple[int, int], Cell] = {}  # (row, column) → a cell spanning down into it
    layout = _is_layout(tbl, _sizes(tbl))
    for r, tr in enumerate(_rows(tbl)):
        row, col = [], 0
        for td in tr:
            if _tag(td) not in ("td", "th"):
                continue
            while (r, col) in carry:
                above = carry.pop((r, col))
                row.append(Cell(col, above.end - above.start + col, above.text))
                col += above.end - above.start
            lines = render_lines(td) if not layout else []
            cs, rs = _span(td, "colspan", 64), _span(td, "rowspan", 1000)
            cell = Cell(col, col + cs, join_wrapped(lines), lines)
            row.append(cell)
            for k in range(1, rs):
                carry[(r + k, col)] = cell
            col += cs
        while (r, col) in carry:
            above = carry.pop((r, col))
            row.append(Cell(col, col + above.end - above.start, above.text))
            col += above.end - above.start
        rows.append(row)
    if layout or not rows or max(sum(1 for c in r if c.text) for r in rows) <= 1:
        out = _Lines()
        for tr in _rows(tbl):
            for td in tr:
                _render(td, out)
                out.end_line()
        return out.lines
    return tsv_lines(rows)


# ---- element sizes, and tables used for layout -------------------------------------


def _sizes(root) -> dict:
    """Per element: (text chars, link chars, sentence punctuation outside links), whitespace not counted."""
    in_link = {}
    for el in root.iter():
        parent = el.getparent()
        in_link[el] = _tag(el) == "a" or (parent is not None and in_link.get(parent, False))
    sizes: dict = {}
    for el in reversed(list(root.iter())):
        if not isinstance(el.tag, str):
            continue
        total = link = punct = 0
        pieces = [el.text] + [c.tail for c in el]
        for piece in pieces:
            if piece:
                n = len(piece) - len(re.findall(r"\s", piece))
                total += n
                if in_link[el]:
                    link += n
                else:
                    punct += len(_PUNCT.findall(piece))
        for c in el:
            if c in sizes:
                t, lk, pu = sizes[c]
                total, link, punct = total + t, link + lk, punct + pu
        sizes[el] = (total, link, punct)
    return sizes


def _running(sizes: dict, el) -> int:
    t, lk, _ = sizes.get(el, (0, 0, 0))
    return t - lk


def _is_layout(tbl, sizes: dict) -> bool:
    """A table used for page layout: nested tables, one column, a cell holding a page or a menu."""
    if tbl is None or tbl.find(".//table") is not None:
        return True
    most = 0
    for tr in _rows(tbl):
        cells = [td for td in tr if _tag(td) in ("td", "th")]
        most = max(most, sum(1 for td in cells if _running(sizes, td) or sizes.get(td, (0,))[0]))
        for td in cells:
            if _running(sizes, td) >= 1500 or sum(1 for _ in td.iter("a")) >= 6:
                return True
    return most <= 1
