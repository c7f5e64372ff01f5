"""Normalize decoded text into the text every span refers to, keeping an offset map.

Steps, each small and line-based: fold look-alike characters (full-width digits,
CJK compatibility and radical forms) one-for-one; strip markdown markup and page
furniture; rebuild tables that PDF export flattened into text (``layout``);
rejoin hard-wrapped lines; drop the spaces that export puts inside numbers and
dates.  Every output character remembers the input offset it came from.

    >>> n = normalize_text("到 2025 年，全市乡镇卫生院和社区卫生服务中心的覆盖率达到\\n\\n90 %以上。")
    >>> n.text
    '到2025年，全市乡镇卫生院和社区卫生服务中心的覆盖率达到90%以上。'
    >>> n.line_of(n.text.index("90"))
    3
"""

from __future__ import annotations

import functools
import sys
from array import array

import regex

from . import keyed_tables, markdown_tables, recache, web_rows
from .offsets import Line, Normalized, assemble, offset_array  # noqa: F401  (re-exported)
from .readers import RawText
from .textfold import _fold_table, fold_chars  # noqa: F401  (fold_chars is public here too)
from .furniture import _drop_at, drop_lines, drop_page_heads, drop_page_numbers, drop_running_heads  # noqa: F401
from .runons import split_run_ons
from .wrap_spaces import unwrap_spaces
from .wraps import join_wraps


# ---- patterns -----------------------------------------------------------------

_MD_HEADING = recache.lazy(r"^\s*#{1,6}\s*")  # at any indent: a notice holds no code blocks
_MD_BULLET = recache.lazy(r"^\s*[-*+•]\s+(?=\p{Han})")  # - 发文字号:… (a list item; - 3 - is a page number)
_BULLET_LINES = recache.lazy(r"^[ \t]*[-*+•][ \t]+\p{Han}", regex.M)
_BULLETS = "-*+•"
_MD_BOLD = recache.lazy(r"\*\*|__")
_MD_QUOTE = recache.lazy(r"^\s*>\s?")
_FURNITURE = recache.lazy(
    r"""^\s*(?:
        [-—–－]\s*\d{1,4}\s*[-—–－]                 # - 3 -
      | 第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?   # 第 3 页 共 9 页
      | \d{1,4}\s*/\s*\d{1,4}                        # 3/9
    )\s*$""",
    regex.VERBOSE,
)
# spaces that PDF export puts around numbers: 2025 年, 40 %, 到 2025, 〔2022〕4 号
_SPACE_AFTER_NUM = recache.lazy(r"(?<=[\d%‰.])[ \t]+(?=[\p{Han}%‰〕）)、，。；：])")
_SPACE_BEFORE_NUM = recache.lazy(r"(?<=[\p{Han}（(〔，、：:；。])[ \t]+(?=\d)")
_SPACE_IN_NUM = recache.lazy(r"(?<=\d)[ \t]+(?=[.．]\d)|(?<=\d[.．])[ \t]+(?=\d)")
_SPACE_FIXES = (_SPACE_AFTER_NUM, _SPACE_BEFORE_NUM, _SPACE_IN_NUM)
# any of the three: each removes whole runs of spaces, and removing one run never
# gives another the neighbours a later fix looks for, so where none matches the
# text as it comes, none matches after the others either
_ANY_SPACE_FIX = recache.lazy("|".join(f"(?:{p.pattern})" for p in _SPACE_FIXES))


def normalize(raw: RawText, rules_dir=None) -> Normalized:
    """Normalize a decoded input (see the module docstring)."""
    breaks: list[int] = []  # where page numbers stood
    lines = _clean_lines(raw.text, rules_dir, breaks)
    lines = drop_page_heads(lines, breaks)  # before a table is rebuilt: heads stay out of its cells
    lines = web_rows.rebuild(lines, rules_dir)  # 索引号 001… 主题分类 综合类 → TSV rows
    if "|" in raw.text:
        lines = markdown_tables.rebuild(lines)  # | 序号 | 工作内容 | rows → TSV rows
    from .layout import rebuild_tables  # flattened PDF tables → TSV rows

    lines = rebuild_tables(lines, rules_dir)
    lines = drop_running_heads(lines)
    lines = drop_page_numbers(lines)
    lines = keyed_tables.rebuild(lines, rules_dir)  # 领域：…  指标：… rows → TSV rows
    lines = join_wraps(lines)
    lines = split_run_ons(lines)
    lines = unwrap_spaces(lines)  # 办理 登记备案后: lines an export joined with a space
    lines = [tidy_spaces(ln) for ln in lines]
    return assemble(lines, raw)


