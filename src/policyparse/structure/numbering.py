"""The tree of measures: numbering labels at line starts, nested by order of appearance.

A style (一、 / （一） / 1． / （1） / ① / 附件 / table rows) nests under the styles
already open when it first appears; a style seen again closes everything opened
after it.  A label must continue its style's sequence (or restart at 1), so
dates, decimals and stray numbers are not taken for labels.

    >>> norm = normalize_text("一、总体要求\\n（一）加强领导。要求。\\n二、保障")
    >>> [n.id for n in build_tree(norm).nodes]
    ['一', '一.(一)', '二']
"""

from __future__ import annotations

from pathlib import Path

import regex

from .. import rules
from ..normalize import Normalized, normalize_text
from . import Node, Structure

_HAN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_LIST_NOTE = regex.compile(r"^附\s*件\s*[:：]\s*\S")  # 附件：1.xxx (the attachment list)
_LIST_ITEM = regex.compile(r"^\d{1,2}\s*[.．、]")
_DATE_LINE = regex.compile(r"^[\d〇零一二三四五六七八九十]{4}\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$")
_CLOSING = regex.compile(r"^(?:[（(]此件.{0,12}[）)]|抄\s*送[:：]|.{2,30}\d{4}年\d{1,2}月\d{1,2}日印发$)")
_NUMBER_CELL = regex.compile(r"^\s*(\d{1,3})\s*$")
_SENTENCE_END = "。"


