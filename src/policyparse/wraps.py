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
from itertools import accumulate, compress
from operator import itemgetter, methodcaller
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
_BYLINE = recache.lazy(r"(?:发布时间|发布日期|更新时间|日期|时间|来源|来自|信息来源|作者|编辑|责任编辑|发布人|发布者)\s*[：:]")
_ENDS_DATE_TIME = recache.lazy(r"(?:19|20)\d{2}[-/年.]\d{1,2}[-/月.]\d{1,2}日?\s*\d{1,2}:\d{2}(?::\d{2})?", regex.REVERSE)
_CLOSERS = "”’」』）)】"
_BRACKET_ENDS = tuple("）)】")
# where a new item begins: a numbering label at the start of a line
_LABEL_START = recache.lazy(
    r"""^(?:
        [一二三四五六七八九十百零〇]{1,4}[ \t\u3000]?[、．.]                       # 一、, 一 、
      | [（(][ \t\u3000]*[一二三四五六七八九十百零〇]{1,4}[ \t\u3000]*[）)]   # （一）, （ 一 ）
      | [（(]?\d{1,3}[）)]
      | \d{1,3}[．.、](?!\d)
      | [①-⑳]
      | 第\s*[一二三四五六七八九十百零〇\d](?:[ \u3000]?[一二三四五六七八九十百零〇\d]){0,3}\s*(?:[章节条编款篇]|部分)  # 第 1 0 条
      | 附件\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[:：]?\s*$      # 附件, 附件2, 附件二
      | 附件\s*\d+
    )""",
    regex.VERBOSE,
)


def is_label_start(text: str) -> bool:
    return bool(_LABEL_START.match(text))


# runs of wide characters: one match per run, not per character
_WIDE = recache.lazy(r"[\p{Han}\u3000-\u303F\uFF00-\uFF60\uFFE0-\uFFE6\u2E80-\u2FDF\uF900-\uFAFF“”‘’…—]+")
# a character neither ASCII nor a wide one in the BMP (``_widths``)
_NOT_ASCII_OR_WIDE = recache.lazy(r"[^\x00-\x7F" + _WIDE.pattern[1:-2] + r"]|[\U00010000-\U0010FFFF]")
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
    near = len(widths) - bisect.bisect_left(widths, 0.8 * w)  # (sorted: those from the first as wide)
    return w if near >= 0.5 * len(widths) else None


