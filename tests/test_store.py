"""The SQLite corpus: counts match the JSONL, re-runs are idempotent, FTS finds Chinese phrases."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import policyparse
from policyparse import store

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.txt"))
EXE = str(Path(sys.executable).with_name("policyparse"))


@pytest.fixture(scope="module")
def outputs():
    return [json.loads(policyparse.extract(p).model_dump_json()) for p in SAMPLES]


def _count(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _expected(outputs, kind):
    n = 0
    for d in outputs:
        n += len(d["preamble"][kind]) if kind != "measures" else 0
        n += len(d["measures"]) if kind == "measures" else sum(len(m[kind]) for m in d["measures"])
    return n


def test_counts_match_the_jsonl(outputs):
    db = store.connect(":memory:")
    assert store.write_all(db, outputs)["added"] == len(outputs)
    assert _count(db, "documents") == len(outputs)
    for kind in ("measures", "targets", "deadlines", "frequencies", "units", "leaders"):
        assert _count(db, kind) == _expected(outputs, kind), kind


def test_second_export_changes_nothing_and_growth_adds_only_new(outputs):
    db = store.connect(":memory:")
    store.write_all(db, outputs[:3])
    before = {t: _count(db, t) for t in store.TABLES}
    again = store.write_all(db, outputs[:3])
    assert again == {"added": 0, "updated": 0, "skipped": 3}
    assert {t: _count(db, t) for t in store.TABLES} == before
    grown = store.write_all(db, outputs)
    assert grown["added"] == len(outputs) - 3 and _count(db, "documents") == len(outputs)
    assert _count(db, "measures") == _expected(outputs, "measures")


def test_fts_finds_a_phrase_and_its_measure(outputs):
    db = store.connect(":memory:")
    store.write_all(db, outputs)
    rows = list(store.report(db, "search", "家庭医生签约服务"))
    assert any(r["measure"] == "五.(十八)" for r in rows)


def test_canned_reports(outputs):
    db = store.connect(":memory:")
    store.write_all(db, outputs)
    due = list(store.report(db, "targets-due", "2025"))
    assert due and all(r["deadline"].startswith("2025") for r in due)
    by_unit = list(store.report(db, "by-unit"))
    assert by_unit and by_unit[0]["measures"] >= by_unit[-1]["measures"]


def test_failed_records_are_skipped():
    db = store.connect(":memory:")
    assert store.write(db, {"source": {"path": "x"}, "error": {"code": "empty", "message": "file is empty"}}) == "skipped"
    assert _count(db, "documents") == 0


def test_cli_export_and_query(tmp_path, outputs):
    jsonl = tmp_path / "corpus.jsonl"
    jsonl.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in outputs), encoding="utf-8")
    db = tmp_path / "corpus.db"
    r = subprocess.run([EXE, "export", str(jsonl), "--sqlite", str(db)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([EXE, "query", str(db), "SELECT count(*) AS n FROM documents"], capture_output=True, text=True)
    assert json.loads(r.stdout) == {"n": len(outputs)}
    r = subprocess.run([EXE, "query", str(db), "--search", "家庭医生"], capture_output=True, text=True)
    assert r.returncode == 0 and "家庭医生" in r.stdout
    r = subprocess.run([EXE, "query", str(db), "DROP TABLE documents"], capture_output=True, text=True)
    assert r.returncode != 0 and "Traceback" not in r.stderr  # opened read-only


def test_parquet_export(tmp_path, outputs):
    pytest.importorskip("pyarrow", reason="Parquet export is the optional 'parquet' extra")
    import pyarrow.parquet as pq

    db = store.connect(":memory:")
    store.write_all(db, outputs)
    files = store.export_parquet(db, tmp_path / "pq")
    assert {f.stem for f in files} == set(store.TABLES)
    assert pq.read_table(tmp_path / "pq" / "measures.parquet").num_rows == _count(db, "measures")


def test_cli_extract_straight_into_sqlite(tmp_path):
    db = tmp_path / "corpus.db"
    samples = str(SAMPLES[0].parent)
    r = subprocess.run([EXE, "extract", samples, "--sqlite", str(db), "-q"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == ""
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == len(SAMPLES)
    before = con.execute("SELECT count(*) FROM measures").fetchone()[0]
    r = subprocess.run([EXE, "extract", samples, "--sqlite", str(db), "-q"], capture_output=True, text=True)
    assert r.returncode == 0
    assert con.execute("SELECT count(*) FROM measures").fetchone()[0] == before  # updated in place
