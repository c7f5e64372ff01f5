"""show: the tree of a document with its facts, from a notice or from output JSON."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from policyparse import extract
from policyparse.cli import app
from policyparse.models import Deadline, Frequency, Span, Target, Unit
from policyparse.view import describe, kind_of, parse_output, render_text

TEXT = """关于做好基层卫生工作的通知
一、总体要求
（一）加强组织领导。到2025年，村卫生室达到服务能力标准的比例达到40%以上。
（二）完善工作机制。每季度开展1次督查。
二、保障措施
（三）强化督导考核。由区卫生健康局牵头。
"""


@pytest.fixture()
def doc():
    """The extraction of TEXT, with one fact of each kind set where a reader finds it."""
    d = extract(TEXT)
    by = {m.label: m for m in d.measures}
    one, two, three = by["（一）"], by["（二）"], by["（三）"]
    one.targets = [Target(text="村卫生室达到服务能力标准的比例达到40%以上", value=40, unit="%", comparator=">=",
                          deadline="2025-12-31", span=Span(start=0, end=1, line=3))]
    one.deadlines = [Deadline(text="到2025年", date="2025-12-31", span=Span(start=0, end=1, line=3))]
    two.frequencies = [Frequency(text="每季度开展1次", period="quarter", times=1, span=Span(start=0, end=1, line=4))]
    three.units = [Unit(name="区卫生健康局", role="lead")]
    three.leaders = ["王五"]
    return d


def test_tree_has_headings_and_facts(doc):
    out = render_text(doc)
    for words in ("总体要求", "加强组织领导", "强化督导考核", "target ≥ 40% by 2025-12-31", "“村卫生室达到服务能力标准的比例达到40%以上”",
                  "deadline by 2025-12-31", "frequency 1×/quarter", "unit lead: 区卫生健康局", "leader 王五", "L3"):
        assert words in out, words
    # a fact sits beneath its measure, the measure beneath its section
    assert out.index("二、") < out.index("（三）") < out.index("unit lead")
    assert out.index("（一）") < out.index("target") < out.index("（二）")


def test_only_keeps_one_kind_and_the_measures_that_hold_it(doc):
    out = render_text(doc, ("targets",))
    assert "target ≥ 40%" in out and "一、" in out and "（一）" in out
    for gone in ("deadline", "frequency", "unit lead", "leader", "（二）", "二、", "（三）"):
        assert gone not in out, gone
    assert "(no leaders)" in render_text(doc.model_copy(update={"measures": []}), ("leaders",))


def test_show_command_on_output_json_and_on_a_notice(doc, tmp_path):
    out = tmp_path / "out.data"  # told apart by content, not by name
    out.write_text(doc.model_dump_json(indent=2), encoding="utf-8")
    res = CliRunner().invoke(app, ["show", str(out), "--only", "target"])
    assert res.exit_code == 0, res.output
    assert "target ≥ 40%" in res.stdout and "frequency" not in res.stdout
    res = CliRunner().invoke(app, ["show", str(SAMPLES / "001_df3ed95b26241507.txt")])
    assert res.exit_code == 0, res.output
    assert "强化组织管理，健全工作机制" in res.stdout and "提高思想认识" in res.stdout


def test_show_command_rejects_unknown_kinds_and_missing_files(tmp_path):
    res = CliRunner().invoke(app, ["show", str(SAMPLES / "001_df3ed95b26241507.txt"), "--only", "budgets"])
    assert res.exit_code == 2
    res = CliRunner().invoke(app, ["show", str(tmp_path / "nope.txt")])
    assert res.exit_code == 1


def test_jsonl_outputs_are_recognised(doc):
    line = doc.model_dump_json()
    assert len(parse_output((line + "\n" + line + "\n").encode())) == 2
    assert parse_output(b'{"a": 1}') is None  # JSON, but not ours
    assert parse_output(json.dumps({"source": {"path": "x"}, "error": {"code": "empty", "message": "m"}}).encode())


def test_describe_and_kind_names():
    assert kind_of("Frequency") == "frequencies"
    with pytest.raises(ValueError):
        kind_of("budget")
    assert describe("targets", {"value": 1, "value_max": 1.5, "unit": "‰", "comparator": "range"}) == "1–1.5‰"
    assert describe("deadlines", {"kind": "within", "date": None}) == "within (relative)"


def test_show_and_review_read_a_pdf(tmp_path):
    from pdfgen import notice_pdf

    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(notice_pdf(TEXT))
    res = CliRunner().invoke(app, ["show", str(pdf)])
    assert res.exit_code == 0, res.output
    assert "加强组织领导" in res.stdout and "强化督导考核" in res.stdout and "pdf" in res.stdout
    res = CliRunner().invoke(app, ["review", str(pdf), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 0, res.output
    assert "加强组织领导" in (tmp_path / "r.html").read_text(encoding="utf-8")
