"""What the words around a quantity say about it, for ``facts/targets.py``.

Each helper reads ``masked`` (the text with quotes, titles and parentheses
blanked out, same offsets) and the rule tables of ``rules/targets.toml``.  A
report of the past or the present (``2012年调查显示，…；…达到32.9%``,
``我国成人失眠患病率达到15.4%``) is no commitment; a guarantee (``确保小学生每天睡眠
10个小时``) or an indicator written right before its value (``接听率100%``) is.

    >>> Index("甲，乙达到90%。", None).bounds(4, 7, "clause")
    (2, 8)
"""

from __future__ import annotations

import bisect
import re

from .indicators import MASK

__all__ = [
    "MASK", "Index", "apposition", "heading_indicator", "descriptive", "guarantee", "mask",
    "modifies_indicator", "past", "per_capita", "share", "whole",
]

# stops by reach: a comma clause, a ；-sentence, a full sentence, a paragraph
STOPS = {
    "clause": "，,；;。！？!?\n：:\t",  # a tab parts the cells of a table row
    "sentence": "；;。！？!?\n",
    "full": "。！？!?\n",
    "line": "\n",
}
_STOP_RE = {k: re.compile("[" + re.escape(chars) + "]") for k, chars in STOPS.items()}


class Index:
    """The stops and cue words of one masked text, found once on first use, looked up by bisection.

    Scanning back to a sentence start for every number is quadratic on a long
    line without 。; here each look-up costs a bisection.

        >>> ix = Index("甲，乙达到90%。", None)
        >>> ix.bounds(4, 7, "clause")
        (2, 8)
    """

    def __init__(self, masked: str, t):
        self.masked = masked
        self._t = t
        # filled on first look-up: most texts ask for a few reaches and lists only
        self._stops: dict = {}
        self._cues: dict = {}

    def _stops_of(self, reach: str) -> list:
        stops = self._stops.get(reach)
        if stops is None:
            stops = self._stops[reach] = [m.start() for m in _STOP_RE[reach].finditer(self.masked)]
        return stops

    def _cues_of(self, name: str) -> tuple:
        cues = self._cues.get(name)
        if cues is None:
            masked, found = self.masked, []
            for w in getattr(self._t, name) if self._t is not None else ():
                i = masked.find(w)
                while i >= 0:
                    if not (name in ("forward_cues", "future_cues") and masked[i - 1 : i] == "截"):
                        found.append((i + len(w), i))  # 截至2022年底 reports: no forward cue
                    i = masked.find(w, i + 1)
            found.sort()
            cues = self._cues[name] = ([e for e, _ in found], found)
        return cues

    def bounds(self, a: int, b: int, reach: str) -> tuple[int, int]:
        """The stretch around ``masked[a:b]`` up to the nearest stops of ``reach``."""
        stops = self._stops_of(reach)
        i = bisect.bisect_left(stops, a)
        j = bisect.bisect_left(stops, b)
        return (stops[i - 1] + 1 if i else 0), (stops[j] if j < len(stops) else len(self.masked))

    def start(self, pos: int, reach: str) -> int:
        return self.bounds(pos, pos, reach)[0]

    def last(self, name: str, a: int, b: int) -> tuple[int, int] | None:
        """(start, end) of the last word of list ``name`` lying within ``masked[a:b]``."""
        ends, found = self._cues_of(name)
        k = bisect.bisect_right(ends, b) - 1
        while k >= 0 and found[k][0] > a:
            if found[k][1] >= a:
                return found[k][1], found[k][0]
            k -= 1
        return None

    def forward(self, a: int, b: int) -> int:
        """The end of the last cue looking forward (到2025年, 力争, 确保) in ``masked[a:b]``, or -1."""
        hit = self.last("forward_cues", a, b)
        return hit[1] if hit else -1


def mask(text: str, t) -> str:
    """``text`` with quotes, titles and parentheses blanked out (same length)."""
    masked = text
    for _ in range(3):  # nested: （《指南》（以下简称…）推荐每天40～50g）
        spans = [m.span() for m in t.masked.finditer(masked)]
        if not spans:
            break
        out, pos = [], 0
        for a, b in spans:
            out += (masked[pos:a], MASK * (b - a))
            pos = b
        out.append(masked[pos:])
        if "".join(out) == masked:
            break
        masked = "".join(out)
    return masked


def descriptive(ix: Index, c, t) -> bool:
    """The number describes the past or the present state: 已达76.34岁, 上升了67.6%.

    Report cues (调查显示, 截至, 目前) count over the whole sentence, across ；,
    unless a forward cue follows them; a baseline (与2020年相比) reports only in a
    sentence that does not look forward.
    """
    masked, q0 = ix.masked, c.q["start"]
    full = ix.start(q0, "full")
    ahead = ix.forward(full, q0)
    reported = ix.last("descriptive_sentence", full, q0)
    if reported and reported[0] > ahead:
        return True
    if ahead < 0 and ix.last("baseline_cues", full, q0):
        return True
    if c.verb:
        near = masked[max(c.clause, c.verb[1] - 2) : q0]
    else:
        near = masked[max(c.clause, q0 - 10) : q0]
    for w in t.descriptive_except:
        near = near.replace(w, MASK)
    if "占" in near and ix.last("advice_leads", full, q0):
        near = near.replace("占", MASK)  # 建议…添加糖摄入占总能量的10%以下: a norm
    return any(w in near for w in t.descriptive_near) or _present_state(ix, c, t, full)


