"""Deadlines: explicit time limits, dated in ISO (FORMAT.md ``deadlines``).

The patterns are data (``rules/deadlines.toml``); this module reads their named
groups into a date and a kind (``by`` / ``from`` / ``within``), checks the
context a bare year needs, and keeps the earliest, longest match where patterns
overlap.  Relative dates (年内, 一季度, 6月底前) resolve against ``ctx.year``,
the document's own year; without it their date is None.

    >>> [(d.text, d.date, d.kind) for d in extract("到2025年，比例达到40%以上；30个工作日内办结")]
    [('到2025年', '2025-12-31', 'by'), ('30个工作日内', None, 'within')]
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass

from .. import rules
from ..models import Deadline, Span
from . import FactContext, leftmost_longest, prefilter

__all__ = ["extract", "due_date", "years_named"]

_HAN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" "9")
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_FROM_POST = ("起", "开始", "始")
_FROM_PRE = ("自", "从")


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    order: int
    facts: tuple  # Deadline facts; empty for a skipped span


def extract(text: str, ctx: FactContext | None = None) -> list[Deadline]:
    """Every deadline in ``text``, in order; spans are offsets into ``text``.

    >>> [d.date for d in extract("年内争取创建1个示范点", FactContext(year=2023))]
    ['2023-12-31']
    """
    ctx = ctx or FactContext()
    rs = rules.load("deadlines", ctx.rules_dir)
    live = [(order, rs.rules[order]) for order in prefilter.of_rules(rs).live(text)]
    if not live:
        return []  # no rule can match (most measures): no scan at all
    masked = None  # titles and document numbers: found on the first match (most live texts have none)
    hits = []
    for order, rule in live:
        for m in rule.regex.finditer(text):
            if m.end() == m.start():
                continue
            if masked is None:
                masked = [k.span() for k in _mask(rs).finditer(text)]
            if any(a < m.end() and m.start() < b for a, b in masked):
                continue
            facts = _read(m, rule, text, ctx, rs)
            if facts is not None:
                hits.append(_Hit(m.start(), m.end(), order, tuple(facts)))
    out: list[Deadline] = [f for h in leftmost_longest(hits) for f in h.facts]
    return sorted(out, key=lambda d: d.span.start)


def years_named(d: Deadline) -> list[int]:
    """The years a deadline's text names, in order: ``2024年和2025年两个年度`` → [2024, 2025].

    >>> years_named(Deadline(text="到2025年底前", date="2025-12-31", span=Span(start=0, end=8)))
    [2025]
    """
    return [_year(m.group()) for m in _year_rx().finditer(d.text)]


@functools.cache
def _year_rx():
    """The shipped rules' year pattern (links ask for it once per target)."""
    return rules.load("deadlines").compile("{year}")


def due_date(d: Deadline) -> str | None:
    """The date a thing tied to ``d`` is due: its date, or the last year named, for a pair.

    >>> due_date(Deadline(text="2024年和2025年两个年度", date="2024-12-31", span=Span(start=0, end=16)))
    '2025-12-31'
    """
    if d.kind != "by" or d.date is None:
        return None
    years = years_named(d)
    if len(years) > 1 and max(years) > int(d.date[:4]):
        return f"{max(years)}-12-31"
    return d.date


# ---- reading one match ----------------------------------------------------------


def _mask(rs):
    """Where nothing is a deadline: titles 《…》, document numbers 〔2023〕."""
    return rs.compile("{mask}") if "mask" in rs.parts else rs.compile("(?!)")


def _read(m, rule, text: str, ctx: FactContext, rs) -> list[Deadline] | None:
    """The facts one match stands for ([] for a skipped span), or None to drop it."""
    kind = rule.get("kind", "by")
    if kind == "skip":
        return []
    g = m.groupdict()
    if kind == "within":
        return [_fact(text, m.start(), m.end(), None, "within")]
    if rule.get("bare") and not _bare_ok(m, text, ctx, rs):
        return None
    if rule.get("needs_marker") and not (_marked(g) or _led(m, g, text, ctx, rs)):
        return None
    pre = g.get("pre") or ""
    year = _base_year(g, ctx)
    if rule.get("future_only") and year is not None and ctx.year is not None and year < ctx.year:
        return None
    if not rule.get("past_ok") and _past_state(g, year, ctx, rs):
        return None  # 2019年底，全区建成示范点3个 (in a 2021 notice): what was, not a limit
    if pre in rs.words("status_pre") and (year is None or ctx.year is None or year < ctx.year or _reported(m, text)):
        return None  # 截至2018年底 / 截至2023年6月底，已建成…: a state reached, not a limit
    if pre in _FROM_PRE or (g.get("post") or "") in _FROM_POST:
        kind = "from"
    pair = rule.get("pair")
    if pair == "split" and g.get("y2"):
        y1, y2 = _year(g["y"]), _year(g["y2"])
        first = _fact(text, m.start(), m.end("end") if g.get("end") else m.end("y") + 1, _iso(y1, 12, 31), kind)
        second = _fact(text, m.start("y2"), m.end(), _iso(y2, 12, 31), kind)
        return [first, second]
    date = _date(g, year, kind) if year is not None and not rule.get("undated") else None
    return [_fact(text, m.start(), m.end(), date, kind)]


