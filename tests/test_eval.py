"""eval: the match rules, the command, and agreement with shared/tools/score.py."""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import io
import json
from pathlib import Path

import pytest
from conftest import SAMPLES, needs_shared
from typer.testing import CliRunner

from policyparse.cli import app
from policyparse.evaluate import FACT_FIELDS, evaluate, load_gold, score

GOLD = {
    "file": "x.txt",
    "document": {"title": "关于印发方案的通知", "issuer": "甲局、乙委", "doc_number": "文〔2023〕1号", "issued_on": "2023-01-02",
                 "recipients": ["各镇", "各街道"], "attachments": [], "cited_documents": []},
    "measures": [{"path": ["一"], "heading": "总体要求"}, {"path": ["一", "(一)"], "heading": "加强领导"}],
    "targets": [
        {"path": ["一", "(一)"], "value": 90, "value_max": None, "unit": "%", "comparator": ">=", "deadline": "2025-12-31"},
        {"path": ["一", "(一)"], "value": 3, "value_max": None, "unit": "项", "comparator": "==", "optional": True},
    ],
    "deadlines": [{"path": ["一", "(一)"], "date": "2025-12-31", "kind": "by"}],
    "frequencies": [{"path": ["一"], "period": "quarter", "times": 1, "comparator": "=="}],
    "units": [{"path": ["一", "(一)"], "role": "lead", "name": "区卫生健康局"}],
    "leaders": [{"path": ["一", "(一)"], "name": "王五"}],
}


def _output(gold: dict) -> dict:
    """An output object that says exactly what ``gold`` says."""
    measures = [{"id": ".".join(m["path"]), "path": m["path"], "label": m["path"][-1], "heading": m.get("heading"),
                 **{k: [] for k in FACT_FIELDS}} for m in gold["measures"]]
    by_path = {tuple(m["path"]): m for m in measures}
    preamble = {k: [] for k in FACT_FIELDS}
    for k in FACT_FIELDS:
        for f in gold.get(k, []):
            holder = by_path.get(tuple(f.get("path") or ()), preamble)
            holder[k].append(f["name"] if k == "leaders" else {x: v for x, v in f.items() if x not in ("path", "optional")})
    return {"schema_version": "1", "source": {"path": gold["file"]}, "document": dict(gold["document"]),
            "preamble": preamble, "measures": measures}


def test_a_perfect_output_scores_one():
    s = score(GOLD, _output(GOLD))
    assert all(t.f1 == 1.0 for t in s.tallies.values()), {n: t for n, t in s.tallies.items() if t.f1 < 1}
    assert s.misses == []


def test_folding_titles_issuers_and_recipients():
    out = _output(GOLD)
    out["document"] |= {"title": "某某局关于印发方案的通知。", "issuer": "甲局乙委", "doc_number": "文[2023]1号",
                        "recipients": ["各镇、各街道"]}
    out["measures"][0]["path"] = ["一、"]
    out["measures"][1]["path"] = ["一、", "（一）"]
    out["measures"][1]["heading"] = "加强 领导。"
    s = score(GOLD, out)
    for n in ("doc.title", "doc.issuer", "doc.doc_number", "doc.recipients", "measures", "headings"):
        assert s.tallies[n].f1 == 1.0, n


def test_optional_gold_neither_rewards_nor_punishes():
    out = _output(GOLD)
    s = score(GOLD, out)  # the optional 3项 target is predicted: no false alarm
    assert (s.tallies["targets"].tp, s.tallies["targets"].fp) == (1, 0)
    out["measures"][1]["targets"] = out["measures"][1]["targets"][:1]
    assert score(GOLD, out).tallies["targets"].fn == 0  # and not predicting it is no miss


def test_misses_name_the_measure_path():
    out = _output(GOLD)
    m = out["measures"][1]
    m["targets"][0]["deadline"] = None
    m["units"] = [{"name": "区财政局", "role": "lead"}]
    m["leaders"] = []
    s = score(GOLD, out)
    got = {(x.field, x.what, x.path, x.detail) for x in s.misses}
    assert ("units", "missed", ("一", "(一)"), "lead 卫生健康局") in got
    assert ("units", "false alarm", ("一", "(一)"), "lead 财政局") in got
    assert ("leaders", "missed", ("一", "(一)"), "王五") in got
    assert any(x[0] == "target_deadlines" and x[2] == ("一", "(一)") for x in got)
    assert s.tallies["target_deadlines"].f1 == 0.0


