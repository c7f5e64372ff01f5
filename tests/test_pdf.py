"""PDF input: real PDFs in, the same facts out.

The PDFs are built here from the samples' text (tests/pdfgen.py, reportlab and a
CJK font from a package), with the furniture real notices carry; a ruled task
table runs over several pages.  The corpus PDFs in ../shared are read when present.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import time
from pathlib import Path

import pytest
import regex

import policyparse
from policyparse.errors import PolicyparseError
from policyparse.normalize import fold_chars
from policyparse.readers import pdf as pdf_reader
from policyparse.readers import read_bytes
from policyparse.structure.numbering import han_int

import pdfgen  # noqa: E402  (tests/ is on sys.path: rootdir conftest)
from conftest import SAMPLES, SHARED  # noqa: E402

SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))
FOLIOS = ["dash", "plain", "of", "dash", "none"]


def _style(i: int) -> pdfgen.Style:
    """Each sample gets different furniture: running head, folio style, browser chrome."""
    return pdfgen.Style(head="卫生健康局文件" if i % 2 == 0 else None, bold_labels=True, folio=FOLIOS[i % 5], chrome=i in (1, 4))


@functools.cache
def sample_pdf(i: int) -> bytes:
    return pdfgen.notice_pdf(SAMPLE_FILES[i].read_text(encoding="utf-8"), _style(i), title=SAMPLE_FILES[i].stem)


def _compact(text: str) -> str:
    return regex.sub(r"\s+", "", fold_chars(text))


# ---- the text layer --------------------------------------------------------------


@pytest.mark.parametrize("i", range(len(SAMPLE_FILES)))
def test_every_printed_character_comes_back_once(i):
    """No character lost, doubled (fake bold) or added (furniture, spaces in CJK)."""
    source = SAMPLE_FILES[i].read_text(encoding="utf-8")
    raw = read_bytes(sample_pdf(i), name="x.pdf")
    expected = _compact(regex.sub(r"(?m)^\s*#+\s*|\*\*", "", source))
    assert _compact(raw.text) == expected
    assert raw.format == "pdf" and raw.pages == len(raw.page_starts) and raw.pages >= 1


def test_page_starts_point_at_each_page():
    raw = read_bytes(sample_pdf(0), name="x.pdf")
    assert raw.page_starts == sorted(raw.page_starts) and raw.page_starts[0] == 0
    assert len(set(raw.page_starts)) == raw.pages  # every page holds text
    doc = policyparse.extract(sample_pdf(0), name="000.pdf")
    pages = [m.span.page for m in doc.measures]
    assert pages == sorted(pages) and 1 <= pages[0] and pages[-1] <= raw.pages and len(set(pages)) > 1


def test_furniture_is_gone():
    for i in (0, 1, 2, 4):
        text = read_bytes(sample_pdf(i), name="x.pdf").text
        assert "卫生健康局文件" not in text  # running head
        assert "https://" not in text and "政府信息公开专栏" not in text and "2024/3/5" not in text  # print chrome
        assert not regex.search(r"(?m)^(?:- ?\d+ ?-|\d+/\d+|第 ?\d+ ?页.*)$", text)  # folios


def test_justified_cjk_reads_without_spaces_and_fake_bold_once():
    text = "为深入贯彻落实党的卫生与健康工作方针，推动全县基层卫生健康工作高质量发展，促进健康文水建设，特制定如下措施，请认真贯彻落实。"
    data = pdfgen.notice_pdf("一、总体要求\n" + text, pdfgen.Style(justify=True, bold_labels=True, folio="none"))
    lines = [ln for ln in read_bytes(data).text.splitlines() if ln]
    assert lines[0] == "一、总体要求"
    assert "".join(lines[1:]) == text and " " not in "".join(lines[1:])


def test_indented_paragraphs_are_set_apart():
    para = "各医疗卫生单位要进一步提高政治站位，充分认识基层卫生健康工作的基础性作用，切实加大投入，推动工作重心下移。"
    data = pdfgen.notice_pdf(para + "\n" + para, pdfgen.Style(folio="none"))
    text = read_bytes(data).text
    assert "\n\n" in text.strip()  # a blank line between the two paragraphs
    assert text.count("\n\n") == 1


# ---- errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, code",
    [
        (lambda: b"%PDF-1.7\n%garbage that is no PDF at all\n", "damaged"),
        (lambda: sample_pdf(3)[:400], "damaged"),
        (lambda: pdfgen.encrypted_pdf(), "encrypted"),
        (lambda: pdfgen.scanned_pdf(), "no-text-layer"),
    ],
    ids=["garbage", "truncated", "encrypted", "scanned"],
)
def test_unreadable_pdfs_raise_a_coded_error(make, code):
    with pytest.raises(PolicyparseError) as err:
        policyparse.extract(make(), name="bad.pdf")
    assert err.value.code == code
    if code == "no-text-layer":
        assert "OCR" in err.value.message


# ---- tables ---------------------------------------------------------------------

TABLE = pdfgen.TableSpec(
    header=["类别", "序号", "工作内容", "分管领导", "牵头科室", "协办科室", "完成时限"],
    widths=[34, 30, 190, 52, 62, 62, 50],
    title="2023年全市卫生健康工作重点任务分工方案",
    rows_per_page=4,
    sections=[
        ("一、实施党建引领提升工程", [
            ["1", "强化党的领导，推动公立医院改革发展提速。充分发挥党组织把方向、管大局、作决策、促改革、保落实的领导作用。",
             "王耀玺", "办公室", "机关各科室配合落实", "一季度一督查一通报"],
            ["2", "加快深度融合，提升公立医院改革发展质效。年内争取创建1个基层党建工作示范点、3个具有医疗卫生行业特色的党建品牌。",
             "王耀玺", "办公室", "机关各科室配合落实", "2023年6月底前"],
            ["3", "坚持自我革命，持续推动全面从严治党纵深推进。", "王耀玺", "办公室", "", "2023年12月底前"],
        ]),
        ("二、实施疫情防控成效巩固工程", [
            ["4", "继续加强重点人群分类分级健康服务，持续做好新冠病毒疫苗接种，全程接种率提高到95%以上。",
             "卢俊福", "疾病防控与基层卫生科", "规划信息科", "一季度一督查一通报"],
            ["5", "继续加强分级分层分流医疗卫生服务体系建设和院前急救体系建设。", "卢俊福", "医政医改科", "", "每季度"],
            ["6", "组建中卫市疾病预防控制局。", "卢俊福、杜永山", "疾病防控与基层卫生科", "规划信息科", "2023年9月底前"],
        ]),
    ],
)


@functools.cache
def table_pdf() -> bytes:
    return pdfgen.table_pdf(TABLE)


def test_table_over_pages_becomes_tsv_rows():
    raw = read_bytes(table_pdf())
    lines = [ln for ln in raw.text.splitlines() if ln]
    assert raw.pages == 2 and raw.hints["pdf_tables"] == 2
    assert lines.count("序号\t工作内容\t分管领导\t牵头科室\t协办科室\t完成时限") == 1  # repeated header dropped
    rows = [ln for ln in lines if "\t" in ln][1:]
    want = [row for _, rs in TABLE.sections for row in rs]
    assert [r.split("\t") for r in rows] == [[c for c in w] if w[-1] else w[:-1] for w in want]
    # wrapped cells joined without spaces; section titles printed downwards become lines before their rows
    assert lines.index("一、实施党建引领提升工程") < lines.index(rows[0]) < lines.index("二、实施疫情防控成效巩固工程") < lines.index(rows[3])
    assert lines.count("二、实施疫情防控成效巩固工程") == 1  # printed again beside the rows on page 2


def test_table_rows_nest_under_their_sections():
    doc = policyparse.extract(table_pdf(), name="table.pdf")
    assert [m.id for m in doc.measures] == ["一", "一.1", "一.2", "一.3", "二", "二.4", "二.5", "二.6"]
    by_id = {m.id: m for m in doc.measures}
    assert by_id["二.6"].leaders == ["卢俊福", "杜永山"]
    assert ("lead", "疾病防控与基层卫生科") in {(u.role, u.name) for u in by_id["二.4"].units}
    assert by_id["二.5"].span.page == 2 and by_id["一.1"].span.page == 1
    assert by_id["一.2"].heading == "加快深度融合，提升公立医院改革发展质效"


# ---- the two engines agree ---------------------------------------------------------


def _facts(doc) -> list:
    keep = ("id", "heading", "targets", "deadlines", "frequencies", "units", "leaders")
    out = []
    for m in doc.measures:
        d = m.model_dump(include=set(keep))
        for kind in keep[2:]:
            for f in d.get(kind) or []:
                if isinstance(f, dict):
                    f.pop("span", None)
        out.append(d)
    return out


def _extract_with(engine: str, data: bytes, monkeypatch):
    original = pdf_reader.read_pdf
    monkeypatch.setattr(pdf_reader, "read_pdf", functools.partial(original, engine=engine))
    try:
        return policyparse.extract(data, name="x.pdf")
    finally:
        monkeypatch.setattr(pdf_reader, "read_pdf", original)


@pytest.mark.parametrize("which", ["sample0", "sample2", "table"])
def test_pdfium_reads_like_pdfplumber(which, monkeypatch):
    data = table_pdf() if which == "table" else sample_pdf(int(which[-1]))
    fast = pdf_reader.read_pdf(data, engine="auto")
    slow = pdf_reader.read_pdf(data, engine="pdfplumber")
    assert fold_chars(fast.text) == fold_chars(slow.text)
    assert _facts(_extract_with("auto", data, monkeypatch)) == _facts(_extract_with("pdfplumber", data, monkeypatch))


# ---- the same facts as the text ------------------------------------------------------


@functools.cache
def _score_module():
    path = SHARED / "tools" / "score.py"
    if not path.exists():
        pytest.skip(f"{path} is not present (shared/ lies beside the checkout)")
    spec = importlib.util.spec_from_file_location("policyparse_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _figures(stem: str, doc) -> dict:
    score = _score_module()
    gold_path = SHARED / "gold" / f"{stem}.gold.json"
    if not gold_path.exists():
        pytest.skip(f"no gold for {stem}")
    names = ["measures", "headings", *score.FACTS, "target_deadlines",
             *("doc." + k for k in score.DOC_SCALARS), *("doc." + k for k in score.DOC_LISTS)]
    tallies = {n: score.Tally() for n in names}
    score.score_doc(json.loads(gold_path.read_text(encoding="utf-8")), json.loads(doc.model_dump_json()), tallies, [])
    return {n: t.prf() for n, t in tallies.items()}


def _same_figures(i: int) -> None:
    stem = SAMPLE_FILES[i].stem
    txt = _figures(stem, policyparse.extract(SAMPLE_FILES[i]))
    pdf = _figures(stem, policyparse.extract(sample_pdf(i), name=f"{stem}.pdf"))
    worse = {n: (txt[n], pdf[n]) for n in txt if any(abs(a - b) > 0.02 for a, b in zip(txt[n], pdf[n]))}
    assert not worse, f"{stem}: P/R/F1 differ by more than 0.02 between .txt and .pdf: {worse}"


def test_pdf_scores_like_text_on_one_sample():
    _same_figures(0)


@pytest.mark.slow
@pytest.mark.parametrize("i", range(1, len(SAMPLE_FILES)))
def test_pdf_scores_like_text(i):
    _same_figures(i)


@pytest.mark.parametrize("folio", ["dash", "none"])
def test_a_row_number_at_a_page_edge_is_no_folio(folio):
    """A task table's row number that falls first or last on a page, set apart by
    blank lines, stays a row number: it does not count the pages (32 on page 9)."""
    alone = r"(?m)^\s*(\d{1,3})\s*$"  # a row number on a line of its own (a flattened task table)
    i = max(range(len(SAMPLE_FILES)), key=lambda k: len(regex.findall(alone, SAMPLE_FILES[k].read_text(encoding="utf-8"))))
    text = SAMPLE_FILES[i].read_text(encoding="utf-8")
    data = pdfgen.notice_pdf(text, pdfgen.Style(folio=folio), title=SAMPLE_FILES[i].stem)
    raw = read_bytes(data, name="table.pdf")
    rows = regex.findall(alone, text)
    assert len(rows) > 50
    assert regex.findall(alone, raw.text) == rows
    doc = policyparse.extract(data, name="table.pdf")
    assert [m.id for m in doc.measures] == [m.id for m in policyparse.extract(SAMPLE_FILES[i]).measures]


# ---- speed ----------------------------------------------------------------------------


@pytest.mark.slow
def test_text_pages_per_second():
    text = "\n".join(SAMPLE_FILES[i].read_text(encoding="utf-8") for i in (0, 3, 4)) * 2
    # fonts embedded as in real notices (a non-embedded CID font makes pdfium look up a substitute per page)
    data = pdfgen.notice_pdf(text, pdfgen.Style(head="卫生健康局文件"), embedded=True)
    pdf_reader.read_pdf(data)  # warm up imports
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        raw = pdf_reader.read_pdf(data)
        best = min(best, time.perf_counter() - t)
    rate = raw.pages / best
    assert rate >= 60, f"{rate:.0f} text pages/s"


# ---- the corpus PDFs ---------------------------------------------------------------------

CORPUS = SHARED / "corpus" / "pdf"
_FURNITURE = regex.compile(r"(?m)^\s*(?:[-—]\s*\d+\s*[-—]|\d{1,3}|第\s*\d+\s*页.*)\s*$")


def _corpus(name: str) -> Path:
    hits = sorted(CORPUS.glob(f"{name}*.pdf")) if CORPUS.exists() else []
    if not hits:
        pytest.skip(f"{CORPUS}/{name}*.pdf is not present")
    return hits[0]


def _in_sequence(doc) -> None:
    by_parent: dict = {}
    for m in doc.measures:
        by_parent.setdefault((m.parent, regex.sub(r"[\d一二三四五六七八九十百零〇]+", "#", m.label)), []).append(m)
    for sibs in by_parent.values():
        nums = [han_int(regex.sub(r"[^\d一二三四五六七八九十百零〇]", "", m.label)) for m in sibs]
        for a, b in zip(nums, nums[1:]):
            assert a is None or b is None or b in (a + 1, 1), [m.id for m in sibs]


@pytest.mark.parametrize("name", ["100", "108", "109"])
def test_corpus_pdfs_give_a_clean_tree(name):
    doc = policyparse.extract(_corpus(name))
    assert len(doc.measures) >= 10
    _in_sequence(doc)
    for m in doc.measures:
        assert not _FURNITURE.search(m.text or ""), (m.id, m.text[:200])
        assert "中央和国务院相关文件" not in (m.text or "") and "网站地图" not in (m.text or "")


def test_corpus_indicator_table_rows():
    raw = read_bytes(_corpus("108").read_bytes())
    lines = raw.text.splitlines()
    assert lines.count("序号\t指标\t基期水平\t2022年目标值\t2030年目标值\t指标性质") == 1
    numbers = [int(ln.split("\t")[0]) for ln in lines if regex.match(r"^\d+\t", ln)]
    assert numbers[:3] == [1, 2, 3] and len(numbers) >= 100
    assert numbers == sorted(numbers)
    assert "（一）健康知识普及行动" in lines


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages_read_upright(rotation):
    lines = ["一、总体要求", "到2025年，覆盖率达到90%以上。", "二、工作安排"]
    data = pdfgen.rotated_pdf(lines, rotation)
    for engine in ("auto", "pdfplumber"):
        assert pdf_reader.read_pdf(data, engine=engine).text.split() == lines


def test_table_without_rulings_reads_like_the_ruled_one():
    import dataclasses

    data = pdfgen.table_pdf(dataclasses.replace(TABLE, ruled=False))
    ruled = [ln for ln in read_bytes(table_pdf()).text.splitlines() if ln]
    for engine in ("auto", "pdfplumber"):
        assert [ln for ln in pdf_reader.read_pdf(data, engine=engine).text.splitlines() if ln] == ruled
