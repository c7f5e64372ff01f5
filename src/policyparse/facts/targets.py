"""Quantitative targets: the numbers a notice commits to reach, build, provide or pay.

Every quantity (``numbers.extract``) is a candidate; the words around it decide
(``rules/targets.toml``): a comparator of requirement, a verb that sets a level
or a count, a comparator that closes the clause, its place as the subject of
such a verb or in a list after a target.  Scopes, named programmes, dates,
frequencies and descriptions of the past are not targets.  ``indicator`` is the
noun phrase the number measures, cut with jieba on the clause only.

    >>> [(t.value, t.unit, t.comparator) for t in extract("县内就诊率达到90%以上，配备3至5名医护人员")]
    [(90.0, '%', '>='), (3.0, '名', 'range')]
"""

from __future__ import annotations

import bisect
import collections
import functools
from dataclasses import dataclass, field


from .. import recache, rules
from ..models import Span, Target
from . import indicators, numbers, target_cues, target_lists
from .target_cues import MASK as _MASK
from .target_cues import mask as _mask

__all__ = ["extract"]

_CLAUSE = set(target_cues.STOPS["clause"])
_LIST_NEXT = recache.lazy(r"[ \t]*(?:[、和及与或]|以及)[ \t]*(?:\d|[一二两三四五六七八九十])")
_SEPARATOR = recache.lazy(r"[、，,；;和与或]")  # not 及: 30岁及以上居民


@dataclass
class _Cand:
    """One quantity and what its neighbourhood says about it."""

    q: dict
    cls: str  # rate | count | measure | level (durations and ages)
    clause: int  # start of its clause
    clause_end: int
    sentence: int  # start of its sentence
    pre: tuple | None = None  # (kind, start) of a comparator before it
    post: tuple | None = None  # (comparator, end) of a comparator after it
    verb: tuple | None = None  # (kind, start, end) of the verb that governs it
    ix: object = None  # the text's target_cues.Index (stops, cue words, quantities)
    scope: bool = False
    condition: bool = False  # its clause ends with 的: 投资强度不低于200万元的，按…给予奖励
    descriptive: bool = False
    small: bool = False  # a small count in Chinese numerals (四项行动)
    target: bool = False
    via: str = ""
    comparator: str = "=="
    extra: dict = field(default_factory=dict)

    @property
    def end(self) -> int:
        return self.post[1] if self.post else self.q["end"]


def extract(text: str, ctx=None) -> list[Target]:
    """Return the targets found in ``text`` (spans relative to it).

    >>> [t.value for t in extract("力争到2023年底全市新增1个国家级重点专科，2个自治区级重点专科")]
    [1.0, 2.0]
    """
    if getattr(ctx, "conditions", False):
        return []  # 员工不少于10人 under …符合以下条件：: a threshold, not a target
    t = _tables(_rules_dir(ctx))
    quantities = numbers.extract(text, ctx)
    if not any(_may_count(text, q, t) for q in quantities):
        return []  # most measures hold no quantity of a target's kind: skip masking and indexing
    masked = _mask(text, t)
    ix = target_cues.Index(masked, t)
    ix.quantities, ix.q_starts = quantities, [q["start"] for q in quantities]
    cands = [c for q in quantities if (c := _candidate(text, ix, q, quantities, t, ctx))]
    for c in cands:
        c.target, c.via = _decide(c, masked, t)
    target_lists.lists_before(masked, cands)
    target_lists.continue_lists(masked, cands, t)
    target_lists.share_comparators(masked, cands)
    built: dict[int, Target] = {}
    for c in cands:
        if c.target:
            built[id(c)] = _build(text, masked, c, built.get(id(c.extra.get("head"))), quantities, t, ctx)
    return list(built.values())


# ---- candidates -------------------------------------------------------------------


def _may_count(text: str, q: dict, t: tuple) -> bool:
    """False where ``_candidate`` rejects ``q`` on the quantity alone (no unit class, a year, 3个方面)."""
    cls = t.unit_class.get(q["unit"] or "")
    if cls is None or (q["unit"] in t.time_units and 1900 <= q["value"] <= 2100):
        return False
    return not (cls == "count" and text[q["end"] : q["end"] + 12].lstrip(" \t").startswith(t.vague_nouns))


