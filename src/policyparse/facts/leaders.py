"""Leaders in charge of an item: the people of a 分管领导 cell (rules/leaders.toml lists).

    >>> from_cell("卢俊福、杜永山")
    ['卢俊福', '杜永山']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .. import recache, rules

__all__ = ["extract", "from_cell"]

_SEP = recache.lazy(r"[、，,；;/／]+")
_WS = recache.lazy(r"\s+")  # a gap or a line break: between names, or inside one (王 军)
_BRACKETS = recache.lazy(r"（[^（）]*）|\([^()]*\)")
# a field label in front of the names (分管领导：孙立)
_LABEL = recache.lazy(r"^\s*[^：:\n]{0,6}(?:领导|负责人|责任人)\s*[：:]")
_NAME = recache.lazy(r"\p{Han}{2,4}|\p{Han}{1,6}·\p{Han}{1,8}")
# 分管领导：王耀玺、杜永山 in prose (the pipeline reads leaders from table cells only)
_PROSE = recache.lazy(r"(?:分管|责任|牵头|包联)(?:局|委)?领导\s*[：:]\s*(?P<names>[^。；;\n）)]+)")


def extract(text: str, ctx=None) -> list[str]:
    """Leaders an item's prose names: after 分管领导：…, or the leader its text opens with (a 领导分工).

    >>> extract("分管领导：王耀玺；牵头科室：办公室")
    ['王耀玺']
    >>> extract("党工委委员、管委会副主任周青松：负责指导、协调、督促宣传、教育等领域的安全生产工作。")
    ['周青松']
    """
    if "领导" not in text and "：" not in text[:40] and ":" not in text[:40]:
        return []  # most items name no leader: neither pattern can match
    out: list[str] = []
    w = _words(getattr(ctx, "rules_dir", None))
    m = _assigned(w).match(text)
    if m and _is_name(m.group("name"), w):
        out.append(m.group("name"))
    for m in _PROSE.finditer(text):
        out += [n for n in from_cell(m.group("names"), ctx) if n not in out]
    return out


@functools.lru_cache(maxsize=8)
def _assigned(w: "_Words"):
    """An item that opens with a leader's titles and name and a colon: 管委会副主任周青松（挂职）：负责….

    The titles come first (a leader's posts, separated by 、), the name last;
    nothing of a clause (，。；) stands before the colon.
    """
    titles = "|".join(map(regex.escape, w.titles))  # longest first
    return recache.compile(
        rf"^[^：:，,。；;\n]{{0,30}}?(?:{titles})(?P<name>\p{{Han}}{{2,3}})(?:同志)?(?:[（(][^（）()]{{1,6}}[）)])?\s*[：:]"
    )


def from_cell(text: str, ctx=None) -> list[str]:
    """The people named in one 分管领导 cell, in order, without titles.

    >>> from_cell("王 军（副局长）、杜永山")
    ['王军', '杜永山']
    """
    w = _words(getattr(ctx, "rules_dir", None))
    out: list[str] = []
    for piece in _SEP.split(_BRACKETS.sub("", _LABEL.sub("", text))):
        for name in _split_spaces(piece.strip(), w.surnames):
            name = _strip_title(name, w.titles)
            if _is_name(name, w) and name not in out:
                out.append(name)
    return out


def _is_name(name: str, w: "_Words") -> bool:
    """A person's name: 2–4 Han characters (or a name with ·) that no title or organization word explains."""
    return (
        bool(_NAME.fullmatch(name))
        and name not in w.not_names
        and not name.endswith(w.titles)
        and not name.startswith(w.not_start)
        and not name.endswith(w.not_end)
    )


def _split_spaces(piece: str, surnames: tuple = ()) -> list[str]:
    """王 军 and 欧阳 明辉 are one name printed with a gap; 卢俊福 杜永山 are two."""
    tokens = [t for t in _WS.split(piece) if t]
    if len(tokens) <= 1:
        return tokens
    if len(tokens) == 2 and tokens[0] in surnames and len(tokens[1]) <= 2:
        return ["".join(tokens)]
    if all(len(t) >= 2 for t in tokens):
        return tokens
    return ["".join(tokens)] if len("".join(tokens)) <= 4 else tokens


def _strip_title(name: str, titles: tuple) -> str:
    """杜永山副局长, 副局长杜永山 → 杜永山 (a name keeps at least two characters)."""
    if name in titles:
        return name
    for t in titles:
        if name.endswith(t) and len(name) - len(t) >= 2:
            return name[: -len(t)]
    for t in titles:
        if name.startswith(t) and 2 <= len(name) - len(t) <= 4:
            return name[len(t) :]
    return name


@dataclass(frozen=True)
class _Words:
    """The word lists of rules/leaders.toml."""

    titles: tuple  # longest first
    not_names: frozenset
    not_start: tuple
    not_end: tuple
    surnames: tuple


@functools.cache
def _words(rules_dir) -> _Words:
    rs = rules.load("leaders", None if rules_dir is None else str(rules_dir))
    return _Words(
        titles=tuple(sorted(rs.words("titles"), key=len, reverse=True)),
        not_names=frozenset(rs.words("not_names")),
        not_start=tuple(rs.words("not_name_start")),
        not_end=tuple(rs.words("not_name_end")),
        surnames=tuple(rs.words("compound_surnames")),
    )
