"""The prefilter never hides a match: every text a rule matches holds what ``needs`` asks for."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyparse import rules
from policyparse.facts import prefilter

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
GATED = ("deadlines", "frequencies", "units")


def _words(pattern: str) -> list[list[str]]:
    return [sorted(c.words) + (["\\d"] if c.digit else []) for c in prefilter.needs(pattern)]


@pytest.mark.parametrize(
    "pattern, clauses",
    [
        ("牵头 (?!单位)", [["牵头"]]),
        ("(?:分别|共同)? (?:配合|协助)", [["协助", "配合"]]),
        (r"\d+ 天", [["天"], ["\\d"]]),
        ("(?P<kw>甲|乙)：|【(?P<kw>甲)】", [["乙", "甲"]]),  # 【甲】 holds 甲  # a name used twice (the regex module allows it)
        ("(?:甲)?", []),  # optional: nothing required
        ("[^甲]乙?", []),  # a negated class requires nothing
        (r"\p{Han}{2}", []),  # a property class is not read
        ("(?i)abc", []),  # case folding: no literal test
        ("a{e<=1}", []),  # fuzzy matching (regex module syntax)
        ("[[:alpha:]]", []),  # a POSIX class
    ],
)
def test_needs(pattern, clauses):
    assert _words(pattern) == clauses


def test_needs_reads_lookbehind_and_runs():
    got = _words(r"(?<=到)20\d\d年")
    assert ["20"] in got and ["到"] in got and ["年"] in got


def test_gate_keeps_order_and_skips_missing_words():
    gate = prefilter.Gate(("牵头", "配合|协助", r"(?<![\d])\d+个?工作日内"))
    assert gate.live("由区卫健局牵头，30个工作日内完成") == [0, 2]
    assert gate.live("加强宣传教育") == []
    assert gate.live("区医保局协助") == [1]


@pytest.mark.parametrize("kind", GATED)
def test_rule_examples_pass_the_gate(kind):
    rs = rules.load(kind)
    gate = prefilter.Gate(tuple(r.pattern for r in rs.rules))
    for i, r in enumerate(rs.rules):
        texts = [e["text"] if isinstance(e, dict) else e for e in r.examples + r.counter_examples]
        for text in texts:
            if r.regex.search(text):
                assert i in gate.live(text), (r.name, text)


def _texts() -> list[str]:
    paths = sorted(SAMPLES.glob("*.txt")) + (sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [])
    out = []
    for p in paths:
        out += [line for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


@pytest.mark.parametrize("kind", GATED)
def test_no_match_hidden_on_real_notices(kind):
    """Every line of the samples (and the corpus, when present) that a rule matches passes its gate."""
    rs = rules.load(kind)
    gate = prefilter.Gate(tuple(r.pattern for r in rs.rules))
    texts = _texts()
    assert texts
    for text in texts:
        live = set(gate.live(text))
        for i, r in enumerate(rs.rules):
            if i not in live:
                assert r.regex.search(text) is None, (r.name, text)


def test_line_start_scan_finds_what_finditer_finds():
    """units scans a pattern that opens with (?m)^ at line starts only: the same matches."""
    from policyparse.facts.units import _at_line_starts

    anchored = [r for r in rules.load("units").rules if r.pattern.lstrip().startswith("(?m)^")]
    assert anchored
    texts = _texts()
    texts += ["\n".join(texts[k : k + 7]) for k in range(0, len(texts), 7)]  # several lines at once
    texts += ["", "\n", "人事股：负责\n\n办公室：负责\n", "人事股：负责"]
    for r in anchored:
        for text in texts:
            want = [m.span() for m in r.regex.finditer(text)]
            assert [m.span() for m in _at_line_starts(r.regex, text)] == want, (r.name, text)


@pytest.mark.parametrize("kind", GATED + ("numbers",))
def test_gate_answers_what_each_pattern_clauses_answer(kind):
    """The gate's written-out tests say what ``may_match`` says of each pattern's own clauses."""
    patterns = tuple(r.pattern for r in rules.load(kind).rules)
    gate = prefilter.Gate(patterns)
    clauses = [prefilter.needs(p) for p in patterns]
    texts = _texts() + ["", "年", "2025年", "每月", "牵头单位：", "1:2", "\t甲"]
    for text in texts:
        want = [i for i, c in enumerate(clauses) if prefilter.may_match(c, text)]
        assert gate.live(text) == want, text