def _past_state(g: dict, year: int | None, ctx: FactContext, rs) -> bool:
    """A year before the notice's own, with no 到/至/自 before it and no 前/起 after it."""
    if not g.get("y") or year is None or ctx.year is None or year >= ctx.year:
        return False
    return not g.get("pre") and (g.get("post") or "") not in rs.words("post")


def _reported(m, text: str) -> bool:
    """Whether the sentence after a 截至 date reports what is done (已建成 / 已达到)."""
    rest = text[m.end() : m.end() + 30]
    for stop in "。；;！？!?\n":
        rest = rest.split(stop, 1)[0]
    return "已" in rest


def _fact(text: str, a: int, b: int, date: str | None, kind: str) -> Deadline:
    return Deadline(text=text[a:b], date=date, kind=kind, span=Span(start=a, end=b))


def _marked(g: dict) -> bool:
    """Whether a dated match carries a word that makes it a limit."""
    if g.get("pre") or g.get("post") or g.get("end") or g.get("q") or g.get("half"):
        return True
    return bool(g.get("part")) and g.get("part") != "份"


def _led(m, g: dict, text: str, ctx: FactContext, rs) -> bool:
    """A year and month without a limit word, led by 于/计划 or followed by 完成:
    计划于2024年3月完成 (but not 2019年7月9日, a date, nor a month in the past);
    a month alone where a verb of completion follows: （6月份取得明显成效，牵头单位：…）."""
    if g.get("m") and not g.get("y") and not g.get("d") and not g.get("rel"):
        reported = "已" in text[max(0, m.start() - 2) : m.start()]  # 已于3月完成: a report
        return not reported and text.startswith(rs.words("month_done"), m.end())
    if not (g.get("y") and g.get("m")) or g.get("d"):
        return False
    if ctx.year is not None and _year(g["y"]) < ctx.year:
        return False
    lead = text.endswith(rs.words("lead"), 0, m.start())
    return lead or text.startswith(rs.words("commit"), m.end())


def _bare_ok(m, text: str, ctx: FactContext, rs) -> bool:
    """A bare year: not in the past, and its sentence commits before it names a document."""
    year = _year(m.group("y"))
    if ctx.year is not None and year < ctx.year:
        return False
    if text[max(0, m.start() - 2) : m.start()] in ("截至", "截止"):
        return False
    rest = text[m.end() : m.end() + 120]
    for stop in "。；;！？!?\n":
        i = rest.find(stop)
        if i >= 0:
            rest = rest[:i]
    commit, names = rs.words("commit"), rs.words("names")
    i = 0
    while i < len(rest):
        if rest[i] == "《":  # a title the sentence acts on (发布《…规划》) names no event of its own
            close = rest.find("》", i)
            i = close + 1 if close > 0 else len(rest)
            continue
        if rest.startswith(names, i):
            return False
        if rest.startswith(commit, i):
            return True
        i += 1
    return False


# ---- dates ----------------------------------------------------------------------


def _year(s: str) -> int:
    s = s.strip()
    return int(s) if s.isdigit() and s.isascii() else int(s.translate(_HAN_DIGITS))


def _num(s: str) -> int:
    """An isolated month or day numeral (12, 十二, 三十一)."""
    s = s.strip()
    if s.isascii() and s.isdigit():
        return int(s)
    try:
        from .numbers import parse_number
    except ImportError:  # numbers.py not present: read it with cn2an directly
        import cn2an

        return int(cn2an.cn2an(s, "smart"))
    value = parse_number(s)
    if value is None:
        raise ValueError(s)
    return int(value)


def _base_year(g: dict, ctx: FactContext) -> int | None:
    if g.get("fyp"):  # the n-th five-year plan ends in 1970 + 5 (n - 3): 十四五 → 2025
        return 1970 + 5 * (_num(g["fyp"]) - 3)
    if g.get("y") or g.get("y0"):
        return _year(g.get("y") or g["y0"])
    if ctx.year is None:
        return None
    return ctx.year + 1 if g.get("rel") in ("明年", "次年", "翌年") else ctx.year


def _date(g: dict, year: int, kind: str) -> str | None:
    """The ISO date: the end of the named period for ``by``, its start for ``from``."""
    start = kind == "from" and not (g.get("end") or g.get("part") in ("底", "末"))
    if g.get("m"):
        month = _num(g["m"])
        if not 1 <= month <= 12:
            return None
        last = calendar.monthrange(year, month)[1]
        if g.get("d"):
            day = _num(g["d"])
            return _iso(year, month, day) if 1 <= day <= last else None
        if start:
            return _iso(year, month, 1)
        day = {"上旬": 10, "中旬": 20}.get(g.get("part") or "", last)
        return _iso(year, month, day)
    if g.get("q"):
        q = _QUARTER[g["q"]]
        if start:
            return _iso(year, 3 * q - 2, 1)
        return _iso(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
    if g.get("half"):
        first = g["half"] == "上"
        if start:
            return _iso(year, 1 if first else 7, 1)
        return _iso(year, 6, 30) if first else _iso(year, 12, 31)
    return _iso(year, 1, 1) if start else _iso(year, 12, 31)


def _iso(y: int, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"