def normalize_text(text: str) -> Normalized:
    """Normalize a string (as if read from a UTF-8 text file)."""
    return normalize(RawText(text=text.replace("\r\n", "\n").replace("\r", "\n")))


def src_array(values=()) -> array:
    """A new offset array of the item type lines use (``offsets.offset_array``).

    >>> src_array([3, 4]).tolist()
    [3, 4]
    """
    return offset_array(values)


def _clean_lines(text: str, rules_dir=None, breaks: list | None = None) -> list[Line]:
    """``split_lines``, ``clean_line``, dropping furniture and web chrome, and marking
    TSV rows a reader already built (PDF, Word, web tables), in one pass over the lines.

    ``breaks``, when given, receives the index (in the result) of the line after each
    dropped page number or footer: where running heads stand (``furniture.drop_page_heads``).
    """
    from .furniture import gates, marked, matchers

    folded = fold_chars(text)
    if len(folded) != len(text):  # a fold deleted characters: the general path
        lines = _drop_furniture_and_chrome([clean_line(ln) for ln in split_lines(text)], rules_dir, breaks)
        for ln in lines:
            if "\t" in ln.text:
                ln.kind = "row"
        return lines
    whole, prefix = matchers(rules_dir)
    # the lines that hold a word the footer or the tool bar needs (None: every line may)
    whole_gate, prefix_gate = gates(rules_dir)
    footers, bars = marked(folded, whole_gate), marked(folded, prefix_gate)
    whole, prefix = whole.match, prefix.match
    furniture, may_be_furniture, may_end_furniture = _FURNITURE.match, _may_be_furniture, _may_end_furniture
    block, lo, hi = None, 0, 0  # input offsets lo..hi-1, made a block at a time
    out, pos, gap, carry, n = [], 0, 0, 0, len(text)
    # markers looked for once in the whole text: most texts hold no markdown and no TABs
    markdown = "#" in folded or ">" in folded or "**" in folded or "__" in folded
    bullets = _BULLET_LINES.search(folded) is not None
    tabs = "\t" in folded
    for t in folded.split("\n"):
        start = pos
        pos += len(t) + 1
        s = t.strip()
        if not s:
            gap += 1
            continue
        if pos > hi:  # this line's offsets are cut from a block: make the next one
            lo, hi = start, max(pos - 1, min(start + _BLOCK, n))
            block = _consecutive(lo, hi - lo)
        if (markdown and ("#" in t or ">" in t or "**" in t or "__" in t)) or (bullets and s[0] in _BULLETS):
            # clean_line's own way
            ln = clean_line(Line(t, block[start - lo : pos - 1 - lo], gap))
            s, a = ln.text, None
            if not s or (may_be_furniture(s[0]) and may_end_furniture(s[-1]) and furniture(s)) or whole(s):
                if s and breaks is not None:
                    breaks.append(len(out))
                carry += gap + 1
                gap = 0
                continue
            m = prefix(s)
        else:  # the stripped text; its map is a slice of the block
            a = start + len(t) - len(t.lstrip()) if len(s) != len(t) else start
            if (
                (may_be_furniture(s[0]) and may_end_furniture(s[-1]) and furniture(s))
                or ((footers is None or start in footers) and whole(s))
            ):
                if breaks is not None:
                    breaks.append(len(out))
                carry += gap + 1
                gap = 0
                continue
            m = prefix(s) if bars is None or start in bars else None
        if m and m.end() < len(s):
            cut = m.end()
            if a is None:
                ln = ln.slice(cut)
                ln.gap_before += carry
            else:
                ln = Line(s[cut:], block[a + cut - lo : a + len(s) - lo], gap + carry)
        elif a is None:
            ln.gap_before += carry
        else:
            ln = Line(s, block[a - lo : a + len(s) - lo], gap + carry)
        if tabs and "\t" in ln.text:
            ln.kind = "row"
        out.append(ln)
        gap = carry = 0
    return out


