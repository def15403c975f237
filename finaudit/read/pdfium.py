"""The PDF page reader: what the PDF loader needs of each page, read with PDFium (pypdfium2).

``read_pages(path)`` gives one ``PageContent`` per page — the characters with their boxes and
font size, the straight edges of the paths drawn on it (ruled lines, and the sides of rectangles
and polygons) and its size — in points from the page's top left corner, as pdfplumber measures
them. A page that PDFium cannot read gives a message instead. Nothing here knows about tables;
nothing in the loader knows which engine read a page (``pdfplumber_pages`` reads the same with
pdfplumber, the optional fallback that the equivalence test compares against).

PDFium is C: a malformed file can make it fail in ways Python cannot catch. ``read_pages_guarded``
runs ``read_pages`` in a forked child process that streams the pages back one by one, so that a
crash inside PDFium ends the child, not the caller, and the parent knows the page it died on.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field
from pathlib import Path

_PATH, _IMAGE, _FORM = 2, 3, 5  # FPDF_PAGEOBJ_*
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2  # FPDF_SEGMENT_*


class PdfUnreadable(Exception):
    """The file as a whole cannot be read as a PDF (not a PDF, damaged, encrypted): what was found."""


@dataclass
class PageContent:
    """One page: characters (dicts with text, x0, x1, top, bottom, size), edges (dicts with
    orientation 'h' or 'v', x0, x1, top, bottom), size in points, and the images drawn."""

    number: int
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    images: int = 0


# -- edges, as pdfminer classifies paths and pdfplumber turns them into edges --------------------
def _edge(p0: tuple[float, float], p1: tuple[float, float], line: bool) -> dict | None:
    """A segment → an edge; a lone line that is not horizontal counts as vertical (pdfplumber)."""
    (x0, y0), (x1, y1) = p0, p1
    if line:
        orientation = "h" if y0 == y1 else "v"
    else:
        orientation = "v" if x0 == x1 else ("h" if y0 == y1 else None)
    if orientation is None:
        return None
    return {"orientation": orientation, "x0": min(x0, x1), "x1": max(x0, x1), "top": min(y0, y1), "bottom": max(y0, y1)}


def path_edges(subpaths: list[list[tuple[float, float]]]) -> list[dict]:
    """Subpaths (their points in page space, top-down; a closed one repeats its first point) →
    edges: a two-point subpath is a line; otherwise each axis-parallel segment is an edge."""
    edges = []
    for points in subpaths:
        if len(points) > 3 and points[-1] == points[0] and points[-2] == points[0]:
            points = points[:-1]  # a redundant point on a closed path (pdfminer drops it)
        if len(points) < 2:
            continue
        if len(points) == 2 or (len(points) == 3 and points[2] == points[0]):
            found = [_edge(points[0], points[1], line=True)]
        else:
            found = [_edge(a, b, line=False) for a, b in zip(points, points[1:])]
        edges.extend(e for e in found if e is not None and max(e["x1"] - e["x0"], e["bottom"] - e["top"]) >= 1)
    return edges


# -- PDFium ------------------------------------------------------------------------------------------
def _view(page, pdfium_c) -> tuple[tuple[float, ...], float, float]:
    """The transform from PDF user space to the page as shown (rotated, origin at the media box's
    corner) and the shown width and height: as pdfminer sets up a page."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if pdfium_c.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        x0, x1 = sorted((left.value, right.value))
        y0, y1 = sorted((bottom.value, top.value))
    else:  # no media box: PDFium's default page
        x0, y0, x1, y1 = 0.0, 0.0, pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
    rotation = pdfium_c.FPDFPage_GetRotation(page) * 90
    if rotation == 90:
        return (0, -1, 1, 0, -y0, x1), y1 - y0, x1 - x0
    if rotation == 180:
        return (-1, 0, 0, -1, x1, y1), x1 - x0, y1 - y0
    if rotation == 270:
        return (0, 1, -1, 0, y1, -x0), y1 - y0, x1 - x0
    return (1, 0, 0, 1, -x0, -y0), x1 - x0, y1 - y0


