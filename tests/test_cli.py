"""The command line: help examples that run, output modes, usage errors, --rules, imports."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policyparse.errors import ERROR_CODES, ExitCode
from policyparse.output import BOM, columns

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "samples" / "000_d7f5d53e4e07740e.txt"
NOTICE = "关于加强管理的通知\n一、总体要求\n（一）加强领导。到2025年，覆盖率达到90%以上。\n（二）强化督查。每季度开展1次督查。\n"


def _env() -> dict:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def cli(*args, input: bytes | None = None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "policyparse"), *map(str, args)], input=input, capture_output=True, cwd=cwd, env=_env(), timeout=300)


# ---- help: every command shows an example, and the example runs -------------------


def _commands() -> list[list[str]]:
    """Every command the installed CLI lists in its --help, and the top level."""
    listing = cli("--help").stdout.decode()
    names = re.findall(r"^  (\w[\w-]*)\s{2,}", listing.split("Commands:", 1)[-1], flags=re.M)
    return [[]] + [[n] for n in names]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "policyparse")
def test_help_has_a_runnable_example(command, tmp_path):
    res = cli(*command, "--help")
    assert res.returncode == 0
    examples = re.findall(r"^\s*Example: (.+)$", res.stdout.decode(), flags=re.M)
    assert examples, f"no 'Example:' in {' '.join(command)} --help"
    if shutil.which("jq") is None and any("jq" in e for e in examples):
        pytest.skip("jq is not installed")
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    for example in examples:
        run = subprocess.run(["bash", "-o", "pipefail", "-c", example], capture_output=True, cwd=tmp_path, env=_env(), timeout=300)
        assert run.returncode == 0, f"{example!r}: {run.stderr.decode()[-500:]}"
        produced = run.stdout or b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
        assert produced.strip(), f"{example!r} printed nothing"


# ---- one input --------------------------------------------------------------------


def test_one_file_gives_one_indented_object():
    res = cli("extract", SAMPLE)
    assert res.returncode == 0 and res.stderr == b""
    text = res.stdout.decode()
    assert text.startswith("{\n  ") and json.loads(text)["source"]["path"] == str(SAMPLE)


def test_compact_and_jsonl_give_one_line():
    for flag in ("--compact", "--jsonl"):
        res = cli("extract", SAMPLE, flag)
        assert res.returncode == 0 and res.stdout.count(b"\n") == 1
        json.loads(res.stdout)


def test_stdin():
    res = cli("extract", "-", input=NOTICE.encode("gbk"))
    assert res.returncode == 0
    doc = json.loads(res.stdout)
    assert doc["source"]["path"] == "-" and doc["source"]["encoding"] == "gb18030"
    assert [m["id"] for m in doc["measures"]][:2] == ["一", "一.(一)"]


def test_missing_file_is_one_stderr_line_and_status_1():
    res = cli("extract", "no/such/file.txt")
    assert res.returncode == ExitCode.SOME_FAILED and res.stdout == b""
    assert res.stderr.decode() == "error: no/such/file.txt: no such file [not-found]\n"


def test_warnings_name_the_line(tmp_path):
    p = tmp_path / "broken.txt"
    p.write_bytes(NOTICE.encode().replace("督查".encode(), b"\xff\xfe", 1))
    res = cli("extract", p)
    assert res.returncode == 0
    assert f"warning: {p}: line 4: invalid utf-8 bytes replaced" in res.stderr.decode()
    assert cli("extract", p, "-q").stderr == b""


# ---- --select and --format csv --------------------------------------------------------


@pytest.fixture(scope="module")
def sample_docs():
    """The samples, extracted once by the CLI (JSON lines), as Documents."""
    from policyparse.models import Document

    res = cli("extract", ROOT / "samples", "--jsonl", "-q")
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    return [Document.model_validate_json(x) for x in res.stdout.decode().splitlines()]


@pytest.mark.parametrize("kind", ["measures", "targets", "deadlines", "units", "frequencies", "leaders"])
def test_select_rows_carry_document_and_measure(kind, sample_docs):
    from policyparse.output import rows

    found = [r for d in sample_docs for r in rows(d, kind)]
    for row in found:
        assert list(row) == columns(kind)
        assert row["document"].startswith(str(ROOT / "samples"))
        assert row["measure"] is None or row["measure"] == ".".join(row["measure_path"])
        json.dumps(row)
    if kind == "measures":
        assert len(found) == sum(len(d.measures) for d in sample_docs) > 50


def test_select_json_and_csv_agree(sample_docs):
    from policyparse.output import rows

    as_json = cli("extract", ROOT / "samples", "--select", "measures", "-q")
    assert as_json.returncode == 0
    found = [json.loads(x) for x in as_json.stdout.decode().splitlines()]
    assert found == [r for d in sample_docs for r in rows(d, "measures")]
    as_csv = cli("extract", ROOT / "samples", "--select", "measures", "--format", "csv", "-q")
    assert as_csv.returncode == 0
    text = as_csv.stdout.decode("utf-8")
    assert text.startswith(BOM)
    table = list(csv.reader(io.StringIO(text[1:])))
    assert table[0] == columns("measures") + ["error"]
    assert len(table) - 1 == len(found)
    assert [r[:2] for r in table[1:]] == [[r["document"], r["measure"]] for r in found]
    assert [r[columns("measures").index("text")] for r in table[1:]] == [r["text"] for r in found]


def test_csv_error_rows_keep_every_input(tmp_path):
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    res = cli("extract", tmp_path, "--select", "measures", "--format", "csv", "-q")
    assert res.returncode == 1
    table = list(csv.DictReader(io.StringIO(res.stdout.decode()[1:])))
    assert table[-1]["document"] == str(tmp_path / "b.txt") and table[-1]["error"].startswith("empty: ")
    assert all(r["error"] == "" for r in table[:-1])


# ---- usage errors and --rules ------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["extract"],
        ["extract", "x.txt", "--bogus"],
        ["extract", "x.txt", "--format", "csv"],
        ["extract", "x.txt", "--format", "xml", "--select", "targets"],
        ["extract", "x.txt", "--select", "everything"],
        ["extract", "x.txt", "--skip-existing"],
        ["extract", "x.txt", "--workers", "-1"],
        ["extract", "-", "-"],
    ],
    ids=lambda a: " ".join(a),
)
def test_usage_errors_exit_2(args):
    res = cli(*args)
    assert res.returncode == ExitCode.USAGE
    assert b"Traceback" not in res.stderr and res.stdout == b""


def test_bad_rules_dir_names_file_rule_and_line(tmp_path):
    (tmp_path / "numbering.toml").write_text(
        'module = "policyparse.structure.numbering"\n\n[[rules]]\nname = "broken"\npattern = "(unclosed"\n', encoding="utf-8"
    )
    res = cli("extract", SAMPLE, "--rules", tmp_path)
    assert res.returncode == ExitCode.RULES and res.stdout == b""
    err = res.stderr.decode()
    assert "numbering.toml:4" in err and "broken" in err and "Traceback" not in err
    missing = cli("extract", SAMPLE, "--rules", tmp_path / "nope")
    assert missing.returncode == ExitCode.RULES and "not found" in missing.stderr.decode()


def test_rules_override_dir_is_used(tmp_path):
    shutil.copy(ROOT / "rules" / "numbering.toml", tmp_path / "numbering.toml")
    res = cli("extract", "-", "--rules", tmp_path, input=NOTICE.encode())
    assert res.returncode == 0 and json.loads(res.stdout)["measures"]


def test_other_commands(tmp_path):
    norm = cli("normalize", "-", input=NOTICE.encode())
    assert norm.returncode == 0 and norm.stdout.decode().startswith("关于加强管理的通知\n")
    assert cli("normalize", tmp_path / "none.txt").returncode == ExitCode.SOME_FAILED
    schema = json.loads(cli("schema").stdout)
    assert "measures" in schema["properties"]


# ---- imports: quiet and light -------------------------------------------------------------


def test_no_module_prints_on_import():
    code = (
        "import importlib, pkgutil, policyparse\n"
        "for m in pkgutil.walk_packages(policyparse.__path__, 'policyparse.'):\n"
        "    importlib.import_module(m.name)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    assert res.stdout == b""


HEAVY = ("jieba", "pdfplumber", "pdfminer", "pypdfium2", "cn2an", "charset_normalizer", "multiprocessing", "rich")


def test_cold_start_imports_nothing_heavy_for_a_plain_notice(tmp_path):
    """A UTF-8 notice with no facts needing a segmenter: none of HEAVY is imported."""
    p = tmp_path / "notice.txt"
    p.write_text("关于加强管理的通知\n一、总体要求\n（一）加强领导。\n（二）强化督查。\n", encoding="utf-8")
    code = (
        "import sys\n"
        f"sys.argv = ['policyparse', 'extract', {str(p)!r}]\n"
        "from policyparse.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}), file=sys.stderr)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert res.returncode == 0
    assert res.stderr.decode().strip().splitlines()[-1] == "[]"


def test_readme_error_table_lists_every_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ERROR_CODES:
        assert f"`{code}`" in readme, code
    for status in ExitCode:
        assert f"| {int(status)} " in readme, status
