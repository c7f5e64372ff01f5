"""PDF reader: the text layer in reading order, page furniture removed, tables as TSV rows.

Characters come from pypdfium2 (fast); on pages that draw rulings pdfplumber's
table finder turns those rulings into the grid; tables set without rulings are
found from the white space their lines share (``pdf_unruled``).  ``engine="pdfplumber"``
reads everything with pdfplumber instead (slower; the same result).  Lines are
rebuilt from character positions (``pdf_lines``), furniture is found by position
and repetition across pages (``pdf_furniture``), a table broken over pages is
stitched and written as TSV (``pdf_rows``).  One line per printed line; a blank
line before a paragraph that starts indented or after a wider gap.

    >>> read_pdf(b"%PDF-1.4 not really")
    Traceback (most recent call last):
    ...
    policyparse.errors.PolicyparseError: the PDF is damaged or truncated and cannot be read
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field

from ..errors import PolicyparseError
from . import RawText
from .pdf_chars import Char, displayed_size, pdfium_chars, plumber_chars
from .pdf_furniture import find as find_furniture
from .pdf_lines import PLine, build_lines, left_margin
from .pdf_rows import placed_lines
from .pdf_rulings import has_table_rulings, rulings
from .pdf_tables import Table, fill, find_tables, is_real, same_columns
from .pdf_unruled import find as find_unruled

INDENT_EM = 1.5  # a line starting this far right of the body's left edge opens a paragraph
GAP_PITCH = 1.45  # a baseline gap this many times the usual line pitch separates paragraphs


@dataclass
class Page:
    """What one page holds once read: its lines (table text taken out) and its tables."""

    width: float
    height: float
    lines: list[PLine] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chars: int = 0


def read_pdf(data: bytes, *, name: str | None = None, engine: str = "auto") -> RawText:
    """Read a PDF's text layer; raise PolicyparseError (encrypted, damaged, no-text-layer)."""
    with _quiet_pdfminer():
        pages, warnings = _read_pages(data, name, engine)
    if not any(p.chars for p in pages):
        raise PolicyparseError(
            "no-text-layer", "the PDF has no text layer (a scanned document?): run OCR on it first", name
        )
    for i, p in enumerate(pages):
        if not p.chars:
            warnings.append(("pdf-page-no-text", f"page {i + 1} has no text layer (scanned?): its text is missing", None))
    drop = find_furniture([p.lines for p in pages], [p.height for p in pages])
    for p, gone in zip(pages, drop):
        p.lines = [ln for i, ln in enumerate(p.lines) if i not in gone]
    text, starts = _assemble(pages)
    return RawText(
        text=text,
        format="pdf",
        pages=len(pages),
        page_starts=starts,
        warnings=warnings,
        hints={"pdf_engine": engine, "pdf_tables": sum(len(p.tables) for p in pages)},
    )


@contextlib.contextmanager
def _quiet_pdfminer():
    """pdfminer logs a warning per odd font; the reader reports what matters itself."""
    log = logging.getLogger("pdfminer")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _open_pdfium(data: bytes, name: str | None):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg or "security" in msg:
            raise PolicyparseError("encrypted", "the PDF is encrypted (password protected): decrypt it first", name) from None
        raise PolicyparseError("damaged", "the PDF is damaged or truncated and cannot be read", name) from None
    if len(pdf) == 0:
        pdf.close()
        raise PolicyparseError("damaged", "the PDF has no pages (damaged or truncated)", name)
    return pdf


def _open_plumber(data: bytes):
    import io

    import pdfplumber

    return pdfplumber.open(io.BytesIO(data))


def _read_pages(data: bytes, name: str | None, engine: str) -> tuple[list[Page], list]:
    warnings: list = []
    pdf = _open_pdfium(data, name)  # also the check for encryption and damage
    plumber = None
    try:
        pages = []
        for i in range(len(pdf)):
            try:
                ppage = pdf[i]
            except Exception:
                raise PolicyparseError("damaged", f"page {i + 1} of the PDF cannot be read (damaged or truncated)", name) from None
            width, height = displayed_size(ppage.get_mediabox(), ppage.get_rotation())
            page = Page(width, height)
            edges = None if engine == "pdfplumber" else rulings(ppage)
            want_tables = engine == "pdfplumber" or has_table_rulings(edges)
            if engine == "pdfplumber" or want_tables:
                if plumber is None:
                    plumber = _plumber_or_warn(data, warnings)
            chars: list[Char]
            if engine == "pdfplumber" and plumber is not None:
                chars = plumber_chars(plumber.pages[i])
            else:
                chars = pdfium_chars(ppage)
            page.chars = len(chars)
            if want_tables and plumber is not None and chars:
                chars = _take_tables(page, plumber.pages[i], chars, warnings, i, edges)
            page.lines = build_lines(chars)
            unruled, page.lines = find_unruled(page.lines, height)
            page.tables.extend(unruled)
            pages.append(page)
            ppage.close()
        return pages, warnings
    finally:
        if plumber is not None:
            plumber.close()
        pdf.close()


