"""What the words around a quantity say about it, for ``facts/targets.py``.

Each helper reads ``masked`` (the text with quotes, titles and parentheses
blanked out, same offsets) and the rule tables of ``rules/targets.toml``.  A
report of the past or the present (``2012年调查显示，…；…达到32.9%``,
``我国抑郁症患病率达到2.1%``) is no commitment; a guarantee (``确保小学生每天睡眠
10个小时``) or an indicator written right before its value (``接听率100%``) is.

    >>> bounds("甲，乙达到90%。", 4, 7, set("，。"))
    (2, 7)
"""

from __future__ import annotations

from .indicators import MASK

__all__ = [
    "MASK", "apposition", "heading_indicator", "bounds", "descriptive", "forward_before", "guarantee", "mask",
    "modifies_indicator", "past", "per_capita", "sentence_start", "share", "whole",
]

_FULL_STOP = set("。！？!?\n")


def bounds(masked: str, a: int, b: int, stops: set) -> tuple[int, int]:
    """The stretch around ``masked[a:b]`` up to the nearest stop characters."""
    s = a
    while s > 0 and masked[s - 1] not in stops:
        s -= 1
    e = b
    while e < len(masked) and masked[e] not in stops:
        e += 1
    return s, e


def sentence_start(masked: str, pos: int) -> int:
    """Where the full sentence holding ``pos`` starts (。！？ or a line end; not ；)."""
    return bounds(masked, pos, pos, _FULL_STOP)[0]


def mask(text: str, t) -> str:
    """``text`` with quotes, titles and parentheses blanked out (same length)."""
    masked = text
    for _ in range(3):  # nested: （《膳食指南》（以下简称…）推荐标准为每天25～30g）
        out = list(masked)
        for m in t.masked.finditer(masked):
            out[m.start() : m.end()] = MASK * (m.end() - m.start())
        if "".join(out) == masked:
            break
        masked = "".join(out)
    return masked


def forward_before(masked: str, a: int, b: int, t) -> int:
    """The end of the last cue looking forward (到2025年, 力争, 确保) in ``masked[a:b]``, or -1."""
    last = -1
    for w in t.forward_cues:
        i = masked.rfind(w, a, b)
        while i > 0 and masked[i - 1] == "截":  # 截至2022年底 reports
            i = masked.rfind(w, a, i)
        if i >= 0:
            last = max(last, i + len(w))
    return last


def descriptive(masked: str, c, t) -> bool:
    """The number describes the past or the present state: 已达76.34岁, 上升了67.6%.

    Report cues (调查显示, 截至, 目前) count over the whole sentence, across ；,
    unless a forward cue follows them; a baseline (与2020年相比) reports only in a
    sentence that does not look forward.
    """
    full = sentence_start(masked, c.q["start"])
    head = masked[full : c.q["start"]]
    ahead = forward_before(masked, full, c.q["start"], t) - full
    reported = [head.rfind(w) for w in t.descriptive_sentence if w in head]
    if reported and max(reported) > ahead:
        return True
    if ahead < 0 and any(w in head for w in t.baseline_cues):
        return True
    if c.verb:
        near = masked[max(c.clause, c.verb[1] - 2) : c.q["start"]]
    else:
        near = masked[max(c.clause, c.q["start"] - 10) : c.q["start"]]
    for w in t.descriptive_except:
        near = near.replace(w, MASK)
    if "占" in near and any(w in head for w in t.advice_leads):
        near = near.replace("占", MASK)  # 建议…饱和脂肪酸摄入占总脂肪酸摄入的30%以下: a norm
    return any(w in near for w in t.descriptive_near) or _present_state(masked, c, t, full)


def _present_state(masked: str, c, t, full: int) -> bool:
    """我国抑郁症患病率达到2.1%: a sentence about the country (province, city) as it is.

    Only a plain value (no comparator) and only where nothing in the paragraph up
    to the number looks forward (到2025年, 力争, 目标).
    """
    if c.pre or c.post or c.cls == "count" or (c.verb and c.verb[0] not in ("level", "be")):
        return False  # 我市建成3所社区医院 reports nothing: only a level stated as it is
    if not t.present_state.match(masked, full):
        return False
    para = masked.rfind("\n", 0, c.q["start"]) + 1
    return forward_before(masked, para, c.q["start"], t) < 0


