"""The head of a document: the 版头 (furniture, 发文机关标志, 发文字号, 标题) and 主送机关.

The normalized text may keep each header element on a line of its own or run
several together (``关于印发《…》的通知威环卫〔2019〕98号各镇…：``); every step
here works on both.

    >>> h = read_header("威海市环翠区卫生健康局\\n关于印发工作要点的通知\\n各卫生院：\\n现印发给你们。", 0)
    >>> h.title, h.recipients
    ('关于印发工作要点的通知', ['各卫生院'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


from .. import recache
from .metadata_dates import date_line
from .metadata_text import (
    clean_title,
    doc_numbers,
    doc_type_ends,
    is_organ,
    iso_date,
    organ_prefix,
    outside_quotes,
    rx,
    split_items,
    squash,
    title_end,
)

_LABEL = recache.lazy(
    r"^(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十\d]{1,4}[章节条])"
)
_ATTACHMENT_LABEL = recache.lazy(r"^附\s*件\s*\d*\s*[：:]?\s*$")
_COPY_NUMBER = recache.lazy(r"\d{6}(?!\d)")  # 份号
_NOT_RECIPIENT = recache.lazy(r"关于|印发|转发|《|》|“|”|\d")
_OPENERS = recache.lazy(r"^(?:为|根据|按照|依据|近年来|各|现|经|结合|当前|\d)")
_SENTENCE_END = recache.lazy(r"[。；;！？]")
_TITLE_OF = recache.lazy(r"的(?:通知|意见|决定|通报|批复|函)")
_COLON = recache.lazy(r"[：:]")
_CLAUSE_END = recache.lazy(r"[。；;\n]")
_LIST_MARK = recache.lazy(r"[，,、；;]")
_BODY_MARK = recache.lazy(r"[。；;\t]")
_CLAUSE_SPLIT = recache.lazy(r"[，。；：,;:]")
_NAME_SPLIT = recache.lazy(r"[\s、，]+")
_ISSUES = recache.lazy(r"(?:印发|转发|批转)$")
_OPEN_BRACKETS = ("(", "（")
_CLOSE_BRACKETS = (")", "）")
_PRINTS_TITLE = recache.lazy(r"(?:印发|转发)《[^《》]+》$")


@dataclass
class Header:
    """What the head of the document says; ``body`` is where the body begins."""

    start: int = 0
    body: int = 0
    title: str | None = None
    doc_number: str | None = None
    issuers: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    signer: str | None = None
    urgency: str | None = None
    secrecy: str | None = None
    attachment_alone: bool = False
    dated: str | None = None  # （2024年3月18日） under the title
    web: dict = field(default_factory=dict)


def mask_chrome(text: str, rules_dir: Path | None = None) -> str:
    """Replace web page furniture (文字大小, breadcrumbs) with line breaks."""
    return rx("chrome", rules_dir).sub("\n", text)


# ---- 主送机关 ----------------------------------------------------------------------------


_ORGAN_KINDS = frozenset("委办局厅处室部科股")  # 各委、办、局 (a place alone, 各市、县, is a recipient)
_PLACE = recache.lazy(r"\p{Han}{2,8}")  # 沈阳、北京、广州军区: a place whose organ the run's last names


def recipients_of(segment: str, rules_dir: Path | None = None) -> list[str]:
    """The organs of a 主送机关 line (without its colon), or [] when it is not one.

    >>> recipients_of("各镇、区直有关部门、驻区相关单位，港发集团")
    ['各镇', '区直有关部门', '驻区相关单位', '港发集团']
    >>> recipients_of("各区、县人民政府，市政府各委、办、局")
    ['各区', '县人民政府', '市政府各委、办、局']
    >>> recipients_of("河北省、甘肃省人民政府，沈阳、北京、广州军区")
    ['河北省', '甘肃省人民政府', '沈阳', '北京', '广州军区']
    >>> recipients_of("各片区管理局，区直各单位，各区属事业单位、国企")
    ['各片区管理局', '区直各单位', '各区属事业单位', '国企']
    """
    s = segment.strip()
    if not s or len(s) > 300 or s.startswith("的") or _SENTENCE_END.search(s):
        return []
    seps: list = []
    parts = split_items(s, seps)
    items, after = [], []
    for it, sep in zip(parts, seps):
        if len(it) == 1 and it in _ORGAN_KINDS and items:
            items[-1] += "、" + it  # 市政府各委、办、局: one organ's kinds listed, not organs of their own
            after[-1] = sep
        else:
            items.append(it)
            after.append(sep)
    item_rx = rx("recipient-item", rules_dir)
    next_ok = False  # was the item after this one a recipient?
    for k in range(len(items) - 1, -1, -1):
        it, sep = items[k], after[k]
        if not 1 <= len(it) <= 40 or _NOT_RECIPIENT.search(it) or _TITLE_OF.search(it):
            return []
        # (各区属事业单位、国企: the 各 of the item before goes on over a 、)
        shared = k > 0 and after[k - 1] == "、" and items[k - 1].startswith("各") and len(it) <= 8
        if not (item_rx.fullmatch(it) or shared or (sep == "、" and next_ok and _PLACE.fullmatch(it))):
            return []  # (沈阳、北京、广州军区: places whose organ the last of the run names)
        next_ok = True
    return items


def _find_recipients(text: str, start: int, rules_dir) -> tuple | None:
    """(items, segment start, cut, offset after the colon) of the 主送机关, if any."""
    stop = text.find("。", start)
    zone_end = min(len(text), start + 3000, stop if stop >= 0 else len(text))
    for m in _COLON.finditer(text[start:zone_end]):
        p = start + m.start()
        line_start = max(start, text.rfind("\n", 0, p) + 1)
        if not outside_quotes(text[line_start:p], p - line_start):
            continue
        seg_start = max(line_start, text.rfind("：", line_start, p) + 1, text.rfind(":", line_start, p) + 1)
        seg = text[seg_start:p]
        cuts = {0} | {e for _, e, _ in doc_numbers(seg, rules_dir)} | set(doc_type_ends(seg, rules_dir))
        after = _CLAUSE_END.split(text[p + 1 : p + 301], maxsplit=1)[0]
        if recipients_of(after, rules_dir):
            continue  # '成员单位：市委宣传部、…': a label over a list of organs
        for c in sorted(cuts):
            wrapped = _wrapped_recipients(text, start, seg_start, seg, rules_dir) if c == 0 and seg_start == line_start else None
            if wrapped:
                return wrapped[0], wrapped[1], 0, p + 1
            items = recipients_of(seg[c:], rules_dir)
            if items:
                return items, seg_start, c, p + 1
    return None


def _wrapped_recipients(text: str, start: int, seg_start: int, seg: str, rules_dir) -> tuple | None:
    """A 主送机关 that runs over from the lines above: (items, where it begins), or None.

    A line above belongs to it when it ends with a list separator, or when it
    holds a list whose last name the wrap cut ('…高新区卫生健康' + '主管部门，…').
    """
    found = None
    for _ in range(3):
        prev_end = seg_start - 1
        if prev_end <= start:
            break
        prev_start = max(start, text.rfind("\n", 0, prev_end) + 1)
        prev = text[prev_start:prev_end].strip()
        if not prev or "：" in prev or ":" in prev or title_end(prev, rules_dir):
            break
        if prev[-1] not in "，,、；;" and not _LIST_MARK.search(prev):
            break
        items = recipients_of(prev + seg, rules_dir)
        if not items:
            break
        seg, seg_start, found = prev + seg, prev_start, (items, prev_start)
    return found


# ---- 版头 ------------------------------------------------------------------------------


def read_header(text: str, start: int, rules_dir: Path | None = None) -> Header:
    """Read the header that begins at ``start`` (after any web table)."""
    h = Header(start=start)
    found = _find_recipients(text, start, rules_dir)
    if found:
        items, seg_start, cut, after = found
        h.recipients, h.body = items, after
        lines = text[start : seg_start + cut].split("\n")
    else:
        lines, h.body = _top_lines(text, start, h, rules_dir)
    title_lines = _classify(lines, h, rules_dir)
    h.title = _title(title_lines, h, rules_dir)
    if not h.title and found:
        m = rx("forwarded-title", rules_dir).search(text[h.body : h.body + 600])
        if m:
            h.title = clean_title(m.group("a") or m.group("b"))
    return h


def _top_lines(text: str, start: int, h: Header, rules_dir) -> tuple[list[str], int]:
    """Header lines of a document without 主送机关: up to the first line of body text."""
    out, starts, pos = [], [], start
    for n, line in enumerate(text[start:].split("\n")):
        s = line.strip()
        end = pos + len(line) + 1
        if n == 0 and _ATTACHMENT_LABEL.match(s):
            h.attachment_alone = True
        elif s:
            if (
                _BODY_MARK.search(s)
                or _LABEL.match(s)
                or len(s) > 80
                or len(out) >= 8
                or rx("release-note", rules_dir).match(s)
                or (_COLON.search(s) and out and title_end("".join(out), rules_dir))
            ):
                if not out or all(not title_end(x, rules_dir) for x in out):
                    lead = title_prefix(s, rules_dir)
                    if lead:
                        out.append(lead)
                break
            m = rx("dated-title", rules_dir).match(s)
            if m:
                if out and title_end(out[-1], rules_dir):
                    h.dated = iso_date(m.group("date"), rules_dir)
                break
            dl = date_line(s, rules_dir)
            if dl and (not dl[0] or is_organ(dl[0], rules_dir)):
                while out and is_organ(out[-1], rules_dir):  # a cover signature, not the title
                    out.pop()
                    pos = starts.pop()
                break
            out.append(s)
            starts.append(pos)
        pos = end
    return out, pos


def title_prefix(line: str, rules_dir) -> str | None:
    """A title run into the first paragraph: '…若干措施为深入贯彻…' → '…若干措施'."""
    head = _CLAUSE_SPLIT.split(line, maxsplit=1)[0]
    for e in doc_type_ends(head, rules_dir):
        if _OPENERS.match(head[e:]) and 4 <= e <= 80:
            return head[:e]
    return None


def _classify(lines: list[str], h: Header, rules_dir) -> list[str]:
    """Take furniture (份号, 密级, 紧急程度, 签发人, 发文机关标志, 发文字号) out; return the title lines."""
    title: list[str] = []
    heading = 0  # lines of a complete title kept above a number alone: perhaps the page's heading
    for line in lines:
        s = line.strip()
        if rx("meta-line", rules_dir).match(s):
            continue  # a web byline under the page's heading: the title may go on
        m = rx("signer", rules_dir).search(s)
        if m:
            h.signer = h.signer or "、".join(_NAME_SPLIT.split(m.group("names")))
            s = (s[: m.start()] + " " + s[m.end() :]).strip()
        colon = max(s.rfind("："), s.rfind(":"))
        while colon > 0 and s[colon - 1].isdigit() and s[colon + 1 : colon + 2].isdigit():
            colon = max(s.rfind("：", 0, colon), s.rfind(":", 0, colon))  # 17:45 is a time, not a label's colon
        if colon >= 0 and outside_quotes(s, colon):
            s, title = s[colon + 1 :].strip(), []
        if "====" in s:  # a rule of = signs (a text dump's ==== 正文 ====): what stood above is no title
            s, title = s[s.rfind("=") + 1 :].strip(), []
        if not s or rx("issue-number", rules_dir).match(s):
            continue  # a 纪要's 期号 sits above or below its title
        if _furniture(s, h, rules_dir):
            title = []
            continue
        pos, found = _furniture_prefix(s, rules_dir)
        rest = s[pos:].strip()
        if found and rest and (len(found) > 1 or rx("issuer-mark", rules_dir).match(rest)):
            _record(h, found)  # furniture run into the header line that follows it
            s, title = rest, []
        m = rx("issuer-mark", rules_dir).match(s)
        if m and all(is_organ(p, rules_dir) for p in m.group("org").split()):
            h.issuers.append(joint(m.group("org"), rules_dir))
            s, title = s[m.end() :].strip(), []
        nums = doc_numbers(s, rules_dir)
        if nums and nums[0][0] > 0 and not h.doc_number and s[nums[0][1] :].strip():
            org = s[: nums[0][0]].strip()  # '泰安市卫生健康委员会   泰卫函〔2023〕57号' run into the title
            if is_organ(org, rules_dir) and org[-1:] != "的":
                h.issuers.append(squash(org))
                s, title = s[nums[0][0] :], []
                nums = doc_numbers(s, rules_dir)
        if nums and nums[0][0] == 0:
            h.doc_number = h.doc_number or nums[0][2]
            s = s[nums[0][1] :].strip()
            if not (title and title_end(clean_title("".join(title)), rules_dir)) or title_end(clean_title(s), rules_dir):
                # the number sits above the title; a complete title above it stays (unless the
                # document's own follows the number: the one above is the page's heading), and an
                # organ's line above it is the 发文机关标志 printed without 文件
                h.issuers += [joint(x, rules_dir) for x in title if is_organ(x, rules_dir)]
                title = []
            elif not s:
                heading = len(title)
            nums = doc_numbers(s, rules_dir)
        if nums and not h.doc_number and nums[0][0] > 0 and title_end(clean_title(s[: nums[0][0]]), rules_dir) and outside_quotes(s, nums[0][0]):
            # 关于…的通知 财农〔2020〕10号 2020年3月24日 …: a listing's line, the number after the title
            h.doc_number = nums[0][2]
            s = s[: nums[0][0]].strip()
            nums = []
        if nums and nums[-1][1] == len(s) and outside_quotes(s, nums[-1][0]):
            h.doc_number = h.doc_number or nums[-1][2]
            s = s[: nums[-1][0]].strip()
        elif nums and s[nums[-1][1] :] in _CLOSE_BRACKETS and s[nums[-1][0] - 1 : nums[-1][0]] in _OPEN_BRACKETS:
            h.doc_number = h.doc_number or nums[-1][2]  # …的通知(岳办发〔2017〕2号): a page's heading
            s = s[: nums[-1][0] - 1].strip()
        if s and not (title and s == title[-1]):  # a page that prints its heading twice
            title.append(s)
    if heading and heading < len(title) and title_end(clean_title("".join(title[heading:])), rules_dir):
        return title[heading:]  # a second complete title after the number: the document's own
    return title


def _once(title: str, rules_dir) -> str:
    """A title printed twice (the page's heading, then the document's own title, perhaps with its
    issuer in front or run into one line by a wrap: …的通知包头市…关于…的通知): the second."""
    for e in doc_type_ends(title, rules_dir)[:-1]:
        first = _same_key(title[:e])
        if len(first) >= 8 and _same_key(title[e:]).endswith(first):
            second = title[e:]
            lead = second[: len(second) - len(first)]
            # what runs in front of the second printing is its issuer, or a page's summary
            # snippet (…的通知 各区(市)县政府(管委会…X关于…的通知): then the printing alone
            return second if not lead or organ_prefix(second, rules_dir) else second[len(lead) :]
    return title


_SAME_KEY = str.maketrans({"（": "(", "）": ")", "—": "-", "－": "-", "–": "-", "〈": "《", "〉": "》"})


def _same_key(s: str) -> str:
    """A title line compared with another printing of it: spaces, brackets and dashes aside."""
    return squash(s).translate(_SAME_KEY)


def _furniture(s: str, h: Header, rules_dir) -> bool:
    """A line made only of 份号, 密级 and 紧急程度 tokens (recorded on ``h``)."""
    pos, found = _furniture_prefix(s, rules_dir)
    if not found or s[pos:].strip():
        return False
    _record(h, found)
    return True


def _furniture_prefix(s: str, rules_dir) -> tuple[int, dict]:
    """How far ``s`` opens with 份号/密级/紧急程度 tokens, and the tokens found."""
    pos, found = 0, {}
    tokens = (_COPY_NUMBER, rx("urgency", rules_dir), rx("secrecy", rules_dir))
    while True:
        while pos < len(s) and s[pos].isspace():
            pos += 1
        m = next((m for r in tokens if (m := r.match(s, pos))), None)
        if not m:
            return pos, found
        found.update({k: v for k, v in m.groupdict().items() if v} or {"copy": m.group(0)})
        pos = m.end()


def _record(h: Header, found: dict) -> None:
    h.urgency = h.urgency or found.get("urgency")
    h.secrecy = h.secrecy or found.get("secrecy")


def _title(lines: list[str], h: Header, rules_dir) -> str | None:
    """Join the title lines; an organ line or prefix above 关于 goes to the issuers."""
    keep: list[str] = []
    for s in reversed(lines[-4:]):
        keep.insert(0, s)
        if squash(s).startswith("关于") or organ_prefix(s, rules_dir) or (len(keep) > 1 and is_organ(s, rules_dir)):
            break  # the title's first line (or the organ line over it); what lies above is furniture or chrome
    above = lines[-len(keep) - 1] if len(lines) > len(keep) else ""
    if keep and squash(keep[0]).startswith("关于") and _ISSUES.search(squash(above)):
        keep.insert(0, above)  # X、Y印发 / 关于…的意见的通知: the title begins a line higher
    formal = h.recipients or h.doc_number or h.issuers  # a notice's header, not a bare plan's title
    while len(keep) > 1 and is_organ(keep[0], rules_dir) and (formal or squash(keep[1]).startswith("关于")):
        h.issuers.append(joint(keep.pop(0), rules_dir))
    above = lines[-len(keep) - 1] if len(lines) > len(keep) else ""
    if keep and squash(keep[0]).startswith("关于") and above and is_organ(above, rules_dir):
        h.issuers.append(joint(above, rules_dir))  # 发文机关标志 printed without 文件
    title = _once(clean_title("".join(keep)), rules_dir)
    org = organ_prefix(title, rules_dir)
    if org:
        h.issuers.append(joint(_as_printed(org, keep), rules_dir))
        title = title[len(org) :]
    printed = _PRINTS_TITLE.search(title)  # 中共中央 国务院印发《…纲要》
    if not title or not (title_end(title, rules_dir) or "关于" in title or printed):
        return None
    return title


def _as_printed(org: str, lines: list[str]) -> str:
    """``org`` (squashed) with the spaces it is printed with in ``lines``, its last printing.

    >>> _as_printed("甲市财政局甲市教育局", ["甲市财政局 甲市教育局 关于…的通知"])
    '甲市财政局 甲市教育局'
    """
    runs = re.findall(r"[ \t\u3000]*".join(map(re.escape, org)), "\n".join(lines))
    return runs[-1] if runs else org


def joint(line: str, rules_dir) -> str:
    """'中共寿光市委 寿光市人民政府' → '中共寿光市委、寿光市人民政府'; one organ → its name."""
    parts = line.split()
    if len(parts) > 1 and all(is_organ(p, rules_dir) for p in parts):
        return "、".join(parts)
    return squash(line)
