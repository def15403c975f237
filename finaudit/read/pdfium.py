"""The PDF page reader: what the PDF loader needs of each page, read with PDFium (pypdfium2).

``read_pages(path)`` gives one ``PageContent`` per page — the characters with their boxes and
font size, the straight edges of the paths drawn on it (ruled lines, and the sides of rectangles
and polygons) and its size — in points from the page's top left corner, as pdfplumber measures
them. A page that PDFium cannot read gives a message instead. Nothing here knows about tables;
nothing in the loader knows which engine read a page (``pdfplumber_pages`` reads the same with
pdfplumber, the optional fallback that the equivalence test compares against).

PDFium is C: a malformed file can make it fail in ways Python cannot catch. ``guarded_pages``
runs ``read_pages`` in a forked child process that streams the pages back one by one, so that a
crash inside PDFium ends the child, not the caller, and the parent knows the page it died on; a
child stuck on one page for ``PAGE_SECONDS`` is killed. The caller lays out each page while the
child reads the next, so on two cores the guard costs little more than the fork. A ``Bound`` on
pages and characters is checked as the pages are read (``finaudit.read.limits``).
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import functools
import gc
import marshal
import math
import os
import re
import select
import signal
import struct
import sys
import time
from array import array
from collections.abc import Iterator
from itertools import chain
from operator import itemgetter
from dataclasses import dataclass, field
from pathlib import Path

_PATH, _IMAGE, _FORM = 2, 3, 5  # FPDF_PAGEOBJ_*
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2  # FPDF_SEGMENT_*


class PdfUnreadable(Exception):
    """The file as a whole cannot be read as a PDF (not a PDF, damaged, encrypted): what was found."""


#: A character: its box (x0, x1, top, bottom), its font size and its text, as a tuple (a page holds thousands)
Char = tuple[float, float, float, float, float, str]
X0, X1, TOP, BOTTOM, SIZE, TEXT = range(6)
#: An edge: its extent (x0, x1, top, bottom; a horizontal one's top is its bottom) and its orientation, 'h' or 'v'
Edge = tuple[float, float, float, float, str]
ORIENTATION = 4


@dataclass
class PageContent:
    """One page: characters (``Char`` tuples), edges (``Edge`` tuples), size in points, and the images drawn."""

    number: int
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    images: int = 0
    glyphs: int = 0  # the characters the engine counts on the page, spaces included (what a Bound limits)


class PdfTooCostly(Exception):
    """A PDF past a ``Bound``: the bound's name, its value and what was found."""

    def __init__(self, limit: str, value, found: str):
        super().__init__(limit, value, found)
        self.limit, self.value, self.found = limit, value, found


@dataclass(frozen=True)
class Bound:
    """What one PDF may hold, checked as it is read (None: no bound): pages, characters on one page
    and in the whole file. A page past ``glyphs_per_page`` or ``glyphs`` is the last one read."""

    pages: int | None = None
    glyphs_per_page: int | None = None
    glyphs: int | None = None

    def check_pages(self, count: int) -> None:
        if self.pages is not None and count > self.pages:
            raise PdfTooCostly("pages", self.pages, f"{count} pages")

    def check_page(self, page: PageContent, total: int) -> int:
        """The characters read so far, with this page's; raises past a bound."""
        if self.glyphs_per_page is not None and page.glyphs > self.glyphs_per_page:
            raise PdfTooCostly("glyphs_per_page", self.glyphs_per_page, f"{page.glyphs} characters on page {page.number}")
        total += page.glyphs
        if self.glyphs is not None and total > self.glyphs:
            raise PdfTooCostly("glyphs", self.glyphs, f"over {total} characters by page {page.number}")
        return total


