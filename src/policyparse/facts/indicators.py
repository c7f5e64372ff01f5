"""Indicator phrases: what a target's number measures, cut with jieba on one clause.

``subject`` takes the noun phrase before the verb (县内就诊率达到90% → 县内就诊率);
``noun_after`` the phrase after the unit (建设2个自治区级重点专科 → 自治区级重点专科).
Both read ``masked`` — the text with quotes, titles and parentheses blanked
out as ``MASK`` (same offsets) — so a phrase never starts inside them.

    >>> noun_after("个国家级重点专科，", "个国家级重点专科，", 1, 9, None)[0]
    '国家级重点专科'
"""

from __future__ import annotations


from .. import recache, segment

__all__ = ["MASK", "noun_after", "subject"]

MASK = "\x00"
_CLAUSE_CHARS = recache.lazy(r"[，,；;。！？!?\n：:\t]")
_YEAR = recache.lazy(r"(?:19|20)\d\d")
_NO_WORD = set("的、，,；;。！？!?\n\t：:（）()“”《》" + MASK)


def subject(text: str, masked: str, a: int, b: int, lead_words, rules_dir=None) -> tuple | None:
    """The noun phrase in ``text[a:b]`` (clause start to verb), without lead words and adverbs.

        >>> subject("确保每千人托位数达到", "确保每千人托位数达到", 0, 8, {"确保"})[0]
        '每千人托位数'
    """
    if b - a > 60:
        a = b - 60
    words = segment.tag(text[a:b], rules_dir)
    spans, pos = [], a
    for w, flag in words:
        spans.append((w, flag, pos))
        pos += len(w)
    while spans:
        w, flag, at = spans[0]
        if _YEAR.fullmatch(w) and len(spans) > 1 and spans[1][0].startswith("年"):
            del spans[:2]  # 2028年取得救护员证书的人员: the year is the deadline's
        elif flag in ("d", "c", "p", "t", "x", "uj") or w in lead_words or MASK in masked[at : at + len(w)]:
            spans.pop(0)
        else:
            break
    while spans and (spans[-1][1] in ("d", "r", "t", "p", "zg", "c", "x", "uj", "ul", "m", "f") or spans[-1][0] in lead_words):
        if spans[-1][0] in "）)" and any(w in "（(" for w, _, _ in spans):
            break  # 房屋建筑面积（含厕所）: the parenthesis belongs to the phrase
        spans.pop()
    if not spans or _CLAUSE_CHARS.search(masked, spans[0][2], spans[-1][2] + len(spans[-1][0])):
        return None
    s, e = spans[0][2], spans[-1][2] + len(spans[-1][0])
    phrase = text[s:e].strip()
    return (phrase, s, e) if len(phrase) >= 2 else None


def noun_after(text: str, masked: str, a: int, b: int, verbs, rules_dir=None, whole: bool = False) -> tuple | None:
    """The noun phrase at ``a``, up to ``b`` at most: 2个自治区级重点专科 → 自治区级重点专科.

    ``verbs`` (a compiled pattern) end the phrase; ``whole``: the span must be
    one noun phrase to its end (the words between a verb and its number), else None.

        >>> noun_after("自治区级重点专科、", "自治区级重点专科、", 0, 9, None)[0]
        '自治区级重点专科'
    """
    b = min(b, a + 24)
    words = segment.tag(text[a:b], rules_dir)
    out, pos = [], a
    for k, (w, flag) in enumerate(words):
        nxt = words[k + 1][1] if k + 1 < len(words) else ""
        stop = w in _NO_WORD or flag in ("f", "p", "c", "uj", "ul", "x", "d", "r") or (not out and flag in ("m", "q"))
        if flag == "v" and ((verbs is not None and verbs.fullmatch(w)) or not (nxt.startswith("n") or nxt in ("v", "vn"))):
            # a verb ends the phrase unless a name goes on (发电应用示范区) or it closes a
            # noun compound at the end of the clause (奖励补助)
            stop = not (nxt in ("", "x") and out and words[k - 1][1] in ("vn", "n"))
        if stop or MASK in masked[pos : pos + len(w)]:
            if whole:
                return None
            break
        out.append((w, pos))
        pos += len(w)
    if not out:
        return None
    s, e = out[0][1], out[-1][1] + len(out[-1][0])
    phrase = text[s:e].strip()
    return (phrase, s, e) if len(phrase) >= 2 else None
