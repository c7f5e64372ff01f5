"""Reading text input: encodings, BOMs, line ends, the --encoding override."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import policyparse

NOTICE = "关于加强基层卫生工作的通知\r\n一、总体要求\r\n（一）到2025年，覆盖率达到90%以上。\r\n二、保障措施\r\n"


@pytest.mark.parametrize(
    "encoding,data",
    [
        ("utf-8", NOTICE.encode("utf-8")),
        ("utf-8-sig", b"\xef\xbb\xbf" + NOTICE.encode("utf-8")),
        ("gb18030", NOTICE.encode("gb18030")),
        ("gbk", NOTICE.encode("gbk")),
        ("utf-16", NOTICE.encode("utf-16")),  # with BOM
        ("utf-16-be-bom", b"\xfe\xff" + NOTICE.encode("utf-16-be")),
    ],
)
def test_encodings_give_the_same_tree(tmp_path, encoding, data):
    p = tmp_path / f"n-{encoding}.txt"
    p.write_bytes(data)
    doc = policyparse.extract(p)
    assert [m.id for m in doc.measures] == ["一", "一.(一)", "二"]
    assert doc.source.encoding
    assert doc.source.sha256 and doc.source.path == str(p)


def test_gbk_is_recorded(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes((NOTICE * 20).encode("gbk"))
    assert policyparse.extract(p).source.encoding in {"gb18030", "gbk"}


def test_cr_line_ends_keep_input_lines(tmp_path):
    p = tmp_path / "cr.txt"
    p.write_bytes(NOTICE.replace("\r\n", "\r").encode("utf-8"))
    doc = policyparse.extract(p)
    assert [m.span.line for m in doc.measures] == [2, 3, 4]


def test_encoding_override(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes(NOTICE.encode("gb18030"))
    doc = policyparse.extract(p, encoding="gb18030")
    assert doc.source.encoding == "gb18030" and len(doc.measures) == 3


def test_undecodable_file_is_one_line_error(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"\xff\xfe\x00" * 3 + bytes(range(128, 256)) * 40)
    exe = str(Path(sys.executable).with_name("policyparse"))
    r = subprocess.run([exe, "extract", str(p)], capture_output=True, text=True)
    # either decoded with replacement (and a warning) or refused with one line naming the file
    if r.returncode:
        assert "Traceback" not in r.stderr and str(p) in r.stderr and r.stderr.strip().count("\n") == 0
    else:
        assert '"warnings"' in r.stdout


def test_unknown_encoding_override_is_an_error(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(NOTICE, encoding="utf-8")
    with pytest.raises(policyparse.errors.PolicyparseError) as exc:
        policyparse.extract(p, encoding="no-such-codec")
    assert exc.value.code == "decode"