# -- edges, as pdfminer classifies paths and pdfplumber turns them into edges --------------------
def _line(x0: float, y0: float, x1: float, y1: float) -> Edge | None:
    """A line from (x0, y0) to (x1, y1) → its edge, if at least a point long; a line that is not horizontal
    counts as vertical (pdfplumber)."""
    if y0 == y1:
        if abs(x1 - x0) >= 1:
            return min(x0, x1), max(x0, x1), y0, y0, "h"
    elif max(abs(x1 - x0), abs(y1 - y0)) >= 1:
        return min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1), "v"
    return None


def path_edges(subpaths: list[list[tuple[float, float]]]) -> list[Edge]:
    """Subpaths (their points in page space, top-down; a closed one repeats its first point) →
    edges at least a point long: a two-point subpath is a line; otherwise each axis-parallel segment is an edge."""
    edges = []
    append = edges.append
    for points in filter(None, subpaths):
        count, first = len(points), points[0]
        if count > 3 and points[-1] == first and points[-2] == first:
            count -= 1  # a redundant point on a closed path (pdfminer drops it)
        if count == 2 or (count == 3 and points[2] == first):
            (x0, y0), (x1, y1) = first, points[1]
            if edge := _line(x0, y0, x1, y1):
                append(edge)
            continue
        x0, y0 = first
        for k in range(1, count):  # (none for a lone point)
            x1, y1 = points[k]
            if x0 == x1:
                if abs(y1 - y0) >= 1:
                    append((x0, x0, y0, y1, "v") if y0 < y1 else (x0, x0, y1, y0, "v"))
            elif y0 == y1 and abs(x1 - x0) >= 1:
                append((x0, x1, y0, y0, "h") if x0 < x1 else (x1, x0, y0, y0, "h"))
            x0, y0 = x1, y1
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
        view, width, height = _view(page, pdfium_c)
        content = PageContent(number=index + 1, width=width, height=height)
        text = pdfium_c.FPDFText_LoadPage(page)
        if not text:
            raise RuntimeError("PDFium could not read the page's text")
        try:
            content.glyphs = pdfium_c.FPDFText_CountChars(text)
            content.chars = _chars(text, view, height, pdfium_c)
        finally:
            pdfium_c.FPDFText_ClosePage(text)
        subpaths: list[list[tuple[float, float]]] = []
        content.images = _drawing(page, pdfium_c.FPDFPage_CountObjects(page), _accessors(pdfium_c).page_object, view,
                                  height, subpaths, pdfium_c)
        content.edges = path_edges(subpaths)
        return content
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _drawing(parent, count: int, get_object, outer: tuple, height: float, subpaths: list, pdfium_c) -> int:
    """The paths among ``count`` objects of a page or form (into ``subpaths``, their points in
    page space, top-down; a closed subpath repeats its first point), in content order; returns
    the number of images. PDFium makes a path object only for a path that is painted."""
    matrix, matrix_ref = _floats(6)  # FS_MATRIX: a, b, c, d, e, f
    xy, x_ref = _floats(2)
    y_ref = ctypes.c_void_p(x_ref.value + xy.itemsize)
    calls = _accessors(pdfium_c)
    get_type, get_matrix, count_segments = calls.object_type, calls.object_matrix, calls.count_segments
    get_segment, get_point, segment_type, segment_close = calls.segment, calls.point, calls.segment_type, calls.closes
    a2, b2, c2, d2, e2, f2 = outer
    images = 0
    for i in range(count):
        obj = get_object(parent, i)
        kind = get_type(obj)
        if kind != _PATH:  # (most objects are text)
            if kind == _IMAGE:
                images += 1
            elif kind == _FORM and get_matrix(obj, matrix_ref):
                m = _compose(tuple(matrix), outer)
                images += _drawing(obj, calls.form_count(obj), calls.form_object, m, height, subpaths, pdfium_c)
            continue
        if not get_matrix(obj, matrix_ref):
            continue
        # _compose(the path's matrix, outer), inline: a page holds thousands of ruled lines
        a1, b1, c1, d1, e1, f1 = matrix
        a, b = a1 * a2 + b1 * c2, a1 * b2 + b1 * d2
        c, d = c1 * a2 + d1 * c2, c1 * b2 + d1 * d2
        e, f = e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2
        n = count_segments(obj)
        current: list[tuple[float, float]] = []
        for j in range(n):
            segment = get_segment(obj, j)
            if not get_point(segment, x_ref, y_ref):
                continue
            u, v = xy
            point = (a * u + c * v + e, height - (b * u + d * v + f))
            if j and segment_type(segment) != _MOVETO:
                current.append(point)
            else:
                current = [point]
                subpaths.append(current)
            if n > 2 and segment_close(segment):  # closing a two-point path leaves it a line
                current.append(current[0])
    return images


