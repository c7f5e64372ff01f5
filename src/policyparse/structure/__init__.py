"""Structure: the normalized text → a tree of numbered items (with table cells).

    >>> Node(path=["一"], label="一、", level=1, start=0, end=5).id
    '一'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

_NO_CELLS = MappingProxyType({})  # shared by every item that is not a table row (read-only)


@dataclass(slots=True)
class Node:
    """One numbered item, located by offsets into the normalized text.

    Slots and a shared empty ``cells``: a long notice has hundreds of thousands.
    """

    path: list[str]
    label: str  # as printed
    level: int
    start: int  # where the label starts
    end: int  # where the item's own text ends (first child, next item, or end)
    text_start: int | None = None  # where the text after the label starts
    heading: str | None = None
    cells: dict = field(default_factory=lambda: _NO_CELLS)  # table rows get their own: role -> (start, end)
    rank: int | None = None  # regulation levels: 编 1 > 章 2 > 节 3 > 条 4 > 款 5

    @property
    def id(self) -> str:
        return ".".join(self.path)

    @property
    def parent_id(self) -> str | None:
        return ".".join(self.path[:-1]) or None


@dataclass
class Structure:
    """The tree (in document order), the preamble ranges, and warnings."""

    nodes: list[Node] = field(default_factory=list)
    preamble: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[tuple[str, str, int]] = field(default_factory=list)  # (code, message, norm offset)
