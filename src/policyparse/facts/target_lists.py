"""Targets in lists: items of a run share the verb or the comparator of one of them.

``targets.extract`` decides each quantity on its own first; these steps then
carry a decision along a list: backwards from a verb after the list (的70%、80%
和90%给予), forwards from a target to the items after it (新增1个…，2个…), and
a comparator written once over a bare run (40%、28%、35%及以上).

    >>> from policyparse.facts.targets import extract
    >>> [t.value for t in extract("分别参照其年度地方财政贡献的70%、80%和90%给予企业奖励")]
    [70.0, 80.0, 90.0]
"""

from __future__ import annotations

from .. import recache

_LIST_GAP = recache.lazy(r"[ \t]*(?:[、和及与或,，]|以及)?[ \t]*")  # what stands between two items of a bare run


def lists_before(masked: str, cands: list) -> None:
    """A bare list before a verb after it (的70%、80%和90%给予): each item is set by the verb."""
    for k, c in enumerate(cands):
        if not (c.target and c.via == "verb-after"):
            continue
        cur = c
        for prev in reversed(cands[:k]):
            gap = masked[prev.end : cur.q["start"]]
            if prev.target or prev.descriptive or prev.scope or prev.cls != c.cls or not gap.strip() or not _LIST_GAP.fullmatch(gap):
                break
            prev.target, prev.via = True, "list"
            cur = prev


def continue_lists(masked: str, cands: list, t: tuple) -> None:
    """Items of a list after a target share its verb: 新增1个…，2个…、15个…."""
    prev = None  # the last target so far
    for c in cands:
        if c.target:
            prev = c
            continue
        if c.descriptive or c.scope:
            continue
        if prev is None or prev.sentence != c.sentence or prev.cls != c.cls:
            continue
        if c.cls == "level" and not (_LIST_GAP.fullmatch(masked[prev.end : c.q["start"]]) or c.q["unit"] == prev.q["unit"]):
            continue  # durations share a verb in a bare run (不少于3、2、1个小时) or a run of one unit
        if c.small and not prev.q["chinese"]:
            continue
        gap = masked[prev.end : c.q["start"]]
        if len(gap) > 40 or t.level_verb.search(gap) or not t.list_continuation.search(gap):
            continue
        c.target, c.via = True, "list"
        prev = c


def share_comparators(masked: str, cands: list) -> None:
    """In a run 40%、28%、35%及以上 every item takes the comparator written once."""
    runs: list[list] = []
    for c in cands:
        if not c.target:
            continue
        if runs and _LIST_GAP.fullmatch(masked[runs[-1][-1].end : c.q["start"]]):
            runs[-1].append(c)
        else:
            runs.append([c])
    for run in runs:
        for c in run[1:]:
            c.extra["head"] = run[0]
        for k, c in enumerate(run):
            if c.post or c.q["value_max"] is not None or (c.pre and k == 0):
                continue
            later = next((o for o in run[k + 1 :] if o.post), None)
            if later is not None:
                c.comparator = later.post[0]
            elif run[0].pre:
                c.comparator = run[0].comparator
