"""Table rows as items: a TSV line after a header is a row, labelled by its 序号.

A table without a 序号 column numbers its rows in order, or by the number printed
at the start of the task cell (``1.增强…``); one that opens with the department
(``部门 | 职责``) and numbers nothing holds no items: its lines are its item's text.  A task cell opening with a label of
its own (``一、加强信息公开``) before a second task column groups the rows under
it: the group is an item, its rows nest under it.  A row with fewer cells than
its header lost merged (leading) or empty (trailing) cells: ``columns.align``.

    >>> from policyparse.normalize import normalize_text
    >>> from policyparse.structure.tree import build_tree
    >>> t = "工作任务\\t工作要求\\t牵头单位\\n一、公开信息\\t1.公开政策。\\t区财政局\\n2.公开项目。\\t区发改局"
    >>> [(n.id, n.heading) for n in build_tree(normalize_text(t)).nodes]
    [('一', '公开信息'), ('一.1', '公开政策'), ('一.2', '公开项目')]
"""

from __future__ import annotations

import sys

from .. import recache
from . import Node
from .columns import align, roles_of
from .numbering import label_at, path_label

_NUMBER_CELL = recache.lazy(r"^\s*(\d{1,3})[.．、]?\s*$")  # 序号 as printed: 1, 1. or 1、
_NUMBER_OPENS = recache.lazy(r"\s*(\d{1,3})\s*[.．、]\s*(?=\S)")  # 1.增强… (a task cell's own number)
_GROUP = "table-group"  # the stack style of a row group


