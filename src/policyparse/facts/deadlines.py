"""Placeholder: deadlines extraction (being written)."""

from __future__ import annotations


def extract(text: str, ctx=None) -> list:
    """Return the deadlines found in ``text`` (spans relative to it)."""
    return []
