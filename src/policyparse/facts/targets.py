"""Placeholder: targets extraction (being written)."""

from __future__ import annotations


def extract(text: str, ctx=None) -> list:
    """Return the targets found in ``text`` (spans relative to it)."""
    return []
