"""Tables of a PDF page: found with pdfplumber's table finder, read as a grid of cells.

Ruled tables come from the page's visible rulings (white boxes painted behind
lines of text are not rulings).  A table must have at least two columns and two
rows with text in two cells, or it is a frame around prose.  Each cell knows
the rows and columns it spans, so merged cells (a section title printed down a
merged first column, a 牵头单位 shared by several rows) keep their meaning.
The text of a cell is read from the page's characters (either source), its
wrapped lines joined without inserted spaces.

    >>> Cell(0, 0, 1, 2, "序号").colspan
    2
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .pdf_chars import Char
from .pdf_lines import cell_text

SNAP = 1.5  # points: two cell edges this close are the same grid line


@dataclass(slots=True)
class Cell:
    """A cell of a grid: where it starts, how far it spans, its text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str = ""


@dataclass
class Table:
    """One table on one page: its box, its column edges and its cells."""

    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    xs: list[float]  # column edges, left to right
    nrows: int
    cells: list[Cell] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # box of each cell
    ruled: bool = True  # False: columns found from white space (their edges move with the text)

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    def contains(self, c: Char, pad: float = 1.0) -> bool:
        x0, top, x1, bottom = self.bbox
        return x0 - pad <= c.mid_x <= x1 + pad and top - pad <= c.mid_y <= bottom + pad


# ---- the grid (pdfplumber) ---------------------------------------------------------


def _white(color) -> bool:
    if color is None:
        return True
    if isinstance(color, (int, float)):
        return color >= 0.92
    vals = list(color)
    if len(vals) == 4:  # CMYK
        return max(vals) <= 0.08
    return bool(vals) and min(vals) >= 0.92


def _drawn(obj) -> bool:
    """Keep what a reader sees: stroked edges, and filled shapes that are thin or not white."""
    if obj.get("object_type") not in ("rect", "curve"):
        return True
    if obj.get("stroke") and not _white(obj.get("stroking_color")) and obj.get("linewidth", 1) > 0:
        return True
    if obj.get("fill") and not _white(obj.get("non_stroking_color")):
        return min(obj.get("width", 0), obj.get("height", 0)) <= 3 or obj.get("object_type") == "curve"
    return False


def find_tables(plumber_page, edges: list[dict] | None = None) -> list[Table]:
    """The ruled tables of a ``pdfplumber`` page, as grids without text yet.

    With ``edges`` (rulings already read with pypdfium2) the page is not parsed
    again: pdfplumber's table finder works from those edges alone.
    """
    from pdfplumber.table import TableFinder

    if edges is not None:
        v = [e for e in edges if e["orientation"] == "v"]
        h = [e for e in edges if e["orientation"] == "h"]
        if len(v) < 2 or len(h) < 2:
            return []
        settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                    "explicit_vertical_lines": v, "explicit_horizontal_lines": h}
        found = TableFinder(plumber_page, settings).tables
    else:
        found = plumber_page.filter(_drawn).find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    out = []
    for t in found:
        grid = _grid(t)
        if grid is not None:
            out.append(grid)
    return out


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _grid(t) -> Table | None:
    boxes = [c for c in t.cells if c]
    if len(boxes) < 4:
        return None
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    if len(xs) < 3 or len(ys) < 3:
        return None
    table = Table(bbox=tuple(t.bbox), xs=xs, nrows=len(ys) - 1)
    for b in boxes:
        c0, c1 = _index(xs, b[0]), _index(xs, b[2])
        r0, r1 = _index(ys, b[1]), _index(ys, b[3])
        if c1 <= c0 or r1 <= r0:
            continue
        table.cells.append(Cell(r0, c0, r1 - r0, c1 - c0))
        table.boxes.append(tuple(b))
    table.cells, table.boxes = _sorted(table.cells, table.boxes)
    return table


def _sorted(cells, boxes):
    pairs = sorted(zip(cells, boxes), key=lambda p: (p[0].row, p[0].col))
    return [p[0] for p in pairs], [p[1] for p in pairs]


def fill(table: Table, chars: list[Char]) -> list[Char]:
    """Give each cell the text of the characters inside it; return the characters left over."""
    inside: list[list[Char]] = [[] for _ in table.cells]
    rest = []
    for c in chars:
        if not table.contains(c):
            rest.append(c)
            continue
        k = _cell_of(table, c)
        if k is None:
            rest.append(c)
        else:
            inside[k].append(c)
    for cell, cs in zip(table.cells, inside):
        cell.text = cell_text(cs)
    return rest


def _cell_of(table: Table, c: Char) -> int | None:
    x, y = c.mid_x, c.mid_y
    for k, (x0, top, x1, bottom) in enumerate(table.boxes):
        if x0 - 0.5 <= x <= x1 + 0.5 and top - 0.5 <= y <= bottom + 0.5:
            return k
    return None


def is_real(table: Table) -> bool:
    """Two or more rows with text in two or more cells: a table, not a frame."""
    per_row: dict[int, int] = {}
    for cell in table.cells:
        if cell.text:
            per_row[cell.row] = per_row.get(cell.row, 0) + 1
    return sum(1 for n in per_row.values() if n >= 2) >= 2


def same_columns(a: Table, b: Table, tol: float = 3.0) -> bool:
    """Whether ``b`` continues ``a`` (a table broken across a page): the same column edges."""
    if not (a.ruled and b.ruled):
        tol = 16.0  # edges found from white space shift with the text in the columns
    return a.ncols == b.ncols and all(abs(x - y) <= tol for x, y in zip(a.xs, b.xs))
