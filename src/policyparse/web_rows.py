"""A web page's 政府信息公开 table copied with spaces between its cells, made TSV rows.

Government sites print a metadata table above a notice (索引号, 主题分类, 文号,
成文日期 …).  Copied from the page, its cells may be separated by spaces alone:
``索引号 0010…/2011-204477 主题分类 综合类``.  Such a line looks like prose to
the later steps: it is joined to the lines around it, and the spaces between
Chinese and digits are squeezed out, so no label keeps its value apart.  This
step finds those lines at the top of a text (a line that opens with a strong
label of ``rules/metadata.toml`` followed by spaces, and the lines right after
it that open alike) and writes each as a row of TAB-separated cells, which
the metadata step reads as it reads a table copied with TABs.

    >>> from policyparse.normalize import normalize_text
    >>> normalize_text("索引号 001/2011-204477 主题分类 综合类\\n文号 瑞政办〔2011〕129号\\n转发指导意见的通知").text.splitlines()[:2]
    ['索引号\\t001/2011-204477\\t主题分类\\t综合类', '文号\\t瑞政办〔2011〕129号']
"""

from __future__ import annotations

import functools

from . import recache
from .layout import tsv_line

_TOP = 12  # the table stands among the first lines of a page's text


@functools.lru_cache(maxsize=8)
def _patterns(rules_dir):
    """(a line opening with a strong label and a space, any label standing between spaces)."""
    from .facts.metadata_text import ruleset

    parts = ruleset(rules_dir).parts
    strong, weak = parts["web_strong"], parts["web_weak"]
    opening = recache.compile(rf"^(?:{strong})[ \u3000]+(?=\S)")
    # a label after the line's start or after spaces, with spaces (or the line's end) after it
    label = recache.compile(rf"(?:^|(?<=[ \u3000]))(?:{strong}|{weak})(?=[ \u3000]|$)")
    return opening, label


def rebuild(lines: list, rules_dir=None) -> list:
    """``lines`` with a space-separated metadata table at the top written as TSV rows."""
    top = lines[:_TOP]
    if not any(ln.kind == "text" and ln.text[:1] and ln.text[0] in "索发文成标主" for ln in top):
        return lines  # (the first character each strong label may open with)
    opening, label = _patterns(rules_dir)
    first = next((i for i, ln in enumerate(top) if ln.kind == "text" and opening.match(ln.text)), None)
    if first is None:
        return lines
    end = first
    while end < len(lines) and lines[end].kind == "text" and opening.match(lines[end].text):
        end += 1
    if end - first < 2 and len(label.findall(lines[first].text)) < 2:
        return lines  # one label on one line: 文号 and a number in prose, not a table
    return [*lines[:first], *(_row(ln, label) for ln in lines[first:end]), *lines[end:]]


def _row(ln, label):
    """One line's cells (labels and the values between them), joined with TABs."""
    cuts = sorted({0, len(ln.text), *(x for m in label.finditer(ln.text) for x in (m.start(), m.end()))})
    cells = [ln.slice(a, b).strip() for a, b in zip(cuts, cuts[1:])]
    row = tsv_line([c for c in cells if len(c)], "row")
    row.gap_before = ln.gap_before
    return row
