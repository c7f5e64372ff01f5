"""Web-print furniture in text copies: footers and tool bars (rules/furniture.toml).

    >>> extract("赣ICP备05004294号-1")
    [{'kind': 'line', 'text': '赣ICP备05004294号-1'}]
"""

from __future__ import annotations

from pathlib import Path

from . import rules


def extract(text: str, ctx=None) -> list[dict]:
    """What furniture ``text`` (one line) holds: the whole line, or a tool-bar prefix."""
    rs = rules.load("furniture", getattr(ctx, "rules_dir", None))
    if rs.rule("footer-line").regex.match(text):
        return [{"kind": "line", "text": text}]
    m = rs.rule("toolbar-prefix").regex.match(text)
    if m and m.end() < len(text):
        return [{"kind": "prefix", "text": text[: m.end()]}]
    return []


def matchers(rules_dir: Path | None = None):
    """The compiled (whole-line, prefix) patterns."""
    rs = rules.load("furniture", rules_dir)
    return rs.rule("footer-line").regex, rs.rule("toolbar-prefix").regex
