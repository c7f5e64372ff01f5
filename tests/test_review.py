"""The review page: escaping, highlighting runs, inputs, size on a long notice, and a real browser."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from review_browser import chromium, ensure_facts, probe, run_chromium, with_script
from typer.testing import CliRunner

from policyparse.cli import app
from policyparse.errors import PolicyparseError
from policyparse.models import Deadline, Document, Measure, Span, Target, Unit
from policyparse.review import Page, _holders, build_html, highlighted, prepare

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _page(text: str, measures: list[Measure]) -> Page:
    return Page("t.txt", text, Document(measures=measures))


def _measure(text: str, label: str, end: int | None = None, **facts) -> Measure:
    a = text.index(label)
    return Measure(id=label, path=[label], label=label, level=1, text="", span=Span(start=a, end=end or len(text)), **facts)


def test_text_and_facts_are_escaped():
    text = '一、<script>alert(1)</script> & "x" 到2025年底前完成'
    a = text.index("到2025")
    m = _measure(text, "一、", heading='<img src=x onerror="alert(2)">',
                 deadlines=[Deadline(text='到2025年底前</li><b>', date="2025-12-31", span=Span(start=a, end=a + 9))],
                 units=[Unit(name='"><script>x</script>', role="lead")], leaders=["<i>张三</i>"])
    page = build_html([_page(text, [m])])
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "<i>张三" not in page and "</li><b>" not in page
    assert page.count("<script>") == 1  # the page's own script only
    # nothing is fetched: no external URL is referenced by any attribute
    assert not re.search(r'(?:src|href)\s*=\s*"(?!#)', page)


def test_overlapping_facts_become_runs():
    text = "一、到2025年，覆盖率达到90%以上。"
    d = text.index("到2025年")
    t = text.index("覆盖率")
    m = _measure(text, "一、", targets=[Target(text=text[d:-1], value=90, unit="%", comparator=">=", span=Span(start=d, end=len(text) - 1))],
                 deadlines=[Deadline(text="到2025年", date="2025-12-31", span=Span(start=d, end=d + 6))])
    page = _page(text, [m])
    body = highlighted(page, _holders(page), 0)
    # the deadline is the innermost fact of its run: its colour, the target underlines it
    assert '<span class="p-deadlines s-targets" data-f="1 0">到2025年</span>' in body
    assert f'<span class="p-targets" data-f="0">，{text[t:-1]}</span>' in body
    assert '<span class="ml" id="d0-m0">一、</span>' in body
    assert re.sub(r"<[^>]+>", "", body) == text  # the text itself is untouched


def test_facts_without_span_are_found_by_name():
    text = "一、由区卫生健康局牵头，王五负责。\n二、其他。"
    m = _measure(text, "一、", end=text.index("二、"), units=[Unit(name="区卫生健康局", role="lead")], leaders=["王五", "赵六"])
    page = _page(text, [m, _measure(text, "二、")])
    body = highlighted(page, _holders(page), 0)
    assert '<span class="p-units" data-f="0">区卫生健康局</span>' in body
    assert '<span class="p-leaders" data-f="1">王五</span>' in body
    assert 'data-f="2"' not in body  # 赵六 is not in the text: listed, not placed
    assert 'data-f="2" data-nospan="1"' in build_html([page])


def test_several_documents_get_an_index():
    text = "一、到2025年完成。"
    m = _measure(text, "一、", deadlines=[Deadline(text="到2025年", date="2025-12-31", span=Span(start=2, end=8))])
    page = build_html([_page(text, [m]), Page("b.txt", "正文", Document())])
    assert '<section id="index"' in page and 'href="#d1"' in page
    assert re.search(r"<td>1</td><td>0</td><td>1</td>", page)  # measures, targets, deadlines of a.txt


def test_prepare_from_output_json_rereads_the_source(tmp_path):
    notice = tmp_path / "n.txt"
    notice.write_text("关于做好工作的通知\n一、总体要求\n到2025年，覆盖率达到90%以上。\n", encoding="utf-8")
    out = tmp_path / "n.json"
    from policyparse import extract

    out.write_text(extract(notice).model_dump_json(), encoding="utf-8")
    [page] = prepare(str(out))
    assert page.text == prepare(str(notice))[0].text
    notice.write_text("改过了\n", encoding="utf-8")
    with pytest.raises(PolicyparseError, match="changed since extraction"):
        prepare(str(out))


def test_big_notice_is_fast_and_light():
    """A 200-page notice (~300k characters, ~6000 facts) builds in well under a few seconds."""
    para = "（{n}）加强基层卫生人才队伍建设。到2025年，村卫生室达到服务能力标准的比例达到{p}%以上，每季度开展1次督查，由区卫生健康局牵头。" * 1
    parts, measures, pos = [], [], 0
    for i in range(1, 2401):
        s = para.format(n=i, p=i % 100) + "各单位要认真落实各项要求，确保工作取得实效。" * 2 + "\n"
        a = pos
        dl = s.index("到2025年")
        tg = s.index("村卫生室")
        measures.append(Measure(
            id=str(i), path=[str(i)], label=f"（{i}）", level=1, span=Span(start=a, end=a + len(s)),
            targets=[Target(text="x", value=i % 100, unit="%", comparator=">=", span=Span(start=a + tg, end=a + s.index("以上") + 2))],
            deadlines=[Deadline(text="到2025年", date="2025-12-31", span=Span(start=a + dl, end=a + dl + 6))],
            units=[Unit(name="区卫生健康局", role="lead")], leaders=[],
        ))
        parts.append(s)
        pos += len(s)
    text = "".join(parts)
    assert len(text) > 250_000
    t0 = time.perf_counter()
    html = build_html([Page("big.txt", text, Document(measures=measures))])
    elapsed = time.perf_counter() - t0
    size = len(html.encode("utf-8"))
    assert elapsed < 3.0, f"built in {elapsed:.2f}s"
    # text bytes (UTF-8, ~3 per character) plus a bounded overhead per measure and fact
    assert size < len(text.encode("utf-8")) + 700 * len(measures), size
    assert html.count("<span") < 12 * len(measures)  # runs, not characters


def test_review_command_writes_one_file(tmp_path):
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["review", str(SAMPLES / "001_df3ed95b26241507.txt"), str(SAMPLES / "003_ba6cdf25217d8181.txt"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert page.count('<section class="doc"') == 2 and "<script>" in page and "<style>" in page


def test_review_command_reports_a_missing_file(tmp_path):
    res = CliRunner().invoke(app, ["review", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 1 and not (tmp_path / "r.html").exists()


# ---- in a browser ------------------------------------------------------------------------

_CLICK = r"""
setTimeout(function(){
  var out={indexShown:!document.getElementById('index').hidden, doc1Hidden:document.getElementById('d1').hidden};
  document.querySelector('#index a[href="#d1"]').click();
  setTimeout(function(){
    var sec=document.getElementById('d1'), pane=sec.querySelector('.text');
    out.doc1Shown=!sec.hidden;
    var lis=sec.querySelectorAll('li.f:not([data-nospan])'), li=lis[lis.length-1], f=li.dataset.f;
    out.fact=f; out.scrollBefore=pane.scrollTop;
    li.click();
    setTimeout(function(){
      var runs=Array.prototype.slice.call(sec.querySelectorAll('.body [data-f~="'+f+'"]'));
      var pr=pane.getBoundingClientRect(), r=runs[0].getBoundingClientRect();
      out.runs=runs.length; out.text=runs.map(function(e){return e.textContent;}).join('');
      out.cur=runs.every(function(e){return e.classList.contains('cur');});
      out.flash=runs[0].classList.contains('flash');
      out.outline=getComputedStyle(runs[0]).outlineStyle;
      out.inView=r.height>0 && r.top>=pr.top && r.bottom<=pr.bottom;
      out.scrollAfter=pane.scrollTop; out.hash=location.hash; out.liCur=li.classList.contains('cur');
      var kind=/k-(\w+)/.exec(li.className)[1], other=sec.querySelector('.body .p-'+kind+':not(.cur)');
      out.bgBefore=other?getComputedStyle(other).backgroundColor:null;
      document.querySelector('input[data-kind="'+kind+'"]').click();
      out.bgAfter=other?getComputedStyle(other).backgroundColor:null;
      out.liHidden=getComputedStyle(li).display==='none';
      var pre=document.createElement('pre'); pre.id='probe'; pre.textContent=JSON.stringify(out); document.body.appendChild(pre);
    },150);
  },100);
},50);
"""


@pytest.fixture(scope="module")
def browser():
    binary = chromium()
    if binary is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium): the review page is not checked in a browser")
    return binary


def test_clicking_a_fact_scrolls_to_and_flashes_its_span(browser, tmp_path):
    names = ["001_df3ed95b26241507.txt", "002_adb6e61947c48a2a.txt"]
    pages = [ensure_facts(p) for n in names for p in prepare(str(SAMPLES / n))]
    page = tmp_path / "review.html"
    page.write_text(with_script(build_html(pages), _CLICK), encoding="utf-8")
    got = probe(run_chromium(browser, page.as_uri(), "--dump-dom"))
    assert got["indexShown"] and got["doc1Hidden"] and got["doc1Shown"]
    fact = next(f for h in _holders(pages[1]) for f in h.facts if str(f.fid) == got["fact"])
    assert got["text"] == pages[1].text[fact.start : fact.end]  # exactly the fact's span is marked
    assert got["cur"] and got["flash"] and got["outline"] == "solid" and got["liCur"]
    assert got["inView"] and got["scrollAfter"] > got["scrollBefore"], got  # the last fact lies below the first screen
    assert got["hash"] == f"#d1-f{fact.fid}"
    assert got["liHidden"] and (got["bgBefore"] is None or got["bgAfter"] != got["bgBefore"])  # the kind filter


_LINKS = r"""
setTimeout(function(){
  var out={hash:location.hash}, pane=document.querySelector('#d0 .text'), pr=pane.getBoundingClientRect();
  function seen(e){var r=e.getBoundingClientRect();return r.height>0&&r.top>=pr.top&&r.bottom<=pr.bottom;}
  var cur=document.querySelectorAll('#d0 .body .cur');
  out.cur=cur.length; out.curInView=cur.length>0&&seen(cur[0]); out.curText=cur.length?cur[0].textContent:null;
  location.hash='#d0-m0';
  setTimeout(function(){
    var m=document.getElementById('d0-m0'); out.measureInView=seen(m); out.measureText=m.textContent;
    var pre=document.createElement('pre'); pre.id='probe'; pre.textContent=JSON.stringify(out); document.body.appendChild(pre);
  },100);
},100);
"""


def test_links_open_the_page_at_a_fact_and_at_a_measure(browser, tmp_path):
    pages = [ensure_facts(p) for p in prepare(str(SAMPLES / "001_df3ed95b26241507.txt"))]
    page = tmp_path / "review.html"
    page.write_text(with_script(build_html(pages), _LINKS), encoding="utf-8")
    last = max((f for h in _holders(pages[0]) for f in h.facts if f.start is not None), key=lambda f: f.start)
    got = probe(run_chromium(browser, f"{page.as_uri()}#d0-f{last.fid}", "--dump-dom"))
    assert got["hash"] == f"#d0-f{last.fid}" and got["cur"] >= 1 and got["curInView"], got
    assert got["curText"] == pages[0].text[last.start : last.end][: len(got["curText"])]
    assert got["measureInView"] and got["measureText"] == pages[0].doc.measures[0].label.strip()
