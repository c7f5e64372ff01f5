"""Metadata of the five samples against their gold ``document`` blocks, and of the
corpus notices (read from ../shared when present; skipped otherwise)."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from conftest import SAMPLES, needs_shared
from policyparse.facts import metadata
from policyparse.normalize import normalize_text


def _meta(path):
    return metadata.extract(normalize_text(path.read_text(encoding="utf-8")).text)


def _norm(s) -> str:
    """As the scorer compares: NFKC, no spaces, 〔〕 as [], no end punctuation."""
    s = unicodedata.normalize("NFKC", s or "")
    s = re.sub(r"\s+", "", s).replace("〔", "[").replace("〕", "]")
    return s.strip("。．.，,：:;；")


def _organs(items) -> list[str]:
    return [_norm(x) for it in items for x in re.split(r"[、，,；;]", it) if x.strip()]


@pytest.mark.parametrize("stem", [p.stem for p in sorted(SAMPLES.glob("*.txt"))])
def test_sample_metadata_matches_gold(stem):
    gold_path = needs_shared("gold") / f"{stem}.gold.json"
    if not gold_path.exists():
        pytest.skip(f"no gold for {stem}")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["document"]
    got = _meta(SAMPLES / f"{stem}.txt")
    if gold["title"]:
        assert _norm(got.title).endswith(_norm(gold["title"]))
    else:
        assert got.title is None
    assert re.sub(r"[、，,]", "", _norm(got.issuer)) == re.sub(r"[、，,]", "", _norm(gold["issuer"]))
    assert _norm(got.doc_number) == _norm(gold["doc_number"])
    assert got.issued_on == gold["issued_on"]
    assert _organs(got.recipients) == _organs(gold["recipients"])
    assert [_norm(a) for a in got.attachments] == [_norm(a) for a in gold["attachments"]]
    assert [_norm(c) for c in got.cited_documents] == [_norm(c) for c in gold["cited_documents"]]


def _corpus(prefix):
    files = sorted(needs_shared("corpus").glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"corpus notice {prefix} is not present")
    return _meta(files[0])


def test_web_print_takes_the_metadata_table_and_skips_site_chrome():
    m = _corpus("104")
    assert m.doc_number == "赣府厅发〔2025〕6号"
    assert m.issuer == "江西省人民政府办公厅"
    assert m.issued_on == "2025-04-03"
    assert m.title.endswith("关于将健康融入所有政策的意见")
    assert m.recipients[-1] == "省政府各部门"


def test_web_print_signature_wins_over_the_table_date():
    m = _corpus("100")
    assert m.doc_number == "琼健爱卫〔2025〕7号"
    assert m.issued_on == "2025-03-17"  # the 署名's date; the table repeats the publication date
    assert m.title == "关于印发《海南省将健康融入所有政策实施方案》的通知"
    assert m.publicity == "此件主动公开"


def test_run_on_notice_on_one_line():
    m = _corpus("113")
    assert (m.title, m.doc_number, m.issuer, m.issued_on) == (
        "关于促进光伏产业健康发展的若干意见",
        "国发〔2013〕24号",
        "国务院",
        "2013-07-04",
    )


def test_web_chrome_before_the_header():
    m = _corpus("106")
    assert m.doc_number == "阜蒙健促办发〔2020〕3号"
    assert m.recipients == ["各乡镇人民政府", "城区街道办事处", "县直各部门", "中省直各单位"]
    assert m.cited_documents == ["阜蒙政办发〔2019〕75号"]
    assert m.attachments == ["各部门政策制定重点领域", "阜蒙县健康专家委员会组成人员"]


def test_attachment_alone_has_a_title_and_no_issuer():
    m = _corpus("101")
    assert m.title == "省级相关部门“将健康融入所有政策”职责清单"
    assert (m.issuer, m.doc_number, m.issued_on, m.recipients) == (None, None, None, [])
