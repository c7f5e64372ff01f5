"""The visible rulings of a page, read from pypdfium2's path objects.

A ruling is a straight horizontal or vertical stretch that a reader sees: a
stroked segment that is not white, a filled hairline, or the border of a filled
box that is not white (a shaded cell).  White boxes painted behind lines of
text are not rulings.  The result is a list of pdfplumber edge dicts (displayed
top-down frame) for pdfplumber's table finder, so a page need not be parsed a
second time to find its tables.

    >>> _axis_edge(10, 100, 200, 100.4, 842)["orientation"]
    'h'
"""

from __future__ import annotations

import ctypes

THIN = 3.0  # points: thinner than this, a filled shape is a rule
MIN_LEN = 6.0  # points: shorter stretches are glyph parts, not rulings
LIGHT = 235  # 0-255: a colour this light on every channel is read as white


def _axis_edge(x0: float, top: float, x1: float, bottom: float, height: float) -> dict:
    """A pdfplumber edge for the stretch between two points (top-down coordinates)."""
    x0, x1 = min(x0, x1), max(x0, x1)
    top, bottom = min(top, bottom), max(top, bottom)
    if bottom - top <= x1 - x0:
        y = (top + bottom) / 2
        return {"object_type": "rule_edge", "orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y,
                "width": x1 - x0, "height": 0.0, "doctop": y, "y0": height - y, "y1": height - y}
    x = (x0 + x1) / 2
    return {"object_type": "rule_edge", "orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom,
            "width": 0.0, "height": bottom - top, "doctop": top, "y0": height - bottom, "y1": height - top}


def _mul(m, n):
    """Matrix ``m`` then ``n`` (PDF order: row vector times m times n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def rulings(page) -> list[dict]:
    """Edges of every visible ruling on a ``pypdfium2`` page."""
    import pypdfium2.raw as pr

    from .pdf_chars import _frame

    mediabox = page.get_mediabox()
    rotation = page.get_rotation() % 360
    to_top = _frame(mediabox, rotation)
    height = mediabox[3] - mediabox[1] if rotation % 180 == 0 else mediabox[2] - mediabox[0]
    out: list[dict] = []
    raw = page.raw
    n = pr.FPDFPage_CountObjects(raw)
    stack = [(pr.FPDFPage_GetObject(raw, i), (1, 0, 0, 1, 0, 0)) for i in range(n)]
    mat = pr.FS_MATRIX()
    while stack:
        obj, outer = stack.pop()
        kind = pr.FPDFPageObj_GetType(obj)
        if kind == pr.FPDF_PAGEOBJ_FORM:
            pr.FPDFPageObj_GetMatrix(obj, mat)
            m = _mul((mat.a, mat.b, mat.c, mat.d, mat.e, mat.f), outer)
            stack.extend((pr.FPDFFormObj_GetObject(obj, k), m) for k in range(pr.FPDFFormObj_CountObjects(obj)))
        elif kind == pr.FPDF_PAGEOBJ_PATH:
            pr.FPDFPageObj_GetMatrix(obj, mat)
            m = _mul((mat.a, mat.b, mat.c, mat.d, mat.e, mat.f), outer)
            out.extend(_path_edges(obj, m, pr, to_top, height))
    return out


def _colour(getter, obj) -> tuple[bool, bool]:
    """(painted, light) for a fill or stroke colour getter."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return True, False
    return a.value > 0, min(r.value, g.value, b.value) >= LIGHT


def _path_edges(obj, m, pr, to_top, height: float) -> list[dict]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pr.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return []
    stroked = bool(stroke.value)
    if stroked:
        painted, light = _colour(pr.FPDFPageObj_GetStrokeColor, obj)
        stroked = painted and not light
    filled = bool(fill.value)
    if filled:
        painted, light = _colour(pr.FPDFPageObj_GetFillColor, obj)
        filled = painted and not light
    if not stroked and not filled:
        return []
    pts = _points(obj, m, pr, to_top)
    if not pts:
        return []
    xs = [p[0] for sub in pts for p in sub]
    ys = [p[1] for sub in pts for p in sub]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    if filled and not stroked:
        if min(x1 - x0, bottom - top) <= THIN and max(x1 - x0, bottom - top) >= MIN_LEN:
            return [_axis_edge(x0, top, x1, bottom, height)]  # a filled hairline
        if x1 - x0 >= MIN_LEN and bottom - top >= MIN_LEN and all(_is_box(sub) for sub in pts):
            return [_axis_edge(x0, t, x1, t, height) for t in (top, bottom)] + [
                _axis_edge(x, top, x, bottom, height) for x in (x0, x1)
            ]  # a shaded cell: its border counts
        return []
    out = []
    for sub in pts:
        for (ax, ay), (bx, by) in zip(sub, sub[1:]):
            if abs(ay - by) <= 0.5 and abs(ax - bx) >= MIN_LEN or abs(ax - bx) <= 0.5 and abs(ay - by) >= MIN_LEN:
                out.append(_axis_edge(ax, ay, bx, by, height))
    return out


def _is_box(sub: list[tuple[float, float]]) -> bool:
    return 4 <= len(sub) <= 6


def _points(obj, m, pr, to_top) -> list[list[tuple[float, float]]]:
    """Subpaths as lists of displayed points; curves are skipped (no straight stretch)."""
    a, b, c, d, e, f = m
    subs: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pr.FPDFPath_CountSegments(obj)):
        seg = pr.FPDFPath_GetPathSegment(obj, k)
        if not pr.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        kind = pr.FPDFPathSegment_GetType(seg)
        p = to_top(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == pr.FPDF_SEGMENT_MOVETO or not subs:
            subs.append([p])
        elif kind == pr.FPDF_SEGMENT_LINETO:
            subs[-1].append(p)
        else:  # a Bézier: start a fresh run after it
            subs.append([p])
        if pr.FPDFPathSegment_GetClose(seg) and len(subs[-1]) > 1:
            subs[-1].append(subs[-1][0])
    return subs


def has_table_rulings(edges: list[dict]) -> bool:
    """Two horizontal and two vertical rulings at least: a grid may be there."""
    h = sum(1 for e in edges if e["orientation"] == "h")
    v = sum(1 for e in edges if e["orientation"] == "v")
    return h >= 2 and v >= 2
