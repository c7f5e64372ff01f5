"""Read a Word .docx: paragraphs in order, list numbers as displayed, tables as TSV rows.

Word numbers list items itself (``numPr`` → ``abstractNum``: ``lvlText`` "%1、",
``numFmt`` chineseCounting …): the label is not in the text, so it is rendered
here as Word shows it.  Tables become one TAB-separated line per row, header row
first; text wrapped inside a cell is joined without spaces; a row of one merged
cell is a plain line (a section title inside a task table).  Text boxes are kept;
headers, footers, footnotes and comments are not read.

    >>> format_number(12, "chineseCounting"), format_number(3, "decimalEnclosedCircle")
    ('十二', '③')
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from ..errors import PolicyparseError
from . import RawText

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TXBX = _W + "txbxContent"

# elements whose text is not part of the document as displayed
_SKIP = {_W + t for t in ("del", "moveFrom", "pPr", "rPr", "delText", "instrText", "fldChar", "commentReference",
                          "footnoteReference", "endnoteReference", "sectPr", "tblPr", "trPr", "tcPr", "tblGrid")}
_SKIP.add(_MC + "Fallback")  # the same content again, for old readers

_CJK_END = re.compile(r"[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff①-⑳]$")


# ---- numbers as Word displays them --------------------------------------------

_DIGITS = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIAN_GAN = "甲乙丙丁戊己庚辛壬癸"
_DI_ZHI = "子丑寅卯辰巳午未申酉戌亥"


def _counting(n: int, digits: str = _DIGITS, units: str = "十百千") -> str:
    """Chinese counting form: 10 → 十, 21 → 二十一, 105 → 一百零五."""
    if n <= 0 or n >= 10000:
        return str(n)
    zero = "零" if digits is _DIGITS else digits[0]
    parts, need_zero = [], False
    for value, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // value % 10
        if d:
            if need_zero:
                parts.append(zero)
            parts.append(digits[d] + unit)
            need_zero = False
        elif parts:
            need_zero = True
    out = "".join(parts).rstrip(zero)
    if 10 <= n < 20 and digits is _DIGITS:
        out = out[1:]  # 十一, not 一十一
    return out


def format_number(n: int, fmt: str) -> str:
    """The number ``n`` in Word's number format ``fmt`` (ST_NumberFormat)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return _counting(n, _LEGAL, "拾佰仟")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(ord("①") + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(ord("⑴") + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(ord("⒈") + n - 1)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ideographTraditional":
        return _TIAN_GAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DI_ZHI[(n - 1) % 12]
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False  # isLgl: other levels' numbers shown as decimal
    suffix: str = "tab"


@dataclass
class _Numbering:
    """The numbering part: definitions plus the running counters while reading."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, tuple[int | None, _Level | None]]]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # per abstractNum (Word's rule)
    used: set[str] = field(default_factory=set)

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the list ``num_id`` at level ``ilvl`` and return the label shown."""
        if num_id not in self.nums:
            return None
        abs_id, overrides = self.nums[num_id]
        levels = dict(self.abstract.get(abs_id, {}))
        for k, (_, lvl) in overrides.items():
            if lvl is not None:
                levels[k] = lvl
        if ilvl not in levels:
            return None
        counts = self.counters.setdefault(abs_id, [None] * 9)
        if num_id not in self.used:  # a restarted list (startOverride) begins again on first use
            self.used.add(num_id)
            for k, (start, _) in overrides.items():
                if start is not None and 0 <= k < 9:
                    counts[k] = start - 1
        lvl = levels[ilvl]
        counts[ilvl] = (counts[ilvl] if counts[ilvl] is not None else lvl.start - 1) + 1
        for k in range(ilvl + 1, 9):
            deeper = levels.get(k)
            rs = deeper.restart if deeper else None
            if rs is None or (rs != 0 and ilvl < rs):
                counts[k] = None
        if lvl.fmt == "bullet":
            return ""  # a bullet is not a label

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            other = levels.get(k, _Level())
            n = counts[k] if counts[k] is not None else other.start
            fmt = "decimal" if lvl.legal and k != ilvl and other.fmt != "none" else other.fmt
            return format_number(n, fmt)

        text = re.sub(r"%([1-9])", sub, lvl.text)
        if not text:
            return ""
        if lvl.suffix == "space" or (lvl.suffix == "tab" and not _CJK_END.search(text)):
            return text + " "  # "1." before its text; "一、" needs no gap
        return text


def _val(el, tag: str, default=None):
    child = el.find(_W + tag) if el is not None else None
    if child is None:
        return default
    return child.get(_W + "val", default)


