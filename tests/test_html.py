"""Web pages in, the same facts out: main block by density, chrome dropped, metadata block read.

The sample tests wrap each sample's text in typical government-site chrome
(menus, breadcrumbs, a metadata table, an info bar with a visit counter, share
and print tools, related links, a footer) and compare the score with the .txt
score computed in the same run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import policyparse
from policyparse.errors import PolicyparseError
from policyparse.readers.html import looks_like_html, read_html

sys.path.insert(0, str(Path(__file__).parent))
from conftest import SAMPLES, needs_shared  # noqa: E402
from docgen import CHROME, build_html, check_same_score, page_meta, sample_lines, txt_sample_runs  # noqa: E402

STEMS = sorted(p.stem for p in SAMPLES.glob("*.txt"))


@pytest.fixture(scope="module")
def txt_runs():
    return txt_sample_runs(needs_shared("gold"))


def _page_for(stem: str, runs: dict, encoding: str = "utf-8") -> tuple[bytes, dict]:
    """The sample as a web page; its metadata table shows the .txt run's metadata where found."""
    text, doc, _ = runs[stem]
    meta = page_meta(text)
    for key in ("title", "issuer", "doc_number", "issued_on"):
        if getattr(doc.document, key):
            meta[key] = getattr(doc.document, key)
    y, m, d = meta["issued_on"].split("-")
    meta["issued_on_text"] = f"{y}年{m}月{d}日"
    return build_html(sample_lines(text), meta=meta, encoding=encoding), meta


@pytest.mark.parametrize("stem", STEMS)
def test_sample_page_scores_like_txt(stem, txt_runs):
    if stem not in txt_runs:
        pytest.skip("no gold for this sample")
    page, _ = _page_for(stem, txt_runs)
    check_same_score(stem, txt_runs, read_html(page).text, "html")


@pytest.mark.parametrize("stem", STEMS)
def test_sample_page_chrome_left_out_and_metadata_read(stem, txt_runs):
    if stem not in txt_runs:
        pytest.skip("no gold for this sample")
    text = txt_runs[stem][0]
    page, meta = _page_for(stem, txt_runs, encoding="gbk")
    raw = read_html(page)
    assert raw.format == "html" and raw.encoding == "gb18030"
    assert {k: raw.hints["meta"][k] for k in ("title", "issuer", "doc_number", "issued_on")} == {
        k: meta[k] for k in ("title", "issuer", "doc_number", "issued_on")
    }
    chrome = [c for c in CHROME if c not in text]  # words the notice itself does not use
    leaked = [c for c in chrome if c in raw.text]
    assert not leaked, f"chrome in the text: {leaked}"
    assert "10234" not in raw.text and "71638" not in raw.text  # the visit counters
    doc = policyparse.extract(raw.text)
    for m in doc.measures:
        bad = [c for c in chrome if c in m.text]
        assert not bad, f"{m.id}: {bad}"


def test_extract_html_path(tmp_path, txt_runs):
    stem = "004_01bdced4e8deef8f"
    page, meta = _page_for(stem, txt_runs)
    path = tmp_path / "notice.htm"
    path.write_bytes(page)
    doc = policyparse.extract(path)
    assert doc.source.format == "html"
    assert [m.id for m in doc.measures] == [m.id for m in txt_runs[stem][1].measures]


# ---- sniffing and decoding --------------------------------------------------------------


