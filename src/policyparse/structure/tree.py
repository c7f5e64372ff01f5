"""Build the tree of measures from the normalized text, line by line.

Nesting follows the order in which numbering styles first appear; regulation
styles (编 > 章 > 节 > 条 > 款) also respect their rank.  Table rows (TSV lines
after a header) nest under the current item.  Closing matter (附件说明, the
signature, 抄送, 印发) ends an item's own text; what no item owns is preamble.

    >>> from policyparse.normalize import normalize_text
    >>> [n.id for n in build_tree(normalize_text("第一章 总则\\n第一条 为规范管理。\\n第二章 附则\\n第二条 自印发之日起施行。")).nodes]
    ['第一章', '第一章.第一条', '第二章', '第二章.第二条']
"""

from __future__ import annotations

import sys
from pathlib import Path

import regex

from .. import recache, rules
from ..normalize import Normalized
from ..wraps import DATE_LINE, may_open
from . import Node, Structure
from .numbering import han_int, label_at, path_label
from .closing import close_items, cut_closing_clause, cut_closing_paragraph, gaps
from .table_rows import TableRows, first_sentence

_LIST_NOTE = recache.lazy(r"^附\s*件\s*[:：]\s*\S")  # 附件：1.xxx (the attachment list)
_LIST_ITEM = recache.lazy(r"^\d{1,2}\s*[.．、]")
_LIST_NOTE_ALONE = recache.lazy(r"^附\s*件\s*[:：]\s*$")
_LABEL_ALONE = recache.lazy(r"^附\s*件\s*\d{0,2}\s*$")  # an attachment's own label on its line
_DUE_DECIMAL = recache.lazy(r"(?P<label>(?P<num>\d{1,3})[.．])(?=\d{1,4}\p{Han})")  # 11.121人才梯队项目
_SKIP_LOOKAHEAD = 400  # lines to look for the label after a skipped number
_LISTED = recache.lazy(r"^(?:附\s*件\s*[:：])?\s*(?:\d{1,2}\s*[.．、])?\s*(?P<t>.*?)\s*$")  # one title of the list
_CLOSING = recache.lazy(r"^(?:[（(]此件.{0,12}[）)]|抄\s*送[:：]|.{2,30}\d{4}年\d{1,2}月\d{1,2}日印发$)")
_CLOSING_OPENS = "（(抄"  # what _CLOSING's first two branches open with (the third ends with 印发)
_TOC_HEAD = recache.lazy(r"^目\s*录$")
_DOT_LEADER = recache.lazy(r"[.…·．]{6,}")
_OUTLINE_USED = recache.lazy(r"^\d{1,2}\.\d{1,2}\s*\p{Han}", regex.M)
_OUTLINE_TOP = recache.lazy(r"^(?P<label>(?P<num>\d{1,2}))(?=\s*\p{Han})(?!\s*[个万亿元名所家人次倍岁年月日天项类份节号部])")
_SEE_ATTACHMENT = recache.lazy(r"见附件(?![\s\d一二三四五六七八九十])")  # an unnumbered one (详见附件1 names its own label)
_BRACKET_TITLE = recache.lazy(r"^\s*[【\[〔](?P<t>[^】\]〕]{1,30})[】\]〕]")
_SPACES = recache.lazy(r"\s+")
_TOC_TAIL = recache.lazy(r"[\s.…·．\d]+$")
_CLAUSE_MARK = recache.lazy(r"[，。；：,;:!?！？]")


def build_tree(norm: Normalized, rules_dir: Path | None = None) -> Structure:
    """Find every numbered item of the normalized text and nest them."""
    return _Builder(norm.text, rules_dir).run()


