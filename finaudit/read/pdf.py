"""Loader for published PDF reports (部门决算 as PDF), with pdfplumber.

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
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path

from finaudit.model import Coverage, LoadWarning, Meta, Paragraph, Report, ReportFormatError, Table, UnplacedNumber
from finaudit.read.document import (
    META,
    NOTE,
    PART,
    SECTION,
    STATEMENT,
    TABLE_NUMBER,
    assemble_report,
    chinese_number,
    part_name,
)
from finaudit.read.meta import settle, signals
from finaudit.read.pdfium import Bound, PageContent, PdfUnreadable, guarded_pages, pdfplumber_pages, read_pages
from finaudit.read.ruling import find_tables
from finaudit.read.tables import CODE, NUMBER, STUB, Cell, Ledger, TableBuilder, parse_amount
from finaudit.read.templates import Kind, normalise, templates

_UNIT = re.compile(r"单位\s*[：:]\s*(万元|千元|亿元|元)")
_ENUMERATED = re.compile(r"^[一二三四五六七八九十]+、")
_PAGE_NUMBER = re.compile(r"^[-—－\s]*(第\s*)?\d{1,3}(\s*页)?([\s/／共]*\d*\s*页?)[-—－\s]*$")
_WIDE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


@dataclass
class _Text:
    """A line of text outside the grids, or the text of one grid cell, with its place on the page."""

    page: int
    x0: float
    top: float
    x1: float
    text: str
    size: float = 10.0


@dataclass
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
def _join(chars: list[dict]) -> tuple[str, float]:
    """Characters of one line (sorted by x) → text, a space where the gap is wide; and the font size."""
    if len(chars) == 1:
        char = chars[0]
        text = char["text"]
        return (_WIDE.sub("", text) if len(text) > 1 else text).strip(), char["size"]
    parts, last, size = [], None, None
    for char in chars:
        # the gap to 0.01 pt: a gap of exactly half the size must not turn on float noise (only a gap
        # within float noise of 0.005 needs the rounding: a clear one is wide or not)
        if last is not None:
            gap = char["x0"] - last["x1"] - 0.5 * (char["size"] or 10)
            if gap > 0.006 or (gap > 0.004 and round(gap, 2) > 0):
                parts.append(" ")
        parts.append(char["text"])
        last = char
        if size is None or char["size"] > size:
            size = char["size"]
    return _WIDE.sub("", "".join(parts)).strip(), size


def _cluster(chars: list[dict]) -> list[list[dict]]:
    """Characters → lines: a character joins a line its vertical extent mostly overlaps
    (digits in another font often sit a few points lower than the Chinese text around them)."""
    if len(chars) < 2:
        return [chars] if chars else []
    lines: list[list[dict]] = []
    spans: list[tuple[float, float, float]] = []  # each line's first character: top, bottom, height
    for char in sorted(chars, key=_reading_order):
        char_top, char_bottom = char["top"], char["bottom"]
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


_reading_order = operator.itemgetter("top", "x0")
_left = operator.itemgetter("x0")


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


def _grid(page_number: int, boxes: list[tuple], centres: list[tuple[float, float]], chars: list[dict]) -> tuple[_Grid, set[int]]:
    """A ruled table's cell boxes and the page's characters (with their centres) → a grid; and the
    characters used."""
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    owner: dict[tuple[int, int], int] = {}
    spans = []
    for k, (x0, top, x1, bottom) in enumerate(boxes):
        r0, r1, c0, c1 = _nearest(ys, top), _nearest(ys, bottom), _nearest(xs, x0), _nearest(xs, x1)
        spans.append((r0, max(r1, r0 + 1), c0, max(c1, c0 + 1)))
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                owner.setdefault((r, c), k)
    content: dict[int, list[dict]] = {}
    used = set()
    rows, columns, after = len(ys) - 1, len(xs) - 1, bisect.bisect
    for i, (cx, cy) in enumerate(centres):
        r = after(ys, cy) - 1
        if 0 <= r < rows:
            c = after(xs, cx) - 1
            if 0 <= c < columns and (k := owner.get((r, c))) is not None:
                content.setdefault(k, []).append(chars[i])
                used.add(i)
    cells = []
    for k, (x0, top, x1, _bottom) in enumerate(boxes):
        text, size = "", 10.0
        if k in content:
            texts = []
            for line in _cluster(content[k]):
                part, size = _join(line)
                texts.append(part)
            for part in texts:  # wrapped lines: no space inside Chinese text or a number
                text += (" " if text and text[-1].isascii() and part[:1].isascii() and not text[-1].isdigit() else "") + part
            text = _WIDE.sub("", text)
        r0, r1, c0, c1 = spans[k]
        cells.append(_GridCell(r0, r1, c0, c1, _Text(page_number, x0, top, x1, text, size)))
    cells.sort(key=lambda c: (c.row, c.col))
    return _Grid(page_number, ys[0], list(zip(xs, xs[1:])), cells, len(ys) - 1), used


def read_page(content: PageContent) -> _Page:
    """One page's characters and edges, from whichever engine → lines outside grids, and grids."""
    result = _Page(number=content.number, images=content.images)
    chars = content.chars
    result.chars = len(chars)
    if not chars:
        result.ruled = bool(content.edges) and bool(find_tables(content.edges))
        return result
    used: set[int] = set()
    centres = None
    for boxes in find_tables(content.edges):
        centres = centres or [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]
        grid, taken = _grid(content.number, boxes, centres, chars)
        result.grids.append(grid)
        used |= taken
    loose = [c for i, c in enumerate(chars) if i not in used] if used else chars
    for line in _cluster(loose):
        text, size = _join(line)
        result.lines.append(_Text(content.number, line[0]["x0"], min(c["top"] for c in line), line[-1]["x1"], text, size))
    return result