def _candidate(text: str, ix, q: dict, quantities: list, t: tuple, ctx=None) -> _Cand | None:
    """A candidate with its context read, or None when it can never be a target."""
    masked = ix.masked
    cls = t.unit_class.get(q["unit"] or "")
    if cls is None or masked[q["start"]] == _MASK:
        return None
    before = masked[max(0, q["start"] - 4) : q["start"]].rstrip(" \t")
    if before.endswith(t.not_after):
        return None
    after = text[q["end"] : q["end"] + 12].lstrip(" \t")
    if cls == "count" and after.startswith(t.vague_nouns):
        return None
    if q["unit"] in t.time_units and 1900 <= q["value"] <= 2100:
        return None  # 2025年: a date
    clause, clause_end = ix.bounds(q["start"], q["end"], "clause")
    sentence, sentence_end = ix.bounds(q["start"], q["end"], "sentence")
    if q["unit"] == "次" and t.frequency_count.search(masked, max(sentence, q["start"] - 60), q["start"]):
        return None  # a frequency: facts/frequencies.py reads it
    if ix.last("definition", sentence, sentence_end):
        return None  # 体重指数≥28kg/㎡即为肥胖: a definition
    c = _Cand(q=q, cls=cls, clause=clause, clause_end=clause_end, sentence=sentence, ix=ix)
    c.pre = _pre(masked, c, quantities, t)
    c.post = _post(text, q["end"], t)
    c.verb = _verb(text, masked, c, quantities, t, ctx)
    level = (c.verb and c.verb[0] == "level") or t.apposition.search(masked, max(clause, q["start"] - 8), q["start"])
    if q["unit"] in t.time_units and t.deadline_duration.match(after) and not level:
        return None  # 3—5年内: a deadline (but 平均住院日控制在8天以内, 反应时间12分钟以内 are levels)
    # 服务人口超过1万人的乡镇卫生院; 服务人口不足1万人或…少于10人的，…: a condition
    scope = t.scope.match(text[c.end : c.end + 14])
    if scope and _names_award(text, c.end + scope.end(), clause_end, t):
        scope = None  # 89元的标准, 每人每月1000元的实习实训补贴: a standard or an award, not a scope
    c.condition = masked[clause_end - 1 : clause_end] == "的"
    c.scope = bool(scope) or c.condition
    c.descriptive = target_cues.descriptive(ix, c, t) or target_cues.past(ix, c, t, ctx)
    c.small = cls == "count" and q["chinese"] and q["value"] < 10 and q["value_max"] is None  # 翻一番 is no list
    c.comparator = _comparator(c)
    return c


def lists_conditions(text: str, ctx=None) -> bool:
    """Does ``text`` lead into a list of conditions (its items' figures are thresholds)?

    >>> lists_conditions("本政策措施适用对象必须符合以下条件："), lists_conditions("主要任务如下：")
    (True, False)
    >>> lists_conditions("“不通过验收”：被验收项目存在下列情况之一者，不能通过验收：")
    True
    """
    text = text.rstrip()
    if not text.endswith(("：", ":")):
        return False
    last = text[max(text.rfind("。"), text.rfind("\n")) + 1 :]  # its last sentence
    return any(w in last for w in _tables(_rules_dir(ctx)).condition_leads)


def _names_award(text: str, start: int, end: int, t: tuple) -> bool:
    """Does the noun after a quantity's 的 (``text[start:end]``, to its clause's end) name a standard
    or an award (的标准, 的实习实训补贴), not what the quantity delimits (的乡镇卫生院)?"""
    if text.startswith(t.standard_nouns, start):
        return True
    phrase = text[start:end].rstrip("，,。；;、 ")
    noun = next((n for n in t.standard_nouns if phrase.endswith(n)), None)
    # (对…10万元以下的困难家庭给予补贴: a verb before the noun makes the phrase a clause)
    return noun is not None and len(phrase) <= 10 and not any(v in phrase[: -len(noun)] for v in t.count_verbs)


