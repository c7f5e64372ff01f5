"""Document metadata (GB/T 9704-2012): header, signature, 附件说明, 附注 and 版记.

``extract(text, ctx)`` reads the whole normalized text: a web page's metadata
table when present, the header (facts/metadata_header.py), the first signature
after it (署名 and 成文日期), every 附件说明, the 抄送 and 印发 lines, and the
发文字号 of every other document the text cites.  A notice that forwards a plan
is one document: the notice's own elements come first and win.

    >>> m = extract("威海市卫生健康委员会\\n关于印发工作要点的通知\\n各区市卫生健康局：\\n现印发给你们。\\n威海市卫生健康委员会\\n2023年5月3日")
    >>> m.title, m.issuer, m.issued_on
    ('关于印发工作要点的通知', '威海市卫生健康委员会', '2023-05-03')
"""

from __future__ import annotations

import regex

from .. import recache
from ..models import DocumentMeta
from ..wraps import is_label_start
from .metadata_header import Header, mask_chrome, read_header, title_prefix
from .metadata_web import web_table
from .metadata_dates import date_line
from .metadata_text import (
    doc_numbers,
    doc_type_ends,
    is_organ,
    iso_date,
    gate,
    organ_prefix,
    rx,
    split_items,
    squash,
    strip_seal,
    title_end,
)

_BRACKETED = recache.lazy(r"[（(][^（）()]{2,30}[）)]")
_EXTENSION = recache.lazy(r"\.(?:docx?|xlsx?|pdf|wps|et|ofd|zip|rar)$", regex.IGNORECASE)
_STOP_ITEM = recache.lazy(r"^(?:附\s*件|抄\s*送|印\s*发|[（(]此件|[一二三四五六七八九十]{1,3}、)")
_CONTACT = recache.lazy(r"^[（(]\s*联\s*系\s*人")  # （联系人：…，联系电话：…） under the date
_COVER_LINES = 8  # a signature this near the top of a document without 主送机关 is its cover
_LAST_LINES = 6  # … or this near its end
_CLAUSE = recache.lazy(r"[。，；：:,;]")
_SPACES = recache.lazy(r"\s+")
_NUMBERED_ATTACHMENT = recache.lazy(r"^附\s*件\s*\d")
_NEXT_NUMBER = recache.lazy(r"(?<=\D)\s*(?=(?:[2-9]|1\d)\s*[.．、](?!\d))")
_SENTENCE_MARK = recache.lazy(r"[。；：:]")


def extract(text: str, ctx=None) -> DocumentMeta:
    """Return the document's metadata found in the normalized ``text``."""
    rules_dir = getattr(ctx, "rules_dir", None)
    t = mask_chrome(text, rules_dir)
    web, start = web_table(t, rules_dir)
    head = read_header(t, start, rules_dir)
    lines = t[head.body :].split("\n")
    sig_date, sig_orgs, sig_line = _signature(lines, head, rules_dir)
    if not sig_date:
        sig_date, sig_orgs = _release_note(t[start : head.body + 400], rules_dir, sig_orgs)
    sig_date = sig_date or head.dated
    doc_number = head.doc_number or web.get("doc_number")
    issuers = [squash(x) for x in head.issuers + sig_orgs if x]
    cited = []
    for _, _, num in doc_numbers(t[start:], rules_dir):
        if num != doc_number and num not in cited:
            cited.append(num)
    footer = t[start:].split("\n")
    return DocumentMeta(
        title=head.title or web.get("title") or web.get("heading") or _plan_title(lines, sig_line, head, rules_dir),
        issuer=max(issuers, key=len) if issuers else web.get("issuer"),
        doc_number=doc_number,
        issued_on=sig_date or web.get("issued_on"),
        recipients=head.recipients,
        attachments=_attachments(footer, rules_dir, [squash(x) for x in head.issuers]),
        cited_documents=cited,
        cc=_cc(footer, rules_dir),
        **_printed(footer, rules_dir),
        publicity=_publicity(t[start:], rules_dir),
        signer=head.signer,
        urgency=head.urgency,
        secrecy=head.secrecy,
    )