_BLOCK = 1 << 16  # characters of input offsets made at a time: lines' maps are cut from such a block
_LOW = bytes(range(256))  # the low byte of consecutive numbers, one cycle
_MID = b"".join(bytes([v]) * 256 for v in range(256))  # the second byte, one cycle


def _consecutive(start: int, n: int) -> array:
    """``src_array(range(start, start + n))``, written byte by byte: ~20 times faster than from ints.

    In little-endian items, the low byte of consecutive numbers cycles through
    0..255, the next one steps every 256 numbers, each higher one in runs of
    65536 or more: each column of bytes is one slice of a repeating pattern.

    >>> _consecutive(254, 4).tolist()
    [254, 255, 256, 257]
    """
    out = src_array()
    k, end = out.itemsize, start + n
    if n <= 0 or k < 4 or out.typecode not in "iIlLqQ" or sys.byteorder != "little" or end > 1 << 31:
        return src_array(range(start, end))
    raw = bytearray(k * n)
    raw[0::k] = _cycle(_LOW, start, n)
    if end > 256:
        raw[1::k] = _cycle(_MID, start, n)
    for j in range(2, k):
        run = 256**j
        if end <= run:
            break  # this byte and all higher ones stay 0
        first, skip = divmod(start, run)
        pieces, left, v = [], n, first
        while left > 0:
            m = min(run - skip, left)
            pieces.append(bytes([v % 256]) * m)
            left, v, skip = left - m, v + 1, 0
        raw[j::k] = b"".join(pieces)
    out.frombytes(raw)
    return out


