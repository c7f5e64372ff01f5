"""Batch runs: discovery, the worker pool (order, timeouts, crashes), -o DIR, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policyparse import batch
from policyparse.inputs import discover
from policyparse.output import Style, plan_outputs

BIN = Path(sys.executable).parent
NOTICE = "关于做好第{n}批工作的通知\n一、总体要求\n（一）加强领导。\n（二）强化督查。\n二、保障措施\n各单位落实责任。\n"
BROKEN = {  # name -> bytes that must fail, and the code they fail with
    "f_020.txt": (b"", "empty"),
    "f_061.txt": (b"   \n\t\n", "empty"),
    "f_099.txt": (b"\x89PNG\r\n\x1a\n" + bytes(64), "not-text"),
    "f_140.txt": (b"PK\x03\x04" + bytes(64), "not-text"),
    "f_177.txt": (bytes(range(1, 9)) * 100, "not-text"),
}


def cli(*args, input: bytes | None = None, cwd=None, timeout=240) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(BIN / "policyparse"), *map(str, args)], input=input, capture_output=True, cwd=cwd, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def corpus200(tmp_path_factory) -> Path:
    """200 small notices in two sub-directories; 5 of them broken."""
    root = tmp_path_factory.mktemp("corpus200")
    for n in range(200):
        name = f"f_{n:03d}.txt"
        sub = root / ("a" if n < 100 else "b")
        sub.mkdir(exist_ok=True)
        data = BROKEN[name][0] if name in BROKEN else NOTICE.format(n=n).encode()
        (sub / name).write_bytes(data)
    return root


def test_200_files_5_broken_in_order_and_identical_across_workers(corpus200):
    one = cli("extract", corpus200, "--jsonl", "--workers", "1")
    two = cli("extract", corpus200, "--jsonl", "--workers", "2")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout  # byte-identical
    lines = one.stdout.decode().splitlines()
    assert len(lines) == 200
    records = [json.loads(x) for x in lines]
    paths = [r["source"]["path"] for r in records]
    assert paths == sorted(paths)
    assert paths[0] == f"{corpus200}/a/f_000.txt" and paths[-1] == f"{corpus200}/b/f_199.txt"
    errors = {Path(r["source"]["path"]).name: r["error"]["code"] for r in records if "error" in r}
    assert errors == {name: code for name, (_, code) in BROKEN.items()}
    assert all(set(r) == {"source", "error"} for r in records if "error" in r)
    stderr = two.stderr.decode()
    assert stderr.count("error: ") == 5 and "Traceback" not in stderr
    assert "200 files: 195 ok, 5 failed" in stderr.splitlines()[-1]


def test_several_inputs_default_to_json_lines_and_keep_argument_order(corpus200):
    a, b = corpus200 / "b" / "f_150.txt", corpus200 / "a" / "f_001.txt"
    res = cli("extract", a, b, "-q")
    assert res.returncode == 0 and res.stderr == b""
    paths = [json.loads(x)["source"]["path"] for x in res.stdout.decode().splitlines()]
    assert paths == [str(a), str(b)]


# ---- discovery ----------------------------------------------------------------


def test_discover_sorts_recurses_and_skips_hidden(tmp_path):
    for rel in ["b/2.txt", "a.md", "b/1.pdf", "c.docx", ".hidden.txt", ".git/x.txt", "B.TXT", "b/sub/0.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("一、通知", encoding="utf-8")
    (tmp_path / "c.csv").write_text("a,b", encoding="utf-8")
    rels = [i.rel for i in discover([str(tmp_path)])]
    assert rels == ["B.TXT", "a.md", "b/1.pdf", "b/2.txt", "b/sub/0.txt", "c.docx"]
    assert [i.rel for i in discover([str(tmp_path)], ["*.md", "b/sub/*"])] == ["a.md", "b/sub/0.txt"]


def test_directory_without_inputs_is_an_error_record(tmp_path):
    (tmp_path / "empty").mkdir()
    res = cli("extract", tmp_path / "empty", "--jsonl")
    assert res.returncode == 1
    rec = json.loads(res.stdout)
    assert rec["error"]["code"] == "not-found" and rec["source"]["path"] == str(tmp_path / "empty")


# ---- the pool: order, timeouts, crashes ----------------------------------------


def _fake(index, inp, job):
    """A stand-in processor: sleeps, hangs, or dies as the file name says."""
    name = Path(inp.path).name
    if name.startswith("crash"):
        os._exit(3)
    if name.startswith("hang"):  # ignores the soft timeout: only a kill stops it
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    if name.startswith("slow"):
        with batch._deadline(job.timeout):
            time.sleep(60)
    time.sleep(0.01 * (index % 3))
    return batch.Outcome(index, inp.path, text=f"{name}\n")


def _run(names, workers, timeout=2.0):
    inputs = [batch.Input(n) for n in names]
    return list(batch.run(inputs, batch.Job(timeout=timeout), workers, fn=_fake))


def test_pool_keeps_input_order():
    names = [f"f{i}" for i in range(30)]
    outs = _run(names, 2)
    assert [o.path for o in outs] == names and [o.index for o in outs] == list(range(30))


def test_worker_that_dies_is_reported_and_replaced():
    outs = _run(["a", "crash1", "b", "crash2", "c", "d"], 2)
    assert [o.path for o in outs] == ["a", "crash1", "b", "crash2", "c", "d"]
    assert [o.error[0] if o.error else "ok" for o in outs] == ["ok", "internal", "ok", "internal", "ok", "ok"]
    assert "exit status 3" in outs[1].error[1]
    assert json.loads(outs[1].text) == {"source": {"path": "crash1", "format": "txt", "sha256": None, "encoding": None, "chars": 0, "pages": None}, "error": {"code": "internal", "message": outs[1].error[1]}}


def test_soft_timeout_becomes_an_error_record():
    outs = _run(["a", "slow", "b"], 2, timeout=0.5)
    assert outs[1].error[0] == "timeout" and outs[0].ok and outs[2].ok


def test_hung_worker_is_killed_after_grace(monkeypatch):
    monkeypatch.setattr(batch, "_GRACE", 0.5)
    t0 = time.monotonic()
    outs = _run(["a", "hang", "b", "c"], 2, timeout=0.5)
    assert time.monotonic() - t0 < 20
    assert outs[1].error[0] == "timeout" and "worker stopped" in outs[1].error[1]
    assert all(o.ok for k, o in enumerate(outs) if k != 1)


def test_timeout_option_turns_a_runaway_into_an_error_record(tmp_path, monkeypatch):
    """In-process (one worker) the deadline interrupts the pipeline itself."""
    import policyparse.pipeline as pipeline

    def forever(*a, **k):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(pipeline, "stream", forever)  # what batch.process runs
    p = tmp_path / "x.txt"
    p.write_text("一、通知", encoding="utf-8")
    out = batch.process(0, batch.Input(str(p)), batch.Job(timeout=0.3))
    assert out.error == ("timeout", "took longer than 0.3 s (--timeout)")
    assert json.loads(out.text)["error"]["code"] == "timeout"


def test_stray_print_in_a_module_does_not_reach_stdout(tmp_path, monkeypatch, capfd):
    import policyparse.pipeline as pipeline

    real = pipeline.stream

    def noisy(*a, **k):
        print("noise")
        return real(*a, **k)

    monkeypatch.setattr(pipeline, "stream", noisy)
    p = tmp_path / "x.txt"
    p.write_text("一、总体要求\n加强领导。", encoding="utf-8")
    out = batch.process(0, batch.Input(str(p)), batch.Job())
    assert out.ok
    captured = capfd.readouterr()
    assert "noise" not in captured.out and "noise" in captured.err


# ---- -o DIR ------------------------------------------------------------------


def test_output_dir_mirrors_the_tree_atomically_and_resumes(corpus200, tmp_path):
    out = tmp_path / "out"
    res = cli("extract", corpus200, "-o", out, "-q")
    assert res.returncode == 1 and res.stdout == b""
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert len(made) == 195 and made[0] == "a/f_000.json" and "a/f_020.json" not in made
    assert not [p for p in out.rglob(".*")]  # no temporary files left
    doc = json.loads((out / "b" / "f_150.json").read_text(encoding="utf-8"))
    assert doc["source"]["path"] == f"{corpus200}/b/f_150.txt"
    (out / "b" / "f_150.json").unlink()
    again = cli("extract", corpus200, "-o", out, "--skip-existing")
    assert again.returncode == 1  # the 5 broken files are tried again
    summary = again.stderr.decode().splitlines()[-1]
    assert "200 files: 1 ok, 5 failed, 194 skipped" in summary
    assert (out / "b" / "f_150.json").is_file()


def test_output_dir_never_overwrites_an_input(tmp_path):
    (tmp_path / "a.json").write_text("一、通知", encoding="utf-8")
    (tmp_path / "a.txt").write_text("一、通知", encoding="utf-8")
    res = cli("extract", tmp_path, "--glob", "*", "-o", tmp_path)
    assert res.returncode == 1
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "一、通知"
    assert "refusing to overwrite an input" in res.stderr.decode()
    assert json.loads((tmp_path / "a.txt.json").read_text(encoding="utf-8"))["source"]["path"].endswith("a.txt")


def test_output_dir_refuses_to_write_outside(tmp_path):
    src, out, elsewhere = tmp_path / "src", tmp_path / "out", tmp_path / "elsewhere"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "x.txt").write_text("一、通知", encoding="utf-8")
    out.mkdir()
    elsewhere.mkdir()
    (out / "sub").symlink_to(elsewhere)
    res = cli("extract", src, "-o", out)
    assert res.returncode == 1 and "refusing to write outside" in res.stderr.decode()
    assert list(elsewhere.iterdir()) == []


def test_output_names_do_not_collide():
    inputs = [batch.Input("d/a.pdf", "a.pdf"), batch.Input("d/a.txt", "a.txt"), batch.Input("-"), batch.Input("x/a.txt")]
    names = [p.as_posix() for p in plan_outputs(inputs, Path("OUT"), Style().suffix)]
    assert names == ["OUT/a.json", "OUT/a.txt.json", "OUT/stdin.json", "OUT/a.txt~2.json"]


# ---- Ctrl-C and closed pipes ---------------------------------------------------


def test_ctrl_c_leaves_complete_lines(corpus200):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen(
        [str(BIN / "policyparse"), "extract", str(corpus200), "--jsonl", "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True,
    )
    first = proc.stdout.readline()  # the run is under way
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole process group
    rest = proc.stdout.read()  # through the same buffered reader as readline
    err = proc.stderr.read()
    proc.wait(timeout=60)
    lines = (first + rest).decode().splitlines()
    assert proc.returncode == 130, err
    assert 1 <= len(lines) <= 200
    for line in lines:
        json.loads(line)
    assert "interrupted after" in err.decode() and "Traceback" not in err.decode()


def test_closed_pipe_is_quiet(corpus200):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    res = subprocess.run(f"policyparse extract '{corpus200}' --jsonl --workers 2 | head -n 2", shell=True, capture_output=True, env=env, timeout=120)
    assert len(res.stdout.decode().splitlines()) == 2
    assert b"Traceback" not in res.stderr and b"BrokenPipe" not in res.stderr


def test_progress_bar_only_on_a_terminal(tmp_path):
    """stderr a terminal: a progress bar (files, rate) then the summary; stdout stays JSON lines."""
    import pty

    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(NOTICE.format(n=n), encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    master, slave = pty.openpty()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "100"}
    proc = subprocess.Popen([str(BIN / "policyparse"), "extract", str(tmp_path), "--workers", "2"], stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    chunks: list[bytes] = []

    def drain():  # keep the terminal's buffer from filling while the run writes to it
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            chunks.append(chunk)

    import threading

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out, _ = proc.communicate(timeout=120)
    reader.join(10)
    os.close(master)
    seen = b"".join(chunks)
    assert proc.returncode == 1
    assert len(out.decode().splitlines()) == 4
    text = seen.decode(errors="replace")
    assert "files/s" in text and "4/4" in text
    assert "error: " in text and "4 files: 3 ok, 1 failed" in text