def test_markup_is_recognised_by_content():
    assert looks_like_html(b"<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert looks_like_html(b"\xef\xbb\xbf  <html lang='zh'><head><meta charset='utf-8'></head></html>")
    assert looks_like_html("<div class='a'><p>一、总体要求</p><br/><table></table></div>".encode())
    assert not looks_like_html("一、总体要求\n覆盖率<90%的，要整改。\n".encode())
    assert not looks_like_html("%PDF-1.7".encode())


PAGE = "<html><head><meta charset='{cs}'><title>t</title></head><body><div><p>一、总体要求</p><p>到2025年完成。</p></div></body></html>"


@pytest.mark.parametrize("declared, codec", [("gb2312", "gbk"), ("GBK", "gb18030"), ("utf-8", "utf-8")])
def test_encoding_from_the_meta_tag(declared, codec):
    raw = read_html(PAGE.format(cs=declared).encode(codec))
    assert raw.text == "一、总体要求\n到2025年完成。"


def test_encoding_from_the_bytes_when_undeclared_or_wrong():
    page = PAGE.replace("<meta charset='{cs}'>", "")
    assert read_html((page * 3).encode("gb18030")).text.startswith("一、总体要求")
    wrong = read_html(PAGE.format(cs="utf-8").encode("gbk"))  # declared UTF-8, written in GBK
    assert wrong.text.startswith("一、总体要求") and any(w[0] == "decode-declared" for w in wrong.warnings)


# ---- rendering ------------------------------------------------------------------------


def _body(inner: str) -> bytes:
    return f"<html><body>{inner}</body></html>".encode()


def test_br_and_blocks_end_lines_source_breaks_do_not():
    raw = read_html(_body("<div><p>各有关单位：<br>现将方案印发给你们，\n   请认真贯彻落实。</p><div>一、总体要求</div>到2025年<b>完成</b>。</div>"))
    assert raw.text.split("\n") == ["各有关单位：", "现将方案印发给你们，请认真贯彻落实。", "一、总体要求", "到2025年完成。"]


def test_table_rows_as_tsv_with_spans():
    table = (
        "<table><tr><th>序号</th><th>工作<br>内容</th><th>分管领导</th><th>完成时限</th></tr>"
        "<tr><td colspan='4'>一、强化党建引领</td></tr>"
        "<tr><td>1</td><td><p>推动改革，</p><p>提升质效。</p></td><td rowspan='2'>王五</td><td>年底前</td></tr>"
        "<tr><td>2</td><td>创建示范点3个。</td><td>6月底前</td></tr></table>"
    )
    raw = read_html(_body(f"<div><p>附件</p>{table}</div>"))
    assert raw.text.split("\n") == [
        "附件",
        "序号\t工作内容\t分管领导\t完成时限",
        "一、强化党建引领",
        "1\t推动改革，提升质效。\t王五\t年底前",
        "2\t创建示范点3个。\t王五\t6月底前",
    ]


def test_layout_tables_are_read_as_blocks():
    menu = "".join(f"<p><a href='/{i}'>栏目{i}</a></p>" for i in range(8))
    article = "<p>一、总体要求</p><p>" + "加强基层医疗卫生服务能力建设，" * 10 + "确保完成。</p>"
    page = _body(f"<table><tr><td>{menu}</td><td><table><tr><td>{article}</td></tr></table></td></tr></table>")
    lines = read_html(page).text.split("\n")
    assert lines[0] == "一、总体要求" and len(lines) == 2 and "\t" not in lines[1]


def test_main_block_by_density_not_by_site():
    side = "<ul>" + "".join(f"<li><a href='/n{i}'>关于开展第{i}批试点工作的通知</a></li>" for i in range(30)) + "</ul>"
    article = (
        "<div class='c'><h2>示例县卫生健康局关于做好基层卫生工作的通知</h2><div class='info'>发布时间：2024-01-02 来源：本站 "
        "浏览次数：<span>88</span></div><div><p>各乡镇卫生院：</p><p>一、加强组织领导。每季度开展1次督查。</p>"
        "<p>附件：<a href='/f/1.docx'>附件1.任务清单.docx</a></p><p>示例县卫生健康局</p><p>2024年1月2日</p></div>"
        "<div><a href='javascript:print()'>打印本页</a> <a href='javascript:close()'>关闭窗口</a></div></div>"
    )
    page = _body(f"<div class='left'>{side}</div><div class='right'>{article}</div><div class='ft'>版权所有：示例县人民政府 ICP备00000000号</div>")
    assert read_html(page).text.split("\n") == [
        "示例县卫生健康局关于做好基层卫生工作的通知",
        "各乡镇卫生院：",
        "一、加强组织领导。每季度开展1次督查。",
        "附件：附件1.任务清单.docx",
        "示例县卫生健康局",
        "2024年1月2日",
    ]


def test_empty_page():
    with pytest.raises(PolicyparseError) as e:
        read_html(_body("<div><a href='/'>首页</a></div>"))
    assert e.value.code == "empty"


# ---- the page's metadata block ---------------------------------------------------------


@pytest.mark.parametrize(
    "block",
    [
        # pairs of cells, keys without colons
        "<table><tr><td>索引号</td><td>000014349/2024-00077</td><td>发文机关</td><td>示例省卫生健康委员会</td></tr>"
        "<tr><td>发文字号</td><td>示卫发〔2024〕12号</td><td>成文日期</td><td>2024年03月05日</td></tr>"
        "<tr><td>标题</td><td colspan='3'>关于印发示例行动方案的通知</td></tr></table>",
        # one run of text, each key directly after the previous value
        "<div class='xxgk'>索引号：000014349/2024-00077发文机关：示例省卫生健康委员会文号：示卫发〔2024〕12号"
        "主题分类：卫生成文日期：2024-03-05标题：关于印发示例行动方案的通知有效性：有效</div>",
        # a list, keys spaced out to align
        "<ul><li>标　　题：关于印发示例行动方案的通知</li><li>发文机关：示例省卫生健康委员会</li>"
        "<li>文　　号：示卫发〔2024〕12号</li><li>成文日期：2024/3/5</li><li>发布日期：2024/3/8</li></ul>",
    ],
)
def test_metadata_block(block):
    body = "<div><p>各市卫生健康委：</p><p>一、总体要求。到2025年，覆盖率达到90%以上。</p></div>"
    raw = read_html(_body(block + body))
    meta = raw.hints["meta"]
    assert {k: meta[k] for k in ("title", "issuer", "doc_number", "issued_on")} == {
        "title": "关于印发示例行动方案的通知",
        "issuer": "示例省卫生健康委员会",
        "doc_number": "示卫发〔2024〕12号",
        "issued_on": "2024-03-05",
    }
    assert raw.text == "各市卫生健康委：\n一、总体要求。到2025年，覆盖率达到90%以上。"


def test_no_metadata_block_no_hint():
    raw = read_html(_body("<div><p>发布时间：2024-01-02</p><p>一、总体要求。</p></div>"))
    assert "meta" not in raw.hints and raw.text == "一、总体要求。"


def test_a_title_from_the_metadata_block_is_the_title_without_its_issuer():
    block = (
        "<table><tr><td>发文机关</td><td>示例省人民政府办公厅</td><td>发文字号</td><td>示政办函〔2005〕21号</td></tr>"
        "<tr><td>标题</td><td colspan='3'>示例省人民政府办公厅关于科技节水建议的复函</td></tr></table>"
    )
    body = "<div><p>一、城市节水情况。各地做了大量工作。</p></div>"
    doc = policyparse.extract(_body(block + body), name="page.html")
    assert doc.document.title == "关于科技节水建议的复函"