def _present_state(ix: Index, c, t, full: int) -> bool:
    """我国成人失眠患病率达到15.4%: a sentence about the country (province, city) as it is.

    Only a plain value (no comparator) and only where nothing in the paragraph up
    to the number looks forward (到2025年, 力争, 目标).
    """
    if c.pre or c.post or c.cls == "count" or (c.verb and c.verb[0] not in ("level", "be")):
        return False  # 我市建成3所社区医院 reports nothing: only a level stated as it is
    if not t.present_state.match(ix.masked, full):
        return False
    return ix.forward(ix.start(c.q["start"], "line"), c.q["start"]) < 0


def past(ix: Index, c, t, ctx) -> bool:
    """The sentence (or its clause) opens with a year before the document's own: it reports the past."""
    year = getattr(ctx, "year", None)
    if not year:
        return False
    heads = [c.sentence]
    full = ix.start(c.q["start"], "full")
    if full < c.sentence and ix.forward(full, c.q["start"]) < 0:
        heads.append(full)  # 2012年调查显示，…；…；居民膳食脂肪供能比达到33.5%
    for h in heads:
        m = t.past_year.match(ix.masked, h, c.q["start"])
        if m and int(m.group("year2") or m.group("year")) < year:
            return True
    return False


def guarantee(ix: Index, c, t) -> bool:
    """确保幼儿每天午睡2个小时: a guarantee in the clause sets the number it names."""
    masked, q0 = ix.masked, c.q["start"]
    if c.q["unit"] in t.age_units:
        return False  # 确保65岁以上老年人…: an age draws a scope
    if not ix.last("guarantee_words", c.clause, q0):
        # 确保每个乡镇有1所…，每个村均有1个…: the guarantee reaches later clauses that say what each has
        had = masked[max(c.clause, q0 - 2) : q0].endswith("有")
        if not (had and ix.last("guarantee_words", c.sentence, c.clause)):
            return False
    if c.cls != "level" or c.post:
        return True
    # a duration: only an amount per period or one that ends its clause (确保用3年时间… is a plan)
    closes = c.end >= len(masked) or masked[c.end] in "，,；;。、\n"
    return closes or "每" in masked[max(c.clause, q0 - 4) : q0]


def apposition(ix: Index, c, t) -> bool:
    """院前急救电话10秒接听率100%: an indicator written right before its value, closing the clause.

    A bare value may report (城镇职工参保率98%): it takes a comparator, a range, a
    whole 100% or a sentence that looks forward.
    """
    if not t.apposition.search(ix.masked, max(c.clause, c.q["start"] - 8), c.q["start"]):
        return False
    if c.post or c.q["value_max"] is not None or whole(ix, c, t):
        return True
    return ix.forward(ix.start(c.q["start"], "full"), c.q["start"]) >= 0


def whole(ix: Index, c, t) -> bool:
    """覆盖率达100%: a completion is set, not reported — unless the sentence reports (已, 共有)."""
    if not (c.q["unit"] == "%" and c.q["value"] == 100):
        return False
    return not ix.last("report_words", ix.start(c.q["start"], "full"), c.q["start"])


def modifies_indicator(ix: Index, c, t) -> bool:
    """提供6类以上疗法的比例达到100%: the number sits inside the indicator of another target."""
    return bool(t.indicator_modifier.match(ix.masked, c.end, c.clause_end))


def share(ix: Index, c, t) -> bool:
    """全市90%以上的乡镇卫生院达到标准: a share that opens its clause and is the subject of a verb.

    (覆盖率达到90%以上的地区 is a scope: a verb stands before the share there.)
    """
    masked = ix.masked
    head = t.share_subject.search(masked, max(c.clause, c.q["start"] - 12), c.q["start"]) if c.cls == "rate" else None
    if head is None or (c.verb and c.verb[1] >= head.start()):
        return False  # (a verb of an earlier list item, 开展…、60%以上的…, governs nothing here)
    rest = masked[c.end : min(c.clause_end, c.end + 30)]
    m = t.level_verb.search(rest)
    return (bool(m) and m.lastgroup != "be") or any(w in rest for w in t.share_verbs)


def per_capita(ix: Index, c, t) -> bool:
    """每千人口拥有执业（助理）医师3.2人 in a sentence that looks forward: a ratio set per head."""
    if not t.per_capita.search(ix.masked, max(c.clause, c.q["start"] - 40), c.q["start"]):
        return False
    return ix.forward(ix.start(c.q["start"], "line"), c.q["start"]) >= 0


def heading_indicator(text: str, ix: Index, c, t) -> tuple | None:
    """(phrase, start, end) of an indicator printed as the item's heading: ``居民健康素养水平。到2025年达到30%``.

    Only where the target's own clause names none, the heading is the text's
    first line or sentence and it ends like an indicator (率, 水平, 比例, 数).
    """
    head = t.heading_indicator.match(ix.masked)
    if head is None or head.end() > c.clause:
        return None
    return text[head.start("ind") : head.end("ind")], head.start("ind"), head.end("ind")


def standard_list(ix: Index, c, t) -> bool:
    """标准为：大专学历每人2000元、本科学历每人3000元: an amount in a list that states the standard paid."""
    masked = ix.masked
    colon = max(masked.rfind("：", c.sentence, c.q["start"]), masked.rfind(":", c.sentence, c.q["start"]))
    return colon > c.sentence and masked[max(c.sentence, colon - 4) : colon].endswith(t.standard_leads)


def staff(ix: Index, c, t) -> bool:
    """指定一名分管领导: a small count of people right after its count verb is a staffing
    target, not a list's count (四项行动)."""
    if not (c.verb and c.verb[0] == "count" and c.verb[2] == c.q["start"] and c.q["unit"] in t.staff_units):
        return False
    return ix.masked[c.verb[1] : c.verb[2]] in t.count_verbs  # (推举一名代表: a verb jieba found sets none)
