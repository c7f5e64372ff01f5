"""Tables set without rulings: columns found as white space shared by a block of lines.

A page whose lines (three or more) split into columns by wide gaps may hold a
table printed without rules.  Over the block from the first to the last such
line, the x ranges that no character of any line covers are the column gaps.
A row starts at a line whose 序号 column holds a number; the lines after it
continue its cells (a wrapped cell).  Text in a column left of the 序号 column
forms runs down the page — a section title written one character per line —
each a cell merged over the rows beside it.  The result is a ``Table`` like a
ruled one, so stitching and TSV output are shared.  (pdfplumber's "text"
strategy splits wrapped CJK cells into rows of their own, hence this.)

    >>> find([], 842)
    ([], [])
"""

from __future__ import annotations


from .. import recache
from .pdf_lines import PLine, cell_text
from .pdf_tables import Cell, Table

MIN_TABLE_LINES = 3  # lines with two column gaps or more
GAP_EM = 0.8  # white space shared by every line of the block, in ems, that separates columns
_NUMBER = recache.lazy(r"^\d{1,3}[.．、]?$")


def find(lines: list[PLine], height: float) -> tuple[list[Table], list[PLine]]:
    """Tables without rulings among ``lines``; the lines that are not in them."""
    wide = [i for i, ln in enumerate(lines) if len(ln.gaps) >= 2]
    if len(wide) < MIN_TABLE_LINES:
        return [], lines
    a, b = wide[0], wide[-1]
    if a > 0 and len(lines[a - 1].gaps) >= 1:
        a -= 1
    # a title written downwards beside the rows may run on below the last row
    left = min(ln.chars[0].x1 for ln in lines[a : b + 1])
    while b + 1 < len(lines) and lines[b + 1].x1 <= left + lines[b + 1].size and len(lines[b + 1].text) <= 2:
        b += 1
    table = _table(lines[a : b + 1])
    if table is None:
        return [], lines
    return [table], lines[:a] + lines[b + 1 :]


def _columns(block: list[PLine]) -> list[float]:
    """Column edges: the middles of the x ranges no character of the block covers."""
    spans = sorted((c.x0, c.x1) for ln in block for c in ln.chars)
    em = sorted(ln.size for ln in block)[len(block) // 2]
    edges = [spans[0][0] - 1]
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= GAP_EM * em:
            edges.append((reach + x0) / 2)
        reach = max(reach, x1)
    edges.append(reach + 1)
    return edges


def _col(edges: list[float], x: float) -> int:
    for k in range(len(edges) - 1):
        if x < edges[k + 1]:
            return k
    return len(edges) - 2


def _table(block: list[PLine]) -> Table | None:
    xs = _columns(block)
    ncols = len(xs) - 1
    if ncols < 3:
        return None
    # per line: the characters of each column
    per_line = []
    for ln in block:
        cols: list[list] = [[] for _ in range(ncols)]
        for c in ln.chars:
            cols[_col(xs, c.mid_x)].append(c)
        per_line.append(cols)
    key = _key_column(per_line, ncols)
    if key is None:
        return None
    starts = [i for i, cols in enumerate(per_line) if _NUMBER.match(cell_text(cols[key]))]
    if len(starts) < 2:
        return None
    groups = ([(0, starts[0])] if starts[0] > 0 else []) + [
        (s, e) for s, e in zip(starts, starts[1:] + [len(block)])
    ]
    header = 1 if starts[0] > 0 else 0
    table = Table(
        bbox=(xs[0], min(ln.top for ln in block), xs[-1], max(ln.bottom for ln in block)),
        xs=xs,
        nrows=len(groups),
        ruled=False,
    )
    for r, (s, e) in enumerate(groups):
        for k in range(key, ncols):
            text = cell_text([c for i in range(s, e) for c in per_line[i][k]])
            if text or r < header:
                table.cells.append(Cell(r, k, 1, 1, text))
        if r < header:
            for k in range(key):
                text = cell_text([c for i in range(s, e) for c in per_line[i][k]])
                table.cells.append(Cell(r, k, 1, 1, text))
    _sections(table, per_line, groups, key, header)
    table.cells.sort(key=lambda c: (c.row, c.col))
    return table


def _key_column(per_line, ncols: int) -> int | None:
    """The 序号 column: the one where most lines that hold a number alone start."""
    counts = [0] * ncols
    for cols in per_line:
        for k in range(ncols):
            if cols[k] and _NUMBER.match(cell_text(cols[k])):
                counts[k] += 1
    best = max(range(ncols), key=lambda k: (counts[k], -k))
    return best if counts[best] >= 2 else None


def _sections(table: Table, per_line, groups, key: int, header: int) -> None:
    """Runs of text down the columns left of the 序号 column: one merged cell each."""
    line_row = {}
    for r, (s, e) in enumerate(groups):
        for i in range(s, e):
            line_row[i] = r
    for k in range(key):
        chars = sorted(((c, line_row[i]) for i, cols in enumerate(per_line) if line_row[i] >= header for c in cols[k]),
                       key=lambda p: p[0].top)
        run: list = []
        for n, (c, r) in enumerate(chars + [(None, None)]):
            # a character more than an em and a half below the last one opens a new title
            if c is not None and (not run or c.top - run[-1][0].bottom <= 1.5 * c.size):
                run.append((c, r))
                continue
            if run:
                rows = sorted({row for _, row in run})
                text = cell_text([ch for ch, _ in run])
                if text:
                    table.cells.append(Cell(rows[0], k, rows[-1] - rows[0] + 1, 1, text))
            run = [(c, r)] if c is not None else []