def hinted(key: str, value: str, rules_dir=None) -> str:
    """A field of a web page's metadata block as the document's own: a title without its issuer.

    >>> hinted("title", "国务院办公厅关于科技节水建议的复函")
    '关于科技节水建议的复函'
    """
    if key == "title":
        org = organ_prefix(value, rules_dir)
        return value[len(org) :] if org else value
    return value


# ---- 署名 and 成文日期 --------------------------------------------------------------------


def _signature(lines: list[str], head: Header, rules_dir) -> tuple[str | None, list[str], int | None]:
    """The first date line after the header that closes a signature: (ISO date, organs, line)."""
    live = [i for i, ln in enumerate(lines) if ln.strip()]
    for k, i in enumerate(live):
        s = lines[i].strip()
        if "\t" in s:  # a table row, unless it is a 署名 tabbed apart from its date
            s = " ".join(s.split("\t"))
            if s.count(" ") > 2 or not (date_line(s, rules_dir) or ("", "", ""))[0]:
                continue
        dl = date_line(s, rules_dir)
        if not dl:
            continue
        before, iso, note = dl
        # a seal alone before the date (（…党工委代章） 2019年8月12日): the organ is the line above
        orgs = _inline_organs(before, rules_dir) if before and strip_seal(before, rules_dir) else _organs_above(lines, i, rules_dir)
        if orgs is None or (iso is None and not orgs):
            continue  # prose, or a month standing alone: only a 署名 makes a month a 成文日期
        nxt = lines[live[k + 1]].strip() if k + 1 < len(live) else ""
        closes = bool(
            orgs or note or not nxt or _STOP_ITEM.match(nxt) or _CONTACT.match(nxt) or rx("publicity", rules_dir).match(nxt)
            or _between_notice_and_plan(lines, live, k)
        )
        if not head.recipients and not (k < _COVER_LINES or k >= len(live) - _LAST_LINES):
            continue  # a bare plan or a table: only a cover or a closing signature counts
        if closes:
            return iso, ["、".join(orgs)] if orgs else [], i
    return None, [], None


def _between_notice_and_plan(lines: list[str], live: list[int], k: int) -> bool:
    """Does the date on line ``live[k]`` stand between a closing sentence and a title (the plan a notice forwards)?

    >>> _between_notice_and_plan(["请认真贯彻执行。", "2011年8月9日", "温州市推行说理性行政处罚文书的指导意见"], [0, 1, 2], 1)
    True
    """
    if k == 0 or k + 1 >= len(live):
        return False
    prev, nxt = lines[live[k - 1]].strip(), lines[live[k + 1]].strip()
    return prev[-1:] == "。" and len(nxt) <= 40 and not _CLAUSE.search(nxt) and not _STOP_ITEM.match(nxt) and not is_label_start(nxt)


def _plan_title(lines: list[str], sig: int | None, head: Header, rules_dir) -> str | None:
    """A notice that prints no title of its own: the title of the plan after its signature."""
    if sig is None or not head.recipients:
        return None
    for s in [ln.strip() for ln in lines[sig + 1 : sig + 8] if ln.strip()][:3]:
        if _STOP_ITEM.match(s) or rx("publicity", rules_dir).fullmatch(s):
            continue
        if len(s) <= 80 and not _CLAUSE.search(s) and title_end(s, rules_dir):
            return squash(s)
        lead = title_prefix(s, rules_dir)  # the title run into the plan's first paragraph
        return squash(lead) if lead else None
    return None


def _inline_organs(before: str, rules_dir) -> list[str] | None:
    """Organs printed on the date's own line ('国务院2013年7月4日'); None if it is prose."""
    tail = _tail_organ(before, rules_dir)
    if tail:
        return [tail]
    if before[-1:] in "。；！？":
        return []  # the date closes the last paragraph; no organ printed
    parts = before.split()
    if parts and all(is_organ(p, rules_dir) for p in parts):
        return [strip_seal(p, rules_dir) for p in parts]
    return None