def _pre(masked: str, c: _Cand, quantities: list, t: tuple) -> tuple | None:
    """The comparator before the number: 不少于150个, 不得低于编制总额的90%."""
    last = None
    for m in t.pre_comparator.finditer(masked, max(c.clause, c.q["start"] - 24), c.q["start"]):
        last = m
    if last is None or c.q["start"] - last.end() > 12:
        return None
    if any(o["unit"] in t.unit_class for o in _between(c.ix, last.end(), c.q["start"])):
        return None  # another number stands between: 不少于10、9 (the 9 shares it later)
    return (last.lastgroup, last.start())


def _post(text: str, end: int, t: tuple) -> tuple | None:
    m = t.post_comparator.match(text[end : end + 8])
    if not m:
        return None
    return ({"ge": ">=", "le": "<=", "eq": "=="}[m.lastgroup], end + m.end())


def _verb(text: str, masked: str, c: _Cand, quantities: list, t: tuple, ctx=None) -> tuple | None:
    """The verb that governs the number, if one stands close before it in its clause.

    A listed verb (达到, 建设, …) within the clause; else the word right before the
    number when jieba tags it a verb (选拔100名, 突破50万人次).
    """
    found = _listed_verb(masked, c, quantities, t)
    if found or c.cls in ("level", "rate"):
        return found  # rates and durations take listed verbs only
    return _tagged_verb(text, masked, c, t, ctx)


def _tagged_verb(text: str, masked: str, c: _Cand, t: tuple, ctx) -> tuple | None:
    """The word right before the number, when jieba tags it a verb that may set a count."""
    from .. import segment

    a = max(c.clause, c.q["start"] - 8)
    if _MASK in masked[a : c.q["start"]]:
        a = masked.rindex(_MASK, a, c.q["start"]) + 1
    words = segment.tag(text[a : c.q["start"]], getattr(ctx, "rules_dir", None))
    if not words or words[-1][1] != "v" or words[-1][0] in t.not_verbs or len(words[-1][0]) < 2 or "为" in words[-1][0]:
        return None
    start = c.q["start"] - len(words[-1][0])
    return ("count", start, c.q["start"])


def _listed_verb(masked: str, c: _Cand, quantities: list, t: tuple) -> tuple | None:
    """The nearest listed verb before the number that may govern it."""
    found = [m for m in t.level_verb.finditer(masked, max(c.clause, c.q["start"] - 40), c.q["start"])]
    for m in reversed(found):
        prev = masked[m.start() - 1 : m.start()]
        if prev and prev in t.verb_not_after.get(m.group(), ""):
            continue  # 发达, 作为
        if masked[m.end() : m.end() + 1] in t.verb_not_before:
            continue  # 覆盖率, 筛查率: the verb is part of a noun
        if any(o["unit"] in t.unit_class for o in _between(c.ix, m.end(), c.q["start"])):
            return None  # it governs an earlier number: 提高15%和在2024年…
        kind = "be" if m.group() == "达" else m.lastgroup  # 患病率达4.98% reports; 达95%及以上 sets
        if _governs(masked, c, m, kind, t):
            return ("per" if c.cls == "level" and kind == "count" else kind, m.start(), m.end())
    return None


def _governs(masked: str, c: _Cand, m, kind: str, t: tuple) -> bool:
    gap = masked[m.end() : c.q["start"]]
    if kind == "count" and "的" in gap:
        return False  # the verb sits in a modifier: 尚未实现…的7所
    money = c.q["unit"] in t.money_units
    if kind == "be":
        # 为 is a preposition (免费为全县…) unless it stands right before the number
        whole = target_cues.whole(c.ix, c, t)  # 覆盖率达100%
        return len(gap) <= 2 and (money or whole or bool(c.post) or bool(c.ix.last("future_cues", c.sentence, m.start())))
    if kind == "by" and not (money or c.cls == "rate"):
        return False
    if c.cls == "level" and kind == "change" and len(gap) <= 2:
        # 人均预期寿命提高1岁以上 / 到2025年…提高1岁 (but 比非吸烟者缩短10年 reports)
        return bool(c.post) or bool(c.ix.last("future_cues", c.sentence, m.start()))
    if c.cls == "level" and kind == "count" and len(gap) <= 1 and "每" in masked[max(c.clause, m.start() - 4) : m.start()]:
        return True  # 每天安排30分钟大课间活动: an amount of time per period
    if c.cls == "level" and (kind not in ("level", "be") or len(gap) > 8):
        return False  # 降低60～69岁人群骨折发生率
    return True


