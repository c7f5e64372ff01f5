"""Read a Word .docx: paragraphs in order, list numbers as displayed, tables as TSV rows.

Word numbers list items itself (``numPr`` → ``abstractNum``: ``lvlText`` "%1、",
``numFmt`` chineseCounting …): the label is not in the text, so it is rendered
as Word shows it (``wordnum``).  Tables become one TAB-separated line per row, header row
first; text wrapped inside a cell is joined without spaces; a row of one merged
cell is a plain line (a section title inside a task table).  Text boxes are kept;
headers, footers, footnotes and comments are not read.

    >>> is_docx(b"PK\x03\x04 not really a zip")
    False
"""

from __future__ import annotations

import io
import zipfile

from ..errors import PolicyparseError
from . import RawText
from .cells import Cell, join_wrapped, tsv_lines
from .wordnum import Numbering, load_numbering, load_styles, val

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TXBX = _W + "txbxContent"

# elements whose text is not part of the document as displayed
_SKIP = {_W + t for t in ("del", "moveFrom", "pPr", "rPr", "delText", "instrText", "fldChar", "commentReference",
                          "footnoteReference", "endnoteReference", "sectPr", "tblPr", "trPr", "tcPr", "tblGrid")}
_SKIP.add(_MC + "Fallback")  # the same content again, for old readers

# ---- the body, in order ----------------------------------------------------------


class _Reader:
    def __init__(self, numbering: Numbering, styles: dict):
        self.numbering = numbering
        self.styles = styles
        self._merged: dict = {}  # grid column → the cell a vertical merge continues (current table)

    def blocks(self, parent) -> list[str]:
        """Lines of a run of block content (body, cell, text box, content control)."""
        lines: list[str] = []
        for el in parent:
            tag = el.tag
            if tag == _W + "p":
                lines += self.paragraph(el)
            elif tag == _W + "tbl":
                lines += self.table(el)
            elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _MC + "AlternateContent", _MC + "Choice"):
                lines += self.blocks(el)
        return lines

    # paragraphs

    def paragraph(self, p) -> list[str]:
        parts: list[str] = []
        boxes: list = []
        self._inline(p, parts, boxes)
        text = "".join(parts)
        label = self._label(p)  # also an empty numbered paragraph shows (and uses up) its number
        if label:
            text = label + text.lstrip()
        lines = text.split("\n")
        for box in boxes:
            lines += self.blocks(box)
        return lines

    def _inline(self, el, parts: list[str], boxes: list) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _W + "r" and _hidden(child):
                continue
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag in (_W + "tab", _W + "ptab"):
                parts.append(" ")  # TAB is reserved for table cells
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            elif tag == _TXBX:
                boxes.append(child)
            else:  # runs, hyperlinks, insertions, fields, smart tags, drawings …
                self._inline(child, parts, boxes)

    def _label(self, p) -> str | None:
        ppr = p.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        num_id, ilvl = val(num_pr, "numId"), val(num_pr, "ilvl")
        style = val(ppr, "pStyle")
        seen = set()
        while style and style not in seen and (num_id is None or ilvl is None):
            seen.add(style)
            st = self.styles.get(style, {})
            num_id = num_id if num_id is not None else st.get("numId")
            ilvl = ilvl if ilvl is not None else st.get("ilvl")
            style = st.get("basedOn")
        if num_id is None or num_id == "0":
            return None
        try:
            return self.numbering.label(num_id, int(ilvl or 0))
        except ValueError:
            return None

    # tables

    def table(self, tbl) -> list[str]:
        outer, self._merged = self._merged, {}
        rows = [self._row_cells(tr) for tr in _rows(tbl)]
        self._merged = outer
        if not rows:
            return []
        if any(c.nested for r in rows for c in r) or max(sum(1 for c in r if c.text) for r in rows) <= 1:
            # a layout table (one column, or holding other tables): its cells are blocks
            return [ln for r in rows for c in r for ln in c.lines]
        return tsv_lines(rows)

    def _row_cells(self, tr) -> list[Cell]:
        cells = []
        grid = 0
        before = val(tr.find(_W + "trPr"), "gridBefore")
        if before and before.isdigit():
            grid += int(before)
        for tc in _cells(tr):
            tcpr = tc.find(_W + "tcPr")
            span = val(tcpr, "gridSpan", "1")
            span = int(span) if span and span.isdigit() else 1
            vmerge = tcpr.find(_W + "vMerge") if tcpr is not None else None
            cont = vmerge is not None and vmerge.get(_W + "val", "continue") == "continue"
            if cont:
                above = self._merged.get(grid)
                cell = Cell(grid, grid + span, above.text if above else "", [], False)
            else:
                lines = self.blocks(tc)
                nested = tc.find(_W + "tbl") is not None
                cell = Cell(grid, grid + span, join_wrapped(lines), lines, nested)
                if vmerge is not None:
                    self._merged[grid] = cell
                else:
                    self._merged.pop(grid, None)
            cells.append(cell)
            grid += span
        return cells

    def read(self, body) -> list[str]:
        return self.blocks(body)


def _children(parent, tag: str):
    """Children named ``tag``, looking through content controls and custom XML wrappers."""
    for el in parent:
        if el.tag == _W + tag:
            yield el
        elif el.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _children(el, tag)


def _rows(tbl):
    return _children(tbl, "tr")


def _cells(tr):
    return _children(tr, "tc")


def _hidden(run) -> bool:
    rpr = run.find(_W + "rPr")
    if rpr is None:
        return False
    v = rpr.find(_W + "vanish")
    return v is not None and v.get(_W + "val", "true") not in ("0", "false", "off")


# ---- entry points -----------------------------------------------------------------


def is_docx(data: bytes) -> bool:
    """True for a zip package holding ``word/document.xml`` (a Word document)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def read_docx(data: bytes, *, name: str | None = None) -> RawText:
    """Decode a .docx into text lines (see the module docstring); raise PolicyparseError."""
    import docx  # heavy: only for Word documents

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # noqa: BLE001 - any failure to open the package means a damaged file
        raise PolicyparseError("damaged", f"cannot open the Word document ({type(exc).__name__}: {exc})", name) from None
    styles = load_styles(document)
    reader = _Reader(load_numbering(document, styles), styles)
    lines = reader.read(body)
    text = "\n".join(ln.rstrip() for ln in lines).strip("\n")
    if not text.strip():
        raise PolicyparseError("empty", "the Word document holds no text", name)
    return RawText(text=text, format="docx", encoding=None)