def _chars(text, view: tuple, height: float, pdfium_c) -> list[Char]:
    """The page's printed characters (no spaces) as pdfminer boxes them: left and right from the
    origin and the advance, bottom at the font's descent below the baseline (PDFium's loose box,
    where the font has metrics; else the baseline), the font size in points as the height."""
    a, b, c, d, e, f = view
    count = pdfium_c.FPDFText_CountChars(text)
    if count <= 0:
        return []
    units = array("H", bytes(2 * (count + 1)))  # (not a ctypes array: a new array type for each length)
    pdfium_c.FPDFText_GetText(text, 0, count, ctypes.cast(units.buffer_info()[0], ctypes.POINTER(ctypes.c_ushort)))
    codes = units[:count]
    # a surrogate pair (a unit's high byte D8–DF) shifts the units: ask one by one
    if _SURROGATE.search(codes.tobytes()[_HIGH::2]):
        codes = [pdfium_c.FPDFText_GetUnicode(text, i) for i in range(count)]
    box, box_ref = _floats(4)  # FS_RECTF: left, top, right, bottom
    matrix, matrix_ref = _floats(6)
    calls = _accessors(pdfium_c)
    loose_box, text_object = calls.loose_box, calls.text_object
    font_size, char_matrix = calls.font_size, calls.char_matrix
    chars = []
    append = chars.append
    owner, size, slack, baseline = None, 0.0, 0.0, 0.0
    turned = a == 0 and d == 0  # a page shown turned a quarter (/Rotate 90 or 270): the text runs along the page's y
    upright = (a, b, c, d) == (1, 0, 0, 1)  # (most pages: the view only moves the origin)
    origin = (ctypes.c_double(), ctypes.c_double())
    last_top = last_bottom = None  # the last character's loose top and bottom
    on_baseline = False
    for i, code in enumerate(codes):
        if code <= 32 or code in _BLANK or not loose_box(text, i, box_ref):
            continue
        left, top, right, bottom = box
        # the font size and the text matrix are those of the character's text object: asked once a run, and
        # not again for a character boxed at the same height as the last (the same font, size and line)
        if turned or top != last_top or bottom != last_bottom:
            run = text_object(text, i)
            if not run or run != owner:
                if not char_matrix(text, i, matrix_ref):
                    last_top = None
                    continue
                owner = run
                size = font_size(text, i) * math.hypot(matrix[2], matrix[3])
                slack, baseline = 0.1 * size, matrix[5]
            last_top, last_bottom = top, bottom
            # no font metrics, so the loose box is the glyph's outline: the bottom is the baseline
            on_baseline = abs((top - bottom) - size) > slack
        if turned:
            append(_turned_char(text, i, code, box, size, view, height, origin, pdfium_c))
            continue
        y = baseline if on_baseline else bottom
        if upright:
            x0, x1, low = left + e, right + e, height - (y + f)
        else:
            across = c * y
            x0, x1, low = a * left + across + e, a * right + across + e, height - (b * left + d * y + f)
        append((x1 if x1 < x0 else x0, x1 if x1 > x0 else x0, low - size, low, size, chr(code)))
    return chars