def _comparator(c: _Cand) -> str:
    if c.q["value_max"] is not None:
        return "range"
    if c.post:
        return c.post[0]
    if c.pre:
        return ">=" if c.pre[0] in ("ge", "gew") else "<="
    return "=="


# ---- deciding -----------------------------------------------------------------------


def _decide(c: _Cand, masked: str, t: tuple) -> tuple[bool, str]:
    """(is a target, by which cue): comparator, verb, closing-comparator, verb-after, subject."""
    strong = bool(c.pre) and c.pre[0] in ("ge", "le")
    if c.small and not strong and not target_cues.staff(c.ix, c, t):
        return False, ""
    if c.descriptive:
        return False, ""
    if c.scope and target_cues.share(c.ix, c, t):
        return True, "share"  # 全市90%以上的乡镇卫生院达到服务能力基本标准
    if c.scope and (c.condition or not (strong or (c.verb and c.verb[0] == "count" and c.q["start"] - c.verb[2] <= 6))):
        return False, ""  # (a comparator of requirement inside a condition 对…不低于200万元的， draws the condition)
    if target_cues.modifies_indicator(c.ix, c, t):
        return False, ""
    closes = c.end >= len(masked) or masked[c.end] in _CLAUSE or bool(_LIST_NEXT.match(masked, c.end))
    guarantee = not c.scope and target_cues.guarantee(c.ix, c, t)
    apposition = closes and target_cues.apposition(c.ix, c, t)
    if c.cls == "level":
        per = c.verb and c.verb[0] == "per"  # 每天安排30分钟大课间活动
        return bool(strong or (c.verb and closes) or per or guarantee or apposition), "level"
    if c.pre and (strong or c.cls != "count" or c.ix.forward(c.ix.start(c.q["start"], "full"), c.q["start"]) >= 0):
        return True, "comparator"  # 患者超过3000万人 (a weak comparator on a count) reports
    if c.verb:
        return True, "verb"
    if guarantee or apposition:
        return True, "guarantee" if guarantee else "apposition"
    if c.cls == "count" and c.q["unit"] in t.money_units and target_cues.standard_list(c.ix, c, t):
        return True, "standard"
    if closes and c.cls in ("count", "measure") and target_cues.per_capita(c.ix, c, t):
        return True, "per-capita"  # 到2030年，每千人口拥有执业（助理）医师3.2人
    if c.post and (c.end >= len(masked) or masked[c.end] in _CLAUSE):
        return True, "closing-comparator"
    after = t.level_verb.match(masked, c.end)
    if after and after.lastgroup in ("count", "level") and (c.cls != "count" or c.q["unit"] in t.money_units):
        return True, "verb-after"  # 按照常住人口的1—1.5‰配备
    if c.cls == "count" and t.subject_count.search(masked[max(c.clause, c.q["start"] - 40) : c.q["start"]]):
        rest = masked[c.q["end"] : c.clause_end].replace(_MASK, "")[:40]
        m = t.level_verb.search(rest)
        if m and m.lastgroup != "be" and not any(w in rest[: m.start()] for w in t.descriptive_near):
            return True, "subject"
    return False, ""


# ---- building -----------------------------------------------------------------------


