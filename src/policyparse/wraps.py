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

from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from .normalize import Line

# the last words of a document title; a 发文字号 line
_TITLE_END = regex.compile(r"(?:通知|方案|意见|要点|办法|措施|规划|决定|报告|细则|条例|规定|纲要|计划|函|纪要|批复|》)$")
# a line that ends with a full date (a signature) or with a 发文字号 stands alone
# a full date (成文日期 at a signature): 2023年5月3日, 二〇二三年五月三日
_DATE = r"[\d〇零一二三四五六七八九十O]{4}\s*年\s*[\d〇零一二三四五六七八九十]{1,2}\s*月\s*[\d〇零一二三四五六七八九十]{1,3}\s*日"
DATE_LINE = regex.compile(rf"^{_DATE}$")
_ENDS_DATE = regex.compile(rf"{_DATE}$")
_ENDS_DOC_NUMBER = regex.compile(r"[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d{1,4}\s*号$")
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


def is_label_start(text: str) -> bool:
    return bool(_LABEL_START.match(text))


_WIDE = regex.compile(r"[\p{Han}\u3000-\u303F\uFF00-\uFF60\uFFE0-\uFFE6\u2E80-\u2FDF\uF900-\uFAFF“”‘’…—]")


def _width(text: str) -> int:
    """Display width: CJK characters and full-width punctuation count two."""
    return len(text) + len(_WIDE.findall(text))


def wrap_width(lines: list[Line]) -> int | None:
    """The width a hard-wrapped export broke lines at, or None for prose files."""
    widths = sorted(_width(ln.text) for ln in lines if ln.kind == "text" and len(ln.text) >= 8)
    if len(widths) < 8:  # too few lines to tell a wrap width from chance
        return None
    w = widths[int(len(widths) * 0.8)]
    if w > 100:  # exports wrap at 40-45 characters; longer lines are prose paragraphs
        return None
    near = sum(1 for x in widths if x >= 0.8 * w)
    return w if near >= 0.5 * len(widths) else None


def join_wraps(lines: list[Line]) -> list[Line]:
    """Rejoin lines that an export hard-wrapped; keep real paragraph breaks."""
    width = wrap_width(lines)
    out: list[Line] = []
    for i, ln in enumerate(lines):
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if DATE_LINE.match(nxt) and len(ln.text) <= 40 and not regex.search(r"[，。；：,;:]", ln.text):
            out.append(ln)  # the signing organ above the date stands on its own
            continue
        if out and _continues(out[-1], ln, width):
            if out[-1].text[-1:].isdigit() and ln.text[:1].isdigit():
                # 76.34 / 2020年 on two lines are two numbers, not 76.342020
                out[-1] = out[-1] + ln.slice(0, 0).__class__(" ", ln.src[:1], 0, ln.kind)
            out[-1] = out[-1] + ln
        else:
            out.append(ln)
    return out


def _continues(prev: Line, ln: Line, width: int | None) -> bool:
    if prev.kind != "text" or ln.kind != "text":
        return False
    a, b = prev.text, ln.text
    if is_label_start(b) or DATE_LINE.match(b) or DATE_LINE.match(a):
        return False
    if _TOC_LINE.search(a) or _TOC_LINE.search(b):
        return False
    if _ENDS_DATE.search(a) or _ENDS_DOC_NUMBER.search(a):
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