class TableRows:
    """The table part of the tree builder (``tree._Builder`` holds the state it uses)."""

    def _table_line(self, a: int, line: str) -> bool:
        cells = line.split("\t")
        header = roles_of(cells, self.rules_dir)
        if header:
            self._end_groups()
            self.roles = header
            self.last["row"] = 0 if "label" not in header else self.last.get("row", 0)
            self.skips.append((a, a + len(line)))
            if not _duty_list(header):
                self.cuts.append(a)  # (a list of departments' duties goes on as its item's text)
            return True
        if self.roles and _NUMBER_CELL.match(cells[0]):
            node = self._row(a, line, cells)
            if node:
                self._push("row", node)
            return True
        if self.roles and "label" not in self.roles and sum(bool(c.strip()) for c in cells) >= 2:
            if _duty_list(self.roles) and not any(_NUMBER_OPENS.match(c) for c in cells[1:2]):
                # 部门 | 职责 without 序号: a list of departments' duties numbers no items; its
                # lines stay the text of the item they stand in (whose units the duty rows give)
                return False
            # a table without 序号 (工作任务 | 牵头单位 | 完成时限): each row is an item, numbered in order
            node = self._row(a, line, cells, implicit=True)
            self._push("row", node)
            return True
        return False

    def _end_groups(self) -> None:
        """A table's row groups close with it (a body item after it is no group's child)."""
        while self.stack and self.stack[-1][0] in ("row", _GROUP):
            self.stack.pop()

    def _row(self, a: int, line: str, cells: list[str], implicit: bool = False) -> Node | None:
        """A table row: its label is its 序号, corrected from the sequence if mangled."""
        spans, pos = [], a
        for cell, role in zip(cells, align(cells, self.roles) + [None] * (len(cells) - len(self.roles))):
            if role and role != "label" and cell.strip():
                s = pos + (len(cell) - len(cell.lstrip()))
                spans.append((role, s, s + len(cell.strip())))
            pos += len(cell) + 1
        printed, n = "", 0
        if not implicit:  # the 序号 first: a row out of sequence opens no group either
            expected = self.last.get("row", 0) + 1
            printed = cells[0].strip()
            n = int(_NUMBER_CELL.match(printed).group(1))
            if n != expected:
                if str(expected).endswith(str(n)) and n < expected:
                    msg = f"table row printed as {printed} between rows {expected - 1} and {expected + 1}: read as {expected}"
                    self.out.warnings.append(("table-row-renumbered", msg, a))
                    n = expected
                elif n != 1:
                    return None
        spans = self._group(spans)
        if implicit:
            n = self.last.get("row", 0) + 1  # after the group: a new group restarts the count
            spans, printed, n = self._own_number(spans, str(n), n)
        self.last["row"] = n
        self._pop_for("row", None)
        parent = self.stack[-1][1] if self.stack else None
        path = (parent.path if parent else []) + [str(n)]
        node = Node(path=path, label=printed, level=len(path), start=a, end=a + len(line), cells={})
        for role, s, e in spans:
            if role == "text" and "text" in node.cells:
                # two task columns (重点任务 | 具体措施): both are read for facts; the
                # last stays "text", the indicator's name in a table of values (领域 | 指标)
                node.cells[f"text:{len(node.cells)}"] = node.cells["text"]
            node.cells[role] = (s, e)
        texts = sorted(span for role, span in node.cells.items() if role.startswith("text"))
        tstart, tend = texts[0] if texts else (a + len(cells[0]) + 1, a + len(line))
        node.text_start = tstart
        if any(r.startswith(("target", "year:")) for r in node.cells):
            tstart, tend = node.cells["text"] if texts else (tstart, tend)  # a table of values: the indicator, not its 领域
        node.heading = first_sentence(line[tstart - a : tend - a])
        return node

    def _group(self, spans: list) -> list:
        """Open the row group a first task cell names (一、加强信息公开); the spans without it."""
        texts = [k for k, (role, _, _) in enumerate(spans) if role == "text"]
        if len(texts) < 2:
            return spans
        k = texts[0]
        _, s, e = spans[k]
        cell = self.text[s:e]
        hit = label_at(cell, self.rs)
        if hit is None or hit[0].name == "attachment" or _NUMBER_OPENS.match(cell):
            return spans
        rule, m = hit
        self._pop_for("row", None)
        top = self.stack[-1] if self.stack else None
        if not (top and top[0] == _GROUP and self.text[top[1].start : top[1].end] == cell):
            self._pop_for(_GROUP, None)
            parent = self.stack[-1][1] if self.stack else None
            path = (parent.path if parent else []) + [sys.intern(path_label(rule, m))]
            # the group's own text is its cell (its rows follow on the same line): a cell
            # of its own, so that it ends there and its facts are read once
            node = Node(path=path, label=m.group("label").strip(), level=len(path), start=s, end=e, text_start=s + m.end())
            node.cells = {"text": (s + m.end(), e)}
            node.heading = first_sentence(cell[m.end() :])
            self._push(_GROUP, node)
            if "label" not in self.roles:
                self.last["row"] = 0  # rows counted by place restart in each group; a 序号 runs on
        return spans[:k] + spans[k + 1 :]

    def _own_number(self, spans: list, printed: str, n: int) -> tuple[list, str, int]:
        """A row without 序号 numbered in its task cell (1.增强…): that number, the cell after it."""
        for k, (role, s, e) in enumerate(spans):
            if role == "text":
                m = _NUMBER_OPENS.match(self.text, s, e)
                if m:
                    spans = spans[:k] + [(role, m.end(), e)] + spans[k + 1 :]
                    return spans, self.text[s : m.end()].strip(), int(m.group(1))
                break
        return spans, printed, n


def _duty_list(roles: list) -> bool:
    """部门 | 职责 with no 序号: a list of departments' duties, not a table of items."""
    return "label" not in roles and roles[0] == "responsible"


def first_sentence(rest: str) -> str | None:
    """The lead clause: up to the first 。 (or the whole line)."""
    rest = rest.strip()
    if not rest:
        return None
    i = rest.find("。")
    head = rest[:i] if i >= 0 else rest.split("\n", 1)[0]
    return head.strip().rstrip("：:；;，,") or None