def past(masked: str, c, t, ctx) -> bool:
    """The sentence (or its clause) opens with a year before the document's own: it reports the past."""
    year = getattr(ctx, "year", None)
    if not year:
        return False
    heads = [c.sentence]
    full = sentence_start(masked, c.q["start"])
    if full < c.sentence and forward_before(masked, full, c.q["start"], t) < 0:
        heads.append(full)  # 2012年调查显示，…；…；居民膳食脂肪提供能量比例达到32.9%
    for h in heads:
        m = t.past_year.match(masked[h : c.q["start"]])
        if m and int(m.group("year2") or m.group("year")) < year:
            return True
    return False


def guarantee(masked: str, c, t) -> bool:
    """确保小学生每天睡眠10个小时: a guarantee in the clause sets the number it names."""
    if c.q["unit"] in t.age_units:
        return False  # 确保65岁以上老年人…: an age draws a scope
    if not t.guarantee.search(masked, c.clause, c.q["start"]):
        # 确保每个乡镇有1所…，每个村均有1个…: the guarantee reaches later clauses that say what each has
        had = masked[max(c.clause, c.q["start"] - 2) : c.q["start"]].endswith("有")
        if not (had and t.guarantee.search(masked, c.sentence, c.clause)):
            return False
    if c.cls != "level" or c.post:
        return True
    # a duration: only an amount per period or one that ends its clause (确保用3年时间… is a plan)
    closes = c.end >= len(masked) or masked[c.end] in "，,；;。、\n"
    return closes or "每" in masked[max(c.clause, c.q["start"] - 4) : c.q["start"]]


def apposition(masked: str, c, t) -> bool:
    """院前急救电话10秒接听率100%: an indicator written right before its value, closing the clause.

    A bare value may report (城镇职工参保率98%): it takes a comparator, a range, a
    whole 100% or a sentence that looks forward.
    """
    if not t.apposition.search(masked, c.clause, c.q["start"]):
        return False
    if c.post or c.q["value_max"] is not None or whole(masked, c, t):
        return True
    return forward_before(masked, sentence_start(masked, c.q["start"]), c.q["start"], t) >= 0


def whole(masked: str, c, t) -> bool:
    """覆盖率达100%: a completion is set, not reported — unless the sentence reports (已, 共有)."""
    if not (c.q["unit"] == "%" and c.q["value"] == 100):
        return False
    head = masked[sentence_start(masked, c.q["start"]) : c.q["start"]]
    return not any(w in head for w in t.report_words)


def modifies_indicator(masked: str, c, t) -> bool:
    """提供6类以上疗法的比例达到100%: the number sits inside the indicator of another target."""
    return bool(t.indicator_modifier.match(masked, c.end, c.clause_end))


def share(masked: str, c, t) -> bool:
    """全市90%以上的乡镇卫生院达到标准: a share that opens its clause and is the subject of a verb.

    (覆盖率达到90%以上的地区 is a scope: a verb stands before the share there.)
    """
    head = t.share_subject.search(masked, c.clause, c.q["start"]) if c.cls == "rate" else None
    if head is None or (c.verb and c.verb[1] >= head.start()):
        return False  # (a verb of an earlier list item, 开展…、60%以上的…, governs nothing here)
    rest = masked[c.end : min(c.clause_end, c.end + 30)]
    m = t.level_verb.search(rest)
    return (bool(m) and m.lastgroup != "be") or any(w in rest for w in t.share_verbs)


def per_capita(masked: str, c, t) -> bool:
    """每千人口拥有执业（助理）医师3.2人 in a sentence that looks forward: a ratio set per head."""
    if not t.per_capita.search(masked, c.clause, c.q["start"]):
        return False
    para = masked.rfind("\n", 0, c.q["start"]) + 1
    return forward_before(masked, para, c.q["start"], t) >= 0


def heading_indicator(text: str, masked: str, c, t) -> tuple | None:
    """(phrase, start, end) of an indicator printed as the item's heading: ``居民健康素养水平。到2025年达到30%``.

    Only where the target's own clause names none, the heading is the text's
    first line or sentence and it ends like an indicator (率, 水平, 比例, 数).
    """
    head = t.heading_indicator.match(masked)
    if head is None or head.end() > c.clause:
        return None
    return text[head.start("ind") : head.end("ind")], head.start("ind"), head.end("ind")
