"""Placeholder: leaders extraction (being written)."""

from __future__ import annotations


def extract(text: str, ctx=None) -> list:
    """Return the leaders found in ``text`` (spans relative to it)."""
    return []


def from_cell(text: str, ctx=None) -> list[str]:
    """Return the people named in one 分管领导 cell."""
    return []
