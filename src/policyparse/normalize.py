"""Normalize decoded text into the text every span refers to, keeping an offset map.

Steps, each small and line-based: fold look-alike characters (full-width digits,
CJK compatibility and radical forms) one-for-one; strip markdown markup and page
furniture; rebuild tables that PDF export flattened into text (``layout``);
rejoin hard-wrapped lines; drop the spaces that export puts inside numbers and
dates.  Every output character remembers the input offset it came from.

    >>> n = normalize_text("到 2025 年，覆盖率达到\\n\\n90 %以上。")
    >>> n.text
    '到2025年，覆盖率达到90%以上。'
    >>> n.line_of(n.text.index("90"))
    3
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from array import array
from dataclasses import dataclass, field

import regex

from .models import Span
from .readers import RawText


@dataclass
class Line:
    """One line of text and, for each character, its offset in the input."""

    text: str
    src: array
    gap_before: int = 0  # blank lines that preceded it in the input
    kind: str = "text"  # text | row | header (set by layout)

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, a: int, b: int | None = None) -> "Line":
        b = len(self.text) if b is None else b
        return Line(self.text[a:b], self.src[a:b], self.gap_before, self.kind)

    def __add__(self, other: "Line") -> "Line":
        return Line(self.text + other.text, self.src + other.src, self.gap_before, self.kind)

    def sub(self, pattern, repl: str = "") -> "Line":
        """Replace every match of ``pattern``; inserted characters map to the match start."""
        out, src, pos = [], array("q"), 0
        for m in pattern.finditer(self.text):
            out.append(self.text[pos : m.start()])
            src.extend(self.src[pos : m.start()])
            if repl:
                out.append(repl)
                src.extend([self.src[m.start()] if m.start() < len(self.src) else 0] * len(repl))
            pos = m.end()
        if pos == 0:
            return self
        out.append(self.text[pos:])
        src.extend(self.src[pos:])
        return Line("".join(out), src, self.gap_before, self.kind)

    def strip(self) -> "Line":
        a = len(self.text) - len(self.text.lstrip())
        b = len(self.text.rstrip())
        return self.slice(a, max(a, b))


@dataclass
class Normalized:
    """The normalized text and the map from its offsets back to the input."""

    text: str
    src: array  # input offset of each character, plus one entry for the end
    line_starts: list[int] = field(default_factory=lambda: [0])  # input offset of each input line
    page_starts: list[int] = field(default_factory=list)  # input offset where each page begins

    def input_offset(self, off: int) -> int:
        return self.src[max(0, min(off, len(self.src) - 1))]

    def line_of(self, off: int) -> int:
        """1-based input line of normalized offset ``off``."""
        return bisect.bisect_right(self.line_starts, self.input_offset(off))

    def page_of(self, off: int) -> int | None:
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, self.input_offset(off)) or 1

    def span(self, start: int, end: int) -> Span:
        return Span(start=start, end=end, line=self.line_of(start), page=self.page_of(start))


# ---- character folding --------------------------------------------------------


@functools.cache
def _fold_table() -> dict:
    """One-for-one folds: full-width digits/letters/%, odd spaces, CJK look-alikes."""
    table = {}
    for cp in range(0xFF10, 0xFF1A):  # ０-９
        table[cp] = chr(cp - 0xFEE0)
    for cp in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
        table[cp] = chr(cp - 0xFEE0)
    table[0xFF05] = "%"
    table[0x3000] = " "
    table[0x00A0] = " "
    table[0xFEFF] = ""  # stray BOMs inside the text
    table[0x200B] = ""  # zero-width space
    # Kangxi radicals, CJK radicals supplement, compatibility ideographs: PDF producers
    # emit these look-alikes (⼈ ⺠ ⽣); NFKC maps them to the ordinary character
    for lo, hi in ((0x2E80, 0x2FDF), (0xF900, 0xFAFF)):
        for cp in range(lo, hi + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1 and folded != chr(cp):
                table[cp] = folded
    # a few radicals-supplement forms NFKC leaves alone
    table.update({
        0x2EA0: "民", 0x2ED3: "长", 0x2EC4: "西", 0x2EE9: "黄", 0x2EC5: "见", 0x2ECF: "郎", 0x2ED6: "阝",
        0x2ED4: "门", 0x2ED8: "青", 0x2EDD: "食", 0x2EDB: "风", 0x2EC6: "角", 0x2EA7: "牛", 0x2EB3: "网",
        0x2EBC: "肉", 0x2EC3: "覀", 0x2ECB: "车", 0x2ED0: "钅", 0x2ED7: "雨", 0x2EDA: "页", 0x2EE2: "马",
        0x2EE3: "骨", 0x2EE4: "鬼", 0x2EE5: "鱼", 0x2EE6: "鸟", 0x2EE7: "卤", 0x2EEA: "黾", 0x2EEB: "齐",
        0x2EED: "齿", 0x2EEF: "龙", 0x2EF3: "龟", 0x2E8C: "小", 0x2E8D: "小", 0x2E97: "心", 0x2E9F: "母",
        0x2EA8: "犭", 0x2EAA: "疋", 0x2EAE: "竹", 0x2EB6: "羊", 0x2EB7: "羊", 0x2EBB: "聿", 0x2EC0: "言",
        0x2EC1: "虎", 0x2EC8: "讠", 0x2EC9: "贝", 0x2ECC: "辶", 0x2ECD: "辶", 0x2ED1: "长", 0x2ED2: "长",
    })
    return table


def fold_chars(text: str) -> str:
    """Apply the one-for-one folds (deleted characters are only invisible ones)."""
    return text.translate(_fold_table())


# ---- patterns -----------------------------------------------------------------

_MD_HEADING = regex.compile(r"^\s{0,3}#{1,6}\s*")
_MD_BOLD = regex.compile(r"\*\*|__")
_MD_QUOTE = regex.compile(r"^\s*>\s?")
_FURNITURE = regex.compile(
    r"""^\s*(?:
        [-—–－]\s*\d{1,4}\s*[-—–－]                 # - 3 -
      | 第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?   # 第 3 页 共 9 页
      | \d{1,4}\s*/\s*\d{1,4}                        # 3/9
    )\s*$""",
    regex.VERBOSE,
)
# spaces that PDF export puts around numbers: 2025 年, 40 %, 到 2025, 〔2022〕4 号
_SPACE_AFTER_NUM = regex.compile(r"(?<=[\d%‰.])[ \t]+(?=[\p{Han}%‰〕）)、，。；：])")
_SPACE_BEFORE_NUM = regex.compile(r"(?<=[\p{Han}（(〔，、：:；。])[ \t]+(?=\d)")
_SPACE_IN_NUM = regex.compile(r"(?<=\d)[ \t]+(?=[.．]\d)|(?<=\d[.．])[ \t]+(?=\d)")
# the last words of a document title; a 发文字号 line
_TITLE_END = regex.compile(r"(?:通知|方案|意见|要点|办法|措施|规划|决定|报告|细则|条例|规定|纲要|计划|的函|》)$")
_DOC_NUMBER = regex.compile(r"^\S{1,12}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d{1,4}\s*号(?:\s+签发人.*)?$|^签发人")
_TOC_LINE = regex.compile(r"[.…·．]{6,}")  # dot leaders of a table of contents
_TERMINAL = "。！？；：!?;:"
_CLOSERS = "”’」』）)】"
# where a new item begins: a numbering label at the start of a line
_LABEL_START = regex.compile(
    r"""^(?:
        [一二三四五六七八九十百零〇]{1,4}[、．.]
      | [（(][一二三四五六七八九十百零〇]{1,4}[）)]
      | [（(]?\d{1,3}[）)]
      | \d{1,3}[．.、](?!\d)
      | [①-⑳]
      | 第\s*[一二三四五六七八九十百零〇\d]{1,4}\s*(?:[章节条编款篇]|部分)
      | 附件\s*\d*\s*[:：]?\s*$
      | 附件\s*\d+
    )""",
    regex.VERBOSE,
)
_DATE_LINE = regex.compile(r"^[\d〇零一二三四五六七八九十]{2,4}\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$")


def normalize(raw: RawText, rules_dir=None) -> Normalized:
    """Normalize a decoded input (see the module docstring)."""
    lines = split_lines(raw.text)
    lines = [clean_line(ln) for ln in lines]
    lines = drop_furniture(lines)
    for ln in lines:  # TSV rows a reader already built (PDF, Word, web tables)
        if "\t" in ln.text:
            ln.kind = "row"
    from .layout import rebuild_tables  # flattened PDF tables → TSV rows

    lines = rebuild_tables(lines, rules_dir)
    lines = drop_running_heads(lines)
    lines = drop_page_numbers(lines)
    lines = join_wraps(lines)
    lines = split_run_ons(lines)
    lines = [tidy_spaces(ln) for ln in lines]
    return assemble(lines, raw)


def normalize_text(text: str) -> Normalized:
    """Normalize a string (as if read from a UTF-8 text file)."""
    return normalize(RawText(text=text.replace("\r\n", "\n").replace("\r", "\n")))


def split_lines(text: str) -> list[Line]:
    """Split into non-blank lines; each remembers how many blank lines preceded it."""
    out, pos, gap = [], 0, 0
    folded = fold_chars(text)
    folded = folded if len(folded) == len(text) else None
    for raw_line in text.split("\n"):
        end = pos + len(raw_line)
        if raw_line.strip():
            t = folded[pos:end] if folded is not None else raw_line
            out.append(Line(t, array("q", range(pos, end)), gap))
            gap = 0
        else:
            gap += 1
        pos = end + 1
    if folded is None:  # a fold deleted characters: fold line by line, with a map
        out = [_fold_line(ln) for ln in out]
    return out


def _fold_line(ln: Line) -> Line:
    table = _fold_table()
    chars, src = [], array("q")
    for ch, s in zip(ln.text, ln.src):
        f = table.get(ord(ch), ch)
        if f:
            chars.append(f)
            src.append(s)
    return Line("".join(chars), src, ln.gap_before)


def clean_line(ln: Line) -> Line:
    """Strip markdown markup and surrounding white space."""
    ln = ln.sub(_MD_HEADING).sub(_MD_QUOTE).sub(_MD_BOLD)
    return ln.strip()


def drop_furniture(lines: list[Line]) -> list[Line]:
    """Drop page numbers such as ``- 3 -`` and ``第 3 页 共 9 页``; keep the gap."""
    out = []
    carry = 0
    for ln in lines:
        if not ln.text or _FURNITURE.match(ln.text):
            carry += ln.gap_before + 1
            continue
        if carry:
            ln.gap_before += carry
            carry = 0
        out.append(ln)
    return out


def drop_running_heads(lines: list[Line], times: int = 3) -> list[Line]:
    """Drop running headers/footers: short lines repeated on page after page."""
    from collections import Counter

    counts = Counter(ln.text for ln in lines if ln.kind == "text" and 6 <= len(ln.text) <= 40)
    heads = {t for t, c in counts.items() if c >= times and t[-1] not in _TERMINAL and not is_label_start(t)}
    if not heads:
        return lines
    out, carry = [], 0
    for ln in lines:
        if ln.kind == "text" and ln.text in heads:
            carry += ln.gap_before + 1
            continue
        if carry:
            ln.gap_before += carry
            carry = 0
        out.append(ln)
    return out


_BARE_NUMBER = regex.compile(r"^\d{1,4}$")


def drop_page_numbers(lines: list[Line]) -> list[Line]:
    """A bare number on a line of its own in running text is a page number.

    Runs after tables are rebuilt, so a table's row numbers are already inside rows.
    """
    out, carry = [], 0
    for ln in lines:
        if ln.kind == "text" and _BARE_NUMBER.match(ln.text):
            carry += ln.gap_before + 1
            continue
        if carry:
            ln.gap_before += carry
            carry = 0
        out.append(ln)
    return out


def is_label_start(text: str) -> bool:
    return bool(_LABEL_START.match(text))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap_width(lines: list[Line]) -> int | None:
    """The width a hard-wrapped export broke lines at, or None for prose files."""
    widths = sorted(_width(ln.text) for ln in lines if ln.kind == "text" and len(ln.text) >= 8)
    if len(widths) < 8:
        return None
    w = widths[int(len(widths) * 0.8)]
    if w > 120:
        return None
    near = sum(1 for x in widths if x >= 0.8 * w)
    return w if near >= 0.5 * len(widths) else None


def join_wraps(lines: list[Line]) -> list[Line]:
    """Rejoin lines that an export hard-wrapped; keep real paragraph breaks."""
    width = wrap_width(lines)
    out: list[Line] = []
    for i, ln in enumerate(lines):
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if _DATE_LINE.match(nxt) and len(ln.text) <= 40 and not regex.search(r"[，。；：,;:]", ln.text):
            out.append(ln)  # the signing organ above the date stands on its own
            continue
        if out and _continues(out[-1], ln, width):
            out[-1] = out[-1] + ln
        else:
            out.append(ln)
    return out


def _continues(prev: Line, ln: Line, width: int | None) -> bool:
    if prev.kind != "text" or ln.kind != "text":
        return False
    a, b = prev.text, ln.text
    if is_label_start(b) or _DATE_LINE.match(b) or _DATE_LINE.match(a):
        return False
    if _TOC_LINE.search(a) or _TOC_LINE.search(b):
        return False
    last = a.rstrip(_CLOSERS)[-1:] if a.rstrip(_CLOSERS) else ""
    if last and last in _TERMINAL:
        return False
    if is_label_start(a) and regex.fullmatch(r"\S{1,6}", a):  # a label standing alone
        return False
    if width is not None:
        # hard-wrapped export: only a full line continues on the next one
        return _width(a) >= 0.8 * width
    if _TITLE_END.search(a) or _DOC_NUMBER.match(b):
        return False  # a title line, or the document number under it
    # prose file: a long line that stops mid-sentence continues
    return len(a) >= 30 and not a.endswith(_CLOSERS[-3:])


# a label that opens a new item inside a run-on line: after a sentence end
_INLINE_LABEL = regex.compile(
    r"""(?<=[。：；！？:;!?）)])\s*(?=
        [一二三四五六七八九十]{1,3}、
      | [（(][一二三四五六七八九十]{1,3}[）)]
      | \d{1,2}[．.](?!\d)
      | [（(]\d{1,2}[）)]
      | 第[一二三四五六七八九十百\d]{1,4}[章节条]
    )""",
    regex.VERBOSE,
)


def split_run_ons(lines: list[Line], longest: int = 40) -> list[Line]:
    """Break very long lines (a whole notice on one line) before inline item labels."""
    out = []
    for ln in lines:
        if ln.kind != "text" or len(ln.text) <= longest:
            out.append(ln)
            continue
        a = 0
        for m in _INLINE_LABEL.finditer(ln.text):
            if m.end() - a >= 2:
                out.append(ln.slice(a, m.start()))
                a = m.end()
        out.append(ln.slice(a))
    return [piece for seg in out for piece in _split_heading_run(seg)]


# 二、总体要求（一）指导思想。 — a section title run into its first sub-item
_HEADING_RUN = regex.compile(r"^[一二三四五六七八九十]{1,3}、[^。；（(]{2,40}(?=[（(][一二三四五六七八九十]{1,3}[）)])")


def _split_heading_run(ln: Line) -> list[Line]:
    m = _HEADING_RUN.match(ln.text) if ln.kind == "text" else None
    return [ln.slice(0, m.end()), ln.slice(m.end())] if m else [ln]


def tidy_spaces(ln: Line) -> Line:
    """Remove the spaces export puts inside numbers and dates (``2025 年``, ``40 %``)."""
    if ln.kind == "text":
        return ln.sub(_SPACE_AFTER_NUM).sub(_SPACE_BEFORE_NUM).sub(_SPACE_IN_NUM)
    # table rows: tidy inside cells, keep the TABs between them
    cells = _split_tabs(ln)
    out = cells[0]
    for c in cells[1:]:
        tab = Line("\t", array("q", [c.src[0] if len(c.src) else (out.src[-1] if len(out.src) else 0)]))
        out = out + tab + c
    return out


def _split_tabs(ln: Line) -> list[Line]:
    parts, a = [], 0
    for i, ch in enumerate(ln.text):
        if ch == "\t":
            parts.append(ln.slice(a, i))
            a = i + 1
    parts.append(ln.slice(a))
    return [p.sub(_SPACE_AFTER_NUM).sub(_SPACE_BEFORE_NUM).sub(_SPACE_IN_NUM) for p in parts]


def assemble(lines: list[Line], raw: RawText) -> Normalized:
    """Join the lines with LF into the normalized text and its offset map."""
    text_parts, src = [], array("q")
    for i, ln in enumerate(lines):
        if i:
            text_parts.append("\n")
            src.append(lines[i - 1].src[-1] + 1 if len(lines[i - 1].src) else 0)
        text_parts.append(ln.text)
        src.extend(ln.src)
    src.append(len(raw.text))
    starts = [0]
    find = raw.text.find
    pos = find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return Normalized("".join(text_parts), src, starts, list(raw.page_starts))