def _turned_char(text, i, code: int, box, size: float, view: tuple, height: float, origin, pdfium_c) -> Char:
    """Given a character of a page shown turned a quarter, its loose box (left, top, right, bottom) and font
    size, return its box in the view: left and right from the box's extent along the reading direction, the
    bottom at the box's edge across it where the font has metrics, else at the character's origin (the baseline).
    (Using the page's x for the view's x collapsed such a page's digits, which have no metrics in
    some fonts, onto one point: a Jiangsu 收支预算总表 printed landscape.)"""
    a, b, c, d, e, f = view
    left, top, right, bottom = box
    corners = [(x, y) for x in (left, right) for y in (bottom, top)]
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    y0 = min(ys)
    if abs((max(ys) - y0) - size) > 0.1 * size and pdfium_c.FPDFText_GetCharOrigin(text, i, *origin):
        y0 = b * origin[0].value + d * origin[1].value + f
    return min(xs), max(xs), height - y0 - size, height - y0, size, chr(code)


def _floats(count: int) -> tuple[array, ctypes.c_void_p]:
    """``count`` C floats for PDFium to write into (an out-parameter; a struct of floats) and the pointer to
    pass: an array reads back faster than a ctypes structure. Keep the array while the pointer is in use."""
    floats = array("f", bytes(4 * count))
    return floats, ctypes.c_void_p(floats.buffer_info()[0])


class _Handle(ctypes.c_void_p):
    """A PDFium handle as an accessor returns it: a ctypes object, passed on as it is (a plain c_void_p result
    becomes an int, which a call without argument types would pass as a C int)."""


@dataclass(frozen=True)
class _Accessors:
    """The PDFium functions called once per character, page object or path segment, called without
    pypdfium2's argument types and without releasing the GIL: a third of the cost of a call through the
    binding, which is most of a page's reading. Each is a lookup in memory PDFium holds, nothing that could
    block; arguments are handles (ctypes objects), pointers to out-parameters (``_floats``) and indexes (C ints)."""

    loose_box: object
    text_object: object  # the address of the character's text object: an int compares cheaply
    font_size: object
    char_matrix: object
    page_object: object
    form_count: object
    form_object: object
    object_type: object
    object_matrix: object
    count_segments: object
    segment: object
    point: object
    segment_type: object
    closes: object


@functools.cache
def _accessors(pdfium_c) -> _Accessors:
    def call(function, restype=ctypes.c_int, *argtypes):
        return ctypes.PYFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)

    return _Accessors(
        loose_box=call(pdfium_c.FPDFText_GetLooseCharBox),
        text_object=call(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p),
        font_size=call(pdfium_c.FPDFText_GetFontSize, ctypes.c_double),
        char_matrix=call(pdfium_c.FPDFText_GetMatrix),
        page_object=call(pdfium_c.FPDFPage_GetObject, _Handle),
        form_count=call(pdfium_c.FPDFFormObj_CountObjects, ctypes.c_int, ctypes.c_void_p),  # (forms are few: typed)
        form_object=call(pdfium_c.FPDFFormObj_GetObject, _Handle, ctypes.c_void_p, ctypes.c_ulong),
        object_type=call(pdfium_c.FPDFPageObj_GetType),
        object_matrix=call(pdfium_c.FPDFPageObj_GetMatrix),
        count_segments=call(pdfium_c.FPDFPath_CountSegments),
        segment=call(pdfium_c.FPDFPath_GetPathSegment, _Handle),
        point=call(pdfium_c.FPDFPathSegment_GetPoint),
        segment_type=call(pdfium_c.FPDFPathSegment_GetType),
        closes=call(pdfium_c.FPDFPathSegment_GetClose))


