"""Spaces that stand where an export joined hard-wrapped lines with a space.

Some PDF-to-text exports join the lines of a paragraph with a space instead of a
line break: ``跨省异地长期居住人员办理 登记备案后，…取消备案的时限， 原则上不超过6个月``.
Such a space splits words (``不少 于6个月``, ``10个百分 点``) that every rule reads
whole.  They are told from real spaces by where they stand: one every printed line,
at a steady width across the document.  A document whose spaces keep no steady
width (names spaced in a list, a signature) keeps them all.

    >>> from policyparse.offsets import Line
    >>> from policyparse.normalize import src_array
    >>> para = "一、" + "甲" * 28 + " " + "乙" * 30 + " " + "丙" * 30 + " " + "丁不少 于6个月。"
    >>> lines = [Line(para, src_array(range(len(para))))] * 4
    >>> unwrap_spaces(lines)[0].text.count(" ")
    1
"""

from __future__ import annotations

import re

__all__ = ["unwrap_spaces"]

_SPACE = re.compile(r"(?<=\S) (?=\S)")  # one space between two printed characters
_MIN_WIDTH = 15  # narrower than this, spaced words are not wrapped lines
_SLACK = 4  # how far a printed line's width may stray from the document's
_INDENT = 2  # a paragraph's first line may be indented by two characters
_CJK_NEIGHBOUR = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def unwrap_spaces(lines: list) -> list:
    """``lines`` with the spaces that stand at the document's wrap width removed."""
    width = _width(lines)
    if width is None:
        return lines
    return [_unwrap(ln, width) if ln.kind == "text" and " " in ln.text else ln for ln in lines]


def _weight(s: str) -> float:
    """Printed width in em: an ASCII character takes half a Chinese one."""
    return len(s) - 0.5 * sum(1 for c in s if c < "\x80")


def _width(lines: list) -> float | None:
    """The width between the spaces of lines holding two or more, where most agree."""
    gaps: list[float] = []
    for ln in lines:
        t = ln.text
        if ln.kind != "text" or t.count(" ") < 2:
            continue
        pos = [m.start() for m in _SPACE.finditer(t)]
        gaps += [_weight(t[a + 1 : b]) for a, b in zip(pos, pos[1:])]
    if len(gaps) < 8:
        return None
    gaps.sort()
    width = gaps[len(gaps) // 2]
    near = sum(1 for g in gaps if abs(g - width) <= _SLACK)
    return width if width >= _MIN_WIDTH and near >= 0.6 * len(gaps) else None


def _unwrap(ln, width: float):
    """Drop each space that ends a printed line of about ``width``."""
    t = ln.text
    cuts, start, first = [], 0, True
    for m in _SPACE.finditer(t):
        p = m.start()
        w = _weight(t[start:p].replace(" ", ""))
        low = width - _SLACK - (_INDENT if first else 0)
        if w < low:
            continue  # a space inside a printed line (22 号): the line goes on
        if w <= width + _SLACK and (_CJK_NEIGHBOUR.match(t, p - 1) or _CJK_NEIGHBOUR.match(t, p + 1)):
            cuts.append(p)
        start, first = p + 1, False
    if not cuts:
        return ln
    out, a = ln.slice(0, cuts[0]), cuts[0] + 1
    for p in cuts[1:]:
        out = out + ln.slice(a, p)
        a = p + 1
    return out + ln.slice(a)
