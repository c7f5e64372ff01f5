"""Property-based tests (hypothesis) on the normalizer, the numbering tree, every
fact extractor and the whole pipeline.

Profiles (tests/conftest.py): "default" runs 200 examples per property;
``HYPOTHESIS_PROFILE=slow .venv/bin/python -m pytest tests/test_properties.py``
runs 10,000.
"""

from __future__ import annotations

import json

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import example, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from policyparse import pipeline  # noqa: E402
from policyparse.facts import FactContext, deadlines, frequencies, indicator_cells, leaders, metadata, targets, units  # noqa: E402
from policyparse.models import Document  # noqa: E402
from policyparse.normalize import normalize_text  # noqa: E402
from policyparse.structure.numbering import build_tree  # noqa: E402

# pieces of real notices: labels, dates, quantities, table cells, punctuation
TOKENS = [
    "一、", "二、", "十、", "（一）", "（二）", "(三)", "1．", "2.", "3、", "（1）", "(2)", "①", "②",
    "第一条", "第二章", "附件", "附件1", "\n", "\n\n", "\t", " ", "　", "。", "，", "；", "：", "、",
    "到2025年", "2024年6月底前", "年底前", "每季度", "每月开展1次", "每年至少2次", "达到", "不低于",
    "以上", "提高到", "90%", "40%", "1.5万元", "100个", "覆盖率", "村卫生室", "服务能力标准的比例",
    "牵头单位", "责任单位", "完成时限", "序号", "工作内容", "分管领导", "县卫生健康局", "市财政局",
    "各有关单位", "王五", "长期坚持", "〔2023〕57号", "关于印发", "的通知", "加强组织领导", "“", "”",
    "《", "》", "%", "0", "7", "〇", "百", "零",
]
policy_text = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
any_text = st.text(max_size=300)
texts = st.one_of(policy_text, any_text)
CTX = FactContext(year=2023)


def _spans_slice(text: str, facts, field: str = "text") -> None:
    for f in facts:
        s = f.span
        if s is None:
            continue
        assert 0 <= s.start <= s.end <= len(text), (f, len(text))
        piece = text[s.start : s.end]
        value = getattr(f, field)
        if field == "text":
            assert piece == value, (piece, value)
        else:  # a unit's name may be completed from context (区 + 卫生健康局)
            assert piece and piece in value, (piece, value)


@given(texts)
def test_normalizer_never_raises_and_maps_every_offset(text):
    norm = normalize_text(text)
    assert len(norm.src) == len(norm.text) + 1
    assert all(0 <= o <= len(text) for o in norm.src)
    for off in range(0, len(norm.text) + 1, 7):
        assert norm.line_of(off) >= 1


@given(texts)
def test_numbering_tree_paths_unique_parents_first(text):
    tree = build_tree(normalize_text(text))
    seen: set[str] = set()
    for node in tree.nodes:
        assert node.id not in seen, node.id
        assert node.parent_id is None or node.parent_id in seen, (node.id, node.parent_id)
        assert node.level == len(node.path)
        assert 0 <= node.start <= node.end <= len(normalize_text(text).text)
        seen.add(node.id)


@pytest.mark.parametrize("module", [deadlines, frequencies, targets, indicator_cells], ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@given(text=texts)
def test_fact_spans_slice_their_own_text(module, text):
    _spans_slice(text, module.extract(text, CTX))


@given(texts)
@example("：村卫生室\t一、第一条第一条第一条")  # a separator before a table row's name was inside its span
def test_units_spans_point_into_their_names(text):
    _spans_slice(text, units.extract(text, CTX), field="name")


@given(texts, st.sampled_from(["lead", "support", "responsible"]))
def test_cell_extractors_never_raise(text, role):
    for u in units.from_cell(text, role, CTX):
        assert u.role == role and u.name
    for name in leaders.from_cell(text, CTX) + leaders.extract(text, CTX):
        assert isinstance(name, str) and name
    metadata.extract(text, CTX)


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = Document.model_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@given(texts)
def test_pipeline_output_validates_against_the_schema(validator, text):
    if not text.strip():
        return  # empty input is refused by the readers, not the pipeline's concern here
    doc = pipeline.extract(text)
    data = json.loads(doc.model_dump_json())
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, errors[0]
    ids = [m.id for m in doc.measures]
    assert len(ids) == len(set(ids))
    for m in doc.measures:
        assert m.parent is None or ids.index(m.parent) < ids.index(m.id)
    norm = normalize_text(text).text
    for owner in [doc.preamble, *doc.measures]:
        for kind in ("targets", "deadlines", "frequencies"):
            _spans_slice(norm, getattr(owner, kind))
        _spans_slice(norm, owner.units, field="name")