def _tail_organ(s: str, rules_dir) -> str | None:
    """An organ run onto the end of a line of text: '…基层制度威海市环翠区卫生健康局'."""
    s = strip_seal(s, rules_dir)
    if is_organ(s, rules_dir):
        return s
    cut = max([s.rfind(c) + 1 for c in "。；！？）)"] + doc_type_ends(s, rules_dir) + [0])
    tail = s[cut:].strip()
    return tail if cut and is_organ(tail, rules_dir) else None


def _organs_above(lines: list[str], i: int, rules_dir) -> list[str]:
    """The 署名 lines above a date line (joint organs, a bracketed second name, a seal note)."""
    orgs: list[str] = []
    pending = ""
    j = i - 1
    while j >= 0 and len(orgs) < 6:
        s = strip_seal(lines[j].strip(), rules_dir)
        j -= 1
        if not s:
            continue
        if _BRACKETED.fullmatch(s) and not s[1:].startswith("此件"):
            pending = s + pending
            continue
        parts = s.split()
        if is_organ(s + pending, rules_dir) and len(parts) == 1:
            orgs.insert(0, s + pending)
        elif len(parts) > 1 and all(is_organ(p, rules_dir) for p in parts):
            orgs[0:0] = [strip_seal(p, rules_dir) for p in parts]
        else:
            tail = None if orgs else _tail_organ(s, rules_dir)
            if tail:
                orgs.insert(0, tail)
            break
        pending = ""
    return [squash(o) for o in orgs]


def _release_note(head_text: str, rules_dir, orgs: list[str]) -> tuple[str | None, list[str]]:
    """'(2016年10月25日 中共中央、国务院发布)' under a reprinted title."""
    for line in head_text.split("\n"):
        m = rx("release-note", rules_dir).match(line.strip())
        if m:
            org = _SPACES.sub("、", m.group("org").strip())
            return iso_date(m.group("date"), rules_dir), [org]
    return None, orgs


# ---- 附件说明 ---------------------------------------------------------------------------


def _attachments(lines: list[str], rules_dir, known: list[str] = ()) -> list[str]:
    """Titles from every 附件说明 ('附件：1.…' and the numbered lines under it).

    ``known`` are the issuers the header names: a 署名 run onto the last title
    ('…任务清单乳山市卫生健康局' above the date) is cut off again.
    """
    head_rx, num_rx = rx("attachments-head", rules_dir), rx("attachment-number", rules_dir)
    downloads, item_rx = rx("download-list", rules_dir), rx("attachment-item", rules_dir)
    may_download, may_head, may_item = (gate(n, rules_dir) for n in ("download-list", "attachments-head", "attachment-item"))
    out: list[str] = []
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if may_download(s) and downloads.match(s):
            i = _skip_downloads(lines, i + 1, rules_dir)
            continue
        m = (may_head(s) and head_rx.match(s)) or (may_item(s) and item_rx.match(s))
        i += 1
        if not m:
            continue
        if "n" in m.groupdict():  # '附件1：XXX': one title a line
            items = [m.group("rest").strip()]
            while (j := _next_live(lines, i)) is not None and _continues_item(lines, j, rules_dir):
                items[-1] += lines[j].strip()
                i = j + 1
            _collect(out, items, lines, i, known, rules_dir)
            continue
        rest = m.group("rest").strip()
        nxt = _next_live(lines, i)
        if not rest and (nxt is None or not num_rx.match(lines[nxt].strip())):
            continue  # '附件：' over an attachment's own title: a label, not a list
        items = _split_numbered(rest, num_rx) if rest else []
        while True:
            j = _next_live(lines, i)
            if j is None:
                break
            s = lines[j].strip()
            if num_rx.match(s) and (items or not rest):
                items += _split_numbered(s, num_rx)
            elif items and _continues_item(lines, j, rules_dir):
                items[-1] += s
            else:
                break
            i = j + 1
        _collect(out, items, lines, i, known, rules_dir)
    return out


