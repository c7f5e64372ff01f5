"""Table cells on a column grid → TSV lines: header row first, one line per row.

Shared by the Word and web-page readers.  Text wrapped inside a cell is joined
without spaces; a row with one filled cell (a merged title row) is a plain line;
cells of a row are placed under the header cell whose columns they start in.

    >>> tsv_lines([[Cell(0, 1, "序号"), Cell(1, 2, "工作内容")], [Cell(0, 2, "一、总体要求")], [Cell(0, 1, "1"), Cell(1, 2, "加强领导。")]])
    ['序号\\t工作内容', '一、总体要求', '1\\t加强领导。']
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    """A table cell placed on the column grid."""

    start: int  # first grid column
    end: int  # one past the last grid column
    text: str
    lines: list[str] = field(default_factory=list)
    nested: bool = False


def align_cells(cells: list, bounds: list[tuple[int, int]]) -> list[str]:
    """Cells of a row under the header's columns (cells split below one header cell are joined)."""
    out = [""] * len(bounds)
    for c in cells:
        i = next((k for k, (a, b) in enumerate(bounds) if a <= c.start < b), None)
        if i is None:
            i = len(out)
            out.append("")
            bounds = bounds + [(c.start, c.end)]
        out[i] = join_wrapped([out[i], c.text]) if out[i] else c.text
    return out


def join_wrapped(lines: list[str]) -> str:
    """Text wrapped inside a cell, joined without spaces (except between Latin words)."""
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and ln[0].isascii() and ln[0].isalnum():
            out += " "
        out += ln
    return out


def tsv_lines(rows: list[list[Cell]]) -> list[str]:
    """The rows of a table (cells placed on the grid) as TSV lines."""
    lines, bounds = [], None
    for cells in rows:
        filled = [c for c in cells if c.text]
        if not filled:
            continue
        if len(filled) == 1:
            lines.append(filled[0].text)  # a merged row: a title line inside the table
            continue
        if bounds is None:
            bounds = [(c.start, c.end) for c in cells]  # the header row fixes the columns
        lines.append("\t".join(align_cells(cells, bounds)))
    return lines
