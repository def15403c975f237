"""Loader for published PDF reports (部门决算 and 部门预算 as PDF), read with PDFium (``read.pdfium``: pypdfium2;
pdfplumber only as the optional fallback engine).

Each page is read into text lines (outside ruled tables) and grids (ruled tables, cell by cell,
merged cells kept with their row and column spans). Table titles, 单位 lines and notes are found
among the lines; a grid belongs to the last title above it, so a table continued over several
pages (with its header repeated or not) collects the grids of those pages. The header paths come
from the grid geometry (a header cell covers the columns under it); sides, rows and records are
then built by the table building both loaders share (``read.tables.TableBuilder``).

Provenance: ``Table.lines`` holds the page of every cell (``Meta.format == "pdf"``),
``Table.positions`` its (x0, top) in points; ``Table.pages`` lists the table's pages. Coverage counts
every number printed on the table pages: placed, or unplaced with its page.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import hashlib
import itertools
import math
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from finaudit.model import (Coverage, LoadWarning, Meta, Paragraph, Report, ReportFormatError, Table, UnplacedNumber,
                            build_table, kind_name)
from finaudit.read.document import (
    META,
    NOTE,
    PART,
    SECTION,
    STATEMENT,
    part_name,
    read_document,
    table_number,
)
from finaudit.read.meta import read_meta
from finaudit.read.pdfium import (BOTTOM, SIZE, TEXT, TOP, X0, X1, Bound, Char, PageContent, PdfUnreadable,
                                  guarded_pages, pdfplumber_pages, read_pages)
from finaudit.read.ruling import find_tables
from finaudit.read.tables import (CODE, NUMBER, STUB, Cell, Ledger, TableBuilder, column_numbers, parse_amount,
                                  printed_decimals)
from finaudit.read.templates import Kind, normalise, templates

_UNIT = re.compile(r"单位\s*[：:]\s*(?:人民币)?\s*(万元|千元|亿元|元)")
# the line naming whose table it is, above the header: "部门：XX局", "单位名称：XX中心", "编制单位：…"
_ISSUER = re.compile(r"^\s*(编制|填报|预算)?(部门|单位)(名称)?\s*[：:]")
_ENUMERATED = re.compile(r"^[一二三四五六七八九十]+、")
_PERCENT = re.compile(r"^\s*[-+−]?\d[\d,.]*\s*%\s*$")  # a 增减(%) cell: a value, not a header word
_UNIT_IN_LABEL = re.compile(r"[(（]\s*(万元|千元|亿元|元)\s*[)）]")
_YEAR_NOTE = re.compile(r"^[(（]\s*\d{4}\s*年度?\s*[)）]$")  # "(2023年度)" under a title
_SUBHEADING = re.compile(r"^\s*[(（][一二三四五六七八九十]+[)）][^。；;]{1,40}$")  # "（一）236中央高校…专项"
_PAGE_NUMBER = re.compile(r"^[-—－\s]*(第\s*)?\d{1,3}(\s*页)?([\s/／共]*\d*\s*页?)[-—－\s]*$")
# a title ends in 表, maybe with a qualifier after it: "财政拨款支出表（功能科目）", "…表（按支出功能分类科目-不含上年结转）"
_TITLE_END = re.compile(r"表(\([^()]{1,24}\))?$")
# the heading of the whole set of tables, not a table: "部门预算表", "2026年部门综合预算公开报表", "省级部门预算公开报表"
_COLLECTION = re.compile(r"^(\d{4}年度?)?(省级|市级|区级|县级)?(部门|单位)(综合)?(预算|决算)(公开)?(报表|表格|表)$")
_WIDE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


@dataclass(slots=True)
class _Text:
    """A line of text outside the grids, or the text of one grid cell, with its place on the page."""

    page: int
    x0: float
    top: float
    x1: float
    text: str
    size: float = 10.0


@dataclass(slots=True)
class _GridCell:
    row: int
    row_end: int  # exclusive
    col: int
    col_end: int  # exclusive
    text: _Text


@dataclass
class _Grid:
    page: int
    top: float
    columns: list[tuple[float, float]]
    cells: list[_GridCell]
    rows: int
    # the cells by row and those spanning rows, for the list ``cells`` holds now (replaced, not changed in place)
    indexed: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def row(self, r: int) -> list[_GridCell]:
        return list(self.index()[1].get(r, ()))

    def covering(self, r: int) -> list[_GridCell]:
        """Cells that start above row r and span down into it."""
        return [c for c in self.index()[2] if c.row < r < c.row_end]

    def index(self) -> tuple[list[_GridCell], dict[int, list[_GridCell]], list[_GridCell]]:
        if self.indexed is None or self.indexed[0] is not self.cells:
            by_row: dict[int, list[_GridCell]] = {}
            for c in self.cells:
                by_row.setdefault(c.row, []).append(c)
            self.indexed = (self.cells, by_row, [c for c in self.cells if c.row_end - c.row > 1])
        return self.indexed


@dataclass
class _Page:
    number: int
    lines: list[_Text] = field(default_factory=list)
    grids: list[_Grid] = field(default_factory=list)
    chars: int = 0
    images: int = 0
    ruled: bool = False  # without text: ruled cells drawn all the same (a table running over, its rows empty)


# -- reading pages -----------------------------------------------------------------------------
def _join(chars: list[Char]) -> tuple[str, float]:
    """Characters of one line (sorted by x) → text, a space where the gap is wide; and the font size."""
    if len(chars) == 1:
        char = chars[0]
        text = char[TEXT]
        return (_WIDE.sub("", text) if len(text) > 1 else text).strip(), char[SIZE]
    first = chars[0]
    parts, size, right = [first[TEXT]], first[SIZE], first[X1]
    for i in range(1, len(chars)):
        char = chars[i]
        # the gap to 0.01 pt: a gap of exactly half the size must not turn on float noise (only a gap
        # within float noise of 0.005 needs the rounding: a clear one is wide or not)
        gap = char[X0] - right - 0.5 * (char[SIZE] or 10)
        if gap > 0.006 or (gap > 0.004 and round(gap, 2) > 0):
            parts.append(" ")
        parts.append(char[TEXT])
        right = char[X1]
        if char[SIZE] > size:
            size = char[SIZE]
    return _WIDE.sub("", "".join(parts)).strip(), size


def _cluster(chars: list[Char]) -> list[list[Char]]:
    """Characters → lines: a character joins a line its vertical extent mostly overlaps
    (digits in another font often sit a few points lower than the Chinese text around them)."""
    if len(chars) < 2:
        return [chars] if chars else []
    top, bottom = chars[0][TOP], chars[0][BOTTOM]
    if bottom >= top and all(c[TOP] == top and c[BOTTOM] == bottom for c in chars):
        return [sorted(chars, key=_left)]  # one run of one font on one line (most of a table's cells)
    lines: list[list[Char]] = []
    spans: list[tuple[float, float, float]] = []  # each line's first character: top, bottom, height
    for char in sorted(chars, key=_reading_order):
        char_top, char_bottom = char[TOP], char[BOTTOM]
        height = char_bottom - char_top
        count = len(lines)
        for i in range(count - 1, count - 4 if count > 3 else -1, -1):  # the last three lines
            top, bottom, tall = spans[i]
            # min(bottom, char_bottom) - max(top, char_top) >= 0.5 * min(height, tall), without the calls
            if ((char_bottom if char_bottom < bottom else bottom) - (char_top if char_top > top else top)
                    >= 0.5 * (tall if tall < height else height)):
                lines[i].append(char)
                break
        else:
            lines.append([char])
            spans.append((char_top, char_bottom, char_bottom - char_top))
    return [line if len(line) < 2 else sorted(line, key=_left) for line in lines]


_reading_order = operator.itemgetter(TOP, X0)
_left = operator.itemgetter(X0)


def _edges(values: list[float], tolerance: float = 1.5) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > tolerance:
            edges.append(value)
    return edges


def _nearest(edges: list[float], value: float) -> int:
    """The index of the sorted edge nearest the value (the lower one on a tie)."""
    i = bisect.bisect_left(edges, value)
    if i == 0 or (i < len(edges) and edges[i] - value < value - edges[i - 1]):
        return i
    return i - 1


def _frames_cut(spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int] | None]:
    """Given the cell boxes of a ruled table as (row, row end, column, column end), return them with a
    box that frames others (a table's border drawn as one more rectangle, its title inside it above the
    ruled cells) cut to its rows above the boxes it frames, or None when none are free."""
    out: list[tuple[int, int, int, int] | None] = list(spans)
    for k, (r0, r1, c0, c1) in enumerate(spans):
        if r1 - r0 < 2 or c1 - c0 < 2:
            continue
        inner = [s for j, s in enumerate(spans) if j != k and s != spans[k]
                 and r0 <= s[0] and s[1] <= r1 and c0 <= s[2] and s[3] <= c1]
        if not inner:
            continue
        first_inner = min(s[0] for s in inner)
        out[k] = (r0, first_inner, c0, c1) if first_inner > r0 else None
    return out


CLIPPED = 0.15  # a character reaching this share of its height above its row's upper rule is the row above's


def _grid(page_number: int, boxes: list[tuple], drawn: _Drawn) -> tuple[_Grid, np.ndarray]:
    """A ruled table's cell boxes and the page's characters drawn → a grid; and the indexes of the characters used."""
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    row_at = {y: _nearest(ys, y) for y in {y for b in boxes for y in (b[1], b[3])}}  # (cells share their rules)
    column_at = {x: _nearest(xs, x) for x in {x for b in boxes for x in (b[0], b[2])}}
    spans = []
    for x0, top, x1, bottom in boxes:
        r0, r1, c0, c1 = row_at[top], row_at[bottom], column_at[x0], column_at[x1]
        spans.append((r0, max(r1, r0 + 1), c0, max(c1, c0 + 1)))
    spans = _frames_cut(spans)
    rows, columns = len(ys) - 1, len(xs) - 1
    owner = [-1] * (rows * columns)  # the first box over each (row, column), row by row
    for k, span in enumerate(spans):
        if span is None:
            continue
        r0, r1, c0, c1 = span
        for r in range(r0, min(r1, rows)):
            for at in range(r * columns + c0, r * columns + min(c1, columns)):
                if owner[at] < 0:
                    owner[at] = k
    # each character whose centre lies within the grid's rows and columns → the box over its row and column
    cx, cy, tops, bottoms = drawn.cx, drawn.cy, drawn.top, drawn.bottom
    inside = np.flatnonzero((ys[0] <= cy) & (cy < ys[-1]) & (xs[0] <= cx) & (cx < xs[-1]))
    rules = np.array(ys)
    r = np.searchsorted(rules, cy[inside], side="right") - 1
    top = tops[inside]
    # a character drawn across its row's upper rule: the last of a cell's text, clipped by the cell
    r -= (r > 0) & (rules[r] - top > CLIPPED * (bottoms[inside] - top))
    box_of = np.array(owner)[r * columns + np.searchsorted(np.array(xs), cx[inside], side="right") - 1]
    held = box_of >= 0
    used = inside[held]
    content: dict[int, list[Char]] = {}
    chars = drawn.chars
    for k, i in zip(box_of[held].tolist(), used.tolist()):
        if k in content:
            content[k].append(chars[i])
        else:
            content[k] = [chars[i]]
    cells = []
    for k, (x0, top, x1, _bottom) in enumerate(boxes):
        if spans[k] is None:
            continue
        text, size = "", 10.0
        if k in content:
            texts = []
            for line in _cluster(content[k]):
                part, size = _join(line)
                texts.append(part)
            text = texts[0] if len(texts) == 1 else _wrapped(texts)  # (a line _join gave is as _wrapped leaves it)
        r0, r1, c0, c1 = spans[k]
        cells.append(_GridCell(r0, r1, c0, c1, _Text(page_number, x0, top, x1, text, size)))
    cells.sort(key=lambda c: (c.row, c.col))
    return _Grid(page_number, ys[0], list(zip(xs, xs[1:])), cells, len(ys) - 1), used


def _wrapped(lines: list[str]) -> str:
    """Given the lines of one cell's wrapped text, top to bottom, return its text: no space inside Chinese
    text or a number."""
    text = ""
    for part in lines:
        text += (" " if text and text[-1].isascii() and part[:1].isascii() and not text[-1].isdigit() else "") + part
    return _WIDE.sub("", text)


def _kept(cells: list[_GridCell], count: int, span, padding: frozenset[int] = frozenset()) -> list[int]:
    """Given a grid's cells, its number of rows or columns, how to get a cell's span over them and those
    too narrow for a character, return the rows or columns that are not spacers. A spacer holds no text
    cell of its own and lies under a cell spanning it and others, or is too narrow to hold text (an empty
    column of a table, with no cell across it, stays). Text cells spanning spacers only keep as few of
    them as hold each such cell (text side by side in one row, boxed at different heights, stays one row)."""
    spans = [(*span(c), bool(c.text.text)) for c in cells]
    kept = {first for first, end, text in spans if text and end - first == 1}
    spanned = {k for first, end, _ in spans if end - first > 1 for k in range(first, end)}
    kept |= set(range(count)) - spanned - padding
    for first, end, text in sorted(spans, key=lambda s: s[1]):
        if not kept.isdisjoint(range(first, end)):
            continue
        wide = [k for k in range(first, end) if k not in padding]
        if text or 0 < len(wide) < end - first:
            kept.add(wide[-1] if wide else end - 1)
    return sorted(k for k in kept if k < count)


def _row_heights(grid: _Grid) -> list[float]:
    """Given a grid, return the height of each of its rows, from the tops of the cells starting in it and in
    the next (the last row's is not known: infinite)."""
    tops = {c.row: c.text.top for c in grid.cells}
    return [tops[r + 1] - tops[r] if r in tops and r + 1 in tops else math.inf for r in range(grid.rows)]


def _unboxed(grid: _Grid, heights: list[float]) -> list[_GridCell]:
    """Given a grid and its rows' heights, return its cells with each text boxed inside its cell (a narrow empty
    strip either side of it, over more rows than the text: a cell's padding, drawn) taken over its cell's rows, and
    the lines of one cell's wrapped text, each in a box of its own, as one cell (三、单位预留机动经 / 费 beside an
    amount drawn between them)."""
    # the empty cells by the column rule they lie against (left of it, right of it), in order of their first row;
    # and by the row rule they lie against (above it, below it) and their columns
    beside: dict[tuple[str, int], list[_GridCell]] = {}
    across: dict[tuple[str, int, int, int], _GridCell] = {}
    for c in grid.cells:
        if not c.text.text:
            beside.setdefault(("left", c.col_end), []).append(c)
            beside.setdefault(("right", c.col), []).append(c)
            across[("above", c.row_end, c.col, c.col_end)] = c
            across[("below", c.row, c.col, c.col_end)] = c
    starts = {key: [s.row for s in strips] for key, strips in beside.items()}  # (cells are in order of row)

    def strip_at(side: str, at: int, c: _GridCell) -> _GridCell | None:
        """The empty cell against column rule ``at`` on that side of ``c`` whose rows hold all of c's."""
        key = (side, at)
        k = bisect.bisect_right(starts.get(key, ()), c.row) - 1
        strip = beside[key][k] if k >= 0 else None
        return strip if strip is not None and c.row_end <= strip.row_end else None

    def frame(c: _GridCell) -> tuple[int, int, list[_GridCell]] | None:
        """The rows of a text's cell and the strips padding it, or None where the text is not boxed."""
        found = []
        for side, at in (("left", c.col), ("right", c.col_end)):
            strip = strip_at(side, at, c)
            if strip is None or grid.columns[strip.col_end - 1][1] - grid.columns[strip.col][0] > c.text.size:
                return None
            found.append(strip)
        left, right = found
        if (left.row, left.row_end) != (right.row, right.row_end):
            return None
        if (left.row, left.row_end) != (c.row, c.row_end):
            return left.row, left.row_end, found
        # the text's box fills its padding's rows: the cell's own rows run on through the strips above and below
        above = across.get(("above", c.row, left.col, right.col_end))
        below = across.get(("below", c.row_end, left.col, right.col_end))
        if above is None or below is None or max(sum(heights[s.row:s.row_end]) for s in (above, below)) >= c.text.size:
            return None
        return above.row, below.row_end, [*found, above, below]

    merged: dict[tuple[int, int, int, int], list[_GridCell]] = {}
    absorbed: set[int] = set()
    for c in grid.cells:
        framed = frame(c) if c.text.text else None
        if framed is not None:
            row, row_end, strips = framed
            merged.setdefault((row, row_end, c.col, c.col_end), []).append(c)
            absorbed |= {id(s) for s in [c, *strips]}
    if not merged:
        return grid.cells
    out = [c for c in grid.cells if id(c) not in absorbed]
    for (row, row_end, col, col_end), parts in merged.items():
        parts.sort(key=lambda c: c.text.top)
        first = parts[0].text
        text = _Text(first.page, first.x0, first.top, max(p.text.x1 for p in parts), _wrapped([p.text.text for p in parts]),
                     first.size)
        out.append(_GridCell(row, row_end, col, col_end, text))
    out.sort(key=lambda c: (c.row, c.col))
    return out


def _without_spacers(grid: _Grid) -> _Grid:
    """Given a grid, return it without its spacer rows and columns: a table drawn with a box around each
    cell's text inside the cell's own box has rulings that split every cell into thin empty strips
    around the text (公开01表 收支预算总表 of a Jiangsu court: 18 ruled columns for 6). A row or column
    holding no text of its own is folded into its neighbours, and a column or row thinner than a character
    in such a table is padding; each boxed text takes its cell's rows (``_unboxed``); nothing with text is
    lost."""
    texts = [c for c in grid.cells if c.text.text]
    size = min((c.text.size for c in texts), default=0)
    own = {c.col for c in texts if c.col_end - c.col == 1}
    padding = frozenset(j for j, (x0, x1) in enumerate(grid.columns) if x1 - x0 < size and j not in own)
    columns = _kept(grid.cells, len(grid.columns), lambda c: (c.col, c.col_end), padding)
    if not padding or len(columns) < 2:
        unboxed, thin = grid.cells, frozenset()
    else:  # padding drawn around each text: strips no text lies in, thinner than a character, are no rows
        heights = _row_heights(grid)
        unboxed = _unboxed(grid, heights)
        lettered = {r for c in texts for r in range(c.row, c.row_end)}
        thin = frozenset(r for r, height in enumerate(heights) if height < size and r not in lettered)
    rows = _kept(unboxed, grid.rows, lambda c: (c.row, c.row_end), thin)
    empty_rows = grid.rows - len(rows)
    if len(columns) == len(grid.columns) and not empty_rows or len(columns) < 2:
        return grid
    col_before = [bisect.bisect_left(columns, j) for j in range(len(grid.columns) + 1)]
    row_before = [bisect.bisect_left(rows, r) for r in range(grid.rows + 1)]
    cells = []
    for c in unboxed:
        col, col_end, row, row_end = col_before[c.col], col_before[c.col_end], row_before[c.row], row_before[c.row_end]
        if col < col_end and row < row_end:
            cells.append(_GridCell(row, row_end, col, col_end, c.text))
    bounds = [grid.columns[j] for j in columns]
    spans = [(bounds[k - 1][1] if k else bounds[k][0], bounds[k + 1][0] if k + 1 < len(bounds) else bounds[k][1])
             for k in range(len(bounds))]
    return _Grid(grid.page, grid.top, spans, cells, len(rows))


def on_page(content: PageContent) -> list[Char]:
    """Given a page's content, return the characters drawn on the page: not those whose centre lies off it
    (the text of a merged cell running over a page break is drawn on both pages, clipped by each: on the
    second page above its top edge), which no reader sees."""
    return _drawn(content).chars


@dataclass(frozen=True)
class _Drawn:
    """The characters drawn on a page (``on_page``), and each one's centre (cx, cy), top and bottom as arrays."""

    chars: list[Char]
    cx: np.ndarray
    cy: np.ndarray
    top: np.ndarray
    bottom: np.ndarray


def _drawn(content: PageContent) -> _Drawn:
    chars = content.chars
    x0, x1, top, bottom = (np.fromiter(map(operator.itemgetter(key), chars), float, len(chars))
                           for key in (X0, X1, TOP, BOTTOM))
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    if content.width and content.height:
        on = (0 <= cx) & (cx <= content.width) & (0 <= cy) & (cy <= content.height)  # (NaN is off the page)
        if not on.all():
            kept = np.flatnonzero(on)
            return _Drawn([chars[i] for i in kept.tolist()], cx[kept], cy[kept], top[kept], bottom[kept])
    return _Drawn(chars, cx, cy, top, bottom)


def read_page(content: PageContent) -> _Page:
    """One page's characters and edges, from whichever engine → lines outside grids, and grids."""
    result = _Page(number=content.number, images=content.images)
    drawn = _drawn(content)
    chars = drawn.chars
    result.chars = len(chars)
    if not chars:
        result.ruled = bool(content.edges) and bool(find_tables(content.edges))
        return result
    free = np.ones(len(chars), dtype=bool)
    for boxes in find_tables(content.edges):
        grid, used = _grid(content.number, boxes, drawn)
        result.grids.append(_without_spacers(grid))
        free[used] = False
    loose = chars if free.all() else [chars[i] for i in np.flatnonzero(free).tolist()]
    for line in _cluster(loose):
        text, size = _join(line)
        result.lines.append(_Text(content.number, line[0][X0], min(c[TOP] for c in line), line[-1][X1], text, size))
    return result


def _running_key(text: str) -> str:
    """A line's text as a running head is recognised by: normalised, its digits masked (page numbers, years)."""
    return re.sub(r"\d+", "#", normalise(text))


# -- the loader ----------------------------------------------------------------------------------
@dataclass
class _Spec:
    kind: Kind | None
    number: int | None
    title: str
    title_cell: Cell
    grids: list[_Grid] = field(default_factory=list)
    extra: dict = field(default_factory=lambda: {"unit": None, "notes": [], "statement": None})


def _noted(extra: dict, text: str, goes_on: bool = False) -> None:
    """Given a table's notes and statement (``_Spec.extra``) and a note's text, add it: a new note, or the last one
    going on; a note stating the table is empty is its statement."""
    if goes_on:
        extra["notes"][-1] += text
    else:
        extra["notes"].append(text)
    if STATEMENT.search(extra["notes"][-1]):
        extra["statement"] = extra["notes"][-1]


@dataclass
class _Layout:
    """A ruled table being read: its title and grids, the rows of the first grid above the data (``end``), every
    grid cell's ``Cell`` (by the grid cell's id), the header cells, the rows numbering the columns; then, once
    read, each ruled column's role, header path and naming cell, the printed columns and the side cells."""

    spec: _Spec
    grids: list[_Grid]  # the spec's, or with a header split over a page break joined into one (``header_joined``)
    end: int
    cells: dict[int, Cell]
    head: list[_GridCell]
    numbered: set[int]
    roles: list[str] = field(default_factory=list)
    paths: list[list[str]] = field(default_factory=list)
    owners: list[Cell | None] = field(default_factory=list)
    groups: list[tuple[int, int]] = field(default_factory=list)
    side_cells: list[_GridCell] = field(default_factory=list)

    @property
    def kind(self) -> Kind:
        return self.spec.kind

    @property
    def first(self) -> _Grid:
        return self.grids[0]


@dataclass
class _Walk:
    """The walk over the table pages: the tables opened so far, the ids of the cells read, and what carries from
    one line to the next (on a page: an open note, the lines seen, an unread line above)."""

    specs: list[_Spec] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    pending_number: int | None = None  # a table number printed on its own line, for the title below it
    empty_stated: dict[int, str] = field(default_factory=dict)  # table number → why the contents say it is empty
    note_open: bool = False
    lines_seen: int = 0
    above: tuple[Cell, _Text] | None = None  # the line above, when nothing read it (a title's first line?)

    @property
    def current(self) -> _Spec | None:
        """The open table: the last one a title opened."""
        return self.specs[-1] if self.specs else None

    def new_page(self) -> None:
        """A page begins: no note is open, no line seen, no line above."""
        self.note_open, self.lines_seen, self.above = False, 0, None


_EMPTY_COLUMN = re.compile(r"是否(为)?空表")
_WHY_COLUMN = re.compile(r"(为空|空表).{0,4}(理由|原因|说明)|^(理由|原因|说明)$")


def empty_in_contents(grid: _Grid) -> dict[int, str]:
    """A list of the tables with columns 是否空表 | 表格为空的理由 (as 西安's 报表目录 prints it): table number →
    the statement the list makes for each table marked 是 ("报表目录：是否空表 是；不涉及")."""
    header = next((r for r in range(grid.rows) if any(_EMPTY_COLUMN.search(normalise(c.text.text)) for c in grid.row(r))),
                  None)
    if header is None:
        return {}
    flag = next(c.col for c in grid.row(header) if _EMPTY_COLUMN.search(normalise(c.text.text)))
    why = next((c.col for c in grid.row(header) if _WHY_COLUMN.search(normalise(c.text.text))), None)
    stated = {}
    for r in range(header + 1, grid.rows):
        cells = sorted(grid.row(r), key=lambda c: c.col)
        texts = {c.col: normalise(c.text.text) for c in cells}
        number = next((found[0] for c in cells if (found := table_number(texts[c.col])) and found[0]), None)
        if number is not None and texts.get(flag) == "是":
            reason = texts.get(why, "") if why is not None else ""
            stated[number] = "报表目录：是否空表 是" + (f"；{reason}" if reason else "")
    return stated


def _page_finder(where: list[tuple[int, float, float, str]]):
    """Given the loader's cell places (id → page, x0, top, text), return the function from a cell id to its page.
    Not a method of the loader: the ledger keeps it, and a loader that its ledger refers back to is a cycle,
    left with every page it read for the cycle collector to free (a collection walking them all, after the load)."""

    def page_of(line: int | None) -> int | None:
        return where[line][0] if line else None

    return page_of


def _in_order(columns: list[tuple[float, float]], targets: list[tuple[float, float]], overlap) -> list[int]:
    """Given fewer columns than targets, each column → a target, in order and none twice, with the most overlap in all
    (a dynamic programme over the two orders)."""
    n, m = len(columns), len(targets)
    best = [[float("-inf")] * (m + 1) for _ in range(n + 1)]
    best[0] = [0.0] * (m + 1)
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            best[i][j] = max(best[i][j - 1], best[i - 1][j - 1] + overlap(columns[i - 1], targets[j - 1]))
    out, j = [], m
    for i in range(n, 0, -1):
        while best[i][j] == best[i][j - 1] and j > i:
            j -= 1
        out.append(j - 1)
        j -= 1
    return out[::-1]


class _PdfLoader:
    """One load of the pages of one PDF: cell ids stand in for line numbers while loading."""

    def __init__(self, pages: list[_Page], source: str, sha256: str):
        self.pages, self.source, self.sha256 = pages, source, sha256
        self.templates = templates()
        self.document: str | None = None  # the document's kind (final, budget), once its meta is read
        self.where: list[tuple[int, float, float, str]] = [(0, 0.0, 0.0, "")]  # cell id → page, x0, top, text
        self.page_of = _page_finder(self.where)
        self.ledger = Ledger(page_of=self.page_of)
        self.build = TableBuilder(self.templates, self.ledger)
        self.running: set[str] = set()  # running heads and feet (``running_heads``)

    # -- provenance ----------------------------------------------------------------------------
    def cell(self, text: _Text) -> Cell:
        # to 0.001 pt first: engines differ in float noise (float32 in PDFium), which must not flip a tie
        self.where.append((text.page, round(round(text.x0, 3), 1), round(round(text.top, 3), 1), text.text))
        return Cell(len(self.where) - 1, text.text)

    # -- parts -------------------------------------------------------------------------------------
    @staticmethod
    def is_contents(page: _Page) -> bool:
        heads = sum(1 for line in page.lines if PART.match(line.text))
        texts = sorted([*page.lines, *(c.text for g in page.grids for c in g.cells)], key=lambda t: (t.top, t.x0))
        prose = sum(1 for line in page.lines if "，" in line.text)  # a body page that opens the next part
        return "目录" in normalise("".join(t.text for t in texts[:3])) or (heads >= 2 and prose < 3)

    def contents_pages(self) -> set[int]:
        """The pages of the table of contents: those ``is_contents`` finds, and a page after one that holds
        nothing but entries ("十三、部门整体支出绩效目标表") and a page number (the contents running over)."""
        found: set[int] = set()
        for page in self.pages:
            entries = [l.text for l in page.lines if not _PAGE_NUMBER.match(l.text)]
            if self.is_contents(page) or (page.number - 1 in found and entries and not page.grids and all(
                    (_ENUMERATED.match(t) or PART.match(t)) and len(normalise(t)) <= 40 and "。" not in t for t in entries)):
                found.add(page.number)
        return found

    def flat(self) -> list[_Text]:
        """All lines in reading order; a grid row outside the tables part reads as one line."""
        out = []
        for page in self.pages:
            items = list(page.lines)
            for grid in page.grids:
                for r in range(grid.rows):
                    cells = [c.text for c in grid.row(r) if c.text.text]
                    if cells:
                        items.append(_Text(page.number, cells[0].x0, cells[0].top, cells[-1].x1,
                                           " ".join(c.text for c in cells), cells[0].size))
            out.extend(sorted(items, key=lambda t: (t.top, t.x0)))
        return out

    def spans(self, flat: list[_Text]) -> dict[str, tuple[int, int]]:
        """Part → (heading index, end index) in the flat lines; the last heading of a name wins
        (a table of contents repeats them all before the parts)."""
        contents = self.contents_pages()
        heads: dict[str, int] = {}
        for index, line in enumerate(flat):
            if PART.match(line.text) and line.page not in contents:
                heads[part_name(self.part_heading(flat, index)) or f"part{index}"] = index
            elif line.page not in contents and (name := self.templates.heading_part(line.text)):
                heads[f"{name}.{index}" if name in heads else name] = index  # e.g. narrative before and after the tables
        if "tables" not in heads:
            first = next((i for i, l in enumerate(flat) if l.page not in contents
                          and (self.title(l.text) or self.title_and_issuer(l.text))), None)
            if first is not None:
                heads["tables"] = first
        order = sorted(heads.items(), key=lambda item: item[1])
        return {name: (start, nxt[1] if nxt else len(flat)) for (name, start), nxt in zip(order, [*order[1:], None])}

    @staticmethod
    def part_heading(flat: list[_Text], index: int) -> str:
        """The heading of the part opening at line ``index``: a bare "第一部分" line with the line after it
        (a heading printed on two lines: "第一部分" / "2026年度部门预算情况说明")."""
        text = flat[index].text
        if PART.sub("", normalise(text)).strip("：:") or index + 1 >= len(flat):
            return text
        return text + flat[index + 1].text

    def paragraphs(self, lines: list[_Text]) -> list[Paragraph]:
        """Lines → paragraphs: a paragraph starts at an indented line or after a short line."""
        out: list[Paragraph] = []
        left = {p: min(l.x0 for l in lines if l.page == p) for p in {l.page for l in lines}}
        right = {p: max(l.x1 for l in lines if l.page == p) for p in left}
        previous = None
        for line in lines:
            text = line.text.strip()
            if not text:
                continue
            indented = line.x0 > left[line.page] + 0.8 * line.size
            # short by more than a character and a half (half a point of slack: engines differ in float noise)
            ended = previous is None or previous.x1 < right[previous.page] - 1.5 * previous.size - 0.5
            if out and not indented and not ended and not SECTION.match(text):
                last = out[-1]
                glue = " " if last.text[-1:].isascii() and text[:1].isascii() and last.text[-1:].isalnum() else ""
                out[-1] = Paragraph(line=None, text=last.text + glue + text, page=last.page)
            else:
                out.append(Paragraph(line=None, text=text, page=line.page))
            previous = line
        return out

    def whole_text(self, spans) -> list[Paragraph]:
        """A document without tables and without a narrative part found by its headings is its narrative:
        the paragraphs of every page but the contents, the glossary part left out."""
        contents = self.contents_pages()
        glossary = range(*spans["glossary"]) if "glossary" in spans else range(0)
        return self.paragraphs([l for i, l in enumerate(self.lines) if l.page not in contents and i not in glossary])

    def part_lines(self, span: tuple[int, int]) -> list[_Text]:
        lines = self.lines[span[0] + 1 : span[1]]
        if lines and len(normalise(lines[0].text)) <= 6 and not SECTION.match(lines[0].text):
            lines = lines[1:]  # the heading wrapped onto a second line
        return lines

    def part(self, spans, name: str) -> list[Paragraph] | None:
        """The paragraphs of every part of that name (a budget has narrative parts before and after its tables,
        and an overview in two: 主要职能, 机构设置), each part's heading kept where it is not a 第N部分 one (it
        titles what follows)."""
        found = [span for key, span in spans.items() if key.partition(".")[0] == name]
        if not found:
            return None
        paragraphs = []
        for span in found:
            heading = self.lines[span[0]]
            if not PART.match(heading.text):
                paragraphs.append(Paragraph(line=None, text=heading.text.strip(), page=heading.page))
            paragraphs += self.paragraphs(self.part_lines(span))
        return paragraphs

    def meta(self, spans) -> Meta:
        """Kind, scope, year and names from the cover, headings, 编制 lines and titles (``read.meta``)."""
        meta = Meta(source=self.source, sha256=self.sha256, format="pdf")
        self.signals, warnings = read_meta(meta, ((t.text, None, t.page) for t in self.whole))
        self.ledger.warnings.extend(warnings)
        self.document = meta.kind
        return meta

    def running_heads(self) -> set[str]:
        """Given the pages, return the texts printed as the first or last line of many pages (a running
        head or foot such as "XX局2026年度部门预算公开"), digits masked; never a table title, number (表1 …
        表9 at the top of each page), issuer or unit line."""
        seen: dict[str, set[int]] = {}
        for page in self.pages:
            ends = sorted(page.lines, key=lambda t: t.top)
            for line in {id(t): t for t in (ends[:1] + ends[-1:])}.values():
                seen.setdefault(_running_key(line.text), set()).add(page.number)
        wanted = max(3, len(self.pages) // 4)
        return {key for key, found in seen.items() if key and len(found) >= wanted and not self.title(key)
                and not _UNIT.search(key) and not _ISSUER.match(key) and self.number_alone(key.replace("#", "1")) is None}

    def is_running(self, line: _Text) -> bool:
        """A running head or foot; never a table number printed alone ("表3" heads many pages, each its own)."""
        return bool(self.running) and _running_key(line.text) in self.running and self.number_alone(line.text) is None

    # -- tables --------------------------------------------------------------------------------------
    def title(self, text: str) -> tuple[int | None, str, Kind | None] | None:
        text = text.strip()
        if not text or len(text) > 60 or "。" in text or text.startswith(("注", "说明")) or PART.match(text):
            return None
        if self.number_alone(text) is not None:
            return None
        if _COLLECTION.match(normalise(text)):
            return None
        numbered = table_number(text)
        number, title = numbered if numbered and numbered[1] else (None, text)
        if not _TITLE_END.search(normalise(title)):
            return None
        return number, title, self.templates.kind_for_title(title, self.document)

    def part_bounds(self, flat: list[_Text], span: tuple[int, int]) -> tuple[tuple[int, float], tuple[int, float]]:
        """Given a part's span of the flat lines, return (page, top) where it starts and where the next part starts."""
        start, end = max(span[0], 0), span[1]
        after = (flat[end].page, flat[end].top) if end < len(flat) else (self.pages[-1].number + 1, 0.0)
        return (flat[start].page, flat[start].top), after

    def walk_tables(self, pages: list[_Page], year: int | None,
                    bounds: list[tuple[tuple[int, float], tuple[int, float]]] | None = None) -> tuple[dict[str, Table], list[int]]:
        """Given the table pages, the document's year and the parts' bounds, return the tables and the ids of every
        cell read: walk the pages (titles open tables, grids and 单位/注 lines go to the open one), then read
        each table opened. ``bounds``: for each part of tables, (page, top) where it starts and where the next
        part starts; the text of another part sharing a page is that part's, not the tables'."""
        walk = _Walk()
        for page in pages:
            if self.is_contents(page):  # a list of the tables (目录) among them: read as such, opening none
                self.take_contents(page, walk)
                continue
            for grid in page.grids:
                self.lift_titles(page, grid)
            walk.new_page()
            for item in self.page_items(page, bounds):
                if isinstance(item, _Grid):
                    self.take_grid(item, walk, page)
                else:
                    self.take_line(item, walk, page)
        return self.read_tables(walk, year), walk.ids

    def take_contents(self, page: _Page, walk: _Walk) -> None:
        """Given a page of the list of tables, place its text as contents and keep what it says is empty."""
        for text in [*page.lines, *(c.text for g in page.grids for c in g.cells if c.text.text)]:
            cell = self.cell(text)
            walk.ids.append(cell.line)
            self.ledger.place(cell, "contents")
        for grid in page.grids:
            walk.empty_stated.update(empty_in_contents(grid))

    @staticmethod
    def page_items(page: _Page, bounds) -> list[_Text | _Grid]:
        """Given a table page and the parts' bounds, return its lines and grids inside the bounds, top down (a
        line before a grid at the same height)."""
        inside = lambda top: bounds is None or any(a <= (page.number, top) < b for a, b in bounds)  # noqa: E731
        items = [(l.top, 0, l) for l in page.lines if inside(l.top)] + [(g.top, 1, g) for g in page.grids if inside(g.top)]
        return [item for _, _, item in sorted(items, key=lambda t: (t[0], t[1]))]

    def take_grid(self, grid: _Grid, walk: _Walk, page: _Page) -> None:
        """Given a ruled grid, give it to the open table; before any title its cells are not placed."""
        walk.note_open, walk.above = False, None
        if walk.current is not None:
            walk.current.grids.append(grid)
            return
        self.ledger.warn("table-untitled", None, "a ruled table before any table title", page=page.number)
        for grid_cell in grid.cells:
            walk.ids.append(self.cell(grid_cell.text).line)
            self.ledger.unplace(Cell(walk.ids[-1], grid_cell.text.text), "table before any title")

    def take_line(self, line: _Text, walk: _Walk, page: _Page) -> None:
        """Given a line of a table page, place it as what it is (``line_role``) and do what that asks: open a
        table, set the open table's unit, add to its notes, or keep the line as the one above the next."""
        cell = self.cell(line)
        walk.ids.append(cell.line)
        if self.is_running(line):
            self.ledger.place(cell, "page_header")
            return
        walk.lines_seen += 1
        found = self.title(line.text)
        if walk.above is not None and (joined := self.wrapped_title(walk.above[1], line, found)):
            found = joined
            self.ledger.place(walk.above[0], "title")
        walk.above = None
        if found and found[0] is None and walk.pending_number is not None:
            found = (walk.pending_number, *found[1:])
        if (alone := self.number_alone(line.text)) is not None and not found:
            walk.pending_number = alone
            self.ledger.place(cell, "title")
            return
        if found:
            walk.pending_number = None
        role = self.line_role(line, found, walk, page)
        if role is None:
            walk.above = (cell, line)
            return
        if role == "opens":
            walk.specs.append(_Spec(found[2], found[0], found[1], cell))
        elif role == "unit":
            walk.current.extra["unit"] = _UNIT.search(line.text)[1]
        elif role == "note":
            self.add_note(walk, line.text)
        self.ledger.place(cell, "title" if role == "opens" else role)

    def line_role(self, line: _Text, found: tuple[int | None, str, Kind | None] | None, walk: _Walk,
                  page: _Page) -> str | None:
        """Given a line of a table page (not a running head), the title it reads as and the walk, return what
        it is: "meta" (a part heading, a 编制 line, the set's heading), "opens" (the title of a new table),
        "title" (the open table's title printed again, or its year), "unit", "note", "page_number",
        "heading"; None for a line read as none of these (a title's first line, maybe)."""
        text, current = line.text, walk.current
        if (PART.match(text) or META.search(text.replace(" ", "")) or self.templates.heading_part(text) == "tables"
                or _COLLECTION.match(normalise(text))):
            return "meta"
        if found and found[2] is not None and current and current.kind is found[2] and (
                "续" in text or self.repeats_title(current, found, page.number)):
            return "title"
        if found:
            return "opens"
        if _UNIT.search(text) and current:
            return "unit"
        if current and (NOTE.match(text) or STATEMENT.search(text) or walk.note_open):
            return "note"
        if _PAGE_NUMBER.match(text) and (line is page.lines[-1] or walk.lines_seen == 1):
            return "page_number"
        if _YEAR_NOTE.match(text) and current:
            return "title"
        if _SUBHEADING.match(text):
            return "heading"
        return None

    @staticmethod
    def add_note(walk: _Walk, text: str) -> None:
        """Given a note line, add it to the open table's notes: a new note, or the open one going on."""
        _noted(walk.current.extra, text, walk.note_open and not NOTE.match(text))
        walk.note_open = True

    def read_tables(self, walk: _Walk, year: int | None) -> dict[str, Table]:
        """Given the tables the walk opened, return them read, by kind: a ruled table from its grids, forms of
        one kind (绩效目标表) as one table; a title of no known kind or a second one of a kind is a warning,
        its cells not placed."""
        tables: dict[str, Table] = {}
        forms: dict[str, list[_Spec]] = {}
        for spec in walk.specs:
            self.ledger.table_number = spec.number
            if spec.kind is not None and spec.kind.layout == "form":
                forms.setdefault(spec.kind.name, []).append(spec)
                continue
            if spec.kind is None or spec.kind.name in tables:
                what = "unknown kind" if spec.kind is None else "a second table of this kind; kept the first"
                self.ledger.warn("table-unknown" if spec.kind is None else "table-duplicate", spec.title_cell.line,
                                 f"table title {spec.title!r}: {what}")
                for grid in spec.grids:
                    for grid_cell in grid.cells:
                        walk.ids.append(self.cell(grid_cell.text).line)
                        self.ledger.unplace(Cell(walk.ids[-1], grid_cell.text.text), "table not read")
                continue
            tables[spec.kind.name] = self.table_from_grids(spec, year, walk.ids)
        self.ledger.table_number = None
        for name, group in forms.items():
            tables[name] = self.table_from_forms(group, walk.ids)
        for table in tables.values():
            if not table.statement and table.number in walk.empty_stated:
                table.statement = walk.empty_stated[table.number]
        return tables

    def table_from_forms(self, specs: list[_Spec], ids: list[int]) -> Table:
        """Given the forms of one kind (a 绩效目标表 per project), return one table with a row per form: the
        amounts printed beside the labels the kind names (年度资金总额, 其中：财政拨款 …); every other cell
        of a form is its text (names, targets, indicator values and scores), read as such."""
        kind, first = specs[0].kind, specs[0]
        records, unit, amounts = [], None, []
        for spec in specs:
            record: dict = {"label": self.form_name(spec), "lines": {}}
            for grid in spec.grids:
                for r in range(grid.rows):
                    key = None
                    for grid_cell in sorted(grid.row(r), key=lambda c: c.col):
                        cell = self.cell(grid_cell.text)
                        ids.append(cell.line)
                        value, problem = parse_amount(cell.text)
                        if key and key not in record and cell.text and not problem:
                            self.ledger.place(cell, "amount")
                            amounts.append(cell.text)
                            if value is not None:
                                record[key], record["lines"][key] = value, cell.line
                            key = None
                            continue
                        unit = unit or (found[1] if (found := _UNIT_IN_LABEL.search(cell.text)) else None)
                        key = kind.column_key(cell.text) or key if cell.text else key
                        self.ledger.place(cell, "text")
            records.append(record)
        merged = _Spec(kind, None, kind_name(kind.name)[0], first.title_cell,
                       grids=[g for spec in specs for g in spec.grids])
        columns = {key: pattern.pattern.strip("^$") for key, pattern in kind.columns.items()}
        table = build_table(kind.name, None, merged.title, columns, records, layout="coded",
                            decimals=printed_decimals(amounts),
                            unit=unit, header=[], notes=[], statement=None, title_line=first.title_cell.line)
        return self.provenance(table, merged)

    def form_name(self, spec: _Spec) -> str:
        """Given a form (a project's 绩效目标表), return what it is about: the value beside its 项目名称 cell,
        else its title without the form's name."""
        for grid in spec.grids[:1]:
            for r in range(min(grid.rows, 3)):
                row = sorted((c for c in grid.row(r) if c.text.text), key=lambda c: c.col)
                for label, value in zip(row, row[1:]):
                    if self.templates.stub_field(label.text.text) == "label":
                        return value.text.text
        return re.sub(r"(项目)?(支出)?绩效目标(申报)?表$", "", spec.title) or spec.title

    def wrapped_title(self, above: _Text, line: _Text, found) -> tuple[int | None, str, Kind | None] | None:
        """Given an unread line, the line below it and what the lower one reads as, return the title the
        two make when a long title wraps ("236中央高校…专项" / "绩效目标表"): the lower line a bare table name
        (or no title), the two close together, and together a title of a known kind."""
        if found is not None and len(normalise(found[1])) > 8 or "。" in above.text:
            return None
        if above.page != line.page or line.top - above.top > 2.5 * max(line.size, above.size):
            return None
        joined = self.title(above.text + line.text)
        return joined if joined and joined[2] is not None and (found is None or found[2] in (None, joined[2])) else None

    @staticmethod
    def drop_blank_columns(grid: _Grid, table_columns: list[tuple[float, float]] | None = None) -> None:
        """Given a table's first grid, drop the ruled columns left and right of the text that no cell
        of holds text (the margin columns of a spreadsheet printed with its gridlines): they are no column of the table, and
        a column path without words would be read as an unrecognised amount column. Given a continuation
        grid and the first grid's columns, drop only the blank columns beside them (a margin), not a
        column of the table that is blank on this page."""
        filled = {col for c in grid.cells if c.text.text for col in range(c.col, c.col_end)}
        if table_columns is not None:
            inside = lambda a: any(min(a[1], b[1]) - max(a[0], b[0]) > 0.5 * (a[1] - a[0]) for b in table_columns)  # noqa: E731
            filled |= {col for col, span in enumerate(grid.columns) if inside(span)}
        if len(filled) == len(grid.columns) or not filled:
            return
        # only the blank columns outside the text (a blank column between two with text is a ruling's
        # artefact, which the cells spanning it read through)
        filled |= set(range(min(filled), max(filled) + 1))
        new_index = list(itertools.accumulate((col in filled for col in range(len(grid.columns))), initial=0))
        cells = []
        for c in grid.cells:
            col, col_end = new_index[c.col], new_index[c.col_end]
            if col_end > col:
                c.col, c.col_end = col, col_end
                cells.append(c)
        grid.cells = cells
        grid.columns = [span for col, span in enumerate(grid.columns) if col in filled]

    @staticmethod
    def number_alone(text: str) -> int | None:
        """Given a line, return the table number it holds when it holds nothing else ("表1", "表 三",
        "公开01表", "预算 03 表")."""
        numbered = table_number(text.strip())
        return numbered[0] if numbered and not numbered[1] else None

    def repeats_title(self, current: _Spec, found: tuple[int | None, str, Kind | None], page: int) -> bool:
        """Given the open table, a title line and its page, return whether the line is that table's title
        printed again at the top of the next page (a table running over pages with its title repeated,
        no 续): the same title and number, the open table's last grid on the page before."""
        number, title, _ = found
        return (normalise(title) == normalise(current.title) and number == current.number
                and bool(current.grids) and current.grids[-1].page == page - 1)

    def lift_titles(self, page: _Page, grid: _Grid) -> None:
        """A grid whose first rows hold the table's title and its 编制/单位 line (a spreadsheet printed
        with its gridlines): those rows become lines of the page, above the grid; a 部门/单位 line wrapped
        onto the next ruled row ("部门名称：江苏省高级人民法" / "院") is read as one line."""
        lifted = 0
        lines: dict[tuple[int, int], _Text] = {}  # the last line lifted from each column span
        out: list[_Text] = []
        for r in range(grid.rows):
            cells = [c for c in grid.row(r) if c.text.text]
            if r == 0 and len(cells) == 1 and (parts := self.title_and_issuer(cells[0].text.text)):
                for part in parts:  # a title and its 部门/单位 line in one ruled cell
                    out.append(_Text(cells[0].text.page, cells[0].text.x0, cells[0].text.top, cells[0].text.x1, part,
                                     cells[0].text.size))
                lifted = 1
                continue
            wrapped = [c for c in cells if not self.above_header(c.text.text) and len(c.text.text) <= 12
                       and (line := lines.get((c.col, c.col_end))) is not None
                       and (_ISSUER.match(line.text) or _UNIT.search(line.text) or line.text.startswith("单位"))]
            if any(not self.above_header(c.text.text) and c not in wrapped for c in cells):
                break
            for c in cells:
                if c in wrapped:
                    line = lines[(c.col, c.col_end)]
                    line.text, line.x1 = line.text + c.text.text, max(line.x1, c.text.x1)
                else:
                    lines[(c.col, c.col_end)] = c.text
                    out.append(c.text)
            lifted = r + 1 if cells else lifted
        if not lifted:
            return
        page.lines.extend(out)
        grid.cells = [c for c in grid.cells if c.row >= lifted]
        for c in grid.cells:
            c.row, c.row_end = c.row - lifted, c.row_end - lifted
        grid.rows -= lifted
        grid.top = min((c.text.top for c in grid.cells), default=grid.top)

    def under_stub(self, grid: _Grid, r: int, cell: _GridCell) -> bool:
        """Given a grid, a row and a cell of it, return whether a header cell above names the cell's column
        as the stub (科目名称, 项目): a 合计 there is the total row, even where it is not in the first column."""
        stub_field = self.templates.stub_field
        return any(c.col <= cell.col < c.col_end and stub_field(c.text.text) in STUB
                   for row in range(r) for c in grid.row(row) if c.text.text)

    def title_and_issuer(self, text: str) -> list[str] | None:
        """Given a grid cell's text, return it as a table's title and the issuer (部门：…) or unit line
        after it, when it is both run together (one ruled cell printing both lines); None otherwise."""
        for match in re.finditer(r"表(?:[（(][^（）()]{1,24}[）)])?", text):
            head, rest = text[: match.end()], text[match.end() :].strip()
            found = self.title(head)
            if found and found[2] is not None and rest and (_ISSUER.match(rest) or _UNIT.match(rest)):
                return [head, rest]
        return None

    def above_header(self, text: str) -> bool:
        """Given a grid cell's text, return whether it is printed above a table's header: its title, number,
        issuer (部门：…), unit (单位：万元) or 编制 line."""
        return bool(self.title(text) or _UNIT.search(text) or _ISSUER.match(text) or "编制" in text
                    or self.number_alone(text) is not None)

    def header_end(self, kind: Kind, grid: _Grid) -> int:
        """Rows above the first row with a code, an amount, an enumerated label or 合计; at most one
        row below the last row holding a header word (stub word, column header, 类/款/项)."""
        stub_field = self.templates.stub_field
        strong, last_word = grid.rows, -1
        for r in range(grid.rows):
            filled = [c for c in grid.row(r) if c.text.text]
            texts = [c.text.text for c in filled]
            if column_numbers(texts, stub_field):
                last_word = r
                continue
            if any(CODE.match(t) or "." in t and parse_amount(t)[1] in (None, "precision") or _ENUMERATED.match(t) for t in texts) or (
                texts and kind.layout != "items" and normalise(texts[0]) in ("合计", "总计")
                and (filled[0].col == 0 or self.under_stub(grid, r, filled[0]))
                and all(parse_amount(t)[1] in (None, "precision") for t in texts[1:])  # not a header's 合计 | 本年收入 | …
            ):
                strong = r
                break
            if any(stub_field(t) or kind.column_key(t) or kind.side_key(t) or (kind.layout == "items" and kind.row_key(t))
                   for t in texts):
                last_word = r
        return min(strong, last_word + 1) if last_word >= 0 else strong

    def table_from_grids(self, spec: _Spec, year: int | None, ids: list[int]) -> Table:
        """Given a table opened by its title and the grids under it, the document's year and the ids read so far,
        return the table: its header read into column paths and sides, its rows into printed cells, the ids of
        its cells added to ``ids``."""
        if not spec.grids:
            if not spec.extra["statement"]:
                self.ledger.warn("table-no-rules", spec.title_cell.line,
                                 f"{spec.title}: no ruled table found under the title; its rows are not read")
            table = self.build.assemble(spec.kind, spec.number, spec.title, spec.title_cell.line, [], [], [], spec.extra,
                                        year)
            return self.provenance(table, spec)
        layout = self.layout(spec)
        ids.extend(cell.line for cell in layout.cells.values())
        self.read_columns(layout)
        sides = self.build.sides(spec.kind, self.header_rows(layout), year)
        rows = self.data_rows(layout)
        table = self.build.assemble(spec.kind, spec.number, spec.title, spec.title_cell.line, [], sides, rows, spec.extra,
                                    year)
        table.header = [[c.text.text for c in layout.first.row(r)] for r in range(layout.end)]
        spec.extra["pages"] = sorted({g.page for g in spec.grids})
        return self.provenance(table, spec)

    def layout(self, spec: _Spec) -> _Layout:
        """Given a table's title and grids, return its layout with the header found: blank margin columns
        dropped, where the header ends, every cell's id, the header cells (placed as such) and the rows that
        number the columns."""
        grids = self.header_joined(spec.kind, spec.grids)
        first = grids[0]
        self.drop_blank_columns(first)
        for grid in grids[1:]:
            self.drop_blank_columns(grid, first.columns)
        end = self.header_end(spec.kind, first)
        cells = {id(c): self.cell(c.text) for grid in grids for c in grid.cells}
        numbered = self.column_number_rows(first, end)
        head = [c for c in first.cells if (c.row < end or self.is_code_part(c)) and c.row not in numbered]
        shared = self.header_sharing_a_row(first, end, head)
        head += shared
        for c in head:
            self.ledger.place(cells[id(c)], "header")
        for c in first.cells:
            if c.row in numbered:
                self.ledger.place(cells[id(c)], "column_no")
        for c in shared:  # the row goes on as data: its label (合计) and blank amounts
            cells[id(c)] = Cell(cells[id(c)].line, "")
        return _Layout(spec, grids, end, cells, head, numbered)

    def header_joined(self, kind: Kind, grids: list[_Grid]) -> list[_Grid]:
        """Given a table's grids, return them with a first grid that holds header rows only, at the foot of a page
        (收入 | 支出), and ruled otherwise than the next page's grid, set on top of that grid: one grid, its
        cells over the columns they span below, so that the header reads whole."""
        if len(grids) < 2:
            return grids
        top, below = grids[0], grids[1]
        same = len(top.columns) == len(below.columns) and all(
            abs(a[0] - b[0]) <= 3 and abs(a[1] - b[1]) <= 3 for a, b in zip(top.columns, below.columns))
        if below.page != top.page + 1 or same or self.header_end(kind, top) < top.rows:
            return grids
        centres = [(a + b) / 2 for a, b in below.columns]
        cells = []
        for c in top.cells:
            left, right = top.columns[c.col][0], top.columns[c.col_end - 1][1]
            spanned = [j for j, centre in enumerate(centres) if left < centre < right]
            if spanned:
                cells.append(_GridCell(c.row, c.row_end, spanned[0], spanned[-1] + 1, c.text))
            elif c.text.text:  # a cell over no column below: the grids are not one table's header and body
                return grids
        cells += [_GridCell(c.row + top.rows, c.row_end + top.rows, c.col, c.col_end, c.text) for c in below.cells]
        return [_Grid(top.page, top.top, list(below.columns), cells, top.rows + below.rows), *grids[2:]]

    def is_code_part(self, cell: _GridCell) -> bool:
        """A header cell naming one part of a split code (类 | 款 | 项)."""
        return self.templates.stub_field(cell.text.text) == "code_part"

    def read_columns(self, layout: _Layout) -> None:
        """Given a table's layout, set what each ruled column is: the side cells (收入 | 支出) of a two-sided
        table, each column's header path, role (a stub field or "amount", "blank") and the cell naming it,
        and the printed columns (``groups``: a split code's columns are one)."""
        kind, first, head = layout.kind, layout.first, layout.head
        top = [c for c in first.row(0) if c.text.text]
        if kind.layout == "two_sided" and len(top) > 1 and all(kind.side_key(c.text.text) for c in top):
            layout.side_cells = top
        for col in range(len(first.columns)):
            covering = [c for c in head if c.col <= col < c.col_end and c.text.text and c not in layout.side_cells]
            parts = [c for c in covering if not self.is_code_part(c)]
            path = list(dict.fromkeys(self.unwrapped(kind, parts)))
            role = self.build.stub_role(kind, path[-1]) if path else None
            layout.roles.append(role if role in STUB else "amount")
            layout.paths.append(path)
            layout.owners.append(layout.cells[id(parts[-1])] if parts else None)
        self.unheaded_columns(layout.grids, layout.end, layout.roles, layout.paths)
        layout.groups = self.stub_first(kind, self.groups(layout.roles), layout.roles)

    def header_rows(self, layout: _Layout) -> list[list[Cell]]:
        """Given a table's layout with its columns read, return its header as the table building reads it: the
        side row (收入 | 支出) if any, then one cell per printed column with its path ("本年收入/一般公共预算")."""
        header_row = []
        for g0, _ in layout.groups:
            role, path = layout.roles[g0], layout.paths[g0]
            if role == "blank":
                continue
            owner = layout.owners[g0] or Cell(layout.spec.title_cell.line, "")
            header_row.append(Cell(owner.line, path[-1] if role in STUB and path else "/".join(path)))
        side_row = [self.side_row(layout.side_cells, layout.groups, layout.cells)] if layout.side_cells else []
        return side_row + [header_row]

    def data_rows(self, layout: _Layout) -> list[list[Cell]]:
        """Given a table's layout with its columns read, return its data rows, grid by grid: a continuation
        grid's repeated header rows (and a 合计 row printed again at its top) are placed as such, not read."""
        first = layout.first
        header_texts = {normalise(c.text.text) for c in layout.head if c.text.text}
        header_texts |= {normalise(c.text.text) for c in first.cells if c.row in layout.numbered and c.text.text}
        rows = []
        for n, grid in enumerate(layout.grids):
            start = layout.end if n == 0 else 0
            if n:
                while start < grid.rows and all(normalise(c.text.text) in header_texts or not c.text.text
                                                for c in grid.row(start)):
                    for c in grid.row(start):
                        self.ledger.place(layout.cells[id(c)], "header")
                    start += 1
                if start < grid.rows and layout.end < first.rows and self.repeats_row(first, layout.end, grid, start):
                    for c in grid.row(start):
                        self.ledger.place(layout.cells[id(c)], "repeated")
                    start += 1
            mapping = self.column_map(first, grid)
            codes: list[str] = []
            for r in range(start, grid.rows):
                if (note := self.note_row(grid, r)) is not None:
                    _noted(layout.spec.extra, note.text.text)
                    self.ledger.place(layout.cells[id(note)], "note")
                    continue
                row, codes = self.grid_row(layout, grid, r, mapping, codes)
                rows.append(row)
        return rows

    @staticmethod
    def note_row(grid: _Grid, r: int) -> _GridCell | None:
        """Given a grid and a row of it, return its one cell when the row holds only a note ruled into the table
        ("注：本部门无相关收支项目" under an empty table's header): a note of the table, not a row."""
        filled = [c for c in grid.row(r) if c.text.text]
        if len(filled) == 1 and not grid.covering(r) and (NOTE.match(filled[0].text.text)
                                                          or STATEMENT.search(filled[0].text.text)):
            return filled[0]
        return None

    @staticmethod
    def side_row(side_cells: list[_GridCell], groups: list[tuple[int, int]], cells: dict) -> list[Cell]:
        """Given the side cells (收入 | 支出) and the printed columns, return the side cell over each printed
        column (so that a side spanning several label | amount pairs names each of them); the side cells
        as printed where one does not cover a column."""
        over = [next((c for c in side_cells if c.col <= g0 < c.col_end), None) for g0, _ in groups]
        if any(c is None for c in over):
            return [cells[id(c)] for c in side_cells]
        return [cells[id(c)] for c in over]

    @staticmethod
    def repeats_row(first: _Grid, r: int, grid: _Grid, start: int) -> bool:
        """Given the first grid's first data row and a continuation grid's first row below its header,
        return whether the continuation repeats that row cell for cell (a 合计 row printed again at the
        top of every page): it is read once."""
        texts = lambda g, row: [(c.col, c.col_end, normalise(c.text.text)) for c in g.row(row)]  # noqa: E731
        repeated = texts(first, r)
        return any(t for _, _, t in repeated) and texts(grid, start) == repeated

    def column_number_rows(self, grid: _Grid, end: int) -> set[int]:
        """Given a table's first grid and where its header ends, return the header rows that number the
        columns (栏次 | 1 | 2 …): they name no column, so no header path runs through them."""
        stub_field = self.templates.stub_field
        return {r for r in range(end) if column_numbers([c.text.text for c in grid.row(r)], stub_field)}

    def header_sharing_a_row(self, first: _Grid, end: int, head: list[_GridCell]) -> list[_GridCell]:
        """The lower level of a two-level header printed in the first data row's ruled row
        (合计 | … | 合计 基本支出 项目支出 | …, as the Shanghai template's empty tables have it): the
        cells of that row, in amount columns, that hold words rather than amounts, each under a
        header cell spanning more columns than it does."""
        if end >= first.rows:
            return []
        stub_field = self.templates.stub_field

        def amount_column(col: int) -> bool:
            covering = [c for c in head if c.col <= col < c.col_end and c.text.text]
            return bool(covering) and stub_field(covering[-1].text.text) not in STUB

        parents = [c for c in head if c.col_end - c.col > 1 and c.text.text and stub_field(c.text.text) not in STUB]
        return [c for c in first.row(end)
                if c.text.text and parse_amount(c.text.text)[1] == "not-numeric" and not _PERCENT.match(c.text.text)
                and all(amount_column(col) for col in range(c.col, c.col_end))
                and any(p.col <= c.col and c.col_end <= p.col_end and p.col_end - p.col > c.col_end - c.col
                        for p in parents)]

    def unwrapped(self, kind: Kind, parts: list[_GridCell]) -> list[str]:
        """Given the header cells over a column, top down, return their texts with a cell's text that wrapped
        into the ruled row below joined back ("因公出国" / "（境）费", "采购组织形" / "式"): the lower cell spans
        the same columns, is short and is no header word of its own (小计 under a parent is a child)."""
        out: list[str] = []
        above: _GridCell | None = None
        for c in sorted(parts, key=lambda c: c.row):
            text = c.text.text
            if (above is not None and (above.col, above.col_end) == (c.col, c.col_end) and above.row_end == c.row
                    and len(normalise(text)) <= 4 and not self.templates.stub_field(text) and not kind.column_key(text)
                    and normalise(text) not in ("小计", "合计", "其中") and not kind.row_key(text)):
                out[-1] += text
            else:
                out.append(text)
            above = c
        return out

    def unheaded_columns(self, grids: list[_Grid], end: int, roles: list[str], paths: list[list[str]]) -> None:
        """Given a table's grids, where its header ends, and each column's role and header path, set the role
        of the columns no header names: blank in every row → "blank" (no column of the table); words and no
        amount, right of a stub column → that stub column's second part (项目名称 over a group and its item:
        一般公共预算资金 | 小计), its header path the stub's."""
        texts: dict[int, list[str]] = {}
        first = grids[0]
        for n, grid in enumerate(grids):
            mapping = self.column_map(first, grid)
            for c in grid.cells:
                if (c.row >= end or n) and c.text.text and c.col < len(mapping):
                    texts.setdefault(mapping[c.col], []).append(c.text.text)
        for col, path in enumerate(paths):
            if path or roles[col] != "amount":
                continue
            found = texts.get(col, [])
            if not found:
                roles[col] = "blank"
            elif col and roles[col - 1] in ("label", "name") and paths[col - 1] \
                    and all(parse_amount(t)[1] == "not-numeric" for t in found):
                roles[col], paths[col] = roles[col - 1], paths[col - 1]

    @staticmethod
    def groups(roles: list[str]) -> list[tuple[int, int]]:
        """Printed columns: runs of code columns (类 | 款 | 项) are one column; others one each."""
        groups: list[tuple[int, int]] = []
        for col, role in enumerate(roles):
            if role == "code" and groups and roles[groups[-1][0]] == "code":
                groups[-1] = (groups[-1][0], col + 1)
            else:
                groups.append((col, col + 1))
        return groups

    @staticmethod
    def stub_first(kind: Kind, groups: list[tuple[int, int]], roles: list[str]) -> list[tuple[int, int]]:
        """Given a one-sided table's printed columns and their roles, return them in reading order: the
        stub columns first, so that a text column printed after the amounts (Guangzhou's 绩效目标) reads
        as the row's detail, not as an amount."""
        if kind.layout == "two_sided" or not kind.details:
            return groups
        return sorted(groups, key=lambda g: (roles[g[0]] not in STUB, g[0]))

    @staticmethod
    def column_map(first: _Grid, grid: _Grid) -> list[int]:
        """Each column of a continuation grid → the first grid's column it overlaps most; with fewer columns than
        the first grid, the columns in order, no two on one (the order-preserving match of most overlap: a page
        ruled with overlapping column bounds would otherwise put two columns on one and none on the next)."""
        if grid is first or len(grid.columns) == len(first.columns):
            return list(range(len(grid.columns)))
        overlap = lambda a, b: min(a[1], b[1]) - max(a[0], b[0])  # noqa: E731
        nearest = [max(range(len(first.columns)), key=lambda j: overlap(col, first.columns[j])) for col in grid.columns]
        if len(grid.columns) > len(first.columns) or len(set(nearest)) == len(nearest):
            return nearest
        return _in_order(grid.columns, first.columns, overlap)

    def grid_row(self, layout: _Layout, grid: _Grid, r: int, mapping: list[int],
                 previous: list[str]) -> tuple[list[Cell], list[str]]:
        """Given a table's layout, one of its grids, a row of it, the grid's columns mapped to the first grid's and
        the code parts of the row above, return the row's printed cells in column order, a split code's parts
        joined ('201'+'06'+'01'; a part left blank under the row above taken from it), and its code parts."""
        roles, groups, cells = layout.roles, layout.groups, layout.cells
        group_of = {col: g for g, (g0, g1) in enumerate(groups) for col in range(g0, g1)}
        out: list[tuple[int, Cell]] = []
        parts: dict[int, list[tuple[int, Cell]]] = {}
        spanning: list[tuple[int, int, Cell]] = []  # cells across several printed columns: first, last, cell
        for c in sorted(grid.row(r) + grid.covering(r), key=lambda c: c.col):
            cell = cells[id(c)] if c.row == r else Cell(cells[id(c)].line, "")
            col = mapping[c.col] if c.col < len(mapping) else c.col
            end = mapping[c.col_end - 1] + 1 if c.col_end - 1 < len(mapping) else c.col_end
            g = group_of.get(col)
            if self.is_code_part(c):
                self.ledger.place(cells[id(c)], "header")
                cell = Cell(cell.line, "")
            if g is not None and roles[col] == "code" and group_of.get(end - 1) == g and end - col < groups[g][1] - groups[g][0]:
                parts.setdefault(g, []).append((col, cell))
            else:
                out.extend(self.across_stub(cell, col, g, group_of.get(end - 1), roles, groups))
                if g is not None and group_of.get(end - 1, g) > g:
                    spanning.append((g, group_of[end - 1], cell))
        out = self.total_across_sides(out, spanning, roles, groups)
        codes = previous
        for g, members in parts.items():
            g0, g1 = groups[g]
            texts = ["" for _ in range(g0, g1)]
            for col, cell in members:
                texts[col - g0] = cell.text
            if all(t.isdigit() or not t for t in texts):
                filled = [t or (previous[i] if i < len(previous) and any(texts[i + 1 :]) else "") for i, t in enumerate(texts)]
                if any(i and len(t) == 1 for i, t in enumerate(filled)):  # 款/项 printed without its leading 0
                    padded = [t.zfill(2) if i and t else t for i, t in enumerate(filled)]
                    self.ledger.warn("code-part-short", members[0][1].line, f"code printed as "
                                     f"{' '.join(t for t in filled if t)!r}: a 款/项 part of one digit; read as {''.join(padded)}")
                    filled = padded
                text, codes = "".join(filled), filled
            else:
                text = " ".join(t for t in texts if t)
            joined = Cell(members[0][1].line, text, [cell.line for _, cell in members[1:]])
            out.append((g0, joined))
        place = {g0: n for n, (g0, _) in enumerate(groups)}
        return [cell for col, cell in sorted(out, key=lambda item: (place.get(item[0], item[0]), item[0]))
                if col >= len(roles) or roles[col] != "blank"], codes

    @staticmethod
    def total_across_sides(out: list[tuple[int, Cell]], spanning: list[tuple[int, int, Cell]], roles: list[str],
                           groups: list[tuple[int, int]]) -> list[tuple[int, Cell]]:
        """Given a row's cells by column, those spanning several printed columns and the columns' roles,
        return the row with a total whose label runs across the sides after its own (当年支出小计 over 功能科目
        名称 | 金额 | 项目名称, its amount in the last side's 金额) read as that label and amount in its own
        side, blanks in the sides it crosses."""
        for first, last, cell in spanning:
            role = lambda g: roles[groups[g][0]]  # noqa: E731
            if not (role(first) in ("label", "name") and role(first + 1) == "amount" and role(last) in STUB
                    and last + 1 < len(groups) and role(last + 1) == "amount"):
                continue
            at = {col: n for n, (col, _) in enumerate(out)}
            amount_at = at.get(groups[last + 1][0])
            if amount_at is None or at.get(groups[first][0]) is None:
                continue
            amount = out[amount_at][1]
            kept = [(col, c) for col, c in out if not groups[first][0] <= col <= groups[last + 1][0]]
            out = kept + [(groups[first][0], cell), (groups[first + 1][0], amount)] + [
                (groups[g][0], Cell(cell.line, "")) for g in range(first + 2, last + 2)]
        return out

    @staticmethod
    def across_stub(cell: Cell, col: int, first: int | None, last: int | None, roles: list[str],
                    groups: list[tuple[int, int]]) -> list[tuple[int, Cell]]:
        """Given a row's cell, its column and the printed columns (groups) it spans, return it placed: a
        label merged across several stub columns (合计 over 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称)
        as that label in the first name or label column it spans and a blank in each of the others, so
        that the row keeps the header's width; any other cell as it is."""
        spanned = list(range(first, last + 1)) if first is not None and last is not None else []
        if len(spanned) < 2 or not all(roles[groups[g][0]] in STUB for g in spanned):
            return [(col, cell)]
        target = next((g for g in spanned if roles[groups[g][0]] in ("name", "label")), spanned[0])
        return [(groups[g][0], cell if g == target else Cell(cell.line, "")) for g in spanned]

    def provenance(self, table: Table, spec: _Spec) -> Table:
        """Cell ids in the provenance → pages; positions; the table's pages; the title's page."""
        positions, where = {}, self.where
        for column, ids in table.provenance.items():
            positions.update({(index, column): where[value][1:3] for index, value in enumerate(ids) if value is not None})
            table.provenance[column] = [where[value][0] if value else None for value in ids]  # (as page_of)
        table.positions = positions
        title_page = self.page_of(spec.title_cell.line)
        table.title_line = title_page
        table.pages = sorted({title_page, *(g.page for g in spec.grids)} - {None})
        return table

    def coverage(self) -> Coverage:
        coverage = Coverage(unplaced=list(self.ledger.unplaced))
        for line in dict.fromkeys(self.ids):
            page, _, _, text = self.where[line]
            what, count = self.ledger.placed.get(line), len(NUMBER.findall(text))
            if not count or what == "unplaced":
                continue
            if what is None:
                coverage.unplaced.append(UnplacedNumber(line=None, text=text, reason="not read", page=page))
            else:
                coverage.placed[what] = coverage.placed.get(what, 0) + count
        coverage.unplaced.sort(key=lambda u: u.page or 0)
        return coverage

    def why_no_text(self) -> str:
        """Why no page gave any text, in words: the engine failed on them (a crash, a form that draws itself),
        the pages are images (scanned), or they hold no text at all."""
        failed = [w for w in self.ledger.warnings if w.code == "page-unreadable"]
        if failed:
            more = f" (and {len(failed) - 1} more pages)" if len(failed) > 1 else ""
            return f"no page could be read: page {failed[0].page}: {failed[0].message}{more}"
        scanned = sum(bool(p.images) for p in self.pages)
        return f"no text on any page; {scanned} of {len(self.pages)} pages are images (scanned?)" if scanned \
            else f"no text and no images on any of its {len(self.pages)} pages"

    def parts(self) -> dict[str, tuple[int, int]]:
        """The pages without text noted (a document with no text refused), the running heads set aside, and the
        document's parts over its lines."""
        for page in self.pages:
            if not page.chars:
                code, what = ("page-scanned", "an image without a text layer (scanned?)") if page.images else (
                    "page-overflow", "only empty ruled rows (a table running over)") if page.ruled else (
                    "page-no-text", "no text")
                self.ledger.warn(code, None, f"{what}; nothing read from it", page=page.number)
        if not any(p.chars for p in self.pages):
            raise ReportFormatError(self.source, None, "a PDF with a text layer (a 部门预算 or 部门决算 document)",
                                    self.why_no_text(), page=1)
        self.whole = self.flat()
        self.running = self.running_heads()
        self.lines = [line for line in self.whole if not self.is_running(line)]
        return self.spans(self.lines)

    def tables(self, spans: dict[str, tuple[int, int]], year: int | None) -> dict[str, Table]:
        """The tables of every part of tables (绩效目标表 after the narrative too), each read from where it starts
        to where it ends."""
        self.ids, self.first = [], 1
        if "tables" not in spans:
            return {}
        bounds = [self.part_bounds(self.lines, span) for key, span in spans.items() if key.partition(".")[0] == "tables"]
        pages = [p for p in self.pages if any(a[0] <= p.number <= b[0] for a, b in bounds)]
        self.first = bounds[0][0][0]
        tables, self.ids = self.walk_tables(pages, year, bounds)
        return tables

    def glossary_part(self, spans: dict[str, tuple[int, int]]) -> list[Paragraph] | None:
        return self.paragraphs(self.part_lines(spans["glossary"])) if "glossary" in spans else None

    def no_tables(self, spans: dict[str, tuple[int, int]]) -> tuple[str, dict]:
        if "tables" in spans:
            return "none after the tables heading", {"page": self.first}
        return f"no table title on any of its {len(self.pages)} pages", {"page": self.first}


ENGINES = {"pdfium": guarded_pages, "pdfium-unguarded": read_pages, "pdfplumber": pdfplumber_pages}


def load_pdf(path: str | Path, engine: str = "pdfium", bound: Bound | None = None) -> Report:
    """Load a published 部门决算 or 部门预算 PDF: tables, narrative and glossary, with page provenance.

    ``engine``: the page reader — ``pdfium`` (pypdfium2 in a child process, so that a crash or a hang
    inside PDFium cannot take this process down; the pages are laid out here while the child reads
    the next ones), ``pdfium-unguarded`` (the same in this process, for a caller that isolates the
    load itself) or ``pdfplumber`` (the slower fallback). ``bound``: what the file may hold (pages,
    characters), checked as it is read (``PdfTooCostly`` past it).
    Raises ``ReportFormatError`` for a file that is not a readable PDF or holds neither tables nor the
    情况说明 of a 部门预算/决算 (a 情况说明 alone loads, with a ``tables-absent`` note);
    pages without text, pages the engine cannot read, tables without rules and cells that do not
    fit are load warnings naming the page.
    """
    from finaudit.read.sources import open_regular

    path = Path(path)
    try:
        with open_regular(path) as handle:
            data = handle.read()
    except OSError as error:
        raise ReportFormatError(str(path), None, "a readable file", error.strerror or str(error)) from None
    if not data.startswith(b"%PDF-"):
        raise ReportFormatError(str(path), None, "a PDF file (starting with %PDF-)", repr(data[:8]))
    with _no_cycle_collection():
        pages: list[_Page] = []
        unreadable = []
        try:
            for number, content in enumerate(ENGINES[engine](path, bound), 1):
                if isinstance(content, str):
                    unreadable.append(LoadWarning("page-unreadable", None, content, page=number))
                    pages.append(_Page(number=number))
                else:
                    pages.append(read_page(content))
        except PdfUnreadable as error:
            raise ReportFormatError(str(path), None, "a readable PDF file", str(error)) from None
        if not pages:
            raise ReportFormatError(str(path), None, "a PDF with at least one page", "no pages")
        if len(unreadable) == len(pages):  # not "no text (scanned images?)": say what stopped the engine
            raise ReportFormatError(str(path), None, "a PDF that PDFium can read", unreadable[0].message, page=1)
        loader = _PdfLoader(pages, str(path), hashlib.sha256(data).hexdigest())
        loader.ledger.warnings.extend(unreadable)
        return read_document(loader)


@contextlib.contextmanager
def _no_cycle_collection():
    """No cyclic garbage collection while a PDF is read: its tens of thousands of characters, edges and
    cells (freed by reference counting) would otherwise trigger full collections that walk the
    caller's whole heap (pandas, plotly, a notebook's objects) — a tenth of the load's time, more in a
    dashboard kernel. Collection resumes afterwards, as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
