"""Test-time builders: a Word document and a government web page made from a notice's text.

The text is first normalized (as the pipeline would), so each line is one
paragraph and TAB-separated lines are table rows.  ``build_docx`` writes the
paragraphs (optionally with Word's own list numbering in place of the printed
labels), the task table as a Word table with merged cells and wrapped headers,
a header and footer, and one line in a text box.  ``build_html`` wraps the same
lines in typical site chrome.

    >>> lines = sample_lines("一、总体要求\\n（一）加强领导。")
    >>> read_docx(build_docx(lines, numbered=True)).text
    '一、总体要求\\n（一）加强领导。'
"""

from __future__ import annotations

import functools
import html
import io
import re
from pathlib import Path

from policyparse import rules
from policyparse.normalize import normalize_text
from policyparse.readers.docx import read_docx  # noqa: F401 - used in the doctest
from policyparse.structure.numbering import han_int, label_at

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
_LIST_STYLES = {"han-dun", "han-paren", "arabic-dot", "arabic-paren", "circled"}
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def sample_lines(text: str) -> list[str]:
    """The normalized text's lines: one paragraph each, TSV lines are table rows."""
    return normalize_text(text).text.split("\n")


def blocks(lines: list[str]) -> list[tuple[str, object]]:
    """Group lines into ("p", line) and ("table", [rows]); a short line between rows is a merged row."""
    out: list[tuple[str, object]] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            out.append(("p", lines[i]))
            i += 1
            continue
        rows = []
        while i < len(lines):
            ln = lines[i]
            if "\t" in ln:
                rows.append(ln.split("\t"))
            elif len(ln) <= 40 and i + 1 < len(lines) and "\t" in lines[i + 1]:
                rows.append([ln])  # a section title inside the table: one merged row
            else:
                break
            i += 1
        out.append(("table", rows))
    return out


# ---- Word -----------------------------------------------------------------------


class _Lists:
    """Word list definitions for printed labels, one list per label style, restarted as printed."""

    def __init__(self, numbering_el):
        from docx.oxml import parse_xml

        self._parse = parse_xml
        self.root = numbering_el
        self.state: dict[tuple, tuple[str, int]] = {}  # style → (numId, last number)
        self.next_abs = 100
        self.next_num = 100
        self.abs_of: dict[tuple, str] = {}

    def num_id(self, key: tuple, n: int) -> str | None:
        """numId that makes Word show number ``n`` for this style, or None (keep the label as text)."""
        if key in self.state:
            nid, last = self.state[key]
            if n == last + 1:
                self.state[key] = (nid, n)
                return nid
            if n != 1:
                return None
            nid = self._num(self.abs_of[key], restart=1)
        else:
            self.abs_of[key] = self._abstract(*key[1:], start=n)
            nid = self._num(self.abs_of[key])
        self.state[key] = (nid, n)
        return nid

    def _abstract(self, lvl_text: str, fmt: str, start: int = 1) -> str:
        aid = str(self.next_abs)
        self.next_abs += 1
        el = self._parse(
            f'<w:abstractNum {_NS} w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="nothing"/><w:lvlText w:val="{html.escape(lvl_text)}"/><w:lvlJc w:val="left"/></w:lvl>'
            "</w:abstractNum>"
        )
        first_num = self.root.find(f"{{{W_NS}}}num")
        if first_num is not None:  # the schema wants every abstractNum before the nums
            first_num.addprevious(el)
        else:
            self.root.append(el)
        return aid

    def _num(self, aid: str, restart: int | None = None) -> str:
        nid = str(self.next_num)
        self.next_num += 1
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart}"/></w:lvlOverride>' if restart else ""
        )
        self.root.append(self._parse(f'<w:num {_NS} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{override}</w:num>'))
        return nid


