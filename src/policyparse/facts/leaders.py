"""Leaders in charge of an item: the people of a 分管领导 cell (rules/leaders.toml lists).

    >>> from_cell("卢俊福、杜永山")
    ['卢俊福', '杜永山']
"""

from __future__ import annotations

import functools

import regex

from .. import rules

__all__ = ["extract", "from_cell"]

_SEP = regex.compile(r"[、，,；;/／]+")
_WS = regex.compile(r"\s+")  # a gap or a line break: between names, or inside one (王 军)
_BRACKETS = regex.compile(r"（[^（）]*）|\([^()]*\)")
_NAME = regex.compile(r"\p{Han}{2,4}|\p{Han}{1,6}·\p{Han}{1,8}")
# 分管领导：王耀玺、杜永山 in prose (the pipeline reads leaders from table cells only)
_PROSE = regex.compile(r"(?:分管|责任|牵头|包联)(?:局|委)?领导\s*[：:]\s*(?P<names>[^。；;\n）)]+)")


def extract(text: str, ctx=None) -> list[str]:
    """Leaders named in prose after 分管领导：… (not used by the pipeline for prose).

    >>> extract("分管领导：王耀玺；牵头科室：办公室")
    ['王耀玺']
    """
    out: list[str] = []
    for m in _PROSE.finditer(text):
        out += [n for n in from_cell(m.group("names"), ctx) if n not in out]
    return out


def from_cell(text: str, ctx=None) -> list[str]:
    """The people named in one 分管领导 cell, in order, without titles.

    >>> from_cell("王 军（副局长）、杜永山")
    ['王军', '杜永山']
    """
    titles, not_names = _words(getattr(ctx, "rules_dir", None))
    out: list[str] = []
    for piece in _SEP.split(_BRACKETS.sub("", text)):
        for name in _split_spaces(piece.strip()):
            name = _strip_title(name, titles)
            if _NAME.fullmatch(name) and name not in not_names and not name.endswith(titles) and name not in out:
                out.append(name)
    return out


def _split_spaces(piece: str) -> list[str]:
    """王 军 is one name printed with a gap; 卢俊福 杜永山 are two."""
    tokens = [t for t in _WS.split(piece) if t]
    if len(tokens) <= 1:
        return tokens
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


@functools.cache
def _words(rules_dir) -> tuple[tuple, frozenset]:
    rs = rules.load("leaders", None if rules_dir is None else str(rules_dir))
    titles = tuple(sorted(rs.words("titles"), key=len, reverse=True))
    return titles, frozenset(rs.words("not_names"))
