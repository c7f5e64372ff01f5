"""Bounded memory: a document streams out measure by measure, and the streamed
bytes are exactly those of the whole ``Document`` (the two paths cannot drift).

The memory test runs the CLI under ``/usr/bin/time -v`` on two sizes of the same
synthetic notice and bounds the growth of peak memory per MB of input; the
50 MB case itself is ``test_badinput.py::test_50mb_notice_within_1gb`` (slow).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyparse import batch, output, pipeline
from policyparse.cli import app
from policyparse.output import SELECTS, Style
from test_badinput import GEN

HERE = Path(__file__).resolve().parent
SAMPLES = sorted((HERE.parent / "samples").glob("*.txt"))
BIN = Path(sys.executable).parent
TEXTS = {
    "nested": "关于做好工作的通知\n各单位：\n现将有关事项通知如下。\n一、总体要求\n（一）加强领导。每季度开展1次督查。\n到2025年，覆盖率达到90%以上。\n二、保障措施\n市卫生健康委牵头。",
    "no measures": "没有编号的文字。到2025年完成。",
    "empty": "",
}


def _generator():
    return GEN  # tests/badinput/generate.py, loaded once by the bad-input suite


def _streamed(source, style: Style) -> str:
    run = pipeline.stream(source)
    parts: list[str] = []
    output.write_document(run.head, run.measures, run.warnings, style, parts.append)
    return "".join(parts)


def _inputs():
    # 002 carries a warning; the texts cover no measures, no text, and preamble facts
    return [pytest.param(p, id=p.name) for p in SAMPLES[:3]] + [pytest.param(t, id=k) for k, t in TEXTS.items()]


@pytest.mark.parametrize("source", _inputs())
def test_streamed_document_is_the_documents_json(source):
    doc = pipeline.extract(source)
    for indent in (None, 2):
        assert _streamed(source, Style(indent=indent)) == doc.model_dump_json(indent=indent) + "\n"


@pytest.mark.parametrize("source", _inputs()[:3])
def test_streamed_rows_are_the_documents_rows(source):
    doc = pipeline.extract(source)
    for kind in SELECTS:
        found = output.rows(doc, kind)
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in found)
        assert _streamed(source, Style(select=kind)) == lines
        assert _streamed(source, Style(select=kind, fmt="csv")) == output._csv(found, kind)


def test_extract_keeps_the_warnings_order_of_the_output():
    doc = pipeline.extract(SAMPLES[2])
    assert doc.warnings, "sample 002 has a warning"
    assert json.loads(_streamed(SAMPLES[2], Style()))["warnings"] == [w.model_dump() for w in doc.warnings]


# ---- spool: long results leave memory -------------------------------------------------


def test_a_long_result_is_spilled_to_a_file_and_read_back_unchanged(tmp_path, monkeypatch):
    kept = batch.process(0, batch.Input(str(SAMPLES[0])), batch.Job(spool_dir=str(tmp_path)))
    assert kept.spool is None and kept.text
    monkeypatch.setattr(output, "SPILL_CHARS", 1_000)
    spilled = batch.process(0, batch.Input(str(SAMPLES[0])), batch.Job(spool_dir=str(tmp_path)))
    assert spilled.ok and spilled.text == "" and Path(spilled.spool).parent == tmp_path
    assert "".join(spilled.pieces()) == kept.text
    assert (spilled.measures, spilled.targets, spilled.warnings) == (kept.measures, kept.targets, kept.warnings)
    spilled.release()
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(sys.platform != "linux", reason="relies on forked workers inheriting the patched limit")
def test_worker_processes_hand_spilled_results_to_the_parent(tmp_path, monkeypatch):
    inputs = [batch.Input(str(p)) for p in SAMPLES[:3]]
    kept = [o.text for o in batch.run(inputs, batch.Job(), workers=1)]
    monkeypatch.setattr(output, "SPILL_CHARS", 1_000)  # the forked workers inherit it
    outs = list(batch.run(inputs, batch.Job(spool_dir=str(tmp_path)), workers=2))
    assert all(o.spool for o in outs)
    assert ["".join(o.pieces()) for o in outs] == kept
    for o in outs:
        o.release()
    assert not list(tmp_path.iterdir())


def test_a_result_failing_half_way_leaves_no_spool_file(tmp_path, monkeypatch):
    real = pipeline.stream

    def breaks_after_one(*a, **k):
        run = real(*a, **k)
        first = next(run.measures)

        def measures():
            yield first
            raise RuntimeError("boom")

        run.measures = measures()
        return run

    monkeypatch.setattr(output, "SPILL_CHARS", 10)
    monkeypatch.setattr(pipeline, "stream", breaks_after_one)
    out = batch.process(0, batch.Input(str(SAMPLES[0])), batch.Job(spool_dir=str(tmp_path)))
    assert out.error == ("internal", "RuntimeError: boom") and out.spool is None
    assert json.loads(out.text)["error"]["code"] == "internal"
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args", [["--compact"], [], ["--select", "targets", "--format", "csv"]], ids=["compact", "pretty", "csv"])
def test_cli_copies_spilled_results_out_unchanged(args, tmp_path, monkeypatch):
    """Stdout and ``-o DIR`` carry the same bytes whether a result was spilled or not."""
    src = str(SAMPLES[1])
    runner = CliRunner()
    plain = runner.invoke(app, ["extract", src, "-q", "-j", "1", *args])
    monkeypatch.setattr(output, "SPILL_CHARS", 100)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the run's spool directory goes here
    spilled = runner.invoke(app, ["extract", src, "-q", "-j", "1", *args])
    assert plain.exit_code == spilled.exit_code == 0
    assert spilled.stdout_bytes == plain.stdout_bytes and plain.stdout_bytes
    outdir = tmp_path / "out"
    assert runner.invoke(app, ["extract", src, "-q", "-j", "1", "-o", str(outdir), *args]).exit_code == 0
    (made,) = outdir.iterdir()
    monkeypatch.setattr(output, "SPILL_CHARS", 2_000_000)
    one_line = [a for a in args if a != "--compact"] + ([] if "--select" in args else ["--compact"])  # what -o DIR writes
    assert made.read_bytes() == runner.invoke(app, ["extract", src, "-q", "-j", "1", *one_line]).stdout_bytes
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no spool directory or file left


def test_a_terminated_run_leaves_no_spool_directory(tmp_path):
    import os
    import signal
    import time

    spool = tmp_path / "tmp"
    spool.mkdir()
    (tmp_path / "big.txt").write_bytes(_generator().big_text(400 * 1024))
    env = dict(os.environ, TMPDIR=str(spool))
    proc = subprocess.Popen([str(BIN / "policyparse"), "extract", str(tmp_path / "big.txt"), "-q"], stdout=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 30
    while not list(spool.iterdir()) and time.monotonic() < deadline:  # the run has made its spool directory
        time.sleep(0.05)
    assert list(spool.iterdir())
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert not list(spool.iterdir())


# ---- memory per MB of input -------------------------------------------------------------


def test_memory_stays_flat_while_measures_stream_out():
    """Once the tree is built, writing the measures allocates nothing that stays.

    Holding every measure until the end costs ~5 KB each; streamed, the traced
    memory may not grow by more than a small constant over 4,000 measures.
    """
    import tracemalloc

    text = _generator().big_text(300 * 1024)
    pipeline.extract(SAMPLES[0])  # rules, dictionaries and caches loaded before measuring
    run = pipeline.stream(text)
    seen = []

    def counted(measures):
        for m in measures:
            seen.append(m.id)
            yield m

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        output.write_document(run.head, counted(run.measures), run.warnings, Style(), lambda piece: None)
        growth = tracemalloc.get_traced_memory()[1] - before - sys.getsizeof(seen) - sum(map(sys.getsizeof, seen))
    finally:
        tracemalloc.stop()
    assert len(seen) > 4_000
    assert growth < 2 * 2**20, f"{growth / 2**20:.1f} MB held while streaming"


# 1 GB for a 50 MB notice allows (1024 - ~45 MB at start) / 50 ≈ 19.5 MB of peak memory per MB of
# input; before streaming a notice took ~106 MB per MB (every measure held, then the whole JSON)
BUDGET_MB_PER_MB = 19.5
GOAL_MB_PER_MB = 10.0  # well under the budget: what the 50 MB case needs to pass with room to spare


def _peak_mb(path: Path) -> float:
    res = subprocess.run(
        ["/usr/bin/time", "-v", str(BIN / "policyparse"), "extract", str(path), "--compact", "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600,
    )
    err = res.stderr.decode()
    assert res.returncode == 0, err[-2000:]
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024


@pytest.fixture(scope="module")
def slope(tmp_path_factory) -> tuple[float, str]:
    """Peak RSS growth per MB of input between two sizes of the same notice (both spilled)."""
    if not Path("/usr/bin/time").exists():
        pytest.skip("needs /usr/bin/time -v")
    d = tmp_path_factory.mktemp("sizes")
    gen = _generator()
    small, large = 300 * 1024, 1000 * 1024
    (d / "small.txt").write_bytes(gen.big_text(small))
    (d / "large.txt").write_bytes(gen.big_text(large))
    peaks = [_peak_mb(d / "small.txt"), _peak_mb(d / "large.txt")]
    mb_per_mb = (peaks[1] - peaks[0]) / ((large - small) / 2**20)
    return mb_per_mb, f"peak RSS {peaks[0]:.0f} → {peaks[1]:.0f} MB: {mb_per_mb:.1f} MB per MB of input"


def test_peak_memory_per_mb_of_input_stays_within_the_50mb_budget(slope):
    assert slope[0] < BUDGET_MB_PER_MB, slope[1]


@pytest.mark.xfail(
    strict=True,
    reason="the tree holds every item until the measures are written (~450 B each with slots, a path "
    "list and an id each; 14,000 items per MB of this input): ~12.5 MB per MB today",
)
def test_peak_memory_per_mb_of_input_is_well_under_the_budget(slope):
    assert slope[0] < GOAL_MB_PER_MB, slope[1]
