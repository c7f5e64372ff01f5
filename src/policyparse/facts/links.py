"""Tie each target to the deadline its own sentence names.

A sentence runs up to 。！？ or a line end; ；splits it into clauses.  A target
takes the nearest deadline of its own clause that opens before the target ends
(``力争到2023年底全市新增1个…，2个…`` → all 2023-12-31); failing that, a
deadline that heads an earlier clause of the sentence (``到2025年，A…；B…；C达到
40%以上`` → 2025-12-31 for C); failing that, the first one after it in its
clause.  ``到2022年和2030年，…(分别)提高到20%和30%`` pairs milestones with the
targets of a comma clause in order, when they divide evenly.
Only ``by`` deadlines carry a due date (``自2024年起`` and ``3—5年内`` tie to
nothing); a pair of years done in each (``2024年和2025年两个年度均完成``) is due
by the last one.

    >>> from policyparse.models import Target, Span
    >>> from policyparse.facts import deadlines
    >>> text = "到2025年，比例达到40%以上。"
    >>> t = Target(text="比例达到40%以上", value=40, unit="%", span=Span(start=7, end=16))
    >>> [x.deadline for x in attach_deadlines(text, [t], deadlines.extract(text))]
    ['2025-12-31']
"""

from __future__ import annotations

import bisect
import functools
import re

from ..models import Deadline, Target
from .deadlines import due_date

__all__ = ["attach_deadlines", "attach_row_deadline", "sentences"]

_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_END = re.compile(r"[；;]")
_COMMA = re.compile(r"[，,；;]")
# a line that ends like this is complete; a line that starts like this opens an item.
# ；is not among them: a clause list goes on across a line break (到2030年，A…；⏎B…)
_LINE_DONE = re.compile(r"[。！？!?：:）)”」]\s*$")
_OPENS_ITEM = re.compile(r"\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]|第[一二三四五六七八九十百]+[章节条]|附件|[-—•·※])")
_EACH = re.compile(r"分别")  # 到2022年和2030年，A分别X和Y: values pair with the milestones
_JOIN = re.compile(r"^\s*(?:和|与|及|、|，)\s*$")  # 到2022年【和】2030年
# what may stand before a deadline that heads its clause: 力争到2025年，…
_HEAD_LEAD = re.compile(r"^\s*(?:力争|争取|确保|预计|计划|力求|要|并)?(?:在|于)?$")


def sentences(text: str, ends=_SENTENCE_END) -> list[tuple[int, int]]:
    """The (start, end) of every sentence of ``text``; together they cover it.

    A line end closes a sentence unless the line was only wrapped (it stops
    mid-clause and the next line opens no numbered item).

    >>> sentences("甲。乙；丙")
    [(0, 2), (2, 5)]
    >>> sentences("力争到2023年底新增1个，\\n2个。")
    [(0, 18)]
    """
    out, a = [], 0
    for m in ends.finditer(text):
        if m.group() == "\n" and _wrapped(text, m.start()):
            continue
        out.append((a, m.end()))
        a = m.end()
    if a < len(text) or not out:
        out.append((a, len(text)))
    return out


def _wrapped(text: str, i: int) -> bool:
    """Whether the line break at ``i`` only wraps a sentence that goes on."""
    line = text[text.rfind("\n", 0, i) + 1 : i]
    if not line.strip() or "\t" in line or _LINE_DONE.search(line):
        return False
    return not _OPENS_ITEM.match(text, i + 1)


@functools.lru_cache(maxsize=32)  # every target of a sentence asks for the same clauses
def _clauses(text: str, a: int, b: int) -> tuple[tuple[int, int], ...]:
    return tuple((a + x, a + y) for x, y in sentences(text[a:b], _CLAUSE_END))