def _prose_like(texts: list[str]) -> bool:
    """True when ``_wrap_width`` is None whatever the widths: too few lines, or too many long ones."""
    if len(texts) < 8:  # too few lines to tell a wrap width from chance
        return True
    # a line of over 100 characters is over 100 wide: when such lines fill the top
    # fifth, the 80th percentile is over 100 without measuring a line
    return sum(map((100).__lt__, map(len, texts))) >= len(texts) - int(len(texts) * 0.8)


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
    are joined once at the end.  What depends on one line alone (a date line, a
    label, dot leaders) is found for all lines by one scan of the whole text.
    """
    texts = [ln.text for ln in lines]
    n = len(lines)
    whole = "\n".join(texts)  # one pass over all lines for widths, dates, labels and dot leaders
    if whole.count("\n") != n - 1:  # a line holding a line break (not made by the readers): line by line
        return _join_wraps_lines(lines, texts)
    kinds = [ln.kind for ln in lines]
    rows = kinds.count("text") != n
    eligible = [i for i, ln in enumerate(lines) if ln.kind == "text" and len(ln.text) >= 8] if rows else None
    long_texts = [texts[i] for i in eligible] if rows else [t for t in texts if len(t) >= 8]
    width = widths = None  # only a hard-wrapped export needs the widths
    if not _prose_like(long_texts):
        widths = _widths(texts, whole)
        long_widths = [widths[i] for i in eligible] if rows else [w for t, w in zip(texts, widths) if len(t) >= 8]
        width = _wrap_width(long_texts, long_widths)
    # per line (and one past the end): a date line?  A line that never continues the one
    # before: a date line, a label, dot leaders.  Each pattern is tried only on the lines
    # whose first character may open it
    firsts = list(map(_FIRST, texts))
    opening = {c: may_open(c) for c in set(firsts)}
    dates = [False] * (n + 1)
    date_open = list(map({c for c, (d, _) in opening.items() if d}.__contains__, firsts))
    for i in compress(range(n), date_open):
        dates[i] = DATE_LINE.match(texts[i]) is not None
    stops = dates[:n]
    for i in compress(range(n), map({c for c, (_, lab) in opening.items() if lab}.__contains__, firsts)):
        if not stops[i] and is_label_start(texts[i]):
            stops[i] = True
    toc = _with_leaders(texts, whole)
    return _join(lines, texts, widths if width is not None else None, width, dates, date_open, stops, toc)


def _join(lines, texts, widths, width, dates, date_open, stops, toc) -> list[Line]:
    """The joining loop of ``join_wraps``.

    ``widths`` is None in a prose file; ``date_open``: may a date line start with
    the line's first character; ``stops``: date lines and labels; ``toc``: lines with dot leaders.
    """
    n = len(lines)
    # lines that never continue the one before, whatever it is: not text, a date line,
    # a label, dot leaders, and the signing organ above a date standing on its own
    blocked = [s or ln.kind != "text" for s, ln in zip(stops, lines)]
    for i in compress(range(1, n), stops[1:]):
        # （ / 1）公益类…: a label whose bracket the wrap left on the line before is inline
        if not dates[i] and texts[i - 1][-1:] in _OPEN_BRACKETS and lines[i].kind == "text":
            blocked[i] = False
    for i in toc:
        blocked[i] = True
    for i in compress(range(n), dates[1:]):  # the line after line i is a date line
        if len(texts[i]) <= 40 and _CLAUSE_MARK.search(texts[i]) is None:
            blocked[i] = True
    out: list[Line] = []
    full = 0.8 * width if width is not None else 0  # in a hard-wrapped export only a full line continues
    parts: list[Line] = []  # the output line being built: its parts, text, width
    a, a_width, first = "", 0, 0
    joinable = False  # may a line join the one being built (text, without dot leaders)?
    for i, ln in enumerate(lines):
        # _continues(a, t): every test only rules a join out, so the cheapest and most
        # often decisive go first
        if joinable and a_width >= full and not blocked[i]:
            t = texts[i]
            last = a.rstrip(_CLOSERS)[-1:]  # (no other name for ``a``: ``a += t`` stays in place)
            if not (
                (last and last in _TERMINAL)
                or (date_open[first] and (DATE_LINE.match(a) if len(parts) > 1 else dates[first]))
                or (a[-1:] in _DATE_OR_NUMBER_END and _ends_date_or_number(a))
                or (len(a) <= 6 and is_label_start(a) and _SHORT_TOKEN.fullmatch(a))
            ) and (width is not None or _prose_continues(a, t)):
                seam = a[-5:]  # leaders of 6 may start in the 5 characters before the seam
                if a[-1:].isdigit() and t[:1].isdigit() and _two_numbers(a, t):
                    # 76.34 / 2020年 on two lines are two numbers, not 76.342020
                    parts.append(type(ln)(" ", ln.src[:1], 0, ln.kind))
                    a += " "
                    a_width += 1
                    seam += " "
                parts.append(ln)
                a += t
                if widths is not None:
                    a_width += widths[i]
                # neither part held leaders (or they would not have been joined): only leaders
                # across the seam can, and those take in the line's first character
                joinable = not (t[:1] in _LEADERS and _TOC_LINE.search(seam + t[:5]))
                continue
        if parts:
            out.append(parts[0] if len(parts) == 1 else _joined(parts, a))
        parts, a, first = [ln], texts[i], i
        a_width = widths[i] if widths is not None else 0
        joinable = ln.kind == "text" and i not in toc
    if parts:
        out.append(parts[0] if len(parts) == 1 else _joined(parts, a))
    return out


_OPEN_BRACKETS = ("（", "(")
_LEADERS = frozenset(".…·．")  # what _TOC_LINE's leaders are made of
_DATE_OR_NUMBER_END = "日号0123456789"  # the last characters ``_ends_date_or_number`` looks for


def _join_wraps_lines(lines: list[Line], texts: list[str]) -> list[Line]:
    """``join_wraps`` with the per-line tests made line by line."""
    eligible = [t for ln, t in zip(lines, texts) if ln.kind == "text" and len(t) >= 8]
    width = widths = None
    if not _prose_like(eligible):
        widths = [_width(t) for t in texts]
        width = _wrap_width(eligible, [widths[i] for i, ln in enumerate(lines) if ln.kind == "text" and len(ln.text) >= 8])
    date_open = [may_open(t[:1])[0] for t in texts]
    dates = [bool(d and DATE_LINE.match(t)) for t, d in zip(texts, date_open)] + [False]
    stops = [d or (may_open(t[:1])[1] and is_label_start(t)) for t, d in zip(texts, dates)]
    toc = {i for i, t in enumerate(texts) if _TOC_LINE.search(t)}
    return _join(lines, texts, widths if width is not None else None, width, dates, date_open, stops, toc)


def _starts(texts: list[str]) -> list[int]:
    """Offset of each text in the texts joined by LF.

    >>> _starts(["ab", "", "c"])
    [0, 3, 4]
    """
    ends = list(accumulate(map((1).__add__, map(len, texts))))
    return [0, *ends[:-1]] if ends else []


_FIRST = itemgetter(slice(0, 1))  # a text's first character ("" for none)


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


def _widths(texts: list[str], whole: str | None = None, starts: list[int] | None = None) -> list[int]:
    """``[_width(t) for t in texts]`` with one pass over all of them (``whole``: the texts joined by LF).

    A character is one byte in UTF-8 when ASCII (narrow), three when in the BMP
    from U+0800 on, where every wide character but a few of Han's lies: where a
    line holds only such characters, its width is (length + bytes) / 2.  The few
    lines holding any other character (found by one scan) are measured as ``_width`` does.

    >>> _widths(["第1条", "①项", "ab"])
    [5, 3, 2]
    """
    whole = "\n".join(texts) if whole is None else whole
    if whole.count("\n") != len(texts) - 1:  # a line holding a line break: one at a time
        return [_width(t) for t in texts]
    widths = [(k + b) >> 1 for k, b in zip(map(len, texts), map(len, map(_UTF8, texts)))]
    odd = _maybe_narrow()
    first = odd.search(whole)
    if first is not None:
        starts = _starts(texts) if starts is None else starts
        for m in odd.finditer(whole, first.start()):
            i = bisect.bisect_right(starts, m.start()) - 1
            widths[i] = _width(texts[i])
    return widths


@functools.cache
def _maybe_narrow():
    """A pattern for any character not ASCII and not a wide one in the BMP (and maybe some others).

    Lines without one are measured from their UTF-8 length.  The standard
    library's engine scans several times faster, with the Han blocks written out
    (checked once against the regex module's own table); else the exact class.
    """
    import re

    blocks = "\u3400-\u4DBF\u4E00-\u9FFF"  # CJK unified ideographs and extension A
    if recache.compile(r"\p{Han}+").fullmatch("".join(map(chr, [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]))) is None:
        return _NOT_ASCII_OR_WIDE
    # (any other Han character is only found too: its line is measured as _width does)
    return re.compile(r"[^\x00-\x7F" + _WIDE.pattern[1:-2].replace(r"\p{Han}", blocks) + "]")


_UTF8 = methodcaller("encode", "utf-8", "surrogatepass")  # (a lone surrogate is measured apart)


def _with_leaders(texts: list[str], whole: str | None = None, starts: list[int] | None = None) -> set[int]:
    """Indexes of the lines that hold dot leaders (one pass over all of them; ``whole`` as in ``_widths``)."""
    whole = "\n".join(texts) if whole is None else whole
    if whole.count("\n") != len(texts) - 1:
        return {i for i, t in enumerate(texts) if _TOC_LINE.search(t)}
    first = _TOC_LINE.search(whole)
    if first is None:
        return set()
    starts = _starts(texts) if starts is None else starts
    return {bisect.bisect_right(starts, m.start()) - 1 for m in _TOC_LINE.finditer(whole, first.start())}  # leaders hold no LF


def _continues(prev: Line, ln: Line, width: int | None) -> bool:
    """Does ``ln`` continue ``prev`` (``width``: the wrap width, None in a prose file)?"""
    if prev.kind != "text" or ln.kind != "text":
        return False
    a, b = prev.text, ln.text
    if (is_label_start(b) and a[-1:] not in _OPEN_BRACKETS) or DATE_LINE.match(b) or DATE_LINE.match(a):
        return False  # （ / 1）…: a label whose bracket the wrap left behind is inline
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
    """Does ``a`` end with a full date or a 发文字号 (each ends with its 日 or 号), or a date and time?"""
    last = a[-1:]
    if last.isdigit():  # a web page's byline: 时间:2016-01-17 23:45:19
        return bool(_ENDS_DATE_TIME.match(a))  # (a reverse pattern: matched from the end)
    return (last == "日" and bool(_ENDS_DATE_AT.match(a))) or (last == "号" and bool(_ENDS_DOC_NUMBER_AT.match(a)))


def _prose_continues(a: str, b: str) -> bool:
    if _TITLE_END_AT.match(a) or _DOC_NUMBER.match(b):
        return False  # a title line, or the document number under it
    if _BYLINE.match(a):
        return False  # 发布日期:2023-03-21 信息来源:东阳市人民政府办公室: a web page's byline is a line
    # prose file: a line that stops mid-sentence continues when it is long, or when a
    # sentence ended before in it (（六）加强办实事工作。各单位要每半年召开1次会议，听 / 取…):
    # a short heading without one (二、加强基层投入，凝聚发展合力) stands alone
    # a line ending with a bracket (…结合。（牵头单位：市委组织部）) ends its paragraph
    return (len(a) >= 30 or _SENTENCE_END_IN.search(a) is not None) and not a.endswith(_BRACKET_ENDS)


_SENTENCE_END_IN = recache.lazy(r"[。！？!?]")