def _plumber_or_warn(data: bytes, warnings: list):
    try:
        return _open_plumber(data)
    except Exception as exc:  # pdfplumber cannot parse what pdfium could: read without tables
        warnings.append(("pdf-tables-unread", f"tables not read: {type(exc).__name__}", None))
        return None


def _take_tables(page: Page, plumber_page, chars: list[Char], warnings: list, i: int, edges) -> list[Char]:
    try:
        tables = find_tables(plumber_page, edges)
    except Exception as exc:  # a malformed page: keep its text, lose its grid
        warnings.append(("pdf-tables-unread", f"tables on page {i + 1} not read: {type(exc).__name__}", None))
        return chars
    for t in tables:
        rest = fill(t, chars)
        if is_real(t):
            page.tables.append(t)
            chars = rest
    return chars


# ---- assembling the text --------------------------------------------------------


def _assemble(pages: list[Page]) -> tuple[str, list[int]]:
    """Lines and tables of every page in reading order; the offset where each page starts."""
    margin, pitch = _body_geometry(pages)
    placed: list[tuple[int, str]] = []  # (page index, line); "" is a paragraph break
    open_table: list[tuple[int, Table]] = []  # parts of a table that may go on on the next page
    prev: PLine | None = None
    for p, page in enumerate(pages):
        items = [(ln.top, 0, ln) for ln in page.lines] + [(t.bbox[1], 1, t) for t in page.tables]
        items.sort(key=lambda it: (it[0], it[1]))
        for k, (_, is_table, item) in enumerate(items):
            if is_table:
                if open_table and k == 0 and same_columns(open_table[-1][1], item):
                    open_table.append((p, item))
                    continue
                _emit_table(placed, open_table)
                open_table = [(p, item)]
                prev = None
                continue
            _emit_table(placed, open_table)
            if prev is not None and _new_paragraph(prev, item, margin, pitch):
                placed.append((p, ""))
            placed.append((p, item.text))
            prev = item
        if open_table and items and not items[-1][1]:
            _emit_table(placed, open_table)
    _emit_table(placed, open_table)
    return _join(placed, len(pages))


def _join(placed: list[tuple[int, str]], npages: int) -> tuple[str, list[int]]:
    """One text, and for each page the offset of its first line (or where it would be)."""
    starts = [-1] * npages
    parts: list[str] = []
    pos = 0
    for p, text in placed:
        if text and starts[p] < 0:
            starts[p] = pos
        parts.append(text)
        pos += len(text) + 1
    nxt = pos
    for p in range(npages - 1, -1, -1):  # a page without lines starts where the next one does
        if starts[p] < 0:
            starts[p] = nxt
        nxt = starts[p]
    for p in range(1, npages):  # keep them ascending (a table may be written after a later page's start)
        starts[p] = max(starts[p], starts[p - 1])
    return "\n".join(parts) + ("\n" if parts else ""), starts


def _emit_table(placed: list[tuple[int, str]], parts: list[tuple[int, Table]]) -> None:
    if not parts:
        return
    pages = [p for p, _ in parts]
    lines = placed_lines([t for _, t in parts])
    if placed and placed[-1][1]:
        placed.append((pages[0], ""))
    for k, text in lines:
        placed.append((pages[k], text))
    placed.append((pages[-1], ""))
    parts.clear()


def _body_geometry(pages: list[Page]) -> tuple[float, float]:
    """The left edge most lines start at, and the usual distance between baselines."""
    pitches: dict[int, int] = {}
    for page in pages:
        for a, b in zip(page.lines, page.lines[1:]):
            d = b.base - a.base
            if 0 < d < 3 * a.size and abs(a.size - b.size) < 0.5:
                pitches[round(d)] = pitches.get(round(d), 0) + 1
    margin = left_margin([p.lines for p in pages])
    pitch = float(max(pitches, key=pitches.get)) if pitches else 0.0
    return margin, pitch


def _new_paragraph(prev: PLine, ln: PLine, margin: float, pitch: float) -> bool:
    """Indented first line, or more space above than between the lines of a paragraph."""
    if ln.x0 >= margin + INDENT_EM * ln.size and abs(ln.x0 - prev.x0) > 0.5 * ln.size:
        return True
    gap = ln.base - prev.base
    return bool(pitch) and gap > GAP_PITCH * pitch
