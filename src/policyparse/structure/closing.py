"""What text each item owns: it ends at the next item or at closing matter; the rest is preamble.

Closing matter is found by the tree builder (signature, 抄送, 印发) and here, after the
items are known: a trailing paragraph of items written one paragraph each, and a
paragraph on the document itself (本政策自…施行) after the last item.

    >>> from policyparse.structure import Node, Structure
    >>> out = Structure(nodes=[Node(path=["一"], label="一、", level=1, start=0, end=0, text_start=2)])
    >>> close_items(out, [5], 9); out.nodes[0].end
    5
"""

from __future__ import annotations

import bisect

from .. import recache
from . import Node, Structure

SENTENCE_ENDS = "。！？!?；;"
# a paragraph on the document itself: when it takes effect, how long it holds, who interprets it
_CLOSING_CLAUSE = recache.lazy(
    r"(?m)^[ \t\u3000]*本(?:政策措施|政策|措施|若干措施|实施方案|方案|办法|细则|规定|通知|意见|文件|计划|行动计划|规程)"
    r"[^\n]*?(?:施行|执行|实施|有效期|解释)"
)


def close_items(out: Structure, cuts: list[int], end: int) -> None:
    """Each item's own text ends at the next item, or at closing matter before it."""
    nodes = out.nodes
    cuts = sorted(cuts)
    for i, node in enumerate(nodes):
        if node.cells:
            continue  # a row ends with its line
        stop = nodes[i + 1].start if i + 1 < len(nodes) else end
        k = bisect.bisect_right(cuts, node.start)  # the first cut after the item's start
        node.end = cuts[k] if k < len(cuts) and cuts[k] < stop else stop


def cut_closing_paragraph(out: Structure, text: str) -> None:
    """Items written as one paragraph each: a trailing paragraph is the closing, not the last item's."""
    by_parent: dict = {}
    part = 0  # each attachment starts a new run of siblings
    for n in out.nodes:
        if _is_attachment(n):
            part += 1
            continue
        by_parent.setdefault((part, n.parent_id), []).append(n)
    has_child = {n.parent_id for n in out.nodes}
    # closing matter ends the notice or an attachment: an item followed by another
    # item of the same part (五 after 四.(十五)) keeps its later paragraphs
    follows = {id(a): b for a, b in zip(out.nodes, out.nodes[1:])}
    for sib in by_parent.values():
        if len(sib) < 2 or any(n.id in has_child or n.cells for n in sib):
            continue
        nxt = follows.get(id(sib[-1]))
        if nxt is not None and not _is_attachment(nxt):
            continue
        if all("\n" not in text[n.start : n.end].strip() for n in sib[:-1]):
            last = sib[-1]
            body = text[last.start : last.end]
            nl = body.find("\n")
            # a label line holding a heading alone (二、目标任务与责任科室) has its text below it;
            # a bracketed tag below the item ((各处室按职责分工负责)) is the item's own
            rest = body[nl + 1 :].lstrip()
            if 0 <= nl < len(body.rstrip()) and body[:nl].rstrip()[-1:] in SENTENCE_ENDS and rest[:1] not in "（(【[":
                last.end = last.start + nl


def cut_closing_clause(out: Structure, text: str) -> None:
    """本政策自…施行 / 本方案由…负责解释 in a paragraph of its own after the last item of the
    notice or of an attachment: it speaks of the whole document, not of that item.

    Not the item's first paragraph (六、附则⏎本办法自印发之日起施行 is the item's own).
    """
    nodes = out.nodes
    for i, n in enumerate(nodes):
        nxt = nodes[i + 1] if i + 1 < len(nodes) else None
        if _is_attachment(n) or n.cells or (nxt is not None and not _is_attachment(nxt)):
            continue
        body = text[n.start : n.end]
        nl = body.find("\n")
        if nl < 0:
            continue
        # a label line that is a paragraph (ends a sentence) is the item's first paragraph
        first = nl if body[:nl].rstrip()[-1:] in SENTENCE_ENDS else body.find("\n", nl + 1)
        if first < 0:
            continue
        m = _CLOSING_CLAUSE.search(body, first + 1)
        if m is not None:
            n.end = n.start + m.start()


def _is_attachment(n: Node) -> bool:
    return n.level == 1 and n.path[0].startswith("附件")


def gaps(out: Structure, skips: list[tuple[int, int]], end: int) -> list[tuple[int, int]]:
    """Text no item owns (before the first item, closing matter), minus skipped lines."""
    owned = sorted([(n.start, n.end) for n in out.nodes] + skips)
    ranges, pos = [], 0
    for a, b in owned:
        if a > pos:
            ranges.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        ranges.append((pos, end))
    return [(a, b) for a, b in ranges if b > a]
