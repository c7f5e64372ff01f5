"""Rejoin hard-wrapped lines, and split run-on lines before item labels.

A PDF export breaks lines at a fixed width; a prose file puts a paragraph on a
line.  A line continues on the next only where it stops mid-sentence (and, in a
hard-wrapped file, runs to the full width); a numbering label, a date line, a
title line or a document number always starts a line of its own.

    >>> from policyparse.normalize import normalize_text
    >>> normalize_text("各地要加强组织领导，建立健全工作机制，强化部门协作，由国家卫生健\\n康委牵头。").text
    '各地要加强组织领导，建立健全工作机制，强化部门协作，由国家卫生健康委牵头。'
"""

from __future__ import annotations

import bisect
import functools
from array import array
from typing import TYPE_CHECKING

import regex
from . import recache

if TYPE_CHECKING:
    from .normalize import Line

# the last words of a document title; a 发文字号 line
_TITLE_END = recache.lazy(r"(?:通知|方案|意见|要点|办法|措施|规划|决定|报告|细则|条例|规定|纲要|计划|函|纪要|批复|》)$")
# a line that ends with a full date (a signature) or with a 发文字号 stands alone
# a full date (成文日期 at a signature): 2023年5月3日, 二〇二三年五月三日
_DATE = r"[\d〇零一二三四五六七八九十O]{4}\s*年\s*[\d〇零一二三四五六七八九十]{1,2}\s*月\s*[\d〇零一二三四五六七八九十]{1,3}\s*日"
DATE_LINE = recache.lazy(rf"^{_DATE}$")
_ENDS_DATE = recache.lazy(rf"{_DATE}$")
_ENDS_DOC_NUMBER = recache.lazy(r"[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d{1,4}\s*号$")
_DOC_NUMBER = recache.lazy(r"^\S{1,12}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d{1,4}\s*号(?:\s+签发人.*)?$|^签发人")
_TOC_LINE = recache.lazy(r"[.…·．]{6,}")  # dot leaders of a table of contents
# "does the line end with …": REVERSE patterns try only at the end, where ``X$`` would
# try every offset of a line that grows as wrapped lines are joined
_ENDS_DATE_AT = recache.lazy(_DATE, regex.REVERSE)
_ENDS_DOC_NUMBER_AT = recache.lazy(_ENDS_DOC_NUMBER.pattern[:-1], regex.REVERSE)
_TITLE_END_AT = recache.lazy(_TITLE_END.pattern[:-1], regex.REVERSE)
_TERMINAL = "。！？；：!?;:"
_CLOSERS = "”’」』）)】"
# where a new item begins: a numbering label at the start of a line
_LABEL_START = recache.lazy(
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


def is_label_start(text: str) -> bool:
    return bool(_LABEL_START.match(text))


# runs of wide characters: one match per run, not per character
_WIDE = recache.lazy(r"[\p{Han}\u3000-\u303F\uFF00-\uFF60\uFFE0-\uFFE6\u2E80-\u2FDF\uF900-\uFAFF“”‘’…—]+")
_CLAUSE_MARK = recache.lazy(r"[，。；：,;:]")
_SHORT_TOKEN = recache.lazy(r"\S{1,6}")


def _width(text: str) -> int:
    """Display width: CJK characters and full-width punctuation count two.

    >>> _width("第1条")
    5
    """
    return len(text) + sum(map(len, _WIDE.findall(text)))


def wrap_width(lines: list[Line]) -> int | None:
    """The width a hard-wrapped export broke lines at, or None for prose files."""
    return _wrap_width([ln.text for ln in lines if ln.kind == "text" and len(ln.text) >= 8])


def _wrap_width(texts: list[str], widths: list[int] | None = None) -> int | None:
    """``wrap_width`` of the eligible lines' texts (and their widths, when known)."""
    if _prose_like(texts):
        return None
    widths = sorted(_widths(texts) if widths is None else widths)
    w = widths[int(len(texts) * 0.8)]
    if w > 100:  # exports wrap at 40-45 characters; longer lines are prose paragraphs
        return None
    near = sum(1 for x in widths if x >= 0.8 * w)
    return w if near >= 0.5 * len(widths) else None


def _prose_like(texts: list[str]) -> bool:
    """True when ``_wrap_width`` is None whatever the widths: too few lines, or too many long ones."""
    if len(texts) < 8:  # too few lines to tell a wrap width from chance
        return True
    # a line of over 100 characters is over 100 wide: when such lines fill the top
    # fifth, the 80th percentile is over 100 without measuring a line
    return sum(len(t) > 100 for t in texts) >= len(texts) - int(len(texts) * 0.8)


@functools.cache
def may_open(ch: str) -> tuple[bool, bool]:
    """Can a line opening with ``ch`` be a ``DATE_LINE``, a label?  (Their first characters.)

    >>> may_open("二"), may_open("第"), may_open("各")
    ((True, True), (False, True), (False, False))
    """
    return bool(_DATE_FIRST.match(ch)), bool(_LABEL_FIRST.match(ch))


_DATE_FIRST = recache.lazy(_DATE[: _DATE.index("]") + 1])  # the class DATE_LINE opens with
_LABEL_FIRST = recache.lazy(r"[一二三四五六七八九十百零〇（(\d①-⑳第附]")  # what each _LABEL_START branch opens with


def _joined(parts: list[Line], text: str) -> Line:
    """``parts[0] + parts[1] + …`` (whose text is ``text``), built in one go."""
    first = parts[0]
    if len(parts) == 1:
        return first
    src = array(first.src.typecode)
    for p in parts:
        src.extend(p.src if p.src.typecode == src.typecode else array(src.typecode, p.src.tolist()))
    return type(first)(text, src, first.gap_before, first.kind)


def join_wraps(lines: list[Line]) -> list[Line]:
    """Rejoin lines that an export hard-wrapped; keep real paragraph breaks.

    Same decisions as ``_continues`` on each line and the output line before it,
    but each input line is read once: the output line being built keeps its
    width and whether it holds dot leaders (worked out from its parts', so a
    long paragraph is not read again at every line joined to it), and its parts
    are joined once at the end.
    """
    texts = [ln.text for ln in lines]
    eligible = [i for i, ln in enumerate(lines) if ln.kind == "text" and len(ln.text) >= 8]
    width = widths = None  # only a hard-wrapped export needs the widths
    whole = "\n".join(texts)  # one pass over all lines for widths and dot leaders
    if not _prose_like([texts[i] for i in eligible]):
        widths = _widths(texts, whole)
        width = _wrap_width([texts[i] for i in eligible], [widths[i] for i in eligible])
    toc = _with_leaders(texts, whole)
    dates = [bool(may_open(t[:1])[0] and DATE_LINE.match(t)) for t in texts]  # per line: a date line?
    out: list[Line] = []
    n = len(lines)
    full = 0.8 * width if width is not None else 0  # in a hard-wrapped export only a full line continues
    parts: list[Line] = []  # the output line being built: its parts, text, width, leaders
    a, a_width, a_toc, first = "", 0, False, 0
    for i, ln in enumerate(lines):
        t = ln.text
        w = widths[i] if width is not None and ln.kind == "text" else 0
        # _continues(a, t), and the signing organ above a date standing on its own: every
        # test only rules a join out, so the cheapest and most often decisive go first
        joins = (
            parts
            and a_width >= full
            and ln.kind == "text"
            and parts[0].kind == "text"
            and not (i + 1 < n and dates[i + 1] and len(t) <= 40 and _CLAUSE_MARK.search(t) is None)
        )
        if joins:
            last = a.rstrip(_CLOSERS)[-1:]  # (no other name for ``a``: ``a += t`` stays in place)
            joined = len(parts) > 1
            joins = not (
                (last and last in _TERMINAL)
                or dates[i] or i in toc or a_toc
                or (may_open(t[:1])[1] and is_label_start(t))
                or (DATE_LINE.match(a) if joined else dates[first])
                or _ends_date_or_number(a)
                or (len(a) <= 6 and is_label_start(a) and _SHORT_TOKEN.fullmatch(a))
            )
            if joins and width is None:
                joins = _prose_continues(a, t)
        if not joins:
            if parts:
                out.append(_joined(parts, a))
            parts, a, a_width, a_toc, first = [ln], t, w, i in toc, i
            continue
        seam = a[-5:]  # leaders of 6 may start in the 5 characters before the seam
        if a[-1:].isdigit() and t[:1].isdigit() and _two_numbers(a, t):
            # 76.34 / 2020年 on two lines are two numbers, not 76.342020
            parts.append(type(ln)(" ", ln.src[:1], 0, ln.kind))
            a += " "
            a_width += 1
            seam += " "
        parts.append(ln)
        a += t
        a_width += w
        # neither part held leaders (or they would not have been joined): only the seam can
        a_toc = bool(_TOC_LINE.search(seam + t[:5]))
    if parts:
        out.append(_joined(parts, a))
    return out


_NUMBER_END = recache.lazy(r"[\d.．]+$")
_DIGITS_START = recache.lazy(r"\d+")


def _two_numbers(a: str, t: str) -> bool:
    """Digits on both sides of a wrap: two numbers (76.34 / 2020年), or one the line broke (201 / 9年).

    A decimal before the break, or four digits after it (a year, a whole
    figure), stand on their own; a justified CJK line breaks anywhere, even
    inside 2019.

        >>> _two_numbers("预期寿命76.34", "2020年"), _two_numbers("入驻。201", "9年底前")
        (True, False)
    """
    end, start = _NUMBER_END.search(a), _DIGITS_START.match(t)
    if end is None or start is None:  # ², ①: digits to str.isdigit, not numbers to the rules
        return True
    return "." in end.group() or "．" in end.group() or len(start.group()) >= 4


def _widths(texts: list[str], whole: str | None = None) -> list[int]:
    """``[_width(t) for t in texts]`` with one pass over all of them (``whole``: the texts joined by LF)."""
    whole = "\n".join(texts) if whole is None else whole
    if whole.count("\n") != len(texts) - 1:  # a line holding a line break: one at a time
        return [_width(t) for t in texts]
    narrow = _WIDE.sub("", whole).split("\n")  # LF is narrow: the lines stay apart
    return [2 * len(t) - len(n) for t, n in zip(texts, narrow)]


def _with_leaders(texts: list[str], whole: str | None = None) -> set[int]:
    """Indexes of the lines that hold dot leaders (one pass over all of them; ``whole`` as in ``_widths``)."""
    whole = "\n".join(texts) if whole is None else whole
    if whole.count("\n") != len(texts) - 1:
        return {i for i, t in enumerate(texts) if _TOC_LINE.search(t)}
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    return {bisect.bisect_right(starts, m.start()) - 1 for m in _TOC_LINE.finditer(whole)}  # leaders hold no LF


def _continues(prev: Line, ln: Line, width: int | None) -> bool:
    """Does ``ln`` continue ``prev`` (``width``: the wrap width, None in a prose file)?"""
    if prev.kind != "text" or ln.kind != "text":
        return False
    a, b = prev.text, ln.text
    if is_label_start(b) or DATE_LINE.match(b) or DATE_LINE.match(a):
        return False
    if _TOC_LINE.search(a) or _TOC_LINE.search(b):
        return False
    if _ends_date_or_number(a):
        return False
    last = a.rstrip(_CLOSERS)[-1:] if a.rstrip(_CLOSERS) else ""
    if last and last in _TERMINAL:
        return False
    if is_label_start(a) and _SHORT_TOKEN.fullmatch(a):  # a label standing alone
        return False
    if width is not None:
        # hard-wrapped export: only a full line continues on the next one
        return _width(a) >= 0.8 * width
    return _prose_continues(a, b)


def _ends_date_or_number(a: str) -> bool:
    """Does ``a`` end with a full date or a 发文字号 (each ends with its 日 or 号)?"""
    return (a[-1:] == "日" and bool(_ENDS_DATE_AT.match(a))) or (a[-1:] == "号" and bool(_ENDS_DOC_NUMBER_AT.match(a)))


def _prose_continues(a: str, b: str) -> bool:
    if _TITLE_END_AT.match(a) or _DOC_NUMBER.match(b):
        return False  # a title line, or the document number under it
    # prose file: a long line that stops mid-sentence continues
    return len(a) >= 30 and not a.endswith(_CLOSERS[-3:])


# a label that opens a new item inside a run-on line: after a sentence end
_INLINE_LABEL = recache.lazy(
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
    out: list[Line] = []
    for ln in lines:
        if ln.kind != "text":
            out.append(ln)
            continue
        a = 0
        if len(ln.text) > longest:
            for m in _INLINE_LABEL.finditer(ln.text):
                if m.end() - a >= 2:
                    _add_heading_run(out, ln.slice(a, m.start()))
                    a = m.end()
        _add_heading_run(out, ln.slice(a) if a else ln)
    return out


# 二、总体要求（一）指导思想。 — a section title run into its first sub-item
_HEADING_RUN = recache.lazy(r"^[一二三四五六七八九十]{1,3}、[^。；（(]{2,40}(?=[（(][一二三四五六七八九十]{1,3}[）)])")
_HEADING_FIRST = "一二三四五六七八九十"  # what _HEADING_RUN opens with


def _split_heading_run(ln: Line) -> list[Line]:
    m = _HEADING_RUN.match(ln.text) if ln.kind == "text" else None
    return [ln.slice(0, m.end()), ln.slice(m.end())] if m else [ln]


def _add_heading_run(out: list[Line], ln: Line) -> None:
    """Append ``_split_heading_run(ln)`` (a text line) to ``out``."""
    if ln.text[:1] and ln.text[0] in _HEADING_FIRST:
        out.extend(_split_heading_run(ln))
    else:
        out.append(ln)