def han_int(s: str) -> int | None:
    """Chinese numeral of a label (一 … 九百九十九) to int.

    >>> han_int("二十四"), han_int("十"), han_int("一百零二")
    (24, 10, 102)
    """
    if s.isdigit():
        return int(s)
    if len(s) == 1 and "①" <= s <= "⑳":
        return ord(s) - ord("①") + 1
    total, cur = 0, 0
    for ch in s:
        if ch in _HAN:
            cur = _HAN[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


def label_at(text: str, rs) -> tuple | None:
    """The (rule, match) of a numbering label opening ``text``, or None."""
    for r in rs.rules:
        m = r.regex.match(text)
        if m:
            return r, m
    return None


def extract(text: str, ctx=None) -> list[dict]:
    """Label and path of the label that opens ``text`` (for rule examples).

    >>> extract("（三）建立机制。")
    [{'label': '（三）', 'path': '(三)'}]
    """
    rs = rules.load("numbering", getattr(ctx, "rules_dir", None))
    hit = label_at(text.strip(), rs)
    if not hit:
        return []
    r, m = hit
    return [{"label": m.group("label"), "path": _path_label(r, m)}]


def _path_label(rule, m) -> str:
    num = regex.sub(r"\s+", "", m.group("num") or "")
    return rule.get("path", "{num}").format(num=num)


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _column_roles(cells: list[str], cols) -> list[str | None] | None:
    """Roles of a TSV header row, or None when it is not a header."""
    lookup = {name: role for role, names in cols.lists.items() for name in names}
    roles = [lookup.get(regex.sub(r"\s+", "", c)) for c in cells]
    return roles if sum(r is not None for r in roles) >= 2 else None


def build_tree(norm: Normalized, rules_dir: Path | None = None) -> Structure:
    """Find every numbered item of the normalized text and nest them."""
    rs = rules.load("numbering", rules_dir)
    cols = rules.load("columns", rules_dir)
    text = norm.text
    out = Structure()
    stack: list[tuple[str, Node]] = []  # (style, node) from outermost to innermost
    last: dict[str, int] = {}  # last number seen per style
    cuts: list[int] = []  # offsets where an item's own text stops (closing matter)
    roles: list | None = None
    in_list_note = False
    lines = list(_lines(text))
    first_content = True
    for idx, (a, line) in enumerate(lines):
        if not line.strip():
            continue
        if "\t" in line:
            cells = line.split("\t")
            header = _column_roles(cells, cols)
            if header:
                roles = header
                cuts.append(a)
                continue
            if roles and _NUMBER_CELL.match(cells[0]):
                node = _row(a, line, cells, roles, stack, last, out)
                if node:
                    _push(stack, "row", node, out)
                continue
        if _LIST_NOTE.match(line):
            in_list_note = True
            cuts.append(a)
            continue
        if in_list_note and _LIST_ITEM.match(line):
            continue
        in_list_note = False
        if _DATE_LINE.match(line) or _CLOSING.match(line):
            cut = a
            if idx and _is_signature(lines[idx - 1][1]) and lines[idx - 1][0] > (stack[-1][1].start if stack else -1):
                cut = lines[idx - 1][0]
            cuts.append(cut)
            continue
        hit = label_at(line, rs)
        if hit is None:
            first_content = False
            continue
        rule, m = hit
        style = rule.name
        if style == "attachment":
            if first_content:  # a file that is one attachment alone: no attachment item
                first_content = False
                continue
            node = Node(path=[_path_label(rule, m)], label=m.group("label"), level=1, start=a, end=len(text))
            node.text_start = a + m.end()
            node.heading = _next_line_text(lines, idx)
            stack.clear()
            last.clear()
            _push(stack, style, node, out)
            continue
        first_content = False
        n = han_int(regex.sub(r"\s+", "", m.group("num") or ""))
        if n is None or not (n == 1 or n == last.get(style, 0) + 1):
            continue
        last[style] = n
        styles = [s for s, _ in stack]
        if style in styles:
            del stack[styles.index(style):]
        parent = stack[-1][1] if stack else None
        path = (parent.path if parent else []) + [_path_label(rule, m)]
        node = Node(path=path, label=m.group("label").strip(), level=len(path), start=a, end=len(text))
        node.text_start = a + m.end()
        rest = line[m.end():].strip()
        node.heading = _heading(rest) if rest else _next_line_text(lines, idx)
        _push(stack, style, node, out)
    _close(out, cuts, len(text))
    _cut_closing_paragraph(out, text)
    out.preamble = _preamble_ranges(out, cuts, len(text))
    return out


def _push(stack, style, node, out: Structure) -> None:
    out.nodes.append(node)
    stack.append((style, node))


def _row(a, line, cells, roles, stack, last, out: Structure) -> Node | None:
    """A table row: its label is its 序号, corrected from the sequence if mangled."""
    printed = cells[0].strip()
    n = int(printed)
    expected = last.get("row", 0) + 1
    if n != expected:
        if str(expected).endswith(printed) and n < expected:
            out.warnings.append(("table-row-renumbered", f"table row printed as {printed} between rows {expected - 1} and {expected + 1}: read as {expected}", a))
            n = expected
        elif n != 1:
            return None
    last["row"] = n
    styles = [s for s, _ in stack]
    if "row" in styles:
        del stack[styles.index("row"):]
    parent = stack[-1][1] if stack else None
    path = (parent.path if parent else []) + [str(n)]
    node = Node(path=path, label=printed, level=len(path), start=a, end=a + len(line))
    pos = a
    for cell, role in zip(cells, roles + [None] * (len(cells) - len(roles))):
        if role and role != "label":
            s = pos + (len(cell) - len(cell.lstrip()))
            node.cells[role] = (s, s + len(cell.strip()))
        pos += len(cell) + 1
    tstart, tend = node.cells.get("text", (a + len(cells[0]) + 1, a + len(line)))
    node.text_start = tstart
    node.heading = _heading(line[tstart - a : tend - a]) or None
    return node


def _heading(rest: str) -> str | None:
    """The lead clause: up to the first 。 (or the whole line)."""
    rest = rest.strip()
    if not rest:
        return None
    i = rest.find(_SENTENCE_END)
    head = rest[:i] if i >= 0 else rest.split("\n", 1)[0]
    return head.strip().rstrip("：:") or None


def _next_line_text(lines, idx) -> str | None:
    for _, t in lines[idx + 1 : idx + 3]:
        if t.strip():
            return _heading(t)
    return None


def _is_signature(line: str) -> bool:
    s = line.strip()
    return 2 <= len(s) <= 40 and not regex.search(r"[，。；：,;:!?！？]", s)


def _close(out: Structure, cuts: list[int], end: int) -> None:
    """Each item's own text ends at the next item, or at closing matter before it."""
    nodes = out.nodes
    cuts = sorted(cuts)
    for i, node in enumerate(nodes):
        nxt = nodes[i + 1].start if i + 1 < len(nodes) else end
        if node.cells:
            continue  # a row ends with its line
        stop = nxt
        for c in cuts:
            if node.start < c < stop:
                stop = c
                break
        node.end = stop


def _cut_closing_paragraph(out: Structure, text: str) -> None:
    """Items written as one paragraph each: a trailing paragraph is the closing, not the last item's."""
    by_parent: dict = {}
    for i, n in enumerate(out.nodes):
        by_parent.setdefault(n.parent_id, []).append(i)
    has_child = {n.parent_id for n in out.nodes}
    for idxs in by_parent.values():
        if len(idxs) < 2:
            continue
        sib = [out.nodes[i] for i in idxs]
        if any(n.id in has_child or n.cells for n in sib):
            continue
        if all("\n" not in text[n.start : n.end].strip() for n in sib[:-1]):
            last = sib[-1]
            body = text[last.start : last.end]
            nl = body.find("\n")
            if 0 <= nl < len(body.rstrip()):
                last.end = last.start + nl


def _preamble_ranges(out: Structure, cuts: list[int], end: int) -> list[tuple[int, int]]:
    """Text outside every item's own text (between items' ends and the next starts)."""
    ranges = []
    pos = 0
    for n in out.nodes:
        if n.start > pos:
            ranges.append((pos, n.start))
        pos = max(pos, n.end if not n.cells else n.start + (n.end - n.start))
        pos = max(pos, n.start)
    if pos < end:
        ranges.append((pos, end))
    # items own everything up to the next item: only gaps left by cuts are preamble
    covered = []
    for a, b in ranges:
        if b > a:
            covered.append((a, b))
    return covered
