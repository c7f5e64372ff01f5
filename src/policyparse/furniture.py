"""Page furniture in text copies: a web print's footers and tool bars (rules/furniture.toml),
running heads and feet, and page numbers standing alone (normalize's line-dropping steps).

    >>> extract("赣ICP备05004294号-1")
    [{'kind': 'line', 'text': '赣ICP备05004294号-1'}]
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path


from . import recache, rules
from .wraps import _TERMINAL, DATE_LINE, is_label_start


def extract(text: str, ctx=None) -> list[dict]:
    """What furniture ``text`` (one line) holds: the whole line, or a tool-bar prefix."""
    rs = rules.load("furniture", getattr(ctx, "rules_dir", None))
    if rs.rule("footer-line").regex.match(text):
        return [{"kind": "line", "text": text}]
    m = rs.rule("toolbar-prefix").regex.match(text)
    if m and m.end() < len(text):
        return [{"kind": "prefix", "text": text[: m.end()]}]
    return []


def matchers(rules_dir: Path | None = None):
    """The compiled (whole-line, prefix) patterns."""
    rs = rules.load("furniture", rules_dir)
    return rs.rule("footer-line").regex, rs.rule("toolbar-prefix").regex


def gates(rules_dir: Path | None = None):
    """Per pattern of ``matchers``, what a line must hold for it to match: a pattern, or None (no test known).

    A line neither pattern can match needs neither tried: most lines hold none of
    the footer's and tool bar's words, and one scan of the whole text finds the few
    that do (``marked``).

        >>> w, p = gates()
        >>> bool(p.search("打印 收藏加快")), p.search("加快完整社区建设")
        (True, None)
    """
    whole, prefix = matchers(rules_dir)
    return _gate(whole.pattern), _gate(prefix.pattern)


@functools.cache
def _gate(pattern: str):
    """A pattern for the words of the most selective clause every match of ``pattern`` satisfies."""
    from .facts.prefilter import needs

    clauses = needs(pattern)
    if not clauses:
        return None
    words = sorted(clauses[0].words, key=lambda w: (-len(w), w))
    if any("\n" in w for w in words) or not (words or clauses[0].digit):
        return None  # (``marked`` relies on matches that stay inside a line)
    if clauses[0].digit:  # the rules' own \d: the regex module's tables
        return recache.compile("|".join([re.escape(w) for w in words] + [r"\d"]))
    return re.compile("|".join(re.escape(w) for w in words))


def marked(text: str, gate) -> set | None:
    """Start offsets of the lines of ``text`` (split at LF) that hold a match of ``gate`` (None: all lines).

    A match holds no LF, and a match skipped for overlapping an earlier one lies in
    that one's line: every line holding a match is marked.

        >>> sorted(marked("加快\\n打印 收藏\\n关闭", re.compile("打印|关闭")))
        [3, 9]
    """
    if gate is None:
        return None
    find = text.rfind
    return {find("\n", 0, m.start()) + 1 for m in gate.finditer(text)}


# ---- running heads beside page numbers -----------------------------------------------

NEAR = 3  # lines before and after a page number where a running head or foot stands


def drop_page_heads(lines: list, breaks: list[int], times: int = 3) -> list:
    """Drop the running heads and feet that stand beside the page numbers of a text export.

    A PDF's text copy keeps each page's head (文件名, 发文机关) and foot next to its
    page number (``- 3 -``), also where a task table runs over the page: dropped
    before the table is rebuilt, they stay out of its cells.  ``breaks`` are the
    indices of the lines that followed a page number (``normalize._clean_lines``).
    A head is a short line found beside at least ``times`` page numbers, and there
    at least 60% of the times it occurs (a table cell repeated row after row is not one).

        >>> from policyparse.normalize import _clean_lines
        >>> rows = [f"{n}\\n第{n}项任务\\n一季度\\n" for n in range(1, 17)]
        >>> text = "".join("".join(rows[k : k + 4]) + f"- {k // 4 + 1} -\\n某某县卫生健康局文件\\n" for k in range(0, 16, 4))
        >>> breaks = []
        >>> [ln.text for ln in drop_page_heads(_clean_lines(text, None, breaks), breaks)][9:16]
        ['4', '第4项任务', '一季度', '5', '第5项任务', '一季度', '6']
    """
    if len(breaks) < times:
        return lines
    near: set = set()
    for k in breaks:  # k: the first line after the page number
        near.update(range(max(0, k - NEAR), min(len(lines), k + NEAR)))
    found = Counter(
        lines[i].text
        for i in near
        if lines[i].kind == "text" and 0 < len(lines[i].text) <= 40 and lines[i].text[-1] not in _TERMINAL
    )
    found = Counter({t: c for t, c in found.items() if c >= times and not is_label_start(t)})
    if not found:
        return lines
    total = Counter(ln.text for ln in lines if ln.text in found)
    heads = {t for t, c in found.items() if c >= 0.6 * total[t]}
    # every time: the first page's head stands far from its number (at the page's foot)
    return drop_lines(lines, lambda i, ln: ln.text in heads) if heads else lines


# ---- lines dropped for what they are: repeated heads, bare page numbers ----------------


def drop_lines(lines: list, unwanted) -> list:
    """Drop the lines ``unwanted(i, line)`` names; the blank gap they leave is kept."""
    out, carry = [], 0
    for i, ln in enumerate(lines):
        if unwanted(i, ln):
            carry += ln.gap_before + 1
            continue
        if carry:
            ln.gap_before += carry
            carry = 0
        out.append(ln)
    return out


def drop_running_heads(lines: list, times: int = 3) -> list:
    """Drop running headers/footers: short lines repeated on page after page."""
    from collections import Counter

    if len(lines) < 60:  # a running head needs pages to run over
        return lines
    # short lines only; a line without Chinese (X, ——) may be as short as one character
    # (each test reads the text alone: made once per repeated text, not once per line)
    counts = Counter([ln.text for ln in lines if ln.kind == "text"])
    heads = {
        t
        for t, c in counts.items()
        if c >= times
        and len(t) <= 40
        and (len(t) >= 6 or not _HAN.search(t))
        and t[-1] not in _TERMINAL
        and not is_label_start(t)
        and _balanced(t)
    }

    def unwanted(i, ln):
        if ln.kind != "text" or ln.text not in heads:
            return False
        return not (i + 1 < len(lines) and DATE_LINE.match(lines[i + 1].text))  # a 署名 above its date

    return drop_lines(lines, unwanted) if heads else lines


def _balanced(t: str) -> bool:
    """A line that closes a bracket opened above (…分工负责）) continues the text."""
    return t.count("）") + t.count(")") <= t.count("（") + t.count("(")


_BARE_NUMBER = recache.lazy(r"^\d{1,4}$")
_HAN = recache.lazy(r"\p{Han}")


def drop_page_numbers(lines: list) -> list:
    """A bare number on a line of its own in running text is a page number.

    Runs after tables are rebuilt, so a table's row numbers are already inside rows.
    """
    numbers = [i for i, ln in enumerate(lines) if len(ln.text) <= 4 and ln.kind == "text" and _BARE_NUMBER.match(ln.text)]
    return _drop_at(lines, numbers) if numbers else lines


def _drop_at(lines: list, drop: list[int]) -> list:
    """``drop_lines`` of the lines at the indexes ``drop`` (ascending), the kept ones copied a run at a time."""
    out, carry, prev = [], 0, 0
    for i in drop:
        if carry and prev < i:  # the first line kept after dropped ones takes their gap
            lines[prev].gap_before += carry
            carry = 0
        out += lines[prev:i]
        carry += lines[i].gap_before + 1
        prev = i + 1
    if carry and prev < len(lines):
        lines[prev].gap_before += carry
    out += lines[prev:]
    return out