def _collect(out: list[str], items: list[str], lines: list[str], i: int, known, rules_dir) -> None:
    """Add the cleaned titles of ``items`` (the list ends before line ``i``) to ``out``."""
    num_rx = rx("attachment-number", rules_dir)
    j = _next_live(lines, i)
    if items and j is not None and date_line(lines[j].strip(), rules_dir):
        items[-1] = _drop_signature(items[-1], known, rules_dir)
    for it in items:
        title = _EXTENSION.sub("", squash(num_rx.sub("", it, count=1))).strip("。；;，,")
        if title and title not in out:
            out.append(title)


def _skip_downloads(lines: list[str], i: int, rules_dir) -> int:
    """The first line after a web page's list of downloadable files."""
    while (j := _next_live(lines, i)) is not None:
        s = lines[j].strip()
        if not (_NUMBERED_ATTACHMENT.match(s) or _EXTENSION.search(s)):
            return j
        i = j + 1
    return len(lines)


def _drop_signature(item: str, known: list[str], rules_dir) -> str:
    tail = _tail_organ(item, rules_dir)
    if tail and len(tail) < len(item) and any(k.endswith(squash(tail)) or squash(tail).endswith(k) for k in known):
        return item[: len(item) - len(tail)]
    return item


def _next_live(lines: list[str], i: int) -> int | None:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i if i < len(lines) else None


def _split_numbered(s: str, num_rx) -> list[str]:
    """'1.甲2.乙' (a run-on list) → ['1.甲', '2.乙']; a single title stays whole."""
    if not num_rx.match(s):
        return [s]
    return [p for p in _NEXT_NUMBER.split(s) if p.strip()]


def _continues_item(lines: list[str], j: int, rules_dir) -> bool:
    """A wrapped attachment title, not the 署名 or a date that follows the list."""
    s = lines[j].strip()
    if len(s) > 60 or _STOP_ITEM.match(s) or date_line(s, rules_dir) or _SENTENCE_MARK.search(s):
        return False
    k = _next_live(lines, j + 1)
    after = lines[k].strip() if k is not None else ""
    if is_organ(s, rules_dir):  # the 署名 (its date may be missing), unless the list goes on
        return bool(rx("attachment-number", rules_dir).match(after))
    return True


# ---- 版记 and 附注 ------------------------------------------------------------------------


def _cc(lines: list[str], rules_dir) -> list[str]:
    """The 抄送机关, also where the list runs over to further lines."""
    cc, may_cc = rx("cc", rules_dir), gate("cc", rules_dir)
    for i, line in enumerate(lines):
        s = line.strip()
        m = cc.match(s) if may_cc(s) else None
        if not m:
            continue
        rest = m.group("rest").strip()
        while rest[-1:] not in "。.":
            j = _next_live(lines, i + 1)
            more = lines[j].strip() if j is not None else ""
            joined = rest + more  # a wrap may fall inside a name: join as printed
            if not more or rx("printed", rules_dir).match(more) or not all(is_organ(x, rules_dir) for x in split_items(joined)):
                break
            rest, i = joined, j
        return split_items(rest)
    return []


def _printed(lines: list[str], rules_dir) -> dict:
    """印发机关和印发日期, also where the date went to a line of its own."""
    printed, may_print = rx("printed", rules_dir), gate("printed", rules_dir)
    for i, line in enumerate(lines):
        s = line.strip()
        m = printed.match(s) if may_print(s) else None
        if not m and (j := _next_live(lines, i + 1)) is not None:
            joined = s + " " + lines[j].strip()
            if may_print(joined) and is_organ(s, rules_dir):
                m = printed.match(joined)
        if m:
            return {"printed_by": squash(m.group("org")), "printed_on": iso_date(m.group("date"), rules_dir)}
    return {}


def _publicity(text: str, rules_dir) -> str | None:
    m = rx("publicity", rules_dir).search(text)
    return squash(m.group("text")) if m else None

