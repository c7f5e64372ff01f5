"""Table columns: header names → the role each cell plays (rules/columns.toml).

    >>> roles_of(["序号", "工作内容", "牵头单位", "完成时限"])
    ['label', 'text', 'lead', 'deadline']
    >>> roles_of(["序号", "指标", "基期水平", "2022年目标值", "2030年目标值"])
    ['label', 'text', None, 'target:2022', 'target:2030']
    >>> roles_of(["领域", "指标", "2015年", "2020年", "2030年"])
    ['text', 'text', 'year:2015', 'year:2020', 'year:2030']
"""

from __future__ import annotations

import functools
from pathlib import Path


from .. import recache, rules


_SPACES = recache.lazy(r"\s+")
_ALTERNATIVES = recache.lazy(r"[/／]")


def role_of(name: str, rules_dir: Path | None = None) -> str | None:
    """The role of one header cell, or None; target columns carry their year (target:2030)."""
    return _role_of(_SPACES.sub("", name), None if rules_dir is None else str(rules_dir))


@functools.lru_cache(maxsize=4096)
def _role_of(name: str, rules_dir: str | None) -> str | None:
    # memoized: every line of a document is tried as a table header, and header
    # words repeat on every page
    cols = rules.load("columns", rules_dir)
    for role, names in cols.lists.items():
        if name in names:
            return role
    if "/" in name or "／" in name:
        return _first_alternative(name, rules_dir)
    m = cols.compile("{target_column}").match(name) if "target_column" in cols.parts else None
    if m:
        return f"target:{m.group('year')}" if m.group("year") else "target"
    if "text_column" in cols.parts and cols.compile("{text_column}").match(name):
        return "text"
    m = cols.compile("{year_column}").match(name) if "year_column" in cols.parts else None
    if m:
        return f"year:{m.group('year')}"  # a target or the base year: the document's year tells
    return None


def _first_alternative(name: str, rules_dir: str | None) -> str | None:
    """配合/责任单位 (either): the role of its first name, the shared ending restored (配合单位).

        >>> _first_alternative("配合/责任单位", None), _first_alternative("牵头／责任单位", None)
        ('support', 'lead')
    """
    parts = [p for p in _ALTERNATIVES.split(name) if p]
    if len(parts) < 2:
        return None
    last = parts[-1]
    for k in range(len(last) - 1, 0, -1):  # the longest ending that makes the first a known name
        role = _role_of(parts[0] + last[-k:], rules_dir)
        if role is not None and _role_of(parts[-1], rules_dir) is not None:
            return role
    return _role_of(parts[0], rules_dir)


def roles_of(cells: list[str], rules_dir: Path | None = None) -> list[str | None] | None:
    """Roles of a header row, or None when fewer than two cells are known column names.

    Columns headed by a year alone (``year:2020``) count only beside a known column
    of another kind (a data row may hold two years); which of them are targets and
    which the base year is decided with the document's year (``pipeline``).  In a
    table of values, a column headed 单位 is the values' unit, not an organization.

        >>> roles_of(["序号", "指标", "单位", "2025年", "2030年"])
        ['label', 'text', 'unit', 'year:2025', 'year:2030']
        >>> roles_of(["1", "2023年", "2024年"]) is None
        True
    """
    roles = [role_of(c, rules_dir) for c in cells]
    if not any(r is not None and not r.startswith("year:") for r in roles):
        return None
    if any(r and r.startswith(("year:", "target")) for r in roles):
        measure = set(rules.load("columns", None if rules_dir is None else str(rules_dir)).lists.get("unit", ()))
        roles = ["unit" if r == "responsible" and _SPACES.sub("", c) in measure else r for c, r in zip(cells, roles)]
    return roles if sum(r is not None for r in roles) >= 2 else None


_UNIT_ROLES = ("lead", "support", "responsible", "leaders")


def align(cells: list[str], roles: list) -> list:
    """The roles of a row that has fewer cells than its header.

    Cells go missing where the table merged them (a group's first column, spanning
    its rows) or left them empty at the end: the roles taken from the right, unless
    those from the left fit the cells better (a task's sentence is no unit's name).

        >>> align(["2.公开项目信息。", "", "区直各单位"], ["text", "text", "lead", "support"])
        ['text', 'lead', 'support']
        >>> align(["1.公开项目信息。", "区财政局"], ["text", "lead", "support"])
        ['text', 'lead']
    """
    k = len(roles) - len(cells)
    if k <= 0:
        return roles
    left, right = roles[: len(cells)], roles[k:]
    return left if _fit(cells, left) > _fit(cells, right) else right


def _fit(cells: list[str], roles: list) -> int:
    score = 0
    for cell, role in zip(cells, roles):
        c = cell.strip()
        if not c or role is None:
            continue
        sentence = c.endswith(("。", "；", ";")) or len(c) > 60
        if role.startswith("text"):
            score += 1 if len(c) >= 6 else 0
        elif role in _UNIT_ROLES:
            score += -1 if sentence else 1
    return score