def _list_key(line: str, rs) -> tuple[tuple, int, str] | None:
    """(list style key, number, text after the label) of a labelled line."""
    hit = label_at(line, rs)
    if not hit:
        return None
    rule, m = hit
    if rule.name not in _LIST_STYLES or not m.group("num"):
        return None
    label, num = m.group("label"), m.group("num")
    n = han_int(num)
    if n is None or num not in label:
        return None
    fmt = "decimal" if num.isdigit() else "decimalEnclosedCircle" if rule.name == "circled" else "chineseCounting"
    return (rule.name, label.replace(num, "%1", 1), fmt), n, line[m.end():]


def _number(p, nid: str) -> None:
    from docx.oxml import parse_xml

    p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {_NS}><w:ilvl w:val="0"/><w:numId w:val="{nid}"/></w:numPr>'))


def _fill(p, text: str) -> None:
    """Runs as an editor leaves them: a bold lead clause, then the rest."""
    cut = text.find("。") + 1
    if 0 < cut < len(text) and cut <= 40:
        p.add_run(text[:cut]).bold = True
        p.add_run(text[cut:])
    else:
        p.add_run(text)


def _textbox(p, text: str) -> None:
    """A floating text box holding ``text`` (modern shape plus its VML fallback, as Word writes)."""
    from docx.oxml import parse_xml

    body = f"<w:txbxContent><w:p><w:r><w:t>{html.escape(text)}</w:t></w:r></w:p></w:txbxContent>"
    xml = (
        f"<w:r {_NS}><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
        f'<wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData '
        f'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>{body}'
        f"</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{body}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    p._p.append(parse_xml(xml))


def _wrap(cell_text: str) -> list[str]:
    """Split a cell's text where a narrow column would wrap it (re-joined without spaces on reading)."""
    if 4 <= len(cell_text) <= 6 and re.fullmatch(r"\w+", cell_text):
        return [cell_text[:2], cell_text[2:]]  # 牵头 / 科室
    if len(cell_text) > 30:
        cut = cell_text.find("，", 10)
        if 0 < cut < len(cell_text) - 1:
            return [cell_text[: cut + 1], cell_text[cut + 1 :]]
    return [cell_text]


def _table(doc, rows: list[list[str]], lists: _Lists | None) -> None:
    ncols = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    for r, cells in enumerate(rows):
        row_cells = table.rows[r].cells  # (table.cell() rescans the whole table: slow)
        if len(cells) == 1:
            merged = row_cells[0].merge(row_cells[ncols - 1])
            merged.paragraphs[0].add_run(cells[0])
            continue
        for c, value in enumerate(cells):
            value = value.strip()
            cell = row_cells[c]
            if _merged_above(rows, r, c):
                continue  # filled by a vertical merge below
            if c == 0 and lists is not None and value.isdigit():
                nid = lists.num_id(("row", "%1", "decimal"), int(value))
                if nid:  # the 序号 column numbered by Word
                    _number(cell.paragraphs[0], nid)
                    continue
            parts = _wrap(value)
            cell.paragraphs[0].add_run(parts[0])
            for part in parts[1:]:
                cell.add_paragraph(part)
    # vertical merges: equal neighbours in a unit / leader / deadline column
    for c in range(2, ncols):
        r = 1
        while r < len(rows):
            end = r
            while end + 1 < len(rows) and _merged_above(rows, end + 1, c):
                end += 1
            if end > r:
                table.rows[r].cells[c].merge(table.rows[end].cells[c])
            r = end + 1


def _merged_above(rows: list[list[str]], r: int, c: int) -> bool:
    """Row ``r``'s cell ``c`` repeats the one above (both data rows): Word shows it merged."""
    if c < 2 or r < 2 or len(rows[r]) != len(rows[r - 1]) or len(rows[r]) <= c:
        return False
    return rows[r][c].strip() == rows[r - 1][c].strip() != ""


def build_docx(lines: list[str], *, numbered: bool = False, chrome: bool = True) -> bytes:
    """A .docx of ``lines``; ``numbered``: labels become Word list numbering where Word can show them."""
    import docx

    doc = docx.Document()
    rs = rules.load("numbering")
    lists = _Lists(doc.part.numbering_part.element) if numbered else None
    boxed = False
    for kind, item in blocks(lines):
        if kind == "table":
            _table(doc, item, lists)
            continue
        line = item
        if chrome and not boxed and _DATE_LINE.match(line):
            _textbox(doc.add_paragraph(), line)  # the signature date, placed in a text box
            boxed = True
            continue
        p = doc.add_paragraph()
        hit = _list_key(line, rs) if lists is not None else None
        if hit:
            key, n, rest = hit
            nid = lists.num_id(key, n)
            if nid:
                _number(p, nid)
                _fill(p, rest)
                continue
        _fill(p, line)
    if chrome:
        section = doc.sections[0]
        section.header.paragraphs[0].text = "页眉：示例市卫生健康委员会文件"
        section.footer.paragraphs[0].text = "— 页脚 1 —"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---- web page -------------------------------------------------------------------

# Site chrome written for these tests (invented site, typical of government portals).
CHROME = [
    "无障碍浏览", "长者模式", "网站首页", "机构概况", "新闻动态", "政务公开", "办事服务", "互动交流",
    "请输入关键字", "当前位置：", "政策文件", "索引号", "主题分类", "发文机关", "发文字号", "成文日期",
    "发布日期", "有效性", "浏览次数", "字号：", "打印本页", "关闭窗口", "分享到", "相关链接",
    "网站地图", "联系我们", "主办单位", "ICP备", "公网安备", "网站标识码", "访问者", "扫一扫",
]


def _html_table(rows: list[list[str]]) -> str:
    ncols = max(len(r) for r in rows)
    out = ['<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0" width="100%">']
    skip: dict[tuple[int, int], bool] = {}
    for r, cells in enumerate(rows):
        out.append("<tr>")
        if len(cells) == 1:
            out.append(f'<td colspan="{ncols}"><p><strong>{html.escape(cells[0])}</strong></p></td></tr>')
            continue
        for c, value in enumerate(cells):
            if skip.get((r, c)):
                continue
            span = 1
            if c >= 2 and r >= 1 and value.strip():
                while (
                    r + span < len(rows)
                    and len(rows[r + span]) == len(cells)
                    and rows[r + span][c].strip() == value.strip()
                ):
                    skip[(r + span, c)] = True
                    span += 1
            tag = "th" if r == 0 else "td"
            attrs = f' rowspan="{span}"' if span > 1 else ""
            inner = "<br/>".join(html.escape(x) for x in _wrap(value.strip()))
            out.append(f'<{tag}{attrs} valign="middle"><p style="text-align:center">{inner}</p></{tag}>')
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def build_html(lines: list[str], *, meta: dict, encoding: str = "utf-8", visits: int = 10234) -> bytes:
    """A government-site page holding ``lines`` as its article, with a metadata table and chrome."""
    body = []
    for kind, item in blocks(lines):
        if kind == "table":
            body.append(_html_table(item))
        else:
            body.append(f'<p style="text-indent:2em;">\u3000\u3000{html.escape(item)}</p>')
    title = html.escape(meta.get("title") or "")
    charset = "gb2312" if encoding.lower() in ("gbk", "gb2312", "gb18030") else encoding
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{title}_示例市人民政府门户网站</title>
<script type="text/javascript">var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.top{{height:30px}} .nav li{{float:left}}</style>
</head><body>
<div class="topbar"><div class="w1200"><a href="#">无障碍浏览</a> | <a href="#">长者模式</a>
<span class="date">今天是：<script>document.write(new Date())</script></span></div></div>
<div class="header"><img src="/images/logo.png" alt="示例市人民政府"/>
<form action="/search"><input type="text" placeholder="请输入关键字"/><button>搜索</button></form></div>
<div class="nav"><ul>
<li><a href="/">网站首页</a></li><li><a href="/jggk/">机构概况</a></li><li><a href="/xwdt/">新闻动态</a></li>
<li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li>
</ul></div>
<div class="main w1200">
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zcwj/">政策文件</a></div>
<table class="xxgk-table" cellpadding="0" cellspacing="0">
<tr><th>索 引 号：</th><td>11370000MB1234567X/2024-00321</td><th>主题分类：</th><td>卫生、体育</td></tr>
<tr><th>发文机关：</th><td>{html.escape(meta.get("issuer") or "")}</td><th>成文日期：</th><td>{html.escape(meta.get("issued_on_text") or "")}</td></tr>
<tr><th>标　　题：</th><td colspan="3">{title}</td></tr>
<tr><th>发文字号：</th><td>{html.escape(meta.get("doc_number") or "")}</td><th>发布日期：</th><td>2024年01月15日</td></tr>
<tr><th>有 效 性：</th><td colspan="3">有效</td></tr>
</table>
<div class="article">
<h1 class="article-title">{title}</h1>
<div class="article-info"><span>发布时间：2024-01-15 10:20</span> <span>来源：示例市卫生健康委员会</span>
<span>浏览次数：<em id="count">{visits}</em></span> <span>字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></span></div>
<div class="article-content TRS_Editor" id="zoom">
{chr(10).join(body)}
</div>
<div class="article-tools"><span>分享到：</span><a class="wx" href="#"></a><a class="wb" href="#"></a>
<span class="print" onclick="window.print()">【打印本页】</span> <span onclick="window.close()">【关闭窗口】</span></div>
<div class="qr">扫一扫在手机打开当前页</div>
</div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="/a/1.html">示例市召开全市卫生健康工作会议</a><span>2024-01-10</span></li>
<li><a href="/a/2.html">关于开展2024年度健康教育活动的通知</a><span>2024-01-05</span></li>
</ul></div>
</div>
<div class="footer">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>
<p>主办单位：示例市人民政府办公室　地址：示例市人民路1号　邮编：100000</p>
<p>示ICP备12345678号-1　示公网安备 12345678901234号　网站标识码：1234000001</p>
<p>您是本站第 <span id="visitor">{visits * 7}</span> 位访问者</p>
</div>
</body></html>"""
    return page.encode(encoding)


def page_meta(text: str) -> dict:
    """The 发文字号, 成文日期 and issuer a metadata table would show for ``text`` (test values)."""
    flat = normalize_text(text).text
    num = re.search(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,4}号", flat)
    date = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", flat)
    y, m, d = (int(x) for x in date.groups()) if date else (2024, 1, 8)
    return {
        "title": "关于印发示例工作方案的通知",
        "issuer": "示例市卫生健康委员会",
        "doc_number": num.group(0) if num else "示卫发〔2024〕3号",
        "issued_on": f"{y:04d}-{m:02d}-{d:02d}",
        "issued_on_text": f"{y}年{m:02d}月{d:02d}日",
    }


@functools.cache
def score_module(shared: Path):
    """shared/tools/score.py as a module (it is a script, not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("policyparse_score", shared / "tools" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def custom_docx(body_xml: str, numbering_xml: str = "", styles_xml: str = "") -> bytes:
    """A .docx whose body, numbering definitions and extra styles are given as WordprocessingML."""
    import docx
    from docx.oxml import parse_xml

    doc = docx.Document()
    body = doc.element.body
    sect = body.find(f"{{{W_NS}}}sectPr")
    for el in parse_xml(f"<w:body {_NS}>{body_xml}</w:body>"):
        sect.addprevious(el)
    if numbering_xml:
        root = doc.part.numbering_part.element
        for el in parse_xml(f"<w:numbering {_NS}>{numbering_xml}</w:numbering>"):
            if el.tag == f"{{{W_NS}}}abstractNum" and root.find(f"{{{W_NS}}}num") is not None:
                root.find(f"{{{W_NS}}}num").addprevious(el)
            else:
                root.append(el)
    if styles_xml:
        for el in parse_xml(f"<w:styles {_NS}>{styles_xml}</w:styles>"):
            doc.styles.element.append(el)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def para(text: str = "", num: tuple[str, int] | None = None, style: str | None = None) -> str:
    """One <w:p>, optionally in list ``num`` = (numId, ilvl) or with a paragraph style."""
    ppr = ""
    if num or style:
        ppr = "<w:pPr>"
        ppr += f'<w:pStyle w:val="{style}"/>' if style else ""
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>' if num else ""
        ppr += "</w:pPr>"
    run = f"<w:r><w:t xml:space=\"preserve\">{html.escape(text)}</w:t></w:r>" if text else ""
    return f"<w:p>{ppr}{run}</w:p>"


def abstract(aid: str, *levels: tuple, restart: dict | None = None, legal: set | None = None) -> str:
    """An abstractNum; each level is (lvlText, numFmt[, suff])."""
    out = [f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>']
    for i, lv in enumerate(levels):
        text, fmt = lv[0], lv[1]
        suff = f'<w:suff w:val="{lv[2]}"/>' if len(lv) > 2 else ""
        rs = f'<w:lvlRestart w:val="{restart[i]}"/>' if restart and i in restart else ""
        lg = "<w:isLgl/>" if legal and i in legal else ""
        out.append(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{rs}{lg}{suff}'
            f'<w:lvlText w:val="{html.escape(text)}"/></w:lvl>'
        )
    out.append("</w:abstractNum>")
    return "".join(out)


def num(nid: str, aid: str, start_override: dict | None = None) -> str:
    """A w:num instance of an abstractNum, optionally restarting levels."""
    ov = "".join(
        f'<w:lvlOverride w:ilvl="{k}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
        for k, v in (start_override or {}).items()
    )
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{ov}</w:num>'


# ---- comparing with the .txt pipeline -------------------------------------------------


def doc_score(gold: dict, doc, shared: Path) -> float:
    """Micro F1 over every field score.py reports, for one document."""
    s = score_module(shared)
    names = ["measures", "headings", *s.FACTS, "target_deadlines", *("doc." + k for k in s.DOC_SCALARS),
             *("doc." + k for k in s.DOC_LISTS)]
    tallies = {n: s.Tally() for n in names}
    s.score_doc(gold, doc.model_dump(mode="json"), tallies, [])
    total = s.Tally()
    for t in tallies.values():
        total.add(t.tp, t.fp, t.fn)
    return total.prf()[2]


@functools.cache
def txt_sample_runs(gold_dir: Path) -> dict:
    """Each sample with gold through the .txt pipeline (once per test session): stem → (text, Document, gold)."""
    import json

    import policyparse

    samples = Path(__file__).resolve().parents[1] / "samples"
    out = {}
    for p in sorted(samples.glob("*.txt")):
        g = gold_dir / f"{p.stem}.gold.json"
        if g.exists():
            out[p.stem] = (p.read_text(encoding="utf-8"), policyparse.extract(p), json.loads(g.read_text(encoding="utf-8")))
    return out


def check_same_score(stem: str, runs: dict, reader_text: str, what: str) -> tuple[float, float]:
    """Assert the reader's text scores within 0.02 of the .txt; a normalizer gap on TSV rows is an xfail."""
    import pytest

    import policyparse

    if stem not in runs:
        pytest.skip("no gold for this sample")
    _, txt_doc, gold = runs[stem]
    shared = Path(__file__).resolve().parents[2] / "shared"
    doc = policyparse.extract(reader_text)
    a, b = doc_score(gold, txt_doc, shared), doc_score(gold, doc, shared)
    if b < a - 0.02 and "\t" in reader_text:
        rows = [ln for ln in reader_text.split("\n") if "\t" in ln]
        again = [ln for ln in normalize_text(reader_text).text.split("\n") if "\t" in ln]
        if again != rows:
            pytest.xfail("normalize/layout re-join TSV rows a reader already gave (pending change there)")
    assert b >= a - 0.02, f"{stem} {what}: {b:.3f} vs .txt {a:.3f}"
    return a, b