def _level(lvl) -> _Level:
    out = _Level()
    out.start = int(_val(lvl, "start", "1") or 1)
    out.fmt = _val(lvl, "numFmt", "decimal") or "decimal"
    text = lvl.find(_W + "lvlText")
    out.text = text.get(_W + "val", "") if text is not None else ""
    rs = _val(lvl, "lvlRestart")
    out.restart = int(rs) if rs is not None and rs.lstrip("-").isdigit() else None
    legal = lvl.find(_W + "isLgl")
    out.legal = legal is not None and legal.get(_W + "val", "true") not in ("0", "false", "off")
    out.suffix = _val(lvl, "suff", "tab") or "tab"
    return out


def _load_numbering(document, styles: dict) -> _Numbering:
    out = _Numbering()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return out
    links = {}  # abstractNum → style whose numbering it borrows (numStyleLink)
    for an in root.findall(_W + "abstractNum"):
        aid = an.get(_W + "abstractNumId")
        out.abstract[aid] = {int(lvl.get(_W + "ilvl", "0")): _level(lvl) for lvl in an.findall(_W + "lvl")}
        link = _val(an, "numStyleLink")
        if link:
            links[aid] = link
    for num in root.findall(_W + "num"):
        nid = num.get(_W + "numId")
        aid = _val(num, "abstractNumId")
        overrides = {}
        for ov in num.findall(_W + "lvlOverride"):
            k = int(ov.get(_W + "ilvl", "0"))
            start = _val(ov, "startOverride")
            lvl = ov.find(_W + "lvl")
            overrides[k] = (int(start) if start and start.isdigit() else None, _level(lvl) if lvl is not None else None)
        out.nums[nid] = (aid, overrides)
    for aid, style_id in links.items():  # resolve one level of numStyleLink
        target = styles.get(style_id, {}).get("numId")
        if target in out.nums and not out.abstract.get(aid):
            out.abstract[aid] = out.abstract.get(out.nums[target][0], {})
    return out


def _load_styles(document) -> dict:
    """styleId → {numId, ilvl, basedOn} for paragraph styles."""
    out = {}
    try:
        root = document.styles.element
    except (KeyError, AttributeError):
        return out
    for st in root.findall(_W + "style"):
        sid = st.get(_W + "styleId")
        ppr = st.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        out[sid] = {
            "numId": _val(num_pr, "numId"),
            "ilvl": _val(num_pr, "ilvl"),
            "basedOn": _val(st, "basedOn"),
        }
    return out


# ---- the body, in order ----------------------------------------------------------


class _Reader:
    def __init__(self, numbering: _Numbering, styles: dict):
        self.numbering = numbering
        self.styles = styles

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
        num_id, ilvl = _val(num_pr, "numId"), _val(num_pr, "ilvl")
        style = _val(ppr, "pStyle")
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
        out = []
        bounds = None
        for cells in rows:
            filled = [c for c in cells if c.text]
            if not filled:
                continue
            if len(filled) == 1:
                out.append(filled[0].text)  # a merged row: a title line inside the table
                continue
            if bounds is None:
                bounds = [(c.start, c.end) for c in cells]  # the header row fixes the columns
            out.append("\t".join(align_cells(cells, bounds)))
        return out

    def _row_cells(self, tr) -> list[Cell]:
        cells = []
        grid = 0
        before = _val(tr.find(_W + "trPr"), "gridBefore")
        if before and before.isdigit():
            grid += int(before)
        for tc in _cells(tr):
            tcpr = tc.find(_W + "tcPr")
            span = _val(tcpr, "gridSpan", "1")
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

    _merged: dict  # grid column → the cell a vertical merge continues (per table)

    def read(self, body) -> list[str]:
        self._merged = {}
        return self.blocks(body)


@dataclass
class Cell:
    """A table cell placed on the column grid."""

    start: int  # first grid column
    end: int  # one past the last grid column
    text: str
    lines: list[str] = field(default_factory=list)
    nested: bool = False


def _rows(tbl):
    for el in tbl:
        if el.tag == _W + "tr":
            yield el
        elif el.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _rows(el)


def _cells(tr):
    for el in tr:
        if el.tag == _W + "tc":
            yield el
        elif el.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _cells(el)


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
    styles = _load_styles(document)
    reader = _Reader(_load_numbering(document, styles), styles)
    lines = reader.read(body)
    text = "\n".join(ln.rstrip() for ln in lines).strip("\n")
    if not text.strip():
        raise PolicyparseError("empty", "the Word document holds no text", name)
    return RawText(text=text, format="docx", encoding=None)
