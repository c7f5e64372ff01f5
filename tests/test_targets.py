"""Targets beyond the spec cases: the private tokenizer, invariants, the samples' gold."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import SAMPLES, needs_shared
from policyparse import segment
from policyparse.facts import FactContext, numbers, targets

try:
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # hypothesis is a dev extra
    given = None


def test_tokenizer_is_private_and_cached():
    import jieba

    tk = segment.tokenizer()
    assert tk is segment.tokenizer()
    assert tk.tokenizer is not jieba.dt


def test_user_dictionaries_skip_comments():
    words = segment._user_words(None)
    assert words and not any(w.startswith("#") for w in words)
    assert ("占比", "n") in segment.tag("县域内住院量占比")


def test_parse_number_forms():
    assert numbers.parse_number("二〇二五") == 2025
    assert numbers.parse_number("1,200") == 1200
    assert numbers.parse_number("一千二百万") == 12_000_000
    assert numbers.parse_number("百分之十五") == 15
    assert numbers.parse_number("十三五") is None
    assert numbers.parse_number("") is None


_ALPHABET = "0123456789.%‰—-至～、，。；的个所名元万亿以上以下不少于达到提高到控制在建设每年第“”《》（）一二两三十百千人岁年次"

if given is not None:

    @given(st.text(alphabet=_ALPHABET, max_size=40))
    def test_spans_slice_their_text(text):
        for t in targets.extract(text, FactContext(year=2023)):
            assert text[t.span.start : t.span.end] == t.text
            assert t.value_max is None or t.comparator == "range"
        for q in numbers.extract(text):
            assert text[q["start"] : q["end"]] == q["text"]


def _key(f: dict) -> tuple:
    unit = (f.get("unit") or "").removeprefix("个") if f.get("unit") != "个" else "个"
    vmax = None if f.get("value_max") is None else round(float(f["value_max"]), 4)
    return (round(float(f["value"]), 4), vmax, unit, f.get("comparator"))


def test_samples_against_gold_flat():
    """Over the five samples, targets (ignoring which measure holds them) reach F1 ≥ 0.9."""
    import policyparse

    gold_dir = needs_shared("gold")
    tp = fp = fn = 0
    for path in sorted(SAMPLES.glob("*.txt")):
        gold_file = gold_dir / f"{path.stem}.gold.json"
        if not gold_file.exists():
            continue
        gold = json.loads(gold_file.read_text(encoding="utf-8"))["targets"]
        want = Counter(_key(g) for g in gold if not g.get("optional"))
        optional = Counter(_key(g) for g in gold if g.get("optional"))
        doc = policyparse.extract(path)
        got = Counter(_key(t.model_dump()) for h in [doc.preamble, *doc.measures] for t in h.targets)
        tp += sum((want & got).values())
        fn += sum((want - got).values())
        fp += sum(((got - want) - optional).values())
    if tp + fn == 0:
        pytest.skip("no gold targets")
    p, r = tp / max(1, tp + fp), tp / (tp + fn)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    assert f1 >= 0.9, f"targets P {p:.3f} R {r:.3f} F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn})"


def test_figures_of_a_list_of_conditions_are_thresholds_not_targets():
    import policyparse

    doc = policyparse.extract(
        "第一条 本政策措施适用对象必须符合以下条件：\n1.员工不少于10人。\n2.年产值2000万元以上。\n"
        "第二条 支持发展\n1.到2025年新增企业10家。\n"
    )
    got = {m.id: [t.value for t in m.targets] for m in doc.measures}
    assert got == {"第一条": [], "第一条.1": [], "第一条.2": [], "第二条": [], "第二条.1": [10.0]}


def test_a_list_of_failing_cases_holds_thresholds_too():
    import policyparse

    doc = policyparse.extract(
        "第一条 项目存在下列情况之一者，不能通过验收：\n（一）任务完成不到80%；\n（二）经费未按规定开支。\n"
        "第二条 年度目标\n（一）项目验收通过率达到90%以上。\n"
    )
    got = {m.id: [t.value for t in m.targets] for m in doc.measures}
    assert got["第一条.(一)"] == [] and got["第二条.(一)"] == [90.0]
