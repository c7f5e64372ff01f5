"""Numbering labels: which line opens an item, its number, and its path label.

A style (一、 / （一） / 1． / （1） / ① / 附件 / table rows) nests under the styles
already open when it first appears; a style seen again closes everything opened
after it.  A label must continue its style's sequence (or restart at 1), so
dates, decimals and stray numbers are not taken for labels.

    >>> [n.id for n in build_tree(normalize_text("一、总体要求\\n（一）加强领导。\\n二、保障")).nodes]
    ['一', '一.(一)', '二']
"""

from __future__ import annotations

import functools
import string
from pathlib import Path

import regex

from .. import recache, rules
from ..normalize import normalize_text  # noqa: F401  (doctest)


_HAN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def han_int(s: str) -> int | None:
    """Chinese numeral of a label (一 … 九百九十九) to int.

    >>> han_int("二十四"), han_int("十"), han_int("一百零二")
    (24, 10, 102)
    """
    if s.isdecimal():
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
    union = _any_label(rs)
    if union is not None and not union.match(text):
        return None  # most lines open with no label: one match instead of one per rule
    for r in rs.rules:
        m = r.regex.match(text)
        if m:
            return r, m
    return None


_ANY_LABEL = "any-label"  # key of the union pattern in the rule set's memo
_BACKREF = recache.lazy(r"\\[1-9]|\\g<|\(\?P=")  # group numbers and names change in the union


def _any_label(rs):
    """One pattern matching wherever any of ``rs``'s rules matches (kept in the rule set's memo), or None.

    None when the rules cannot share a pattern: flags of their own, back references.
    """
    if _ANY_LABEL not in rs.memo:
        flags = {r.regex.flags for r in rs.rules}
        union = None
        if len(flags) == 1 and not any(_BACKREF.search(r.regex.pattern) for r in rs.rules):
            # newlines keep a verbose pattern's trailing comment from swallowing the next one
            union = recache.compile(
                "|".join(f"(?:\n{r.regex.pattern}\n)" for r in rs.rules), flags.pop()
            )
        rs.memo[_ANY_LABEL] = union
    return rs.memo[_ANY_LABEL]


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


_SPACES = recache.lazy(r"\s+")


def _path_label(rule, m) -> str:
    fmt = rule.get("path", "{num}")
    fields = _fields(fmt, tuple(m.re.groupindex))
    if fields is None:  # the format names something other than groups: as it always was
        parts = {k: _SPACES.sub("", v or "") for k, v in m.groupdict().items()}
        return fmt.format(**parts)
    # only the groups the format names; an alphanumeric value (一, 12, 章) holds no space
    return fmt.format(**{k: (v if v.isalnum() else _SPACES.sub("", v)) if (v := m.group(k)) else "" for k in fields})


@functools.lru_cache(maxsize=256)
def _fields(fmt: str, groups: tuple) -> tuple | None:
    """The plain fields ``fmt`` names (``{num}``), when all are group names, else None."""
    names = tuple(f for _, f, spec, conv in string.Formatter().parse(fmt) if f is not None)
    plain = all(n.isidentifier() for n in names)
    return names if plain and set(names) <= set(groups) else None


def path_label(rule, m) -> str:
    """The normalized path label of a matched label (FORMAT.md).

    >>> rs = rules.load("numbering")
    >>> path_label(*label_at("第 12 条 预付金。", rs))
    '第12条'
    """
    return _path_label(rule, m)


from .tree import build_tree  # noqa: E402  (the tree builder lives beside the label rules)
