"""Benchmark policyparse against references measured in the same run.

Builds a corpus of N text notices (copies of samples/*.txt and, when present,
../shared/corpus/*.txt) in a temporary directory, then measures:

- throughput (MB/s, docs/s) of ``policyparse extract DIR --jsonl`` with one
  worker and with every core, beside three references over the same text:
  reading + decoding it, one regular-expression pass over it, and
  ``jieba.lcut`` of the whole text;
- cold start of ``policyparse extract`` on one 10 KB notice and on one PDF,
  beside ``python -c "import typer, rich, pydantic"`` (policyparse's modules
  are byte-compiled first, as a wheel install does);
- PDF throughput (pages/s, one worker) over the samples typeset as PDFs (text
  pages only; needs the dev extra's reportlab) and ``../shared/corpus/pdf``,
  and whether the fast reader gives the same measures and facts as a
  pdfplumber-only read of each of those PDFs;
- peak memory (max RSS, from the ``resource`` module: ``os.wait4`` for a
  command, ``getrusage`` inside a batch for its parent and its workers).

Then it checks the targets: one worker >= 4x jieba.lcut throughput; two
workers >= 1.7x one worker; cold start <= 2.5x the import reference; cold-start
peak RSS <= 60 MB; >= 60 pages/s on text pages with the same facts as pdfplumber.

    .venv/bin/python benchmarks/bench.py                 # 1,000 files
    .venv/bin/python benchmarks/bench.py --files 200 --json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BIN = Path(sys.executable).parent
POLICYPARSE = str(BIN / "policyparse") if (BIN / "policyparse").exists() else "policyparse"

# runs the CLI in this interpreter and reports its own and its workers' peak RSS
_BATCH = """
import json, os, resource, sys
sys.argv = ["policyparse"] + json.loads(os.environ["BENCH_ARGS"])
from policyparse.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
with open(os.environ["BENCH_OUT"], "w") as f:
    json.dump({"code": int(code or 0),
               "parent_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               "worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, f)
"""


def sources() -> list[Path]:
    """The distinct text notices the corpus is made of."""
    found = sorted((ROOT / "samples").glob("*.txt"))
    if (SHARED / "corpus").is_dir():
        found += sorted((SHARED / "corpus").glob("*.txt"))
    return found


def build_corpus(n: int, into: Path) -> list[Path]:
    """``n`` files cycling through the sources, ten per sub-directory."""
    src = sources()
    out = []
    for i in range(n):
        d = into / f"d{i // 10:03d}"
        d.mkdir(parents=True, exist_ok=True)
        p = d / f"{i:05d}_{src[i % len(src)].name}"
        shutil.copyfile(src[i % len(src)], p)
        out.append(p)
    return out


def notice_10k(into: Path) -> Path:
    """About 10 KB of a sample notice, cut at a line end."""
    data = (ROOT / "samples" / "002_adb6e61947c48a2a.txt").read_bytes()
    if len(data) < 10_240:
        data = min((p.read_bytes() for p in sources()), key=lambda b: abs(len(b) - 10_240))
    data = data[:10_240]
    data = data[: data.rindex(b"\n") + 1]
    p = into / "notice10k.txt"
    p.write_bytes(data)
    return p


def a_pdf(into: Path) -> Path | None:
    """The smallest PDF of ../shared/corpus/pdf, else one the bad-input generator makes."""
    pdfs = sorted((SHARED / "corpus" / "pdf").glob("*.pdf"), key=lambda p: p.stat().st_size) if (SHARED / "corpus" / "pdf").is_dir() else []
    if pdfs:
        return pdfs[0]
    sys.path.insert(0, str(ROOT / "tests" / "badinput"))
    try:
        from generate import TEXT_PAGE, pdf_bytes
    except ImportError:
        return None
    p = into / "one-page.pdf"
    p.write_bytes(pdf_bytes(TEXT_PAGE))
    return p


def pdf_corpus(into: Path) -> dict[str, list[Path]]:
    """PDFs to time: the samples typeset (text pages) and ../shared/corpus/pdf (real prints)."""
    sets: dict[str, list[Path]] = {}
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import pdfgen  # the tests' typesetter (reportlab, a dev extra)

        pdfgen.reportlab()
        out = into / "typeset"
        out.mkdir(parents=True, exist_ok=True)
        sets["typeset"] = []
        for src in sorted((ROOT / "samples").glob("*.txt")):
            p = out / (src.stem + ".pdf")
            p.write_bytes(pdfgen.notice_pdf(src.read_text(encoding="utf-8"), title=src.stem))
            sets["typeset"].append(p)
    except BaseException:  # noqa: BLE001 - no reportlab (pytest's skip is a BaseException): no typeset set
        sets.pop("typeset", None)
    finally:
        sys.path.remove(str(ROOT / "tests"))
    real = sorted((SHARED / "corpus" / "pdf").glob("*.pdf")) if (SHARED / "corpus" / "pdf").is_dir() else []
    if real:
        sets["corpus"] = real
    return sets


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def engines_agree(path: Path) -> bool:
    """The same measures and facts from the fast read as from a pdfplumber-only read."""
    from unittest import mock

    import policyparse
    from policyparse.readers import pdf as pdf_reader

    def facts(engine: str) -> list:
        original = pdf_reader.read_pdf

        def read(data, **kw):
            return original(data, **{**kw, "engine": engine})

        with mock.patch.object(pdf_reader, "read_pdf", read):
            doc = policyparse.extract(path)
        keep = {"id", "heading", "targets", "deadlines", "frequencies", "units", "leaders"}
        out = []
        for m in doc.measures:
            d = m.model_dump(include=keep)
            for kind in ("targets", "deadlines", "frequencies", "units"):
                for f in d[kind]:
                    f.pop("span", None)  # offsets differ where the two readers space a line differently
            out.append(d)
        return out

    return facts("auto") == facts("pdfplumber")


def pdf_throughput(sets: dict[str, list[Path]], into: Path) -> dict:
    """pages/s of ``extract DIR --jsonl --workers 1`` for each PDF set, and the engines' agreement."""
    res = {}
    for name, files in sets.items():
        d = into / f"pdf-{name}"
        d.mkdir(parents=True, exist_ok=True)
        for p in files:
            shutil.copyfile(p, d / p.name)
        r = run_batch(["extract", str(d), "--jsonl", "-q", "--workers", "1"])
        pages = sum(page_count(p) for p in files)
        res[name] = {
            "files": len(files), "pages": pages, "seconds": r["seconds"], "pages_s": pages / r["seconds"],
            "exit": r["code"], "same_as_pdfplumber": sum(engines_agree(p) for p in files),
        }
    return res


def byte_compile() -> None:
    """Write policyparse's .pyc files, as installing a wheel does (an editable install under
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module from source at every start)."""
    import compileall

    import policyparse

    compileall.compile_dir(str(Path(policyparse.__file__).parent), quiet=2)


# ---- measuring -------------------------------------------------------------------


def run_cmd(argv: list[str], stdout=subprocess.DEVNULL) -> tuple[float, int, int]:
    """(seconds, peak RSS in KB, exit status) of one command.

    Through ``/usr/bin/time`` when it exists: a child forked from this (large)
    process would otherwise report this process's RSS as its own peak.
    """
    if _TIME:
        with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as f:
            report = f.name
        argv = [_TIME, "-o", report, "-f", "%M"] + argv
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    peak = usage.ru_maxrss
    if _TIME:
        peak = int(Path(report).read_text().split()[-1])
        os.unlink(report)
    return seconds, peak, os.waitstatus_to_exitcode(status)


_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def best_of(k: int, argv: list[str]) -> tuple[float, int]:
    runs = [run_cmd(argv) for _ in range(k)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def run_batch(args: list[str]) -> dict:
    """Run ``policyparse ARGS`` in a child interpreter; its time and peak RSS (parent, workers)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    env = {**os.environ, "BENCH_ARGS": json.dumps(args), "BENCH_OUT": out}
    argv = ([_TIME, "-f", "%M", "-o", os.devnull] if _TIME else []) + [sys.executable, "-c", _BATCH]
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - t0
    data = json.loads(Path(out).read_text())
    os.unlink(out)
    data["seconds"] = seconds
    return data


def references(files: list[Path]) -> dict:
    """Reading + decoding, one regex pass, and jieba.lcut, over the same text."""
    import regex

    t0 = time.perf_counter()
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    read_s = time.perf_counter() - t0
    whole = "\n".join(texts)
    pattern = regex.compile(r"\d+(?:\.\d+)?\s*(?:%|万元|个|家)?")
    t0 = time.perf_counter()
    hits = len(pattern.findall(whole))
    regex_s = time.perf_counter() - t0
    # jieba over the distinct sources (its speed does not depend on repetition)
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)

    distinct = "\n".join(p.read_bytes().decode("utf-8", errors="replace") for p in sources())
    tk = jieba.Tokenizer()
    tk.initialize()
    t0 = time.perf_counter()
    words = len(tk.lcut(distinct))
    jieba_s = time.perf_counter() - t0
    mb = len(whole.encode("utf-8")) / 1e6
    return {
        "read_decode_mb_s": mb / read_s,
        "regex_mb_s": mb / regex_s,
        "regex_hits": hits,
        "jieba_lcut_mb_s": len(distinct.encode("utf-8")) / 1e6 / jieba_s,
        "jieba_words": words,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=1000, help="corpus size (files)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="'all cores' worker count")
    ap.add_argument("--json", action="store_true", help="print the results as one JSON object")
    opts = ap.parse_args(argv)

    res: dict = {"files": opts.files, "workers": opts.workers, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="policyparse-bench-") as tmp:
        tmpdir = Path(tmp)
        corpus = build_corpus(opts.files, tmpdir / "corpus")
        mb = sum(p.stat().st_size for p in corpus) / 1e6
        res["corpus_mb"] = mb

        for label, n in (("one_worker", 1), ("all_cores", opts.workers)):
            r = run_batch(["extract", str(tmpdir / "corpus"), "--jsonl", "-q", "--workers", str(n)])
            res[label] = {
                "workers": n, "seconds": r["seconds"], "mb_s": mb / r["seconds"], "docs_s": opts.files / r["seconds"],
                "exit": r["code"], "parent_peak_mb": r["parent_kb"] / 1024, "worker_peak_mb": r["worker_kb"] / 1024,
            }

        byte_compile()
        ref_s, ref_kb = best_of(5, [sys.executable, "-c", "import typer, rich, pydantic"])
        txt = notice_10k(tmpdir)
        txt_s, txt_kb = best_of(5, [POLICYPARSE, "extract", str(txt)])
        res["cold_start"] = {
            "reference_import_s": ref_s, "reference_peak_mb": ref_kb / 1024,
            "text_10k_s": txt_s, "text_10k_peak_mb": txt_kb / 1024, "text_10k_bytes": txt.stat().st_size,
        }
        pdf = a_pdf(tmpdir)
        if pdf is not None:
            pdf_s, pdf_kb = best_of(3, [POLICYPARSE, "extract", str(pdf)])
            res["cold_start"].update(pdf=pdf.name, pdf_s=pdf_s, pdf_peak_mb=pdf_kb / 1024, pdf_bytes=pdf.stat().st_size)
        res["pdf"] = pdf_throughput(pdf_corpus(tmpdir / "pdfsrc"), tmpdir)
        res["reference"] = references(corpus)  # last: it loads jieba into this process

    ref = res["reference"]
    one, many, cold = res["one_worker"], res["all_cores"], res["cold_start"]
    res["targets"] = {
        "one worker >= 4x jieba.lcut": (one["mb_s"] / ref["jieba_lcut_mb_s"], 4.0),
        f"{opts.workers} workers >= 1.7x one worker": (many["mb_s"] / one["mb_s"], 1.7),
        "cold start <= 2.5x import typer, rich, pydantic": (cold["text_10k_s"] / cold["reference_import_s"], 2.5),
        "cold start peak RSS <= 60 MB": (cold["text_10k_peak_mb"], 60.0),
    }
    text_pages = res["pdf"].get("typeset") or res["pdf"].get("corpus")
    if text_pages:
        res["targets"]["PDF >= 60 pages/s on text pages, 1 worker"] = (text_pages["pages_s"], 60.0)
        agree = sum(v["same_as_pdfplumber"] for v in res["pdf"].values())
        res["targets"]["PDFs with the same facts as pdfplumber-only (of %d)" % sum(v["files"] for v in res["pdf"].values())] = (agree, float(sum(v["files"] for v in res["pdf"].values())))
    if opts.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
    else:
        print(report(res))
    return 0


def report(res: dict) -> str:
    ref, one, many, cold = res["reference"], res["one_worker"], res["all_cores"], res["cold_start"]
    lines = [
        f"corpus: {res['files']} files, {res['corpus_mb']:.1f} MB of text ({res['cores']} cores)",
        "",
        "throughput                         MB/s     docs/s   peak RSS",
        f"  policyparse, 1 worker        {one['mb_s']:9.2f}  {one['docs_s']:9.1f}   parent {one['parent_peak_mb']:.0f} MB",
        f"  policyparse, {many['workers']} workers       {many['mb_s']:9.2f}  {many['docs_s']:9.1f}   parent {many['parent_peak_mb']:.0f} MB, worker {many['worker_peak_mb']:.0f} MB",
        f"  reference: read + decode     {ref['read_decode_mb_s']:9.1f}",
        f"  reference: one regex pass    {ref['regex_mb_s']:9.1f}",
        f"  reference: jieba.lcut        {ref['jieba_lcut_mb_s']:9.2f}",
        "",
        "cold start                         seconds  peak RSS",
        f"  import typer, rich, pydantic  {cold['reference_import_s']:9.3f}  {cold['reference_peak_mb']:6.0f} MB",
        f"  extract {cold['text_10k_bytes'] / 1024:.0f} KB notice         {cold['text_10k_s']:9.3f}  {cold['text_10k_peak_mb']:6.0f} MB",
    ]
    if "pdf_s" in cold:
        lines.append(f"  extract {cold['pdf']} ({cold['pdf_bytes'] / 1e6:.1f} MB)")
        lines.append(f"  {'':30}{cold['pdf_s']:9.3f}  {cold['pdf_peak_mb']:6.0f} MB")
    if res.get("pdf"):
        lines += ["", "PDF, 1 worker                   pages    pages/s   same facts as pdfplumber-only"]
        for name, v in res["pdf"].items():
            label = "samples typeset (text pages)" if name == "typeset" else "../shared/corpus/pdf"
            lines.append(f"  {label:30}{v['pages']:5d}  {v['pages_s']:9.1f}   {v['same_as_pdfplumber']} of {v['files']} PDFs")
    lines += ["", "targets"]
    for name, (value, bound) in res["targets"].items():
        ok = value <= bound if ("<=" in name) else value >= bound
        lines.append(f"  {'PASS' if ok else 'FAIL'}  {name}: {value:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
