"""Units and leaders of table cells (from_cell), prose leaders by name, and real notices.

The ``cells`` section of tests/specs/units.yaml (leaders: specs/leaders.yaml, leader_cells.yaml), sample 002's task table against its
gold, and must-match units of the corpus notices (skipped when absent).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from policyparse.facts import FactContext, leaders, units

from conftest import SAMPLES, SHARED, needs_shared

SPECS = Path(__file__).parent / "specs"


def _spec(name: str) -> dict:
    return yaml.safe_load((SPECS / f"{name}.yaml").read_text(encoding="utf-8"))


def _params(name: str, section: str):
    for i, case in enumerate(_spec(name).get(section) or []):
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
        yield pytest.param(case, id=f"{name}-{section}-{i + 1}", marks=marks)


@pytest.mark.parametrize("case", list(_params("units", "cells")))
def test_unit_cell(case):
    got = units.from_cell(case["input"], case["role"], FactContext())
    assert [[u.role, u.name] for u in got] == case["expected"]
    for u in got:  # a span covers the printed name (whitespace of a wrapped cell aside)
        printed = case["input"][u.span.start : u.span.end]
        assert "".join(printed.split()) in u.name


def test_unit_spans_slice_the_name():
    text = "（牵头单位：区财政金融局、卫生健康管理服务中心；责任单位：各镇，区社会事业局）"
    for u in units.extract(text, FactContext()):
        assert text[u.span.start : u.span.end] in u.name
        assert u.name.endswith(text[u.span.start : u.span.end])


def _gold(stem: str) -> dict:
    return json.loads((needs_shared("gold") / f"{stem}.gold.json").read_text(encoding="utf-8"))


def test_sample_002_table_matches_gold():
    """The task table's 牵头科室/协办科室/分管领导 cells give exactly the gold units and leaders."""
    from policyparse import extract

    stem = "002_adb6e61947c48a2a"
    path = SAMPLES / f"{stem}.txt"
    if not path.exists():
        pytest.skip("sample 002 is not present")
    gold = _gold(stem)
    doc = extract(path)
    rows = {tuple(m.path): m for m in doc.measures}

    def strip(name):
        return name[1:] if name[:1] in "区县市" else name

    want = {(tuple(u["path"]), u["role"], strip(u["name"])) for u in gold["units"] if not u.get("optional")}
    optional = {(tuple(u["path"]), u["role"], strip(u["name"])) for u in gold["units"] if u.get("optional")}
    got = {(p, u.role, strip(u.name)) for p, m in rows.items() for u in m.units}
    assert want - got == set(), "missed"
    assert got - want - optional == set(), "extra"
    want_l = {(tuple(x["path"]), x["name"]) for x in gold["leaders"]}
    got_l = {(p, name) for p, m in rows.items() for name in m.leaders}
    assert want_l == got_l


# must-match units of real notices nobody tuned the rules to: (file stem, path, role, name)
CORPUS_MUST = [
    ("101_hainan_fujian1_zhize_qingdan_fujian2_xinli_jiankang_guanai", ("附件2", "二", "(一)"), "lead", "省教育厅"),
    ("101_hainan_fujian1_zhize_qingdan_fujian2_xinli_jiankang_guanai", ("附件2", "二", "(二)"), "responsible", "省计生协"),
    ("104_jiangxi_jiankang_rongru_suoyou_zhengce_yijian_webpdf", ("一", "(一)"), "responsible", "赣江新区管委会"),
    ("104_jiangxi_jiankang_rongru_suoyou_zhengce_yijian_webpdf", ("四", "(十一)"), "responsible", "省红十字会"),
    ("106_fuxin_jiankang_rongru_suoyou_zhengce_zhidao_fangan", ("四", "(三)"), "responsible", "县健康促进办"),
]


@pytest.mark.parametrize("stem,path,role,name", CORPUS_MUST, ids=[f"{s[:3]}-{n}" for s, _, _, n in CORPUS_MUST])
def test_corpus_units(stem, path, role, name):
    f = SHARED / "corpus" / f"{stem}.txt"
    if not f.exists():
        pytest.skip(f"{f} is not present")
    doc = _corpus_doc(f)
    found = {(tuple(m.path), u.role, u.name) for m in doc.measures for u in m.units}
    assert (path, role, name) in found, sorted(x for x in found if x[0] == path)


_DOCS: dict = {}


def _corpus_doc(f: Path):
    from policyparse import extract

    if f not in _DOCS:
        _DOCS[f] = extract(f)
    return _DOCS[f]


def test_corpus_units_are_organizations():
    """Every unit found in the corpus notices looks like an organization (no clause text)."""
    corpus = SHARED / "corpus"
    files = sorted(corpus.glob("10[0-6]_*.txt")) if corpus.is_dir() else []
    if not files:
        pytest.skip("corpus is not present")
    for f in files:
        for m in _corpus_doc(f).measures:
            for u in m.units:
                assert 2 <= len(u.name) <= 40, (f.name, m.path, u.name)
                assert not any(w in u.name for w in ("的", "要", "负责", "牵头", "。", "，")), (f.name, m.path, u.name)