_SURROGATE, _HIGH = re.compile(rb"[\xd8-\xdf]"), int(sys.byteorder == "little")  # a UTF-16 unit's high byte
_BLANK = frozenset(ord(c) for c in "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                   "\u2028\u2029\u202f\u205f\u3000\ufffe\uffff")


def _document_pages(path: str | Path, first: int = 0, bound: Bound | None = None, glyphs: int = 0):
    """The page count, then each page from ``first`` on: its content or the message why PDFium
    could not read it. Raises ``PdfUnreadable`` for a file PDFium cannot open, ``PdfTooCostly`` past
    ``bound`` (``glyphs``: the characters of the pages before ``first``)."""
    import pypdfium2.raw as pdfium_c

    document = pdfium_c.FPDF_LoadDocument(str(path).encode("utf-8"), None)
    if not document:
        raise PdfUnreadable(_LOAD_ERRORS.get(pdfium_c.FPDF_GetLastError(), "PDFium could not open it"))
    try:
        count = pdfium_c.FPDF_GetPageCount(document)
        if bound:
            bound.check_pages(count)
        yield count
        for index in range(first, count):
            try:
                content = _read_page(document, index, pdfium_c)
            except Exception as error:  # noqa: BLE001 — a bad page must not stop the load
                yield f"{type(error).__name__}: {error}"
                continue
            if bound:
                glyphs = bound.check_page(content, glyphs)
            yield content
    finally:
        pdfium_c.FPDF_CloseDocument(document)


def read_pages(path: str | Path, bound: Bound | None = None) -> list[PageContent | str]:
    """Every page of a PDF with PDFium, in this process; a page PDFium cannot read gives its
    message. Raises ``PdfUnreadable`` for a file PDFium cannot open (saying why), ``PdfTooCostly``
    past ``bound``."""
    pages = _document_pages(path, bound=bound)
    next(pages)
    return list(pages)


# -- the guard: PDFium in a child process -----------------------------------------------------------
_CRASHES = 3  # child processes that may fail on one document before the rest of it is given up
#: How long the child may take to open the file or to read one page before it is killed (a real page
#: takes milliseconds, one of 20,000 characters about a second).
PAGE_SECONDS = 30.0


def read_pages_guarded(path: str | Path, bound: Bound | None = None) -> list[PageContent | str]:
    """``guarded_pages`` as a list."""
    return list(guarded_pages(path, bound))


def guarded_pages(path: str | Path, bound: Bound | None = None) -> Iterator[PageContent | str]:
    """``read_pages`` in forked child processes that stream the pages back one by one, as they are
    read (the caller works on one page while the child reads the next): a crash inside PDFium (a
    segfault, an abort) ends the child, not the caller, and a child that spends more than
    ``PAGE_SECONDS`` on one page is killed. The page a child died on becomes a message naming the
    signal or the time, and a new child goes on from the next page (after three failures the
    remaining pages are given up). Where there is no ``fork`` (Windows), the pages are read in this
    process."""
    if not hasattr(os, "fork"):
        pages = _document_pages(path, bound=bound)
        next(pages)
        yield from pages
        return
    done, count, glyphs = 0, None, 0
    for _ in range(_CRASHES):
        child = _Child(path, done, bound, glyphs)
        try:
            for item in child.items():
                if isinstance(item, PageContent):
                    glyphs += item.glyphs
                done += 1
                yield item
        finally:
            child.close()
        count = child.count if child.count is not None else count
        if child.failure is None:
            return
        if count is None:  # failed before it could even open the file
            raise PdfUnreadable(f"PDFium {child.failure('opening the file')}")
        done += 1
        yield f"PDFium {child.failure('reading the page')}"
        if done >= count:
            return
    yield from ["not read: PDFium failed on earlier pages"] * (count - done)


class _Child:
    """A forked child reading pages from ``first`` on, streaming them through a pipe: ``items()``
    gives the pages (``count`` is the document's page count once the child has sent it); afterwards
    ``failure`` is None or says how the child ended early (a function of what it was doing). Raises
    ``PdfUnreadable``, ``PdfTooCostly`` or ``MemoryError`` as the child reports them."""

    def __init__(self, path: str | Path, first: int, bound: Bound | None, glyphs: int):
        self.first, self.count, self.failure, self.status, self.peak_kb = first, None, None, None, 0
        read_end, write_end = os.pipe()
        with contextlib.suppress(ImportError, OSError, AttributeError):  # room for pages (Linux): the child need not wait
            import fcntl

            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 1 << 20)
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(read_end)
            _child(path, first, bound, glyphs, write_end)
        os.close(write_end)
        self.fd = read_end

    def items(self):
        buffer, received = bytearray(), 0
        deadline = time.monotonic() + PAGE_SECONDS
        while True:
            while len(buffer) >= 4 and len(buffer) >= 4 + (size := struct.unpack_from("<I", buffer)[0]):
                item = marshal.loads(bytes(buffer[4 : 4 + size]))
                del buffer[: 4 + size]
                deadline = time.monotonic() + PAGE_SECONDS
                if isinstance(item, tuple) and item[:1] == ("unreadable",):
                    self._reap()
                    raise PdfUnreadable(item[1])
                if isinstance(item, tuple) and item[:1] == ("limit",):
                    self._reap()
                    raise PdfTooCostly(*item[1:])
                if isinstance(item, tuple) and item[:1] == ("memory",):  # the caller's limit names it
                    self._reap()
                    raise MemoryError(f"PDFium's page reader ran out of memory on page {self.first + received + 1}")
                if self.count is None:
                    self.count = item
                else:
                    received += 1
                    yield _unpack(item)
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                self._kill()
                if self.count is None or self.first + received < self.count:
                    self.failure = lambda doing: f"did not finish {doing} within {PAGE_SECONDS:g} s"
                return
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:  # the child is done, or died (a message cut short is dropped)
                break
            buffer += chunk
        self._reap()
        if self.count is not None and self.first + received >= self.count:
            return
        status = self.status
        if status is not None and os.WIFSIGNALED(status):
            how = f"signal {signal.Signals(os.WTERMSIG(status)).name}"
            if self._used_its_memory():
                how += ", out of memory"
        else:
            how = "exit status " + (str(os.waitstatus_to_exitcode(status)) if status is not None else "unknown")
        self.failure = lambda doing: f"crashed {doing} ({how})"

    def _reap(self) -> None:
        if self.pid:
            try:
                _, self.status, usage = os.wait4(self.pid, 0)
                self.peak_kb = usage.ru_maxrss
            except ChildProcessError:  # reaped already by a SIGCHLD handler of the host (a Jupyter kernel)
                self.status = None
            self.pid = 0

    def _used_its_memory(self) -> bool:
        """Whether the child, killed by a signal, had grown by at least half the address space it was allowed
        (RLIMIT_AS, the read's memory_mb): PDFium aborts when an allocation fails."""
        import resource  # here: a child (fork) means a POSIX system

        allowed = resource.getrlimit(resource.RLIMIT_AS)[0]
        if allowed == resource.RLIM_INFINITY or not self.peak_kb:
            return False
        try:
            with open("/proc/self/statm") as handle:  # Linux
                size, resident = (int(n) * os.sysconf("SC_PAGE_SIZE") for n in handle.read().split()[:2])
        except OSError:
            return False
        return self.peak_kb * 1024 - resident >= (allowed - size) / 2

    def _kill(self) -> None:
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def close(self) -> None:
        """Stop the child if it still runs (the caller gave up on the pages) and close the pipe."""
        self._kill()
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _child(path: str | Path, first: int, bound: Bound | None, glyphs: int, write_end: int):
    """The child's work: read and send the pages, then exit without running the parent's cleanup."""
    status = 0
    try:
        # No garbage collection here: a collected object of the parent's (a widget in a Jupyter
        # kernel) would run its finalizer in this copy and could message the parent's frontend.
        gc.disable()
        faulthandler.disable()  # the parent reports the crash; no stack dump from here
        with os.fdopen(write_end, "wb") as out:
            try:
                for item in _document_pages(path, first, bound, glyphs):
                    _send(out, _pack(item))
            except PdfUnreadable as error:
                _send(out, ("unreadable", str(error)))
            except PdfTooCostly as error:
                _send(out, ("limit", error.limit, error.value, error.found))
            except MemoryError:  # past the address space this process may use (limits.memory_mb, a kernel's ceiling)
                _send(out, ("memory",))
    except BaseException:  # noqa: BLE001 — report nothing more; the parent sees the pages so far
        status = 1
    finally:
        os._exit(status)


