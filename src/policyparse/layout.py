"""Rebuild task tables that a PDF export flattened into text, as TSV rows.

A flattened table shows a header line of column names (序号 工作内容 分管领导 …),
then per row its number, the wrapped task text, and short cells (people, units,
a time limit); section titles printed vertically beside the table come one
character per line, and each page repeats the section title and the header.
This step turns it back into one line per row with TAB-separated cells in the
header's order, writes the header once and each section title once, so the
structure step reads text tables, PDF tables and TSV input alike.

    >>> from policyparse.normalize import normalize_text
    >>> t = "一、\\n实\\n施\\n序号 工作内容 分管领导 牵头科室 完成时限\\n1\\n加强领导。\\n王五 办公室 年底前"
    >>> normalize_text(t).text.splitlines()[2]
    '1\\t加强领导。\\t王五\\t办公室\\t年底前'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path


from . import recache
from .structure.columns import role_of

_SECTION = recache.lazy(r"^(?P<label>[一二三四五六七八九十]{1,3}[ \t\u3000]?[、．.])\s*(?P<rest>.*)$")  # 一、, 一．, 一 、
_ROW_START = recache.lazy(r"^(?P<num>\d{1,3})(?:\s+(?P<rest>\S.*))?$")
_VERTICAL = recache.lazy(r"^\p{Han}$")
_NAMES = recache.lazy(r"^\p{Han}{2,3}(?:[、，,]\p{Han}{2,3})*$")
_NOT_NAMES_NEXT = recache.lazy(r"[\d，。；,;%]")
_TIMEISH = recache.lazy(r"[年月日季周天]|前|底|长期|持续|常态|每|期间|完成|时限")
_ROLE_PHRASE = recache.lazy(r"^(?:配合|牵头|按职责|负责|分别|协助|参与|落实)")
_ORG_END = recache.lazy(r"(?:[科室办局委院部处股队站所会组馆厅团司校府]|中心|落实|牵头|负责|配合)$")
_PIECE = recache.lazy(r"\S+")


@dataclass
class _Row:
    number: object  # the Line holding the printed number
    lines: list = field(default_factory=list)  # Lines after the number (first may share its line)


def header_roles(text: str, rules_dir: Path | None = None) -> list[str | None] | None:
    """Column roles of a header line of space-separated names, or None.

    >>> header_roles("序号 工作内容 分管领导 牵头科室 协办科室 完成时限")
    ['label', 'text', 'leaders', 'lead', 'support', 'deadline']
    """
    if len(text.split(None, 2)) < 3:  # most lines: no need to split them whole
        return None
    tokens = text.split()
    need = max(3, 0.6 * len(tokens))  # known names a header needs
    roles, unknown = [], 0
    for t in tokens:
        r = role_of(t, rules_dir)
        roles.append(r)
        if r is None:
            unknown += 1
            if len(tokens) - unknown < need:
                return None  # every line is asked: stop once too few names can be known
    if "text" not in roles:
        return None
    return roles


def rebuild_tables(lines: list, rules_dir: Path | None = None) -> list:
    """Return ``lines`` with flattened task tables rebuilt as TSV rows (kind 'row')."""
    if any(ln.kind == "row" for ln in lines):
        return lines  # the reader already kept the table's cells apart
    lines = join_split_headers(lines, rules_dir)
    first = next((i for i, ln in enumerate(lines) if header_roles(ln.text, rules_dir)), None)
    if first is None:
        return lines
    roles = header_roles(lines[first].text, rules_dir)
    start = _region_start(lines, first)
    return lines[:start] + _Rebuilder(roles, rules_dir).run(lines[start:])


_HEADER_LINES = 8  # lines a header printed one name (or a few) per line may run over


def join_split_headers(lines: list, rules_dir: Path | None = None) -> list:
    """A header printed over several lines (序号 / 工作内容 / 分管领导 / …) made one line of names.

    Only lines made of known column names join, and only where together they make a header.

        >>> from policyparse.normalize import normalize_text
        >>> t = "序号\\n工作内容\\n分管领导\\n牵头科室\\n完成时限\\n1\\n加强领导。\\n王五 办公室 年底前"
        >>> normalize_text(t).text.splitlines()[:2]
        ['序号\\t工作内容\\t分管领导\\t牵头科室\\t完成时限', '1\\t加强领导。\\t王五\\t办公室\\t年底前']
    """
    # where such a header may start: a line that is, or opens with, a column name of the
    # lists (序号, 工作内容 …); one pass of set look-ups, as most documents have none
    names = _list_names(None if rules_dir is None else str(rules_dir))
    firsts = [
        i
        for i, ln in enumerate(lines)
        if (t := ln.text) in names or (0 < (k := t.find(" ", 0, 11)) and t[:k] in names)
    ]
    if not firsts:
        return lines
    out, done, n = [], 0, len(lines)
    for i in firsts:
        if i < done:
            continue
        j = i
        while j < n and j - i < _HEADER_LINES and _names_only(lines[j].text, rules_dir):
            j += 1
        if j - i >= 2 and header_roles(" ".join(ln.text for ln in lines[i:j]), rules_dir):
            out += lines[done:i]
            out.append(_spaced(lines[i:j]))
            done = j
    return out + lines[done:] if done else lines


@functools.lru_cache(maxsize=8)
def _list_names(rules_dir: str | None) -> frozenset:
    """Every column name the lists of ``rules/columns.toml`` hold."""
    from . import rules

    return frozenset(n for names in rules.load("columns", rules_dir).lists.values() for n in names)


def _names_only(text: str, rules_dir) -> bool:
    """A short line whose every space-separated word is a known column name."""
    first = text.find(" ")
    if not (len(text) <= 10 or 0 < first <= 10):  # prose: one long word (most lines stop here)
        return False
    return all(role_of(w, rules_dir) is not None for w in text.split())


def _spaced(lines: list):
    """The lines joined by one space each (mapped to the start of the line after it)."""
    from .normalize import Line

    out = lines[0]
    for ln in lines[1:]:
        out = out + Line(" ", ln.src[:1], 0, ln.kind) + ln
    return out


def _region_start(lines: list, header: int) -> int:
    """Back up over a vertical section title that stands just before the first header."""
    i = header
    while i > 0 and _VERTICAL.match(lines[i - 1].text):
        i -= 1
    if i > 0 and _SECTION.match(lines[i - 1].text):
        return i - 1
    return header


class _Rebuilder:
    """A small state machine over the table region's lines."""

    def __init__(self, roles: list, rules_dir: Path | None = None):
        self.roles = roles
        self.rules_dir = rules_dir
        self.out: list = []
        self.row: _Row | None = None
        self.expected = 1
        self.section = None  # the Line of the current section title (grows with vertical chars)
        self.section_at = None  # its index in ``out``
        self.section_label = None
        self.collecting = False  # vertical characters still belong to the section title
        self.discard = False  # a repeated section title on a new page: drop its characters
        self.rows_in_section = 0
        self.header_done = False
        self.after_header = False

    def run(self, lines: list) -> list:
        for ln in lines:
            self.step(ln)
        self.finish_row()
        return self.out

    def step(self, ln) -> None:
        t = ln.text
        was_after_header, self.after_header = self.after_header, False
        if header_roles(t, self.rules_dir):
            self.finish_row()
            if not self.header_done:
                self.out.append(tsv_line(_fragments(ln), "header"))
                self.header_done = True
            self.collecting = False
            self.after_header = True
            return
        m = _SECTION.match(t)
        if m and (not m.group("rest") or len(m.group("rest")) <= 30):
            self.finish_row()
            if m.group("label") == self.section_label:
                self.collecting, self.discard = True, True
                return
            self.section_label = m.group("label")
            self.section = ln
            self.section_at = len(self.out)
            self.out.append(ln)
            self.collecting, self.discard = not m.group("rest"), False
            self.rows_in_section = 0
            return
        if self.collecting and _VERTICAL.match(t):
            if not self.discard:
                self.section = self.section + ln
                self.out[self.section_at] = self.section
            return
        m = _ROW_START.match(t)
        if m:
            n = int(m.group("num"))
            mangled = was_after_header and n < self.expected and str(self.expected).endswith(m.group("num"))
            if n == self.expected or mangled or (n == 1 and self.row is None):
                self.finish_row()
                self.row = _Row(ln.slice(0, m.end("num")))
                if m.group("rest"):
                    self.row.lines.append(ln.slice(m.start("rest")))
                self.expected = (self.expected if mangled else n) + 1
                self.rows_in_section += 1
                if self.rows_in_section >= 2:
                    self.collecting = False
                return
            if not m.group("rest"):
                return  # a stray page number inside the table
        if self.row is not None:
            self.row.lines.append(ln)
        else:
            self.out.append(ln)

    def finish_row(self) -> None:
        if self.row is None:
            return
        row, self.row = self.row, None
        if not row.lines:
            return
        self.out.append(tsv_line(self.cells(row), "row"))

    def cells(self, row: _Row) -> list:
        """Split a row's lines into cells in the header's column order."""
        text_end = _text_end(row.lines, "leaders" in self.roles)
        li, ci = text_end
        text = _join([*row.lines[:li], row.lines[li].slice(0, ci)] if li < len(row.lines) else row.lines)
        tail_lines = ([row.lines[li].slice(ci)] if li < len(row.lines) else []) + row.lines[li + 1 :]
        frags = [f for ln in tail_lines for f in _fragments(ln)]
        by_role = {"label": row.number, "text": text.strip() if text is not None else None}
        if "leaders" in self.roles and frags:
            by_role["leaders"] = frags.pop(0)
        if "deadline" in self.roles and frags and _TIMEISH.search(frags[-1].text):
            by_role["deadline"] = frags.pop()
        groups = _group(frags)
        unit_roles = [r for r in self.roles if r in ("lead", "support", "responsible")]
        for role, g in zip(unit_roles, groups):
            by_role[role] = g
        if len(groups) > len(unit_roles) and unit_roles:
            extra = groups[len(unit_roles) - 1 :]
            by_role[unit_roles[-1]] = _join_plain(extra)
        # two task columns (重点任务 | 具体措施) cannot be told apart once flattened: the
        # text goes to the first of them, once
        first_text = self.roles.index("text")
        return [None if r == "text" and i != first_text else by_role.get(r) for i, r in enumerate(self.roles)]


