"""End to end on the five samples: the measure tree, and every span grounded in the text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import policyparse
from policyparse.normalize import normalize
from policyparse.pipeline import read

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
EXPECTED = yaml.safe_load((Path(__file__).parent / "expected_paths.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def docs():
    return {p.stem: (p, policyparse.extract(p)) for p in sorted(SAMPLES.glob("*.txt"))}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_measure_paths(docs, stem):
    _, doc = docs[stem]
    assert ["/".join(m.path) for m in doc.measures] == EXPECTED[stem]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_tree_is_consistent(docs, stem):
    _, doc = docs[stem]
    seen = set()
    for m in doc.measures:
        assert m.id not in seen, f"duplicate id {m.id}"
        assert m.id == ".".join(m.path) and m.level == len(m.path)
        assert m.parent is None or m.parent in seen, f"{m.id}: parent {m.parent} not before it"
        seen.add(m.id)
        assert m.targets is not None and m.units is not None and m.leaders is not None


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_every_span_is_grounded(docs, stem):
    path, doc = docs[stem]
    raw, _ = read(path)
    norm = normalize(raw)
    lines = raw.text.split("\n")
    for m in doc.measures:
        piece = norm.text[m.span.start : m.span.end]
        assert piece.startswith(m.label), f"{m.id}: span does not start at its label"
        assert m.text in piece, f"{m.id}: text outside its span"
        label = "".join(m.label.split()).strip("（()）、．.")
        assert label in "".join(lines[m.span.line - 1].split()), f"{m.id}: line {m.span.line} lacks the label"
        for kind in ("targets", "deadlines", "frequencies"):
            for f in getattr(m, kind):
                assert norm.text[f.span.start : f.span.end] == f.text, f"{m.id} {kind}: {f.text!r}"
                assert f.span.line >= 1
        for u in m.units:
            if u.span is not None:
                assert u.span.line >= 1


def test_table_row_renumbered_with_warning(docs):
    _, doc = docs["002_adb6e61947c48a2a"]
    ids = [m.id for m in doc.measures]
    assert "六.48" in ids and "六.8" not in ids
    assert any(w.code == "table-row-renumbered" for w in doc.warnings)
    row = next(m for m in doc.measures if m.id == "六.48")
    assert row.label == "8"  # as printed