def _build(text: str, masked: str, c: _Cand, head: Target | None, quantities: list, t: tuple, ctx) -> Target:
    """The Target of a candidate; items of a run (22%和30%) share the head's indicator."""
    q = c.q
    near = [x for x in (c.pre[1] if c.pre else None, c.verb[1] if c.verb else None) if x is not None]
    anchor = max(near) if near else q["start"]
    if head is not None or c.via == "list":
        anchor = c.pre[1] if c.pre and c.pre[1] > c.clause else q["start"]
    if head is not None:
        ind = (head.indicator, anchor, anchor) if head.indicator else None
    else:
        floor = _floor(masked, c, min([anchor] + near), quantities, t)
        ind = _indicator(text, masked, c, floor, anchor, t, ctx)
    start, end = min([anchor, q["start"]] + near) if c.via != "list" and head is None else anchor, c.end
    if ind and ind[1] >= c.sentence:  # (a heading's indicator stays out of the text)
        start, end = min(start, ind[1]), max(end, ind[2])
    return Target(
        text=text[start:end],
        indicator=ind[0] if ind else None,
        value=q["value"],
        value_max=q["value_max"],
        unit=q["unit"],
        comparator=c.comparator,
        span=Span(start=start, end=end),
    )


def _floor(masked: str, c: _Cand, anchor: int, quantities: list, t: tuple) -> int:
    """Where the subject may start: the clause, or after an earlier quantity and a separator."""
    floor = c.clause
    for o in _between(c.ix, max(0, c.clause - 30), anchor):
        post = _post(masked, o["end"], t)
        end = post[1] if post else o["end"]  # 6.5mmol/L及以下或糖化血红蛋白…
        if c.clause <= end <= anchor and o["unit"] in t.unit_class and masked[o["start"]] != _MASK and _SEPARATOR.search(masked, end, anchor):
            floor = max(floor, end)
    return floor


def _indicator(text: str, masked: str, c: _Cand, floor: int, anchor: int, t: tuple, ctx) -> tuple | None:
    """(phrase, start, end): what the number measures.

    A count names it after the unit (建设2个自治区级重点专科) or between its verb
    and the number (新增风电装机容量800万千瓦); a level names it before the
    verb (县内就诊率达到90%).
    """
    counted = (c.cls == "count" and not (c.verb and c.verb[0] in ("level", "change", "be", "by"))) or (
        c.verb and c.verb[0] == "count"
    )
    rd = getattr(ctx, "rules_dir", None)
    after = lambda: indicators.noun_after(text, masked, c.end, c.clause_end, t.level_verb, rd)  # noqa: E731
    between = lambda: (  # noqa: E731
        indicators.noun_after(text, masked, c.verb[2], c.pre[1] if c.pre and c.pre[1] > c.verb[2] else c.q["start"], t.level_verb, rd, whole=True)
        if c.verb and c.verb[0] == "count"
        else None
    )
    before = lambda: indicators.subject(text, masked, floor, anchor, t.lead_words, rd)  # noqa: E731
    for find in (after, between, before) if counted else (before, after):
        found = find()
        if found:
            return found
    return target_cues.heading_indicator(text, c.ix, c, t)


def _between(ix, a: int, b: int) -> list:
    """The quantities that start within [a, b) (by bisection)."""
    return ix.quantities[bisect.bisect_left(ix.q_starts, a) : bisect.bisect_left(ix.q_starts, b)]


# ---- rules ----------------------------------------------------------------------------


@functools.cache
def _tables(rules_dir: str | None):
    """The rules as one immutable record: every list (a tuple) and every rule's regex by name."""
    rs = rules.load("targets", rules_dir)
    unit_class = {}
    for cls in ("level", "measure", "count", "rate"):  # later classes win for units listed twice
        for u in rs.words(f"{cls}_units"):
            unit_class[u] = cls
    fields = {name: tuple(words) for name, words in rs.lists.items()}
    fields.update({r.name.replace("-", "_"): r.regex for r in rs.rules})
    fields.update(unit_class=unit_class, verb_not_after=dict(rs.data.get("verb_not_after", {})))
    return collections.namedtuple("_Tables", fields)(**fields)


def _rules_dir(ctx) -> str | None:
    d = getattr(ctx, "rules_dir", None)
    return None if d is None else str(d)