class _Builder(TableRows):
    def __init__(self, text: str, rules_dir: Path | None):
        self.text = text
        self.rs = rules.load("numbering", rules_dir)
        self.rules_dir = rules_dir
        self.out = Structure()
        self.stack: list[tuple[str, Node]] = []  # (style, node), outermost first
        self.last: dict[str, int] = {}  # last number per style
        self.cuts: list[int] = []  # where an item's own text stops
        self.skips: list[tuple[int, int]] = []  # lines that belong to nobody (headers, TOC)
        self.roles = None
        self.ids: set[str] = set()
        self.reruns: dict[str, int] = {}  # last ~k suffix given per repeated id
        self.outline = bool(_OUTLINE_USED.search(text))
        self.wants_attachment = bool(_SEE_ATTACHMENT.search(text))
        self.signed = False
        self.listed: list[str] = []  # the titles of the attachment list (附件：1.… 2.…), spaces removed
        self.lines = list(_lines(text))
        # the rule of the label opening each line (its match is made again where used:
        # a match per line held for the whole run would cost more than it saves)
        self.rules_at = [h[0] if (h := label_at(t, self.rs)) else None for _, t in self.lines]
        self.attachments = sum(1 for r in self.rules_at if r is not None and r.name == "attachment")

    def run(self) -> Structure:
        lines = self.lines
        toc_end = _toc_end(lines)
        in_list_note = False
        first_content = True
        # lines holding dot leaders, by where they start (one pass; leaders hold no LF)
        leaders = {self.text.rfind("\n", 0, m.start()) + 1 for m in _DOT_LEADER.finditer(self.text)}
        for idx, (a, line) in enumerate(lines):
            if not line.strip():
                continue
            if idx < toc_end or a in leaders:
                self.skips.append((a, a + len(line)))
                continue
            if "\t" in line and self._table_line(a, line):
                continue
            if self.roles and "label" not in self.roles:
                self.roles = None  # a table without 序号 ends with its last row
                self._end_groups()
            if line[:1] == "附" and (_LIST_NOTE.match(line) or self._list_note_alone(idx)):
                in_list_note = True
                self.cuts.append(a)
                self.listed = [t] if (t := _SPACES.sub("", _LISTED.match(line).group("t"))) else []
                continue
            if in_list_note and _LIST_ITEM.match(line):
                self.listed.append(_SPACES.sub("", _LISTED.match(line).group("t")))
                continue
            in_list_note = False
            named = _SPACES.sub("", line[2:]) if self.listed and line[:2] == "附件" else ""
            if named and named in self.listed:
                # 附件部门职责分工表: a listed attachment whose number the page lost
                k = self.listed.index(named) + 1
                self._attachment(a, "附件", f"附件{k}" if len(self.listed) > 1 else "附件", line[2:].strip())
                continue
            if (may_open(line[:1])[0] and DATE_LINE.match(line)) or (
                (line[:1] in _CLOSING_OPENS or line.endswith("印发")) and _CLOSING.match(line)
            ):
                self._closing(lines, idx)
                continue
            rule = self.rules_at[idx]
            hit = self._label(line, (rule, rule.regex.match(line)) if rule is not None else None)
            if hit is None and line[:1].isdigit():
                hit = self._due_before_digits(line)
            if hit is None:
                listed = _SPACES.sub("", line) if self.signed and self.listed else ""
                if listed in self.listed:
                    # 附件：X in the notice, then X printed after its 署名 without a label: the attachment
                    k = self.listed.index(listed) + 1
                    self._attachment(a, "附件", f"附件{k}" if len(self.listed) > 1 else "附件", line.strip())
                elif self.signed and self.wants_attachment and _is_title(line):
                    self._attachment(a, "附件", "附件", first_sentence(line))
                first_content = False
                continue
            rule, m = hit
            if rule.name == "attachment":
                if not first_content or self.attachments > 1:
                    self._attachment(a, m.group("label"), path_label(rule, m), _next_heading(lines, idx))
                first_content = False
                continue
            first_content = False
            self._item(lines, idx, rule, m)
        close_items(self.out, self.cuts, len(self.text))
        cut_closing_paragraph(self.out, self.text)
        cut_closing_clause(self.out, self.text)
        self.out.preamble = gaps(self.out, self.skips, len(self.text))
        return self.out

    # ---- lines of each kind ------------------------------------------------

    def _label(self, line: str, hit):
        """``hit`` is ``label_at(line)``; a dotted outline counts only in a document that uses one."""
        if hit and hit[0].name == "outline" and not self.outline:
            return None
        if hit is None and self.outline:
            m = _OUTLINE_TOP.match(line)
            if m:
                return _TOP_OUTLINE_RULE, m
        return hit

    def _closing(self, lines, idx: int) -> None:
        a = lines[idx][0]
        cut = a
        if idx and _is_signature(lines[idx - 1][1]) and lines[idx - 1][0] > (self.stack[-1][1].start if self.stack else -1):
            cut = lines[idx - 1][0]
        self.cuts.append(cut)
        if DATE_LINE.match(lines[idx][1]):
            self.signed = True

    def _attachment(self, a: int, label: str, path: str, heading: str | None) -> None:
        node = Node(path=[path], label=label, level=1, start=a, end=len(self.text), text_start=a + len(label))
        node.heading = heading
        self.stack.clear()
        self.last.clear()
        self.signed = False
        self.wants_attachment = False
        self._push("attachment", node)

    def _item(self, lines, idx: int, rule, m) -> None:
        a, line = lines[idx]
        style = rule.name
        num = m.group("num") or ""
        if style in ("outline", "outline-top"):
            if not self._outline_ok(num):
                return
            style = f"outline{num.count('.')}"
            n = int(num.rsplit(".", 1)[-1])
        else:
            n = _number(num)
            if n is None or not (n == 1 or n == self.last.get(style, 0) + 1):
                if n is None or not self._skips_one(idx, rule, n):
                    return
                msg = f"item {m.group('label').strip()} follows {n - 2}: number {n - 1} is missing"
                self.out.warnings.append(("item-number-skipped", msg, a))
        self.last[style] = n
        self._end_groups()  # an item of the body closes the table before it
        self._pop_for(style, rule.get("rank"), rule.get("closes", ()))
        parent = self.stack[-1][1] if self.stack else None
        # labels repeat (一, （一）): one string each, however many items print them
        path = (parent.path if parent else []) + [sys.intern(path_label(rule, m))]
        node = Node(path=path, label=sys.intern(m.group("label").strip()), level=len(path), start=a, end=len(self.text))
        node.text_start = a + m.end()
        rest = line[m.end():].strip()
        bracket = _BRACKET_TITLE.match(rest)
        if bracket:
            node.heading = bracket.group("t").strip()
        else:
            node.heading = first_sentence(rest) if rest else _next_heading(lines, idx)
        node.rank = rule.get("rank")  # None for ordinary styles
        self._push(style, node)

    def _list_note_alone(self, idx: int) -> bool:
        """``附件：`` on its own line above ``1.…``, or above titles and then the attachments'
        own labels (附件 / 附件1 alone on a line): the 附件 list, not an attachment's label."""
        if not _LIST_NOTE_ALONE.match(self.lines[idx][1]):
            return False
        after = [t for _, t in self.lines[idx + 1 : idx + 10] if t.strip()]
        if after and _LIST_ITEM.match(after[0]):
            return True
        return any(_LABEL_ALONE.match(t) for t in after[1:6])

    def _skips_one(self, idx: int, rule, n: int) -> bool:
        """Is ``n`` one past the number due, and the next label of its style ``n + 1``?

        A notice that skips a number ((二十) then (二十二), or an item whose label a
        conversion lost) goes on with the rest of its items (``_item`` warns).
        """
        due = self.last.get(rule.name, 0) + 1
        if n != due + 1 or due < 2:
            return False
        for j in range(idx + 1, min(idx + _SKIP_LOOKAHEAD, len(self.lines))):
            if self.rules_at[j] is rule:
                m = rule.regex.match(self.lines[j][1])
                num = m.group("num") if m else None
                return num is not None and _number(num) == n + 1
        return False

    def _due_before_digits(self, line: str):
        """``11.121人才梯队项目`` where item 11 is due: the label of a name that opens with digits."""
        m = _DUE_DECIMAL.match(line)
        if m is None or int(m.group("num")) != self.last.get("arabic-dot", 0) + 1 or int(m.group("num")) < 2:
            return None
        rule = next((r for r in self.rs.rules if r.name == "arabic-dot"), None)
        return (rule, m) if rule is not None else None

    def _outline_ok(self, num: str) -> bool:
        """1.2 must follow 1.1 (or 1) under 1; a top number must continue the top level."""
        parts = num.split(".")
        style = f"outline{len(parts) - 1}"
        n = int(parts[-1])
        if not (n == 1 or n == self.last.get(style, 0) + 1):
            return False
        if len(parts) > 1:
            parent = f"outline{len(parts) - 2}"
            return self.last.get(parent) == int(parts[-2])
        return True

    def _pop_for(self, style: str, rank, closes=()) -> None:
        for k, (s, _) in enumerate(self.stack):
            if s == style:
                del self.stack[k:]
                break
        while self.stack and self.stack[-1][0] in closes:
            self.stack.pop()  # styles of the usual order below this one (numbering.toml ``closes``)
        if rank is not None:
            # a higher regulation level closes every lower one (编 > 章 > 节 > 条 > 款)
            while self.stack and getattr(self.stack[-1][1], "rank", None) is not None and self.stack[-1][1].rank >= rank:
                self.stack.pop()
        if style.startswith("outline"):
            depth = int(style[7:])
            while self.stack and self.stack[-1][0].startswith("outline") and int(self.stack[-1][0][7:]) >= depth:
                self.stack.pop()

    def _push(self, style: str, node: Node) -> None:
        # an item id stays unique even where a document restarts its numbering
        nid = node.id
        if nid in self.ids:
            base = nid
            k = self.reruns.get(base, 1) + 1
            while ".".join(node.path[:-1] + [f"{node.path[-1]}~{k}"]) in self.ids:
                k += 1
            self.reruns[base] = k
            node.path = node.path[:-1] + [f"{node.path[-1]}~{k}"]
            nid = node.id
        self.ids.add(nid)
        self.out.nodes.append(node)
        self.stack.append((style, node))