def _read_page(document, index: int, pdfium_c) -> PageContent:
    page = pdfium_c.FPDF_LoadPage(document, index)
    if not page:
        raise RuntimeError("PDFium could not load the page")
    try:
        (a, b, c, d, e, f), width, height = _view(page, pdfium_c)
        content = PageContent(number=index + 1, width=width, height=height)
        text = pdfium_c.FPDFText_LoadPage(page)
        if not text:
            raise RuntimeError("PDFium could not read the page's text")
        try:
            content.chars = _chars(text, (a, b, c, d, e, f), height, pdfium_c)
        finally:
            pdfium_c.FPDFText_ClosePage(text)
        matrix = pdfium_c.FS_MATRIX()
        objects = [(pdfium_c.FPDFPage_GetObject(page, i), (1, 0, 0, 1, 0, 0))
                   for i in range(pdfium_c.FPDFPage_CountObjects(page))]
        while objects:
            obj, outer = objects.pop()
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == _IMAGE:
                content.images += 1
            elif kind in (_PATH, _FORM):
                if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
                    continue
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                if kind == _FORM:
                    objects.extend((pdfium_c.FPDFFormObj_GetObject(obj, i), m)
                                   for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)))
                else:
                    content.edges.extend(_path(obj, _compose(m, (a, b, c, d, e, f)), height, pdfium_c))
        return content
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _path(obj, m: tuple, height: float, pdfium_c) -> list[dict]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not (fill.value or stroke.value):
        return []
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        if pdfium_c.FPDFPathSegment_GetType(segment) == _MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            subpaths[-1].append(subpaths[-1][0])
    return path_edges(subpaths)


def _chars(text, m: tuple, height: float, pdfium_c) -> list[dict]:
    """The page's printed characters (no spaces, nothing PDFium generated) as pdfminer boxes them:
    left and right from the origin and the advance, bottom at the font's descent below the
    baseline (PDFium's loose box, where the font has metrics; else the baseline), the font size
    in points as the height."""
    a, b, c, d, e, f = m
    box, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    get_unicode, loose_box = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetLooseCharBox
    font_size, char_matrix, origin = pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_GetMatrix, pdfium_c.FPDFText_GetCharOrigin
    chars = []
    for i in range(pdfium_c.FPDFText_CountChars(text)):
        code = get_unicode(text, i)
        if code <= 32 or code in (0xA0, 0x3000, 0xFFFE, 0xFFFF) or 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        if char.isspace() or not loose_box(text, i, box):
            continue
        size = font_size(text, i)
        if char_matrix(text, i, matrix):
            size *= math.hypot(matrix.c, matrix.d)
        left, right, bottom = box.left, box.right, box.bottom
        if abs((box.top - box.bottom) - size) > 0.1 * size and origin(text, i, x, y):
            bottom = y.value  # no font metrics: PDFium's loose box is the glyph's outline
        x0, x1 = a * left + c * bottom + e, a * right + c * bottom + e
        y0 = b * left + d * bottom + f
        chars.append({"text": char, "x0": min(x0, x1), "x1": max(x0, x1), "top": height - y0 - size,
                      "bottom": height - y0, "size": size})
    return chars


def read_pages(path: str | Path) -> list[PageContent | str]:
    """Every page of a PDF with PDFium, in-process; a page PDFium cannot read gives its message.
    Raises ``PdfUnreadable`` for a file PDFium cannot open (saying why: damaged, password)."""
    import pypdfium2.raw as pdfium_c

    document = pdfium_c.FPDF_LoadDocument(str(path).encode("utf-8"), None)
    if not document:
        raise PdfUnreadable(_LOAD_ERRORS.get(pdfium_c.FPDF_GetLastError(), "PDFium could not open it"))
    try:
        pages: list[PageContent | str] = []
        for index in range(pdfium_c.FPDF_GetPageCount(document)):
            try:
                pages.append(_read_page(document, index, pdfium_c))
            except Exception as error:  # noqa: BLE001 — a bad page must not stop the load
                pages.append(f"{type(error).__name__}: {error}")
        return pages
    finally:
        pdfium_c.FPDF_CloseDocument(document)


_LOAD_ERRORS = {
    1: "an unknown PDFium error",
    2: "the file could not be opened",
    3: "not a PDF, or a damaged one (no readable cross-reference table)",
    4: "encrypted with a password",
    5: "an unsupported security handler",
    6: "a damaged page",
}


# -- the pdfplumber fallback ------------------------------------------------------------------------
def pdfplumber_pages(path: str | Path) -> list[PageContent | str]:
    """The same page contents read with pdfplumber (pdfminer.six): slower, pure Python."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
        count = len(pdf.pages)
    except Exception as error:  # noqa: BLE001 — pdfminer raises many kinds
        raise PdfUnreadable(f"{type(error).__name__}: {error}") from None
    pages: list[PageContent | str] = []
    with pdf:
        for index in range(count):
            try:
                page = pdf.pages[index]
                chars = [{k: c[k] for k in ("text", "x0", "x1", "top", "bottom", "size")}
                         for c in page.chars if c["text"].strip()]
                edges = [{k: e[k] for k in ("orientation", "x0", "x1", "top", "bottom")}
                         for e in page.edges if e["orientation"] and e["width" if e["orientation"] == "h" else "height"] >= 1]
                pages.append(PageContent(index + 1, float(page.width), float(page.height), chars, edges, len(page.images)))
            except Exception as error:  # noqa: BLE001
                pages.append(f"{type(error).__name__}: {error}")
    return pages


__all__ = ["PageContent", "PdfUnreadable", "path_edges", "pdfplumber_pages", "read_pages"]
