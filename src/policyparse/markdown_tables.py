"""Markdown pipe tables (``| 序号 | 工作内容 | 牵头科室 |``) as TSV rows.

A notice converted to Markdown writes its task table as pipe rows under a
``|---|---|`` rule.  Each row becomes one line of TAB-separated cells (kind
``row``, as a reader's own table rows), the rule line is dropped, and ``<br>``
inside a cell (a line break in the cell) is removed; every character keeps the
input offset it came from.

    >>> from policyparse.normalize import normalize_text
    >>> t = "| 序号 | 工作内容 | 牵头科室 |\\n|---|---|---|\\n| 1 | 加强领导。<br>每季度督查1次。 | 办公室 |"
    >>> normalize_text(t).text.splitlines()
    ['序号\\t工作内容\\t牵头科室', '1\\t加强领导。每季度督查1次。\\t办公室']
"""

from __future__ import annotations

import regex

from . import recache
from .layout import tsv_line

_RULE = recache.lazy(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")  # |---|:---:|
_BREAK = recache.lazy(r"<br\s*/?>", regex.IGNORECASE)


def rebuild(lines: list) -> list:
    """Return ``lines`` with each run of two or more pipe rows (a header and a rule, or rows) as TSV rows."""
    out, i, n = [], 0, len(lines)
    while i < n:
        j = i
        while j < n and _is_pipe_row(lines[j]):
            j += 1
        if j - i >= 2 and any(_RULE.match(ln.text) for ln in lines[i:j]):
            for ln in lines[i:j]:
                if not _RULE.match(ln.text):
                    row = tsv_line(_cells(ln), "row")
                    row.gap_before = ln.gap_before
                    out.append(row)
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


def _is_pipe_row(ln) -> bool:
    t = ln.text
    return ln.kind == "text" and len(t) >= 3 and t[0] == "|" and t[-1] == "|"


def _cells(ln) -> list:
    """The cells of one pipe row, stripped, ``<br>`` removed (``\\|`` stays inside its cell)."""
    t = ln.text
    cuts = [k for k in range(len(t)) if t[k] == "|" and (k == 0 or t[k - 1] != "\\")]
    cells = []
    for a, b in zip(cuts, cuts[1:]):
        cell = ln.slice(a + 1, b).sub(_BREAK).strip()
        cells.append(cell if len(cell) else None)
    return cells