def _send(out, item) -> None:
    data = marshal.dumps(item)
    out.write(struct.pack("<I", len(data)) + data)
    out.flush()


def _pack(item):
    """A page for the pipe: its characters' texts in one string and their numbers in one array."""
    if not isinstance(item, PageContent):
        return item
    numbers = array("d", chain.from_iterable(map(_CHAR_NUMBERS, item.chars)))  # (a character's text is one character)
    rules = array("d", chain.from_iterable(map(_EDGE_NUMBERS, item.edges)))
    return ("page", item.number, item.width, item.height, item.images, item.glyphs, "".join(map(itemgetter(TEXT), item.chars)),
            numbers.tobytes(), "".join(map(itemgetter(ORIENTATION), item.edges)), rules.tobytes())


_CHAR_NUMBERS = itemgetter(X0, X1, TOP, BOTTOM, SIZE)
_EDGE_NUMBERS = itemgetter(X0, X1, TOP, BOTTOM)


def _unpack(item):
    if not (isinstance(item, tuple) and item[:1] == ("page",)):
        return item
    _, number, width, height, images, glyphs, texts, numbers, orientations, rules = item
    v, w = array("d"), array("d")
    v.frombytes(numbers)
    w.frombytes(rules)
    chars = list(zip(v[0::5], v[1::5], v[2::5], v[3::5], v[4::5], texts))
    edges = list(zip(w[0::4], w[1::4], w[2::4], w[3::4], orientations))
    return PageContent(number, width, height, chars, edges, images, glyphs)


