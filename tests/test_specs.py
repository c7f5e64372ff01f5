"""Run every spec file in tests/specs/: input → expected facts (or labels, or text).

Format of ``tests/specs/<kind>.yaml``::

    kind: targets              # a module under policyparse.facts, or a custom kind below
    context: {year: 2023}      # optional FactContext fields for every case
    cases:
      - input: 村卫生室达到服务能力标准的比例达到40%以上
        expected:              # in order; each item lists the fields to compare
          - {value: 40, unit: "%", comparator: ">="}
      - input: 服务人口超过1万人的
        expected: []           # must not match
      - input: ...
        expected: [...]
        xfail: why it fails today (strict: it must fail)

A fact's ``span`` may be given as ``[start, end]``; every fact that has a text and
a span must slice its own text out of the input.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

from policyparse.facts import FactContext

SPEC_DIR = Path(__file__).parent / "specs"

# kinds whose cases are not fact lists: name -> callable(input, ctx) -> actual value
CUSTOM = {}


def custom(kind):
    def deco(fn):
        CUSTOM[kind] = fn
        return fn

    return deco


def _cases():
    for path in sorted(SPEC_DIR.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = spec["kind"]
        ctx = spec.get("context") or {}
        for i, case in enumerate(spec["cases"]):
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            name = f"{path.stem}-{i + 1}"
            yield pytest.param(kind, {**ctx, **(case.get("context") or {})}, case, id=name, marks=marks)


def _field(fact, key):
    if isinstance(fact, dict):
        return fact.get(key)
    if key == "span":
        return [fact.span.start, fact.span.end] if fact.span else None
    return getattr(fact, key)


@pytest.mark.parametrize("kind,ctx,case", list(_cases()))
def test_spec(kind, ctx, case):
    assert "expected" in case, "a case without 'expected' asserts nothing"
    fctx = FactContext(**ctx)
    if kind in CUSTOM:
        actual = CUSTOM[kind](case["input"], fctx)
        expected = case["expected"]
        if isinstance(expected, dict):
            for key, want in expected.items():
                assert _field(actual, key) == want, f"{key}: {_field(actual, key)!r} != {want!r}"
        else:
            assert actual == expected
        return
    mod = importlib.import_module(f"policyparse.facts.{kind}")
    facts = mod.extract(case["input"], fctx)
    got = [f.model_dump(exclude={"span"}) if hasattr(f, "model_dump") else f for f in facts]
    assert len(facts) == len(case["expected"]), f"expected {len(case['expected'])} facts, got {got}"
    for fact, want in zip(facts, case["expected"]):
        if not isinstance(want, dict):  # plain values (leaders are names)
            assert fact == want, f"{fact!r} != {want!r} in {got}"
            continue
        for key, value in want.items():
            assert _field(fact, key) == value, f"{key}: {_field(fact, key)!r} != {value!r} in {got}"
    for fact in facts:
        text, span = getattr(fact, "text", None), getattr(fact, "span", None)
        if text is not None and span is not None:
            assert case["input"][span.start : span.end] == text


# ---- custom kinds -------------------------------------------------------------


@custom("normalize")
def _normalize(text, ctx):
    from policyparse.normalize import normalize_text

    return normalize_text(text).text


@custom("numbering")
def _numbering(text, ctx):
    from policyparse import extract

    return ["/".join(m.path) for m in extract(text).measures]


@custom("headings")
def _headings(text, ctx):
    from policyparse import extract

    return [["/".join(m.path), m.heading] for m in extract(text).measures]


@custom("leader_cells")
def _leader_cells(text, ctx):
    from policyparse.facts.leaders import from_cell

    return from_cell(text, ctx)


@custom("metadata")
def _metadata(text, ctx):
    from policyparse import extract

    return extract(text).document