def _text_end(lines: list, has_leaders: bool) -> tuple[int, int]:
    """(line, offset) where the task text stops and the short cells begin."""
    for li, ln in enumerate(lines):
        frs = _fragments(ln)
        for fi, fr in enumerate(frs):
            if li == 0 and fi == 0:
                continue  # the task text is never empty
            nxt = frs[fi + 1].text if fi + 1 < len(frs) else ""
            if has_leaders and _NAMES.match(fr.text) and not _NOT_NAMES_NEXT.search(nxt):
                return li, _offset_in(ln, fr)
        if not has_leaders and li and lines[li - 1].text.endswith("。") and ln.gap_before == 0:
            return li, 0
    return len(lines), 0


def _offset_in(ln, fr) -> int:
    return ln.src.index(fr.src[0])  # the first character mapping where the fragment starts


def _fragments(ln) -> list:
    """Whitespace-separated pieces of a line, each marking whether it starts the line."""
    out = []
    for m in _PIECE.finditer(ln.text):
        piece = ln.slice(m.start(), m.end())
        piece.kind = "first" if m.start() == 0 else "inner"
        out.append(piece)
    return out


def _group(frags: list) -> list:
    """Join cell fragments wrapped over lines; pieces on one line are separate cells."""
    groups = []
    for fr in frags:
        if groups and fr.kind == "first" and _continues(groups[-1].text, fr.text):
            groups[-1] = groups[-1] + fr
        else:
            groups.append(fr)
    return groups


def _continues(cur: str, nxt: str) -> bool:
    return cur.endswith(("、", "，")) or not _ORG_END.search(cur) or bool(_ROLE_PHRASE.match(nxt))


def _join(lines: list):
    out = None
    for ln in lines:
        if not len(ln):
            continue
        out = ln if out is None else out + ln
    return out


def _join_plain(parts: list):
    return _join(parts)


def tsv_line(cells: list, kind: str):
    """Join cells with TABs into one Line; an empty cell maps to its neighbour's offset."""
    from .normalize import Line, src_array

    text, src = [], src_array()
    last = next((c.src[0] for c in cells if c is not None and len(c)), 0)
    for i, c in enumerate(cells):
        if i:
            text.append("\t")
            src.append(last)
        if c is not None and len(c):
            text.append(c.text)
            src.extend(c.src)
            last = c.src[-1]
    return Line("".join(text), src, 0, kind)
