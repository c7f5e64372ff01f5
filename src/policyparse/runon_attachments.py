"""Attachments run into a notice copied without its line breaks.

``…请落实。附件：1.甲小组2.乙制度某局2023年5月3日附件1甲小组一、组成……`` :
the 附件 list (after a sentence end) names the attachments; each later 附件N
that opens with its title (or the title's end: the list may add the issuer in
front) is cut before its label, after it and after the title, so that the tree
sees the label, the title and the attachment's items on lines of their own.

    >>> from policyparse.runons import cut_offsets
    >>> t = "请落实。附件：1.某局甲工作小组2.乙制度（试行）某县卫生健康局2023年5月3日附件1甲工作小组一、组成。附件2乙制度（试行）一、内容。"
    >>> cuts = cut_offsets(t)
    >>> [t[a:b] for a, b in zip([0, *cuts], [*cuts, len(t)])]
    ['请落实。', '附件：1.某局甲工作小组', '2.乙制度（试行）', '某县卫生健康局2023年5月3日', '附件1', '甲工作小组', '一、组成。', '附件2', '乙制度（试行）', '一、内容。']
"""

from __future__ import annotations

from . import recache

_LIST_NOTE = recache.lazy(r"[。；！？）)]\s*(附\s*件\s*[:：])")  # the 附件 list, after a sentence end
_ITEM = recache.lazy(r"\s*(\d{1,2})\s*[.．、]\s*")  # 1. 2． 3、 in the list
_LABEL_END = recache.lazy(r"[\s:：]*")  # between a label and its title
_SHORTEST = 4  # characters of a title's end that must match after its label


def attachment_cuts(text: str, signatures: list[int]) -> list[int]:
    """Offsets where a run-on line breaks around its attachments (``signatures``: where signatures start)."""
    if "附" not in text:
        return []
    m = _LIST_NOTE.search(text)
    if m is None:
        return []
    body = m.end(1)
    nxt = text.find("附件", body)
    end = min([s for s in signatures if s > body] + ([nxt] if nxt >= 0 else []) + [len(text)])
    titles, cuts = _titles(text, body, end)
    cuts.insert(0, m.start(1))
    pos = end
    for k, title in enumerate(titles, 1):
        label = f"附件{k}" if len(titles) > 1 else "附件"
        i = text.find(label, pos)
        while i >= 0:
            j = _LABEL_END.match(text, i + len(label)).end()
            n = _opens_with_end_of(text, j, title)
            if n:
                cuts += [i, i + len(label), j + n]
                pos = j + n
                break
            i = text.find(label, i + 1)
    return cuts


def _titles(text: str, a: int, b: int) -> tuple[list[str], list[int]]:
    """The titles listed in ``text[a:b]`` (1.甲2.乙 or one title) and where items 2, 3 … start."""
    first = _ITEM.match(text, a, b)
    if first is None or first.group(1) != "1":
        title = text[a:b].strip()
        return ([title] if title else []), []
    starts, cuts, k, pos = [first.end()], [], 2, first.end()
    while True:
        i = text.find(str(k), pos, b)
        while i >= 0:
            m = _ITEM.match(text, i, b)
            if m and m.group(1) == str(k) and not text[i - 1].isdigit():
                break
            i = text.find(str(k), i + 1, b)
        if i < 0:
            break
        cuts.append(i)
        starts.append(m.end())
        pos, k = m.end(), k + 1
    ends = [*cuts, b]
    return [text[s:e].strip() for s, e in zip(starts, ends)], cuts


def _opens_with_end_of(text: str, j: int, title: str) -> int:
    """Length in ``text`` of the longest end of ``title`` (at least 4 characters, or all of it) at ``j``.

    White space is ignored on both sides: a title printed over two lines, or
    spaced out, is the title of the list.
    """
    bare = "".join(title.split())
    for k in range(len(bare)):
        end = bare[k:]
        if len(end) < min(_SHORTEST, len(bare)):
            break
        n = _loose_match(text, j, end)
        if n:
            return n
    return 0


def _loose_match(text: str, j: int, s: str) -> int:
    """Characters of ``text`` from ``j`` that spell ``s`` with white space between them, or 0."""
    i, n = j, len(text)
    for ch in s:
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != ch:
            return 0
        i += 1
    return i - j