def test_a_missing_output_counts_only_with_all_gold():
    gold = {"x": GOLD, "y": GOLD | {"file": "y.txt"}}
    report = evaluate(gold, {"x": _output(GOLD)})
    assert [d.name for d in report.docs] == ["x"] and report.unpaired_gold == ["y"]
    report = evaluate(gold, {"x": _output(GOLD)}, all_gold=True)
    assert report.total["measures"].fn == 2 and report.docs[1].misses[0].what == "no output"


def test_eval_command_json_and_misses(tmp_path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "x.gold.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    out = _output(GOLD)
    out["measures"][1]["leaders"] = ["赵六"]
    (tmp_path / "x.json").write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    res = CliRunner().invoke(app, ["eval", str(gold_dir), str(tmp_path / "x.json"), "--json", "--misses"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    assert got["total"]["leaders"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 1}
    assert {"field": "leaders", "what": "false alarm", "path": ["一", "(一)"], "detail": "赵六"} in got["misses"]["x"]
    res = CliRunner().invoke(app, ["eval", str(gold_dir), str(tmp_path), "--misses"])  # a directory of outputs
    assert res.exit_code == 0, res.output
    assert "false alarm" in res.stdout and "赵六" in res.stdout and "一 › (一)" in res.stdout


# ---- agreement with shared/tools/score.py ---------------------------------------------------


def _score_py():
    path = needs_shared("tools/score.py")
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reference(gold_dir: Path, out_dir: Path, *flags: str) -> dict:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        _score_py().main([str(gold_dir), str(out_dir), "--json", *flags])
    return json.loads(buf.getvalue())


def _counts(total: dict) -> dict:
    return {n: (v["tp"], v["fp"], v["fn"]) for n, v in total.items()}


def _perturbed(gold: dict, seed: int) -> dict:
    """Gold turned into an output with misses, false alarms and wrong values, deterministically."""
    g = copy.deepcopy(gold)
    for k in FACT_FIELDS:
        facts = g.get(k, [])
        for i, f in enumerate(facts):
            if k == "targets" and (i + seed) % 5 == 0:
                f["value"] = (f.get("value") or 0) + 1
            if k == "targets" and (i + seed) % 3 == 0:
                f["deadline"] = "2099-12-31"
            if k == "units" and (i + seed) % 6 == 0:
                f["name"] = "县" + f["name"]  # 县/区/市 prefixes do not matter
        g[k] = [f for i, f in enumerate(facts) if (i + seed) % 4 != 1] + [dict(f) for i, f in enumerate(facts) if (i + seed) % 7 == 2]
    g["measures"] = [m for i, m in enumerate(g["measures"]) if (i + seed) % 9 != 3]
    for i, m in enumerate(g["measures"]):
        if (i + seed) % 5 == 2 and m.get("heading"):
            m["heading"] = m["heading"][:-1]
    out = _output(g)
    doc = out["document"]
    if doc.get("title") and seed % 2:
        doc["title"] = "某某卫生健康局" + doc["title"]
    if doc.get("recipients"):
        doc["recipients"] = ["、".join(doc["recipients"])]
    return out


@pytest.mark.parametrize("flat", [False, True], ids=["by-measure", "flat"])
def test_agrees_with_score_py_on_perturbed_gold(tmp_path, flat):
    gold_dir = needs_shared("gold")
    gold = load_gold(gold_dir)
    outputs = {}
    for i, (stem, g) in enumerate(sorted(gold.items())):
        outputs[stem] = _perturbed(g, i)
        (tmp_path / f"{stem}.json").write_text(json.dumps(outputs[stem], ensure_ascii=False), encoding="utf-8")
    ref = _reference(gold_dir, tmp_path, *(["--flat"] if flat else []))
    ours = evaluate(gold, outputs, flat=flat).as_dict()["total"]
    assert _counts(ours) == _counts(ref)
    assert ours == ref
    assert 0 < ours["targets"]["f1"] < 1 and 0 < ours["units"]["f1"] < 1  # the perturbations bite


def test_agrees_with_score_py_on_the_samples(tmp_path):
    """`eval` run on the five sample notices gives score.py's totals on the same outputs."""
    gold_dir = needs_shared("gold")
    from policyparse import extract

    for f in sorted(SAMPLES.glob("*.txt")):
        (tmp_path / f"{f.stem}.json").write_text(extract(f).model_dump_json(), encoding="utf-8")
    ref = _reference(gold_dir, tmp_path)
    for given in ([str(tmp_path)], [str(f) for f in sorted(SAMPLES.glob("*.txt"))]):  # outputs, then the notices
        res = CliRunner().invoke(app, ["eval", str(gold_dir), *given, "--json"])
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout)["total"] == ref