class _TopOutlineRule:
    """A stand-in rule for the top level of a dotted outline (``1 总则``)."""

    name = "outline-top"

    def get(self, key, default=None):
        return {"path": "{num}"}.get(key, default)


_TOP_OUTLINE_RULE = _TopOutlineRule()


# ---- helpers -----------------------------------------------------------------


def _number(num: str) -> int | None:
    """A label's number: 二十三 → 23 (an alphanumeric holds no space)."""
    return han_int(num if num.isalnum() else _SPACES.sub("", num))


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _toc_end(lines) -> int:
    """Index of the first body line after a 目录 block (0 when there is none)."""
    for i, (_, t) in enumerate(lines[:400]):
        if _TOC_HEAD.match(t.strip()):
            entries = []
            for j in range(i + 1, len(lines)):
                key = _toc_key(lines[j][1])
                if not key:
                    continue
                if entries and key == entries[0]:
                    return j  # the body starts where the first entry comes again
                if len(lines[j][1]) > 80 and not _DOT_LEADER.search(lines[j][1]):
                    return j  # prose: the contents ended without repeating
                entries.append(key)
            return i + 1
    return 0


def _toc_key(line: str) -> str:
    return _TOC_TAIL.sub("", _SPACES.sub("", line))


def _next_heading(lines, idx) -> str | None:
    for _, t in lines[idx + 1 : idx + 3]:
        if t.strip():
            return first_sentence(t)
    return None


def _is_signature(line: str) -> bool:
    s = line.strip()
    return 2 <= len(s) <= 40 and not _CLAUSE_MARK.search(s)


def _is_title(line: str) -> bool:
    s = line.strip()
    return 4 <= len(s) <= 60 and not _CLAUSE_MARK.search(s) and not DATE_LINE.match(s)
