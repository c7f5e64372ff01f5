"""Frequencies: recurring obligations, as a period and a count (FORMAT.md ``frequencies``).

The anchors are data (``rules/frequencies.toml``).  A ``每年``/``每季度`` anchor
counts only when its clause gives a count (``至少召开1次``), an administrative
verb (``开展综合考核评价`` → once), ``一督查``, or nothing at all (a table cell
that just says ``每季度``); a rate (``每年较上年提升``), an amount (``每年给予1万元``)
or a per-head figure (``每人每月``, ``每千人``) is not a frequency.

    >>> [(f.period, f.times, f.comparator) for f in extract("每年至少召开1次会议，一季度一督查一通报")]
    [('year', 1.0, '>='), ('quarter', 1.0, '==')]
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import rules
from ..models import Frequency, Span
from . import FactContext, leftmost_longest, prefilter

__all__ = ["extract", "PERIODS"]

PERIODS = {
    "年": "year", "年度": "year", "半年": "half_year", "季度": "quarter", "季": "quarter",
    "月": "month", "月度": "month", "周": "week", "星期": "week", "天": "day", "日": "day",
}  # fmt: skip
_CLAUSE_END = "，,。；;！？!?\n"
_WINDOW = 30  # how far past the anchor its count or verb may stand


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    order: int
    fact: Frequency


def extract(text: str, ctx: FactContext | None = None) -> list[Frequency]:
    """Every frequency in ``text``, in order; spans are offsets into ``text``.

    >>> [(f.text, f.period) for f in extract("原则上每季度开展一次")]
    [('每季度开展一次', 'quarter')]
    """
    ctx = ctx or FactContext()
    rs = rules.load("frequencies", ctx.rules_dir)
    live = prefilter.of_rules(rs).live(text)  # the rules whose words the text holds
    if not live:
        return []  # most measures: no scan, nothing to sort
    hits = []
    for order in live:
        rule = rs.rules[order]
        for m in rule.regex.finditer(text):
            fact = _scan(m, rule, text, rs) if rule.get("scan") else _direct(m, rule, text, rs)
            if fact is not None:
                hits.append(_Hit(fact.span.start, fact.span.end, order, fact))
    out = [h.fact for h in leftmost_longest(hits)]
    return sorted(out, key=lambda f: f.span.start)


def _direct(m, rule, text: str, rs) -> Frequency | None:
    """A pattern that says everything itself: 一季度一督查, 一年两次, 按月结算."""
    g = m.groupdict()
    times = float(rule.get("times", 0)) or _num(g.get("n") or "1")
    every = _num(g["every"]) if g.get("every") else 1.0
    if not times or not every:
        return None
    period, every = _fold(PERIODS[g["p"]], every)
    cmp = _comparator(g.get("cmp") or "", rs)
    return _fact(text, m.start(), m.end(), period, times / every, cmp)


def _scan(m, rule, text: str, rs) -> Frequency | None:
    """每 + period: read the rest of its clause for a count, a verb, or nothing."""
    g = m.groupdict()
    period = PERIODS[g["p"]]
    every = _num(g["every"]) if g.get("every") else 1.0
    if not every:
        return None
    period, every = _fold(period, every)
    a = m.end()
    window = _clause_after(text, a)
    count = rs.compile(
        r"(?<![第\d〇零○一二三四五六七八九十两])(?:(?P<n0>{count})\s*[-—–~～至到]\s*)?"
        r"(?P<n>{count})\s*(?P<unit>{times_unit}|{day_unit})(?!性)(?P<cmp2>{ge}|{le})?"
    ).search(window)
    days = count is not None and not rs.compile("{times_unit}").fullmatch(count.group("unit"))
    if days and "时间" in text[max(0, m.start() - 4) : m.start()] + window[: count.start()]:
        return None  # 学习时间每年不少于8天, 每年办公时间不少于183天: a length of time, not occasions
    if days and period == "day":
        count = None  # 每天…1天 counts no occasions
    if count is not None:
        n = _num(count.group("n0") or count.group("n"))  # 1-2次: at least once
        if n is None:
            return None
        lead = text[max(0, m.start() - 3) : m.start()]  # 至少每年检测1次
        cmp = ">=" if count.group("n0") else _comparator(lead + window[: count.end()], rs)
        return _fact(text, m.start(), a + count.end(), period, n * _each(window[: count.start()], rs) / every, cmp)
    if rule.get("needs_count"):
        return None
    verb = rs.compile("{verbs}").search(window)
    stop = verb.start() if verb else len(window)
    if rs.compile("{rate}").search(window[:stop]) or rs.compile("{amount}|{change}").search(window):
        return None  # 每年较上年提升…, 每年给予1万元, 每天进行运动至少半小时: a rate, an amount, a dose
    once = rs.compile(r"^一(?![个样批些切直定般同道并体致线起日号])\p{Han}").search(window)
    if once is not None:  # 每日一报, 每月一调度
        return _fact(text, m.start(), a + once.end(), period, 1 / every, "==")
    if verb is not None:
        if text[m.start() - 1 : m.start()] == "、" and _modifier(window[verb.end() :], rs):
            return None  # 具有一定规模、每年缴纳一定税额的民营科技企业: describes whom, obliges no one
        return _fact(text, m.start(), a + verb.end(), period, 1 / every, _comparator(window[:stop], rs))
    if _alone(text, m.start(), window, rs):  # a 完成时限 cell: "每季度", "每月10日前"
        return _fact(text, m.start(), m.end(), period, 1 / every, "==")
    return None


def _modifier(rest: str, rs) -> bool:
    """Does the verb's object end in 的 with no count of its own (one of a list of 的-modifiers
    naming whom, where the anchor follows 、)?

    >>> rs = rules.load("frequencies", None)
    >>> _modifier("一定税额的民营科技企业设立集体户口", rs), _modifier("20家网络改造应用良好的企业", rs)
    (True, False)
    """
    de = rest.find("的")
    return de >= 0 and rs.compile("{object_count}").search(rest, 0, de) is None


def _each(s: str, rs) -> int:
    """How many times of day a count is given for each of: 上下午各1次 → 2."""
    if rs.compile("(?:{thrice_each})各").search(s):
        return 3
    return 2 if rs.compile("(?:{twice_each})各").search(s) else 1


# "every 6 months" is a half-year: fold multiples into the larger period
_FOLD = {("month", 3): "quarter", ("month", 6): "half_year", ("month", 12): "year",
         ("quarter", 2): "half_year", ("quarter", 4): "year", ("half_year", 2): "year"}  # fmt: skip


def _fold(period: str, every: float) -> tuple[str, float]:
    """``每6个月`` → (half_year, 1); ``每两年`` stays (year, 2)."""
    bigger = _FOLD.get((period, int(every))) if every == int(every) else None
    return (bigger, 1.0) if bigger else (period, every)


def _clause_after(text: str, a: int) -> str:
    """The rest of the clause after offset ``a``, up to the window, before the next 每."""
    end = min(len(text), a + _WINDOW)
    for i in range(a, end):
        if text[i] == "\n" and i > a and text[i - 1] not in _CLAUSE_END and "\t" not in text[a:i]:
            continue  # a wrapped line: 每年至少召开⏎1次
        if text[i] in _CLAUSE_END or text[i] == "每":
            return text[a:i]
    return text[a:end]


def _alone(text: str, start: int, window: str, rs) -> bool:
    """Whether the anchor is all its clause says (apart from a day in the period)."""
    before = text[:start]
    cut = max(before.rfind(c) for c in _CLAUSE_END)
    if before[cut + 1 :].strip():
        return False
    return rs.compile(r"^[\s\d〇一二三四五六七八九十月日号底末前以内]*$").match(window) is not None


def _comparator(s: str, rs) -> str:
    if rs.compile("{le}").search(s):
        return "<="
    if rs.compile("{ge}").search(s):
        return ">="
    return "=="


def _num(s: str) -> float | None:
    """An isolated count (4, 两, 十二, 半)."""
    s = s.strip()
    if s == "半":
        return 0.5
    if s.isascii() and s.isdigit():
        return float(s)
    try:
        from .numbers import parse_number
    except ImportError:  # numbers.py not present: read it with cn2an directly
        import cn2an

        try:
            return float(cn2an.cn2an(s, "smart"))
        except (ValueError, KeyError, IndexError, TypeError):
            return None
    return parse_number(s)


def _fact(text: str, a: int, b: int, period: str, times: float, cmp: str) -> Frequency:
    return Frequency(text=text[a:b], period=period, times=round(times, 4), comparator=cmp, span=Span(start=a, end=b))
