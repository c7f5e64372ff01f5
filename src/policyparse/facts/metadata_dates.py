"""The 成文日期 line: a line that ends in a date, with the text before it and a 附注 after it.

    >>> date_line("国务院2013年7月4日（此件有删减）")
    ('国务院', '2013-07-04', '（此件有删减）')
"""

from __future__ import annotations

from pathlib import Path

from .. import recache
from .metadata_text import gate, is_organ, iso_date, rx

_NOTE = recache.lazy(r"[（(]此件[^（）()\n]{1,12}[）)]")


def date_line(s: str, rules_dir: Path | None = None) -> tuple[str, str | None, str] | None:
    """A line that ends in a date: (text before it, ISO date, note after it).

    Only a 附注 such as （此件公开发布） may follow the date.  A date without its
    day ('2024年1月') still ends the line, with ``None`` for the ISO date.

    >>> date_line("国务院2013年7月4日（此件有删减）")
    ('国务院', '2013-07-04', '（此件有删减）')
    >>> date_line("费县卫生健康局 2024年1月")
    ('费县卫生健康局', None, '')
    >>> date_line("2023年5月3日前报送") is None
    True
    """
    s = s.strip()
    ms = list(rx("date", rules_dir).finditer(s)) if gate("date", rules_dir)(s) else []
    if not ms:
        m = rx("month-date", rules_dir).search(s) if gate("month-date", rules_dir)(s) else None
        return (s[: m.start()].strip(), None, "") if m and _month_alone(s, m.start(), rules_dir) else None
    m = ms[-1]
    tail = s[m.end() :].strip()
    if tail and not _NOTE.fullmatch(tail):
        return None
    iso = iso_date(m.group(0), rules_dir)
    return (s[: m.start()].strip(), iso, tail) if iso else None


def _month_alone(s: str, start: int, rules_dir: Path | None) -> bool:
    """A month date stands alone or after an organ's name, not inside a sentence ('计划于2024年1月')."""
    before = s[:start]
    return not before.strip() or before[-1:].isspace() or is_organ(before, rules_dir)
