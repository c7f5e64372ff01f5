"""Placeholder: units extraction (being written)."""

from __future__ import annotations


def extract(text: str, ctx=None) -> list:
    """Return the units found in ``text`` (spans relative to it)."""
    return []


def from_cell(text: str, role: str, ctx=None) -> list:
    """Return the units named in one table cell whose column gives ``role``."""
    return []