# -- the loader ----------------------------------------------------------------------------------
@dataclass
class _Spec:
    kind: Kind | None
    number: int | None
    title: str
    title_cell: Cell
    grids: list[_Grid] = field(default_factory=list)
    extra: dict = field(default_factory=lambda: {"unit": None, "notes": [], "statement": None})


class _PdfLoader:
    """One load of the pages of one PDF: cell ids stand in for line numbers while loading."""

    def __init__(self, pages: list[_Page], source: str, sha256: str):
        self.pages, self.source, self.sha256 = pages, source, sha256
        self.templates = templates()
        self.where: list[tuple[int, float, float, str]] = [(0, 0.0, 0.0, "")]  # cell id → page, x0, top, text
        self.ledger = Ledger(page_of=self.page_of)
        self.build = TableBuilder(self.templates, self.ledger)

    # -- provenance ----------------------------------------------------------------------------
    def cell(self, text: _Text) -> Cell:
        # to 0.001 pt first: engines differ in float noise (float32 in PDFium), which must not flip a tie
        self.where.append((text.page, round(round(text.x0, 3), 1), round(round(text.top, 3), 1), text.text))
        return Cell(len(self.where) - 1, text.text)

    def page_of(self, line: int | None) -> int | None:
        return self.where[line][0] if line else None

    # -- parts -------------------------------------------------------------------------------------
    @staticmethod
    def is_contents(page: _Page) -> bool:
        heads = sum(1 for line in page.lines if PART.match(line.text))
        texts = sorted([*page.lines, *(c.text for g in page.grids for c in g.cells)], key=lambda t: (t.top, t.x0))
        return "目录" in normalise("".join(t.text for t in texts[:3])) or heads >= 2

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
        contents = {p.number for p in self.pages if self.is_contents(p)}
        heads: dict[str, int] = {}
        for index, line in enumerate(flat):
            if PART.match(line.text) and line.page not in contents:
                heads[part_name(line.text) or f"part{index}"] = index
            elif line.page not in contents and (name := self.templates.heading_part(line.text)):
                heads[f"{name}.{index}" if name in heads else name] = index  # e.g. narrative before and after the tables
        if "tables" not in heads:
            first = next((i for i, l in enumerate(flat) if l.page not in contents and self.title(l.text)), None)
            if first is not None:
                heads["tables"] = first
        order = sorted(heads.items(), key=lambda item: item[1])
        return {name: (start, nxt[1] if nxt else len(flat)) for (name, start), nxt in zip(order, [*order[1:], None])}

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

    def part_lines(self, flat: list[_Text], span: tuple[int, int]) -> list[_Text]:
        lines = flat[span[0] + 1 : span[1]]
        if lines and len(normalise(lines[0].text)) <= 6 and not SECTION.match(lines[0].text):
            lines = lines[1:]  # the heading wrapped onto a second line
        return lines

    def part(self, flat: list[_Text], spans, name: str) -> list[Paragraph] | None:
        """The paragraphs of every part of that name (a budget has narrative parts before and after its tables,
        and an overview in two: 主要职能, 机构设置), each part's heading kept where it is not a 第N部分 one (it
        titles what follows)."""
        found = [span for key, span in spans.items() if key.partition(".")[0] == name]
        if not found:
            return None
        paragraphs = []
        for span in found:
            heading = flat[span[0]]
            if not PART.match(heading.text):
                paragraphs.append(Paragraph(line=None, text=heading.text.strip(), page=heading.page))
            paragraphs += self.paragraphs(self.part_lines(flat, span))
        return paragraphs

    def meta(self, flat: list[_Text], spans) -> Meta:
        """Kind, scope, year and names from the cover, headings, 编制 lines and titles (``read.meta``)."""
        meta = Meta(source=self.source, sha256=self.sha256, format="pdf")
        self.ledger.warnings.extend(settle(meta, signals((t.text, None, t.page) for t in flat)))
        if meta.year is None or not meta.entity:
            self.ledger.warn("meta-missing", None, "department and year not found (expected e.g. 'XX局2024年度部门决算')")
        return meta

    # -- tables --------------------------------------------------------------------------------------
    def title(self, text: str) -> tuple[int | None, str, Kind | None] | None:
        text = text.strip()
        if not text or len(text) > 60 or "。" in text or text.startswith(("注", "说明")) or PART.match(text):
            return None
        match = TABLE_NUMBER.match(text)
        number, title = (chinese_number(match[1]), match[2].strip()) if match and match[2] else (None, text)
        if not normalise(title).endswith("表"):
            return None
        return number, title, self.templates.kind_for_title(title)

    def tables(self, pages: list[_Page], year: int | None) -> tuple[dict[str, Table], list[int]]:
        """Walk the table pages: titles open tables, grids and 单位/注 lines go to the open one."""
        specs: list[_Spec] = []
        ids: list[int] = []
        for page in pages:
            for grid in page.grids:
                self.lift_titles(page, grid)
            items = [(l.top, 0, l) for l in page.lines] + [(g.top, 1, g) for g in page.grids]
            note_open = False
            lines_seen = 0
            for _, is_grid, item in sorted(items, key=lambda t: (t[0], t[1])):
                current = specs[-1] if specs else None
                if is_grid:
                    note_open = False
                    if current is None:
                        self.ledger.warn("table-untitled", None, "a ruled table before any table title", page=page.number)
                        for grid_cell in item.cells:
                            ids.append(self.cell(grid_cell.text).line)
                            self.ledger.unplace(Cell(ids[-1], grid_cell.text.text), "table before any title")
                    else:
                        current.grids.append(item)
                    continue
                cell = self.cell(item)
                ids.append(cell.line)
                lines_seen += 1
                text = item.text
                found = self.title(text)
                if PART.match(text) or META.search(text.replace(" ", "")):
                    self.ledger.place(cell, "meta")
                elif found and found[2] is not None and current and current.kind is found[2] and "续" in text:
                    self.ledger.place(cell, "title")
                elif found:
                    specs.append(_Spec(found[2], found[0], found[1], cell))
                    self.ledger.place(cell, "title")
                elif _UNIT.search(text) and current:
                    current.extra["unit"] = _UNIT.search(text)[1]
                    self.ledger.place(cell, "unit")
                elif current and (NOTE.match(text) or STATEMENT.search(text) or note_open):
                    if note_open and not NOTE.match(text):
                        current.extra["notes"][-1] += text
                    else:
                        current.extra["notes"].append(text)
                    if STATEMENT.search(current.extra["notes"][-1]):
                        current.extra["statement"] = current.extra["notes"][-1]
                    self.ledger.place(cell, "note")
                    note_open = True
                elif _PAGE_NUMBER.match(text) and (item is page.lines[-1] or lines_seen == 1):
                    self.ledger.place(cell, "page_number")
        tables: dict[str, Table] = {}
        for spec in specs:
            self.ledger.table_number = spec.number
            if spec.kind is None or spec.kind.name in tables:
                what = "unknown kind" if spec.kind is None else "a second table of this kind; kept the first"
                self.ledger.warn("table-unknown" if spec.kind is None else "table-duplicate", spec.title_cell.line,
                          f"table title {spec.title!r}: {what}")
                for grid in spec.grids:
                    for grid_cell in grid.cells:
                        ids.append(self.cell(grid_cell.text).line)
                        self.ledger.unplace(Cell(ids[-1], grid_cell.text.text), "table not read")
                continue
            table = self.table_from_grids(spec, year, ids)
            tables[spec.kind.name] = table
        self.ledger.table_number = None
        return tables, ids

    def lift_titles(self, page: _Page, grid: _Grid) -> None:
        """A grid whose first rows hold the table's title and its 编制/单位 line (a spreadsheet printed
        with its gridlines): those rows become lines of the page, above the grid."""
        lifted = 0
        for r in range(grid.rows):
            texts = [c.text for c in grid.row(r) if c.text.text]
            if texts and not all(self.title(t.text) or _UNIT.search(t.text) or "编制" in t.text for t in texts):
                break
            lifted = r + 1 if texts else lifted
        if not lifted:
            return
        page.lines.extend(c.text for c in grid.cells if c.row < lifted and c.text.text)
        grid.cells = [c for c in grid.cells if c.row >= lifted]
        for c in grid.cells:
            c.row, c.row_end = c.row - lifted, c.row_end - lifted
        grid.rows -= lifted
        grid.top = min((c.text.top for c in grid.cells), default=grid.top)

    def header_end(self, kind: Kind, grid: _Grid) -> int:
        """Rows above the first row with a code, an amount, an enumerated label or 合计; at most one
        row below the last row holding a header word (stub word, column header, 类/款/项)."""
        stub_field = self.templates.stub_field
        strong, last_word = grid.rows, -1
        for r in range(grid.rows):
            filled = [c for c in grid.row(r) if c.text.text]
            texts = [c.text.text for c in filled]
            if any(CODE.match(t) or "." in t and parse_amount(t)[0] is not None or _ENUMERATED.match(t) for t in texts) or (
                texts and kind.layout != "items" and normalise(texts[0]) in ("合计", "总计") and filled[0].col == 0
            ):
                strong = r
                break
            if any(stub_field(t) or kind.column_key(t) or kind.side_key(t) or (kind.layout == "items" and kind.row_key(t))
                   for t in texts):
                last_word = r
        return min(strong, last_word + 1) if last_word >= 0 else strong

    def table_from_grids(self, spec: _Spec, year, ids: list[int]) -> Table:
        kind, stub_field = spec.kind, self.templates.stub_field
        grids = spec.grids
        if not grids:
            if not spec.extra["statement"]:
                self.ledger.warn("table-no-rules", spec.title_cell.line,
                          f"{spec.title}: no ruled table found under the title; its rows are not read")
            table = self.build.assemble(kind, spec.number, spec.title, spec.title_cell.line, [], [], [], spec.extra, year)
            return self.provenance(table, spec)
        first = grids[0]
        end = self.header_end(kind, first)
        cells = {id(c): self.cell(c.text) for grid in grids for c in grid.cells}
        ids.extend(cell.line for cell in cells.values())
        is_part = lambda c: stub_field(c.text.text) == "code_part"  # noqa: E731
        head = [c for c in first.cells if c.row < end or is_part(c)]
        shared = self.header_sharing_a_row(first, end, head)
        head += shared
        for c in head:
            self.ledger.place(cells[id(c)], "header")
        for c in shared:  # the row goes on as data: its label (合计) and blank amounts
            cells[id(c)] = Cell(cells[id(c)].line, "")
        # the side row (收入 | 支出) and each leaf column's header path
        top = [c for c in first.row(0) if c.text.text]
        side_cells = top if kind.layout == "two_sided" and len(top) > 1 and all(kind.side_key(c.text.text) for c in top) else []
        roles, paths, owners = [], [], []
        for col in range(len(first.columns)):
            covering = [c for c in head if c.col <= col < c.col_end and c.text.text and c not in side_cells]
            parts = [c for c in covering if not is_part(c)]
            path = list(dict.fromkeys(c.text.text for c in parts))
            field_ = stub_field(path[-1]) if path else None
            roles.append(field_ if field_ in STUB else "amount")
            paths.append(path)
            owners.append(cells[id(parts[-1])] if parts else None)
        groups = self.groups(roles)
        header_row = []
        for g0, g1 in groups:
            owner = owners[g0] or Cell(spec.title_cell.line, "")
            text = paths[g0][-1] if roles[g0] in STUB and paths[g0] else "/".join(paths[g0])
            header_row.append(Cell(owner.line, text))
        header = ([[cells[id(c)] for c in side_cells]] if side_cells else []) + [header_row]
        sides = self.build.sides(kind, header)
        header_texts = {normalise(c.text.text) for c in head if c.text.text}
        data_rows = []
        for n, grid in enumerate(grids):
            mapping = self.column_map(first, grid)
            start = end if n == 0 else 0
            if n:
                while start < grid.rows and all(normalise(c.text.text) in header_texts or not c.text.text
                                                for c in grid.row(start)):
                    for c in grid.row(start):
                        self.ledger.place(cells[id(c)], "header")
                    start += 1
            previous: list[str] = []
            for r in range(start, grid.rows):
                row, previous = self.grid_row(grid, r, mapping, roles, groups, cells, is_part, previous)
                data_rows.append(row)
        printed = [[c.text.text for c in first.row(r)] for r in range(end)]
        table = self.build.assemble(kind, spec.number, spec.title, spec.title_cell.line, [], sides, data_rows, spec.extra, year)
        table.header = printed
        spec.extra["pages"] = sorted({g.page for g in grids})
        return self.provenance(table, spec)

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
                if c.text.text and parse_amount(c.text.text)[1] == "not-numeric"
                and all(amount_column(col) for col in range(c.col, c.col_end))
                and any(p.col <= c.col and c.col_end <= p.col_end and p.col_end - p.col > c.col_end - c.col
                        for p in parents)]

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
    def column_map(first: _Grid, grid: _Grid) -> list[int]:
        """Each column of a continuation grid → the first grid's column it overlaps most."""
        if grid is first or len(grid.columns) == len(first.columns):
            return list(range(len(grid.columns)))
        overlap = lambda a, b: min(a[1], b[1]) - max(a[0], b[0])  # noqa: E731
        return [max(range(len(first.columns)), key=lambda j: overlap(col, first.columns[j])) for col in grid.columns]

    def grid_row(self, grid, r, mapping, roles, groups, cells, is_part, previous) -> tuple[list[Cell], list[str]]:
        """One grid row → printed cells in column order, code parts joined ('201'+'06'+'01')."""
        group_of = {col: g for g, (g0, g1) in enumerate(groups) for col in range(g0, g1)}
        out: list[tuple[int, Cell]] = []
        parts: dict[int, list[tuple[int, Cell]]] = {}
        for c in sorted(grid.row(r) + grid.covering(r), key=lambda c: c.col):
            cell = cells[id(c)] if c.row == r else Cell(cells[id(c)].line, "")
            col = mapping[c.col] if c.col < len(mapping) else c.col
            end = mapping[c.col_end - 1] + 1 if c.col_end - 1 < len(mapping) else c.col_end
            g = group_of.get(col)
            if is_part(c):
                self.ledger.place(cells[id(c)], "header")
                cell = Cell(cell.line, "")
            if g is not None and roles[col] == "code" and group_of.get(end - 1) == g and end - col < groups[g][1] - groups[g][0]:
                parts.setdefault(g, []).append((col, cell))
            else:
                out.append((col, cell))
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
        return [cell for _, cell in sorted(out, key=lambda item: item[0])], codes

    def provenance(self, table: Table, spec: _Spec) -> Table:
        """Cell ids in the provenance → pages; positions; the table's pages; the title's page."""
        positions = {}
        for column, ids in table.provenance.items():
            for index, value in enumerate(ids):
                if value is not None:
                    positions[(index, column)] = self.where[value][1:3]
            table.provenance[column] = [None if value is None else self.page_of(value) for value in ids]
        table.positions = positions
        title_page = self.page_of(spec.title_cell.line)
        table.title_line = title_page
        table.pages = sorted({title_page, *(g.page for g in spec.grids)} - {None})
        return table

    def coverage(self, ids: list[int]) -> Coverage:
        coverage = Coverage(unplaced=list(self.ledger.unplaced))
        for line in dict.fromkeys(ids):
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

    def load(self) -> Report:
        for page in self.pages:
            if not page.chars:
                code, what = ("page-scanned", "an image without a text layer (scanned?)") if page.images else (
                    "page-overflow", "only empty ruled rows (a table running over)") if page.ruled else (
                    "page-no-text", "no text")
                self.ledger.warn(code, None, f"{what}; nothing read from it", page=page.number)
        if not any(p.chars for p in self.pages):
            raise ReportFormatError(self.source, None, "a PDF with a text layer (部门决算 tables)",
                                    "no text on any page (scanned images?)", page=1)
        flat = self.flat()
        spans = self.spans(flat)
        meta = self.meta(flat, spans)
        if "tables" not in spans:
            raise ReportFormatError(self.source, None, "部门决算 tables with titles such as 收入支出决算总表",
                                    f"no table title on any of its {len(self.pages)} pages", page=1)
        start, end = spans["tables"]
        first = flat[max(start, 0)].page
        last = flat[end].page if end < len(flat) else self.pages[-1].number
        if end < len(flat) and not any(l.page == last and l.top < flat[end].top for l in flat[start:end]):
            last -= 1  # the next part starts at the top of its page
        pages = [p for p in self.pages if first <= p.number <= last]
        tables, ids = self.tables(pages, meta.year)
        if not tables:
            raise ReportFormatError(self.source, None, "at least one recognisable 部门决算 table",
                                    "none after the tables heading", page=first)
        return assemble_report(
            meta,
            tables,
            self.coverage(ids),
            self.ledger,
            narrative=self.part(flat, spans, "narrative"),
            glossary_=self.paragraphs(self.part_lines(flat, spans["glossary"])) if "glossary" in spans else None,
            overview=self.part(flat, spans, "overview"),
        )

ENGINES = {"pdfium": guarded_pages, "pdfium-unguarded": read_pages, "pdfplumber": pdfplumber_pages}


def load_pdf(path: str | Path, engine: str = "pdfium", bound: Bound | None = None) -> Report:
    """Load a published 部门决算 PDF: tables, narrative and glossary, with page provenance.

    ``engine``: the page reader — ``pdfium`` (pypdfium2 in a child process, so that a crash or a hang
    inside PDFium cannot take this process down; the pages are laid out here while the child reads
    the next ones), ``pdfium-unguarded`` (the same in this process, for a caller that isolates the
    load itself) or ``pdfplumber`` (the slower fallback). ``bound``: what the file may hold (pages,
    characters), checked as it is read (``PdfTooCostly`` past it).
    Raises ``ReportFormatError`` for a file that is not a readable PDF or holds no 部门决算 tables;
    pages without text, pages the engine cannot read, tables without rules and cells that do not
    fit are load warnings naming the page.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
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
        return loader.load()


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
