"""Read a government web page: its main content, tables as TSV rows, and its metadata block.

The main block is decided by density, not by site: from <body> down, the child
holding the running text (text outside links) is taken while everything beside
it is chrome (link-dense, empty, footer or tool lines).  Inside it,
blocks made mostly of links (menus, share bars, related links) and short tool
lines (打印本页, 浏览次数, 当前位置 …) are dropped.  ``<br>`` and block elements
end lines; tables become TAB-separated rows (``html_render``).  The metadata table many sites
print above the body (索引号, 发文机关, 发文字号, 成文日期, 标题) is returned in
``hints["meta"]`` for the pipeline to fill what the body lacks.

    >>> page = "<body><ul><li><a href='/'>首页</a></li></ul><div><p>一、总体要求。</p><p>到2025年完成。</p></div></body>"
    >>> read_html(page.encode()).text
    '一、总体要求。\\n到2025年完成。'
"""

from __future__ import annotations

import codecs
import re

import regex

from .. import recache
from ..errors import PolicyparseError
from . import RawText
from . import webmeta
from .html_render import _BLOCK, _DROP, _is_layout, _running, _sizes, _tag, render_lines

# a block is navigation when links make up more than this share of its text
_LINK_DENSE = 0.5
# short tool and chrome lines of government sites (UI words, not site names)
_CHROME_LINE = recache.lazy(
    r"""
      打印本页 | 关闭窗口 | 打印此页 | 关闭本页 | 【\s*(?:打印|关闭|返回|收藏)\s*】 | \[\s*(?:打印|关闭)\s*\]
    | (?:字号|字体)\s*[:：] | 【\s*大\s*】
    | (?:浏览|访问|阅读|点击)(?:次数|量|数|人次) | 次浏览 | 位访问者 | 访客
    | 分享到 | 分享至 | 扫一扫 | 手机扫 | 返回顶部 | 加入收藏 | 设为首页 | 收藏本页
    | 当前位置 | 现在的位置 | 您的位置 | 所在位置
    | 上一篇 | 下一篇 | 相关链接 | 相关文章 | 相关阅读 | 相关新闻 | 相关稿件
    | ICP\s*备 | 公网安备 | 网站标识码 | 版权所有 | Copyright | © | 网站地图 | 联系我们
    | 技术支持\s*[:：] | 主办单位\s*[:：] | 承办单位\s*[:：] | 无障碍 | 长者模式 | 关怀版 | 适老化
    | 今天是 | 欢迎访问 | 欢迎光临 | 欢迎您                                 # portal greetings and date widgets
    | (?:^|\s)(?:发布时间|信息来源|来源|作者|责任编辑|编辑)\s*[:：]     # the info bar under the title
    """,
    regex.VERBOSE,
)
_CRUMBS = recache.lazy(r"^[^。，；]{0,12}(?:\s*[>»›→/]\s*[^。，；>»›→/]{1,20}){2,}$")  # 首页 > 信息公开 > 文件
_FOOTER = recache.lazy(r"ICP\s*备|公网安备|网站标识码|版权所有|Copyright|©")
_ATTACHMENT_LINK = recache.lazy(r"^\s*附\s*件|\.(?:docx?|wps|pdf|xlsx?|et|ofd|zip|rar)\s*$", regex.IGNORECASE)

# ---- sniffing and decoding -----------------------------------------------------

_MARKUP_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*(?:<!doctype\s+html|<html))", re.I | re.S)
_MARKUP_TAGS = re.compile(rb"<(?:html|head|body|meta|title|div|p|table|br)[\s/>]", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)


def looks_like_html(data: bytes) -> bool:
    """True for markup: a doctype or <html> at the start, or several HTML tags near it.

    >>> looks_like_html(b"<!DOCTYPE html><html><body>x</body></html>"), looks_like_html("一、总体要求".encode())
    (True, False)
    """
    head = data[:4096]
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):].decode(enc, errors="ignore").encode("utf-8")
            break
    if _MARKUP_START.match(head):
        return True
    return len(set(m.group(0).lower() for m in _MARKUP_TAGS.finditer(head))) >= 3