def _cycle(pattern: bytes, start: int, n: int) -> bytes:
    """``n`` bytes of ``pattern`` repeated, from position ``start`` (modulo its length)."""
    a = start % len(pattern)
    return (pattern * -(-(a + n) // len(pattern)))[a : a + n]


@functools.cache
def _may_be_furniture(ch: str) -> bool:
    """Can a stripped line opening with ``ch`` be a page number (``_FURNITURE``)?

    A stripped line opens with no white space, so the pattern's first character
    is one of its branches' first characters.
    """
    return bool(_FURNITURE_FIRST.match(ch))


_FURNITURE_FIRST = recache.lazy(r"[-—–－第\d]")


@functools.cache
def _may_end_furniture(ch: str) -> bool:
    """Can a line ending with ``ch`` be a page number?  Each branch ends with a dash, 页 or a digit, then white space."""
    return bool(_FURNITURE_LAST.match(ch))


_FURNITURE_LAST = recache.lazy(r"[-—–－页\d\s]")


def split_lines(text: str) -> list[Line]:
    """Split into non-blank lines; each remembers how many blank lines preceded it."""
    out, pos, gap = [], 0, 0
    folded = fold_chars(text)
    same = len(folded) == len(text)
    # a fold that keeps the length maps character to character (and keeps blank lines
    # blank), so the folded text splits just like the input
    block, lo, hi = None, 0, 0  # input offsets lo..hi-1, made a block at a time
    for t in (folded if same else text).split("\n"):
        end = pos + len(t)
        if t.strip():
            if end > hi:
                lo, hi = pos, max(end, min(pos + _BLOCK, len(text)))
                block = _consecutive(lo, hi - lo)
            out.append(Line(t, block[pos - lo : end - lo], gap))
            gap = 0
        else:
            gap += 1
        pos = end + 1
    if not same:  # a fold deleted characters: fold line by line, with a map
        out = [_fold_line(ln) for ln in out]
    return out


def _fold_line(ln: Line) -> Line:
    table = _fold_table()
    chars, src = [], src_array()
    for ch, s in zip(ln.text, ln.src):
        f = table.get(ord(ch), ch)
        if f:
            chars.append(f)
            src.append(s)
    return Line("".join(chars), src, ln.gap_before)


def clean_line(ln: Line) -> Line:
    """Strip markdown markup and surrounding white space."""
    # each pattern needs its marker character: most lines skip all three
    if "#" in ln.text:
        ln = ln.sub(_MD_HEADING)
    if ">" in ln.text:
        ln = ln.sub(_MD_QUOTE)
    if "**" in ln.text or "__" in ln.text:
        ln = ln.sub(_MD_BOLD)
    if ln.text.lstrip()[:1] in _BULLETS and ln.text.strip():
        ln = ln.sub(_MD_BULLET)
    t = ln.text
    return ln.strip() if t[:1].isspace() or t[-1:].isspace() else ln


def drop_furniture(lines: list[Line]) -> list[Line]:
    """Drop page numbers such as ``- 3 -`` and ``第 3 页 共 9 页``."""
    return drop_lines(lines, lambda i, ln: not ln.text or bool(_FURNITURE.match(ln.text)))


def _drop_furniture_and_chrome(lines: list[Line], rules_dir=None, breaks: list | None = None) -> list[Line]:
    """``drop_web_chrome(drop_furniture(lines))`` in one pass (``breaks``: see ``_clean_lines``)."""
    from .furniture import matchers

    whole, prefix = matchers(rules_dir)
    furniture = _FURNITURE.match
    out, carry = [], 0
    for ln in lines:
        t = ln.text
        if not t or furniture(t) or whole.match(t):
            if t and breaks is not None:
                breaks.append(len(out))
            carry += ln.gap_before + 1
            continue
        if carry:
            ln.gap_before += carry
            carry = 0
        m = prefix.match(t)
        out.append(ln.slice(m.end()) if m and m.end() < len(t) else ln)
    return out


def drop_web_chrome(lines: list[Line], rules_dir=None) -> list[Line]:
    """Drop a web print's footer lines and cut tool-bar words run into the text."""
    from .furniture import matchers

    whole, prefix = matchers(rules_dir)
    out = drop_lines(lines, lambda i, ln: bool(whole.match(ln.text)))
    for i, ln in enumerate(out):
        m = prefix.match(ln.text)
        if m and m.end() < len(ln.text):
            out[i] = ln.slice(m.end())
    return out


def tidy_spaces(ln: Line) -> Line:
    """Remove the spaces export puts inside numbers and dates (``2025 年``, ``40 %``)."""
    if ln.kind == "text":
        return _tidy(ln) if " " in ln.text or "\t" in ln.text else ln  # each fix removes spaces or TABs
    # table rows: tidy inside cells, keep the TABs between them
    if " " not in ln.text:
        return _retab(ln)
    cells = _split_tabs(ln)
    out = cells[0]
    for c in cells[1:]:
        tab = Line("\t", src_array([c.src[0] if len(c.src) else (out.src[-1] if len(out.src) else 0)]))
        out = out + tab + c
    return out


def _tidy(ln: Line) -> Line:
    if not _ANY_SPACE_FIX.search(ln.text):
        return ln
    for p in _SPACE_FIXES:
        ln = ln.sub(p)
    return ln


def _retab(ln: Line) -> Line:
    """A row whose cells need no tidying, its TABs mapped as ``tidy_spaces`` maps them.

    A TAB maps to the first character of the cell after it, or (that cell empty)
    to whatever precedes it, or 0 at the very start.
    """
    t = ln.text
    i = t.find("\t")
    if i < 0:
        return ln
    src = ln.src[:]
    n = len(t)
    while i >= 0:
        if i + 1 < n and t[i + 1] != "\t":
            src[i] = src[i + 1]
        else:
            src[i] = src[i - 1] if i else 0
        i = t.find("\t", i + 1)
    return Line(t, src, ln.gap_before, ln.kind)


def _split_tabs(ln: Line) -> list[Line]:
    parts, a = [], 0
    t = ln.text
    i = t.find("\t")
    while i >= 0:
        parts.append(ln.slice(a, i))
        a = i + 1
        i = t.find("\t", a)
    parts.append(ln.slice(a))
    return [_tidy(p) for p in parts]
