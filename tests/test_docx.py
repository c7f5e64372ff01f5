"""Word documents in, the same facts out: list numbering, tables, text boxes, legacy .doc.

The sample tests build a .docx from each sample's text at test time (labels as
literal text, and as Word list numbering) and compare its score with the .txt
score computed in the same run.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import time
import zipfile
from pathlib import Path

import pytest

import policyparse
from policyparse.errors import PolicyparseError
from policyparse.readers import legacy
from policyparse.readers.docx import is_docx, read_docx
from policyparse.readers.wordnum import format_number

sys.path.insert(0, str(Path(__file__).parent))
from conftest import SAMPLES, needs_shared  # noqa: E402
from docgen import (  # noqa: E402
    abstract, build_docx, check_same_score, custom_docx, num, para, sample_lines, txt_sample_runs,
)

# ---- numbers as Word shows them -------------------------------------------------


@pytest.mark.parametrize(
    "n, fmt, shown",
    [
        (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCountingThousand", "十一"),
        (20, "chineseCounting", "二十"), (105, "chineseCounting", "一百零五"), (3, "decimalEnclosedCircle", "③"),
        (12, "decimalFullWidth", "１２"), (2, "chineseLegalSimplified", "贰"), (10, "ideographDigital", "一〇"),
        (4, "upperRoman", "IV"), (2, "ideographTraditional", "乙"), (7, "decimal", "7"), (3, "lowerLetter", "c"),
    ],
)
def test_format_number(n, fmt, shown):
    assert format_number(n, fmt) == shown


CN3 = abstract("50", ("%1、", "chineseCounting", "nothing"), ("（%2）", "chineseCounting", "nothing"), ("%3.", "decimal"))


def test_multilevel_list_renders_labels_and_restarts_sublevels():
    body = "".join([
        para("总体要求", ("7", 0)), para("加强领导。", ("7", 1)), para("明确分工。", ("7", 1)),
        para("建立台账。", ("7", 2)), para("保障措施", ("7", 0)), para("强化考核。", ("7", 1)),
    ])
    text = read_docx(custom_docx(body, CN3 + num("7", "50"))).text
    assert text.split("\n") == ["一、总体要求", "（一）加强领导。", "（二）明确分工。", "1. 建立台账。", "二、保障措施", "（一）强化考核。"]


def test_lists_of_one_definition_continue_unless_restarted():
    defs = CN3 + num("7", "50") + num("8", "50") + num("9", "50", start_override={1: 1})
    body = "".join([
        para("甲", ("7", 1)), para("乙", ("7", 1)),
        para("丙", ("8", 1)),  # another list instance without override: Word continues
        para("丁", ("9", 1)), para("戊", ("9", 1)),  # restarted at 1
    ])
    assert read_docx(custom_docx(body, defs)).text.split("\n") == ["（一）甲", "（二）乙", "（三）丙", "（一）丁", "（二）戊"]


def test_level_restart_never_and_legal_numbering():
    defs = abstract("60", ("第%1部分", "chineseCounting", "space"), ("%1.%2", "decimal", "space"),
                    restart={1: 0}, legal={1}) + num("3", "60")
    body = "".join([para("总则", ("3", 0)), para("范围", ("3", 1)), para("要求", ("3", 0)), para("目标", ("3", 1))])
    # isLgl shows level 1's number in decimal; lvlRestart 0: level 2 keeps counting
    assert read_docx(custom_docx(body, defs)).text.split("\n") == ["第一部分 总则", "1.1 范围", "第二部分 要求", "2.2 目标"]


def test_numbering_from_paragraph_style_and_bullets_dropped():
    defs = abstract("70", ("（%1）", "decimal", "nothing")) + num("4", "70")
    defs += abstract("71", ("•", "bullet")) + num("5", "71")
    style = ('<w:style w:type="paragraph" w:styleId="TaskItem"><w:name w:val="Task Item"/>'
             '<w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>'
             '<w:style w:type="paragraph" w:styleId="TaskItem2"><w:name w:val="Task Item 2"/>'
             '<w:basedOn w:val="TaskItem"/></w:style>')
    body = para("建立台账。", style="TaskItem") + para("定期通报。", style="TaskItem2") + para("要点", ("5", 0))
    assert read_docx(custom_docx(body, defs, style)).text.split("\n") == ["（1）建立台账。", "（2）定期通报。", "要点"]


def test_empty_numbered_paragraph_uses_its_number():
    body = para("甲", ("7", 0)) + para("", ("7", 0)) + para("丙", ("7", 0))
    assert read_docx(custom_docx(body, CN3 + num("7", "50"))).text.split("\n") == ["一、甲", "二、", "三、丙"]


# ---- tables, text boxes, revisions ------------------------------------------------


def _cell(text: str = "", span: int = 1, vmerge: str | None = None, numbered: str | None = None) -> str:
    pr = ""
    if span > 1 or vmerge:
        pr = "<w:tcPr>" + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
        pr += (f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>" if vmerge else "") + "</w:tcPr>"
    paras = "".join(para(t) for t in text.split("|")) if not numbered else para("", (numbered, 0))
    return f"<w:tc>{pr}{paras}</w:tc>"


def test_task_table_as_tsv_rows():
    defs = abstract("80", ("%1", "decimal", "nothing")) + num("6", "80")
    rows = [
        [_cell("序号"), _cell("工作|内容"), _cell("分管|领导"), _cell("牵头|科室"), _cell("完成|时限")],
        [_cell("一、强化党建引领", span=5)],
        [_cell(numbered="6"), _cell("推动公立医院改革，|提升质效。"), _cell("王五", vmerge="restart"), _cell("办公室"), _cell("年底前")],
        [_cell(numbered="6"), _cell("创建示范点3个。"), _cell(vmerge="continue"), _cell("医政科"), _cell("6月底前")],
    ]
    tbl = "<w:tbl><w:tblGrid>" + "<w:gridCol/>" * 5 + "</w:tblGrid>"
    tbl += "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>"
    text = read_docx(custom_docx(para("附件") + tbl + para("（此件公开发布）"), defs)).text
    assert text.split("\n") == [
        "附件",
        "序号\t工作内容\t分管领导\t牵头科室\t完成时限",
        "一、强化党建引领",
        "1\t推动公立医院改革，提升质效。\t王五\t办公室\t年底前",
        "2\t创建示范点3个。\t王五\t医政科\t6月底前",
        "（此件公开发布）",
    ]


def test_one_column_table_is_read_as_paragraphs():
    tbl = "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>" + _cell("一、总体要求|到2025年，覆盖率达到90%。") + "</w:tr></w:tbl>"
    assert read_docx(custom_docx(tbl)).text.split("\n") == ["一、总体要求", "到2025年，覆盖率达到90%。"]


def test_text_box_kept_once_header_footer_dropped():
    raw = read_docx(build_docx(["一、总体要求", "2024年1月8日"]))
    assert raw.text.count("2024年1月8日") == 1  # the VML fallback is not read a second time
    assert "页眉" not in raw.text and "页脚" not in raw.text
    assert raw.format == "docx" and raw.encoding is None


def test_revisions_hidden_text_and_fields():
    body = (
        "<w:p><w:r><w:t>到</w:t></w:r><w:del><w:r><w:delText>2024</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>2025</w:t></w:r></w:ins><w:r><w:t>年</w:t></w:r>"
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏批注</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>完成</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:hyperlink><w:r><w:t>。</w:t></w:r></w:hyperlink><w:r><w:br/><w:t>下一行</w:t></w:r></w:p>'
    )
    assert read_docx(custom_docx(body)).text == "到2025年完成。\n下一行"


def test_not_a_word_document():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert not is_docx(buf.getvalue()) and not is_docx(b"PK\x03\x04broken") and not is_docx(b"text")
    with pytest.raises(PolicyparseError) as e:
        read_docx(b"PK\x03\x04" + b"\x00" * 40, name="x.docx")
    assert e.value.code == "damaged"
    with pytest.raises(PolicyparseError) as e:
        read_docx(custom_docx(para("")))
    assert e.value.code == "empty"


# ---- the samples as Word documents ---------------------------------------------------


@pytest.fixture(scope="module")
def txt_runs():
    """Each sample through the .txt pipeline, in this test run: stem → (text, Document, gold)."""
    return txt_sample_runs(needs_shared("gold"))


STEMS = sorted(p.stem for p in SAMPLES.glob("*.txt"))


@pytest.mark.parametrize("numbered", [False, True], ids=["literal", "word-numbering"])
@pytest.mark.parametrize("stem", STEMS)
def test_sample_docx_scores_like_txt(stem, numbered, txt_runs):
    if stem not in txt_runs:
        pytest.skip("no gold for this sample")
    raw = read_docx(build_docx(sample_lines(txt_runs[stem][0]), numbered=numbered))
    check_same_score(stem, txt_runs, raw.text, "docx numbered" if numbered else "docx")


def test_extract_docx_path(tmp_path):
    sample = SAMPLES / "004_01bdced4e8deef8f.txt"
    lines = sample_lines(sample.read_text(encoding="utf-8"))
    path = tmp_path / "notice.docx"
    path.write_bytes(build_docx(lines, numbered=True))
    doc = policyparse.extract(path)
    assert doc.source.format == "docx"
    assert [m.id for m in doc.measures] == [m.id for m in policyparse.extract(sample).measures]


# ---- legacy .doc / .wps ---------------------------------------------------------------

OLE_DOC = legacy.OLE_MAGIC + b"\x00" * 64 + "WordDocument".encode("utf-16-le") + b"\x00" * 64


def test_legacy_without_soffice_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere
    with pytest.raises(PolicyparseError) as e:
        legacy.read_legacy(OLE_DOC, name="old.doc")
    assert e.value.code == "unsupported"
    assert e.value.message == "legacy .doc/.wps needs LibreOffice (soffice) to convert; or save it as .docx"


def test_legacy_kinds():
    assert legacy.ole_kind(OLE_DOC) == "word"
    enc = legacy.OLE_MAGIC + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(PolicyparseError) as e:
        legacy.read_legacy(enc, name="secret.docx")
    assert e.value.code == "encrypted"
    with pytest.raises(PolicyparseError) as e:
        legacy.read_legacy(legacy.OLE_MAGIC + "Workbook".encode("utf-16-le"), name="t.xls")
    assert e.value.code == "unsupported"


def _fake_soffice(tmp_path: Path, body: str) -> None:
    """A stand-in `soffice` on PATH (the converter's command line is what is under test)."""
    exe = tmp_path / "soffice"
    exe.write_text(f"#!{sys.executable}\nimport sys, os, shutil, time\nargs = sys.argv[1:]\n{body}\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)


def test_legacy_converts_through_soffice(monkeypatch, tmp_path):
    converted = tmp_path / "converted.docx"
    converted.write_bytes(build_docx(["一、总体要求", "到2025年，覆盖率达到90%以上。"], chrome=False))
    _fake_soffice(tmp_path, (
        "assert '--headless' in args and args[args.index('--convert-to') + 1] == 'docx'\n"
        "assert any(a.startswith('-env:UserInstallation=file://') for a in args)\n"
        "out = args[args.index('--outdir') + 1]\n"
        "src = args[-1]\n"
        "shutil.copy(os.environ['FAKE_DOCX'], os.path.join(out, os.path.splitext(os.path.basename(src))[0] + '.docx'))"
    ))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("FAKE_DOCX", str(converted))
    raw = legacy.read_legacy(OLE_DOC, name="notice.wps")
    assert raw.text == "一、总体要求\n到2025年，覆盖率达到90%以上。"
    assert raw.format == "wps"


def test_legacy_conversion_time_limit(monkeypatch, tmp_path):
    _fake_soffice(tmp_path, "time.sleep(30)")
    monkeypatch.setenv("PATH", str(tmp_path))
    t = time.monotonic()
    with pytest.raises(PolicyparseError) as e:
        legacy.read_legacy(OLE_DOC, name="slow.doc", timeout=0.5)
    assert e.value.code == "timeout"
    assert time.monotonic() - t < 10


def test_legacy_conversion_failure_is_named(monkeypatch, tmp_path):
    _fake_soffice(tmp_path, "sys.stderr.write('Error: source file could not be loaded\\n'); sys.exit(1)")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PolicyparseError) as e:
        legacy.read_legacy(OLE_DOC, name="bad.doc")
    assert e.value.code == "damaged" and "could not be loaded" in e.value.message


@pytest.mark.slow
@pytest.mark.skipif(legacy.soffice() is None, reason="LibreOffice is not installed")
def test_legacy_real_libreoffice(tmp_path):
    """A .doc made by LibreOffice from a .docx reads back to the same text."""
    import subprocess

    src = tmp_path / "n.docx"
    src.write_bytes(build_docx(["一、总体要求", "（一）加强领导。每季度开展1次督查。"], chrome=False))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([legacy.soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180,
                   env=dict(os.environ))
    raw = legacy.read_legacy((tmp_path / "n.doc").read_bytes(), name="n.doc")
    assert raw.text.split("\n")[:2] == ["一、总体要求", "（一）加强领导。每季度开展1次督查。"]
