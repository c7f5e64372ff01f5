"""Targets from the value cells of indicator tables (指标 | 2022年目标值 | 2030年目标值).

    >>> [(t.value, t.unit, t.comparator) for t in from_cell("居民健康素养水平（%）", "≥22", "2022-12-31")]
    [(22.0, '%', '>=')]
"""

from __future__ import annotations


from .. import recache, rules
from ..models import Span, Target

_UNIT_IN_NAME = recache.lazy(r"[（(](?P<unit>[^（()）]{1,8})[)）]\s*$")


def extract(text: str, ctx=None) -> list[Target]:
    """The target a lone value cell states (no indicator name, no due date)."""
    return from_cell("", text, None, getattr(ctx, "rules_dir", None))


def from_cell(indicator: str, cell: str, due: str | None, rules_dir=None, column_unit: str | None = None) -> list[Target]:
    """The target in one value cell of the row whose 指标 cell is ``indicator`` (``column_unit``: the row's 单位 cell).

    >>> [(t.value, t.unit) for t in from_cell("每千人口执业医师数", "3.5", "2030-12-31", column_unit="人")]
    [(3.5, '人')]
    """
    rs = rules.load("indicator_cells", rules_dir)
    m = rs.rule("cell-value").regex.match(cell)
    if not m or not cell.strip():
        return []
    name_unit = _UNIT_IN_NAME.search(indicator)
    # the cell's own unit, else the row's 单位 cell, else the one in the indicator's name
    unit = m.group("unit") or (column_unit or "").strip() or (name_unit.group("unit") if name_unit else None)
    if m.group("value_max"):
        comparator = "range"
    elif m.group("before") in rs.words("ge") or m.group("after") in rs.words("ge_after"):
        comparator = ">="
    elif m.group("before") in rs.words("le") or m.group("after") in rs.words("le_after"):
        comparator = "<="
    else:
        comparator = "=="
    a = len(cell) - len(cell.lstrip())
    b = len(cell.rstrip())
    name = _UNIT_IN_NAME.sub("", indicator).strip() or None
    return [
        Target(
            text=cell[a:b],
            indicator=name,
            value=float(m.group("value")),
            value_max=float(m.group("value_max")) if m.group("value_max") else None,
            unit=unit,
            comparator=comparator,
            deadline=due,
            span=Span(start=a, end=b),
        )
    ]
