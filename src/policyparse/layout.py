"""Placeholder: rebuild tables that PDF export flattened into text (being written)."""

from __future__ import annotations


def rebuild_tables(lines: list) -> list:
    """Return ``lines`` with flattened task tables rebuilt as TSV rows."""
    return lines