_LOAD_ERRORS = {
    1: "an unknown PDFium error",
    2: "the file could not be opened",
    3: "not a PDF, or a damaged one (no readable cross-reference table)",
    4: "encrypted with a password",
    5: "an unsupported security handler",
    6: "a damaged page",
}


# -- the pdfplumber fallback ------------------------------------------------------------------------
def pdfplumber_pages(path: str | Path, bound: Bound | None = None) -> list[PageContent | str]:
    """The same page contents read with pdfplumber (pdfminer.six): slower, pure Python."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
        count = len(pdf.pages)
    except Exception as error:  # noqa: BLE001 — pdfminer raises many kinds
        raise PdfUnreadable(f"{type(error).__name__}: {error}") from None
    if bound:
        bound.check_pages(count)
    pages: list[PageContent | str] = []
    glyphs = 0
    with pdf:
        for index in range(count):
            try:
                page = pdf.pages[index]
                chars = [(c["x0"], c["x1"], c["top"], c["bottom"], c["size"], c["text"])
                         for c in page.chars if c["text"].strip()]
                edges = [(e["x0"], e["x1"], e["top"], e["bottom"], e["orientation"])
                         for e in page.edges if e["orientation"] and e["width" if e["orientation"] == "h" else "height"] >= 1]
                content = PageContent(index + 1, float(page.width), float(page.height), chars, edges, len(page.images),
                                      len(page.chars))
            except Exception as error:  # noqa: BLE001
                pages.append(f"{type(error).__name__}: {error}")
                continue
            if bound:
                glyphs = bound.check_page(content, glyphs)
            pages.append(content)
    return pages


__all__ = ["Bound", "Char", "Edge", "PageContent", "PdfTooCostly", "PdfUnreadable", "guarded_pages", "path_edges", "pdfplumber_pages",
           "read_pages", "read_pages_guarded"]
