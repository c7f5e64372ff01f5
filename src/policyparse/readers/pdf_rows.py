"""A table (its parts on consecutive pages) as TSV lines the structure step reads.

The header row is written once, from the 序号 column on; each row is one line
of cells joined by TAB, its 序号 first.  Columns left of the 序号 column hold
section titles printed down a merged cell: each becomes a line of its own before
the rows it spans, so the rows nest under it.  A row whose 序号 cell is empty
or merged from above continues the row before it (a row broken across pages, a
note printed under a row); a header repeated on the next page is dropped; a
cell merged down several rows (a 牵头单位 shared by them) is repeated on each.

    >>> from policyparse.readers.pdf_tables import Cell, Table
    >>> t = Table((0, 0, 9, 9), [0, 1, 2, 3], 3)
    >>> t.cells = [Cell(0, 0, 1, 1, "领域"), Cell(0, 1, 1, 1, "序号"), Cell(0, 2, 1, 1, "工作内容"),
    ...            Cell(1, 0, 2, 1, "一、强化领导"), Cell(1, 1, 1, 1, "1"), Cell(1, 2, 1, 1, "建立机制"),
    ...            Cell(2, 1, 1, 1, "2"), Cell(2, 2, 1, 1, "开展督查")]
    >>> table_lines([t])
    ['序号\\t工作内容', '一、强化领导', '1\\t建立机制', '2\\t开展督查']
"""

from __future__ import annotations

import regex

from .. import recache
from .pdf_lines import join_wrapped
from .pdf_tables import Cell, Table

_NUMBER = recache.lazy(r"^\d{1,3}[.．、]?$")


def _cover(t: Table) -> list[list[Cell | None]]:
    grid: list[list[Cell | None]] = [[None] * t.ncols for _ in range(t.nrows)]
    for cell in t.cells:
        for r in range(cell.row, min(t.nrows, cell.row + cell.rowspan)):
            for c in range(cell.col, min(t.ncols, cell.col + cell.colspan)):
                grid[r][c] = cell
    return grid


def _origins(t: Table, row: int) -> list[Cell]:
    return [c for c in t.cells if c.row == row]


def _header(t: Table) -> tuple[int, int, list[str]] | None:
    """First header row, number of header rows, and the column names; None when there is none."""
    cover = _cover(t)
    for r in range(min(3, t.nrows)):
        texts = [c.text for c in _origins(t, r) if c.text]
        if len(texts) >= 2 and not any(_NUMBER.match(x) for x in texts) and all(len(x) <= 24 for x in texts):
            rows = 1
            if r + 1 < t.nrows and any(c.rowspan > 1 for c in _origins(t, r)):
                below = [c.text for c in _origins(t, r + 1) if c.text]
                if below and not any(_NUMBER.match(x) for x in below):
                    rows = 2
            names = []
            for col in range(t.ncols):
                seen: list[Cell] = []
                for rr in range(r, r + rows):
                    cell = cover[rr][col]
                    if cell is not None and cell not in seen and cell.col == col:
                        seen.append(cell)
                names.append("".join(c.text for c in seen))
            return r, rows, names
    return None


def _key_column(parts: list[Table], skip: int) -> int | None:
    """The 序号 column: the one whose cells are row numbers."""
    counts: dict[int, int] = {}
    for i, t in enumerate(parts):
        for cell in t.cells:
            if (i or cell.row >= skip) and cell.colspan == 1 and _NUMBER.match(cell.text):
                counts[cell.col] = counts.get(cell.col, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    if best < 2:
        return None
    return min(c for c, n in counts.items() if n == best)


def table_lines(parts: list[Table]) -> list[str]:
    """TSV lines (and section lines) for a table printed over ``parts`` (one per page)."""
    return [text for _, text in placed_lines(parts)]


def placed_lines(parts: list[Table]) -> list[tuple[int, str]]:
    """Like :func:`table_lines`, each line with the index of the part (page) it starts on."""
    head = _header(parts[0])
    start, nhead, names = (head[0], head[1], head[2]) if head else (0, 0, [])
    key = _key_column(parts, start + nhead)
    first = key or 0
    out = _Out()
    for r in range(start):  # a title printed inside the table's frame
        text = " ".join(c.text for c in _origins(parts[0], r) if c.text)
        if text:
            out.append(text)
    if names:
        out.append("\t".join(_clean(n) for n in names[first:]))
    header_key = [_clean(n) for n in names[first:]] if names else None
    row: list[str] | None = None
    section = None  # the section title last written (printed again beside the rows on the next page)
    for i, t in enumerate(parts):
        out.part = i
        cover = _cover(t)
        for r in range(start + nhead if i == 0 else 0, t.nrows):
            origins = [c for c in _origins(t, r) if c.text]
            if not origins and key is not None:
                continue
            if header_key and [_clean(cover[r][c].text if cover[r][c] and cover[r][c].col == c else "") for c in range(first, t.ncols)] == header_key:
                continue  # the header printed again on this page
            for cell in origins:  # section titles down the merged first columns
                if key is not None and cell.col < key and _clean(cell.text) != section:
                    row = _flush(out, row)
                    section = _clean(cell.text)
                    out.append(section)
            if key is None:
                row = _flush(out, row)
                out.append("\t".join(_clean(cover[r][c].text) if cover[r][c] and cover[r][c].col == c else "" for c in range(t.ncols)))
                continue
            row = _body_row(t, cover, r, key, row, out)
    _flush(out, row)
    return out.lines


class _Out:
    """Lines written so far, each with the part it starts on; a row remembers where it began."""

    def __init__(self):
        self.lines: list[tuple[int, str]] = []
        self.part = 0
        self.row_part = 0

    def append(self, text: str, part: int | None = None) -> None:
        self.lines.append((self.part if part is None else part, text))


def _body_row(t: Table, cover, r: int, key: int, row: list[str] | None, out: _Out) -> list[str] | None:
    """Read row ``r``: a new numbered row, a continuation of ``row``, or a line of its own."""
    cells = [c for c in _origins(t, r) if c.col >= key and c.text]
    kcell = cover[r][key]
    if kcell is not None and kcell.row == r and _NUMBER.match(kcell.text) and kcell.colspan == 1:
        _flush(out, row)
        out.row_part = out.part
        new = []
        for c in range(key, t.ncols):
            cell = cover[r][c]
            # a cell merged down several rows belongs to each of them; one merged across columns only to its first
            new.append(_clean(cell.text) if cell is not None and cell.col == c else "")
        return new
    continues = kcell is None or kcell.row < r or (kcell.row == r and not kcell.text)
    if continues and row is not None:
        for cell in cells:
            i = cell.col - key
            if cell.colspan > 1 and cell.col > key:
                row.append(_clean(cell.text))  # a note printed across the row's columns
            elif 0 <= i < len(row):
                row[i] = join_wrapped([row[i], _clean(cell.text)])
        return row
    _flush(out, row)
    text = " ".join(_clean(c.text) for c in cells)
    if text:
        out.append(text)  # a group title across the table ("结果性指标")
    return None


def _flush(out: _Out, row: list[str] | None) -> None:
    if row is not None:
        while len(row) > 1 and not row[-1]:
            row.pop()
        out.append("\t".join(row), out.row_part)
    return None


def _clean(text: str) -> str:
    return regex.sub(r"[\t\n\r]+", " ", text or "").strip()