def _codec(name: bytes | str) -> str | None:
    enc = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
    enc = enc.strip().lower()
    if enc in ("gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "gb18030", "ms936"):
        return "gb18030"  # the superset: decoding with it loses no character
    try:
        return codecs.lookup(enc).name
    except LookupError:
        return None


def decode_html(data: bytes, *, name: str | None = None, encoding: str | None = None) -> tuple[str, str, list]:
    """The page as text: an explicit encoding, a BOM, the declared charset, UTF-8, else a guess."""
    warnings: list = []
    if encoding:
        enc = _codec(encoding)
        if enc is None:
            raise PolicyparseError("decode", f"unknown encoding {encoding!r}", name)
        return data.decode(enc, errors="replace"), enc, warnings
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc, warnings
    m = _META_CHARSET.search(data[:8192]) or _XML_ENCODING.search(data[:512])
    declared = _codec(m.group(1)) if m else None
    if declared:
        try:
            return data.decode(declared), declared, warnings
        except UnicodeDecodeError:
            warnings.append(("decode-declared", f"the page declares {declared} but is not: encoding guessed", None))
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    from .text import read_text  # its detector tells GB18030 from noise

    raw = read_text(data, name=name)
    return raw.text, raw.encoding or "utf-8", warnings + raw.warnings


# ---- the page's metadata block ----------------------------------------------------


def _meta_block(root, sizes: dict):
    """The smallest element holding the most metadata keys (at least three, one of them core)."""
    best, best_key = None, None
    for el in root.iter():
        tag = _tag(el)
        if tag not in ("table", "tbody", "div", "ul", "dl", "section", "ol") or sizes.get(el, (0,))[0] > 2500:
            continue
        text = el.text_content()
        found = webmeta.fields_in(text, _segments(el))
        if not webmeta.is_meta_block(found):
            continue
        key = (len(found), -len(text))
        if best_key is None or key > best_key:
            best, best_key = el, key
    return best


def _segments(el) -> list[str]:
    return [s.strip(" \u3000\xa0") for ln in render_lines(el) for s in ln.split("\t") if s.strip(" \u3000\xa0")]


# ---- the main block by density ------------------------------------------------------


def _main_block(root, sizes: dict):
    """Descend from <body> into the child holding the running text while its siblings are all chrome."""
    body = root.find("body")
    node = body if body is not None else root
    while True:
        children = [c for c in node if isinstance(c.tag, str)]
        best = max(children, key=lambda c: _running(sizes, c), default=None)
        if best is None or _running(sizes, best) == 0 or _tag(best) in ("p", "li", "a", "h1", "h2", "h3"):
            return node
        if _tag(best) in ("table", "tbody", "thead", "tr") and not _is_layout(_table_of(best), sizes):
            return node  # a data table is rendered whole, as TSV rows
        if not all(_chrome_block(c, sizes) for c in children if c is not best):
            return node
        node = best


def _table_of(el):
    while el is not None and _tag(el) != "table":
        el = el.getparent()
    return el


def _chrome_block(el, sizes: dict) -> bool:
    """Navigation, tool bars, footers, or nothing at all: a block beside the content."""
    t, lk, _ = sizes.get(el, (0, 0, 0))
    if t - lk == 0 or lk / max(t, 1) > _LINK_DENSE:
        return True
    text = el.text_content() or ""
    if t - lk < 800 and _FOOTER.search(text):
        return True
    return all(_chrome(ln) for ln in render_lines(el))


def _link_dense(sizes: dict, el) -> bool:
    t, lk, _ = sizes.get(el, (0, 0, 0))
    return t > 0 and lk / t > _LINK_DENSE and t - lk < 40


def _prune(block, sizes: dict) -> None:
    """Drop navigation (link-dense blocks) and footers inside the main block."""
    for el in list(block.iter()):
        if el is block or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        tag = _tag(el)
        if tag not in _BLOCK and tag not in ("span", "font"):
            continue
        if _link_dense(sizes, el):
            links = [a.text_content() for a in el.iter("a")]
            if any(_ATTACHMENT_LINK.search(x) for x in links):
                continue  # an attachment list is content
            el.drop_tree()
        elif sizes.get(el, (0,))[0] < 500 and _FOOTER.search(el.text_content() or ""):
            el.drop_tree()


def _heading_before(block, sizes: dict):
    """The title heading printed just above the main block (h1/h2, or a *title* element)."""
    node = block
    for _ in range(4):
        for sib in node.itersiblings(preceding=True):
            for el in [sib, *reversed(list(sib.iter()))]:
                if not isinstance(el.tag, str):
                    continue
                tag = _tag(el)
                marked = tag in ("h1", "h2", "h3") or re.search(r"title|biaoti", (el.get("class") or "") + (el.get("id") or ""), re.I)
                t = sizes.get(el, (0, 0, 0))
                if marked and 4 <= t[0] <= 200 and not _link_dense(sizes, el) and t[1] == 0:
                    return el
        node = node.getparent()
        if node is None:
            return None
    return None


def _squash(s: str) -> str:
    return re.sub(r"\s", "", s)


def _drop_repeated_title(block, lines: list[str]) -> list[str]:
    """The page heading inside the block, when the body prints the title again, is dropped."""
    head = next((el for el in block.iter("h1", "h2", "h3")), None)
    if head is None:
        return lines
    text = " ".join(render_lines(head))
    if not text:
        return lines
    for i, ln in enumerate(lines[:10]):
        if ln == text:
            if _squash(text) in _squash("".join(lines[i + 1 : i + 40])):
                return lines[:i] + lines[i + 1 :]
            break
    return lines


def _chrome(line: str) -> bool:
    if len(line) > 100 or "。" in line:
        return False
    return bool(_CHROME_LINE.search(line) or _CRUMBS.match(line))


# ---- entry point --------------------------------------------------------------------


def read_html(data: bytes, *, name: str | None = None, encoding: str | None = None) -> RawText:
    """The main content of a web page as text lines, with its metadata block in ``hints``."""
    import lxml.etree
    import lxml.html  # heavy: only for web pages

    text, enc, warnings = decode_html(data, name=name, encoding=encoding)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text).replace("\x00", "")
    if not text.strip():
        raise PolicyparseError("empty", "file is empty", name)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise PolicyparseError("damaged", f"cannot parse the page ({exc})", name) from None
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            if el.getparent() is not None:
                el.drop_tree()  # comments, processing instructions
        elif _tag(el) in _DROP or re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", el.get("style") or "") or el.get("hidden") is not None:
            if el.getparent() is not None:
                el.drop_tree()
    sizes = _sizes(root)
    hints: dict = {}
    meta_el = _meta_block(root, sizes)
    if meta_el is not None:
        hints["meta"] = webmeta.meta_fields(_segments(meta_el))
        if meta_el.getparent() is not None:
            meta_el.drop_tree()
        sizes = _sizes(root)
    block = _main_block(root, sizes)
    heading = _heading_before(block, sizes)
    heading_text = " ".join(render_lines(heading)) if heading is not None else ""
    _prune(block, sizes)
    lines = [ln for ln in render_lines(block) if not _chrome(ln)]
    lines = _drop_repeated_title(block, lines)
    if heading_text and _squash(heading_text) not in _squash("".join(lines[:40])):
        lines.insert(0, heading_text)  # the title printed above the body only
    body = "\n".join(lines)
    if not body.strip():
        raise PolicyparseError("empty", "the page holds no text", name)
    return RawText(text=body, format="html", encoding=enc, warnings=warnings, hints=hints)