def attach_deadlines(text: str, targets: list[Target], deadlines: list[Deadline], ctx=None) -> list[Target]:
    """Return ``targets`` with ``deadline`` set where their sentence names one.

    A target whose sentence names no deadline keeps the deadline it had (None).
    """
    if not targets or not deadlines:
        return list(targets)  # nothing to pair: spare splitting the text into sentences
    bounds = sentences(text)
    starts = [a for a, _ in bounds]

    def sentence_of(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    # group deadlines and targets by sentence once (not once per target)
    ds_of: dict[int, list[Deadline]] = {}
    for d in sorted(deadlines, key=lambda d: d.span.start):
        ds_of.setdefault(sentence_of(d.span.start), []).append(d)
    mates_of: dict[int, list[Target]] = {}
    for x in sorted(targets, key=lambda x: x.span.start):
        mates_of.setdefault(sentence_of(x.span.start), []).append(x)
    out = []
    for t in targets:
        k = sentence_of(t.span.start)
        ds = ds_of.get(k, [])
        due = _due(t, ds, mates_of.get(k, []), text, bounds[k]) if ds else None
        out.append(t.model_copy(update={"deadline": due}) if due is not None else t)
    return out


def attach_row_deadline(targets: list[Target], cell_deadlines: list[Deadline]) -> list[Target]:
    """A table row: targets its text cell leaves undated take the deadline cell's one date.

    >>> from policyparse.models import Span
    >>> t = Target(text="覆盖率达到90%", value=90, span=Span(start=0, end=8))
    >>> d = Deadline(text="2023年12月底前", date="2023-12-31", span=Span(start=0, end=10))
    >>> [x.deadline for x in attach_row_deadline([t], [d])]
    ['2023-12-31']
    """
    dates = {due_date(d) for d in cell_deadlines} - {None}
    if len(dates) != 1:  # none, or several: the cell does not say which target is due when
        return list(targets)
    (date,) = dates
    return [t if t.deadline else t.model_copy(update={"deadline": date}) for t in targets]


def _due(t: Target, ds: list[Deadline], mates: list[Target], text: str, sentence: tuple[int, int]) -> str | None:
    clauses = _clauses(text, *sentence)
    here = next((c for c in clauses if c[0] <= t.span.start < c[1]), clauses[-1])
    own = [d for d in ds if here[0] <= d.span.start < here[1]]
    before = [d for d in own if d.span.start < t.span.end]
    if not before:  # a deadline heading an earlier clause: 到2025年，A…；B…
        before = [d for d in ds if d.span.start < here[0] and _heads(d, ds, text, clauses)]
    if before:
        d = before[-1]
        group = _group(ds, d, text)
        if len(group) > 1:
            paired = _pair(t, group, mates, text, sentence)
            # one value under several milestones (到2022年和2030年，…达到90%) is due by the first
            return due_date(paired if paired is not None else group[0])
        return due_date(d)
    after = [d for d in own if d.span.start >= t.span.end and due_date(d)]
    return due_date(after[0]) if after else None


def _heads(d: Deadline, ds: list[Deadline], text: str, clauses: list[tuple[int, int]]) -> bool:
    """Whether ``d``, with the milestones joined to it, stands as a time phrase of its
    own, set off by commas (…，到2025年，… / 到2022年和2030年，…)."""
    group = _group(ds, d, text)
    first, last = group[0], group[-1]
    a = next(c[0] for c in clauses if c[0] <= first.span.start < c[1])
    lead = text[a : first.span.start]
    lead = lead[max(lead.rfind("，"), lead.rfind(",")) + 1 :]
    return bool(_HEAD_LEAD.match(lead)) and text[last.span.end : last.span.end + 1] in ("，", ",")


def _group(ds: list[Deadline], d: Deadline, text: str) -> list[Deadline]:
    """The run of deadlines joined by 和/、 that ``d`` belongs to (到2022年和2030年)."""
    i = next(k for k, x in enumerate(ds) if x is d)
    lo = hi = i
    while lo > 0 and _joined(ds[lo - 1], ds[lo], text):
        lo -= 1
    while hi + 1 < len(ds) and _joined(ds[hi], ds[hi + 1], text):
        hi += 1
    return ds[lo : hi + 1]


def _joined(x: Deadline, y: Deadline, text: str) -> bool:
    gap = text[x.span.end : y.span.start]
    return 0 < len(gap) <= 2 and x.kind == y.kind == "by" and bool(_JOIN.match(gap))


def _pair(t: Target, group: list[Deadline], mates: list[Target], text: str, sentence: tuple[int, int]) -> Deadline | None:
    """The targets of t's run, in order, split evenly over the milestones (分别).

    到2022年和2030年，A、B分别提高到30%、18%和45%、25% → 30%, 18% by 2022; 45%, 25% by 2030.
    """
    s0 = sentence[0]
    pieces = [(s0 + x, s0 + y) for x, y in sentences(text[s0 : sentence[1]], _COMMA)]
    piece = next((p for p in pieces if p[0] <= t.span.end - 1 < p[1]), None)
    run = _run(text, piece, t) if piece else None
    if run is None:
        return None
    a, b = run
    after = sorted(
        (x for x in mates if a <= x.span.end - 1 < b and x.span.start >= group[-1].span.end),
        key=lambda x: x.span.end,
    )
    k = next((i for i, x in enumerate(after) if x is t), None)
    if k is None:
        return None
    if len(after) < len(group) and _EACH.match(text, a):
        return group[k]  # 分别达到50%及以上和持续提升: the values given go with the first milestones
    if len(after) % len(group):
        return None
    return group[k // (len(after) // len(group))]


def _run(text: str, piece: tuple[int, int], t: Target) -> tuple[int, int] | None:
    """The stretch of a comma clause whose values pair with the milestones.

    Each 分别 opens a run of its own, up to the 、 before the next one
    (A分别低于7%和5%、B分别低于12%和10%); what stands before the first 分别 is
    the indicator (提供4类以上疗法的比例分别达到70%和80%: 4类 pairs with nothing).
    Without 分别 the whole clause is one run.
    """
    a, b = piece
    marks = [m.start() for m in _EACH.finditer(text, a, b)]
    if not marks:
        return piece
    opened = [x for x in marks if x < t.span.end]  # a target's text may hold its indicator and 分别
    if not opened:
        return None
    start = opened[-1]
    nxt = next((x for x in marks if x > start), None)
    if nxt is None:
        return start, b
    cut = text.rfind("、", start, nxt)
    return start, (cut if cut > start else nxt)
