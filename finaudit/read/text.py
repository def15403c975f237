"""Loader for the published text layout of a 部门决算 disclosure.

The layout (as web pages are saved to text): one table cell per line, each cell line starting
with a tab; rows separated by empty lines; blank cells empty or U+3000; a header cell may run
on to a following line without a tab. Tables are recognised by their titles, columns by their
headers, rows by their codes and labels — never by position in the file.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from finaudit import codes
from finaudit.model import (
    Coverage,
    Definition,
    LoadWarning,
    Meta,
    Paragraph,
    Report,
    ReportFormatError,
    Section,
    Table,
    UnplacedNumber,
    build_table,
)
from finaudit.read.templates import Kind, normalise, templates

_NUMBER = re.compile(r"\d+(?:[.,，]\d+)*")
_AMOUNT = re.compile(r"^([-−])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
_BLANK_MARKS = {"", "-", "—", "－", "--", "——", "/", "／", "…", "……", "...", "......"}
_CODE = re.compile(r"^\d{3,9}$")
_INT = re.compile(r"^\d{1,3}$")
_PART = re.compile(r"^\s*第\s*([一二三四五六七八九十]+)\s*部分")
_TABLE_NUMBER = re.compile(r"^\s*表\s*([一二三四五六七八九十\d]+)\s*[：:、.．\s]?\s*(.*)$")
_UNIT = re.compile(r"^(?:金额)?单位\s*[：:]\s*(\S+)")
_NOTE = re.compile(r"^注\s*[：:]|^说明\s*[：:]")
_STATEMENT = re.compile(r"本表无数据|无数据|故本表|没有.{0,30}(收入|支出|经费)")
_META = re.compile(r"(?P<department>[^\s，。：:0-9]{2,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*部门\s*(?P<kind>决算|预算)")
_SECTION = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]\s*(.+?)\s*$")
_GLOSSARY = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．]\s*(.+?)(?:[：:]\s*|(?=指))(.*)$")
_CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_MAX_BYTES = 20_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def part_name(heading: str) -> str | None:
    """The part a '第N部分 …' heading opens: by its words, else by the standard order (一 概况 … 四 名词解释)."""
    text = normalise(heading)
    for name, pattern in (("glossary", "名词解释"), ("narrative", "说明"), ("tables", "表"), ("overview", "概况")):
        if pattern in text:
            return name
    match = _PART.match(heading)
    order = {1: "overview", 2: "tables", 3: "narrative", 4: "glossary"}
    return order.get(chinese_number(match[1]) or 0) if match else None


def chinese_number(text: str) -> int | None:
    """'七' → 7, '十一' → 11, '二十三' → 23, '8' → 8."""
    if text.isascii() and text.isdigit():
        return int(text) if len(text) <= 4 else None
    if not text or any(c not in _CHINESE_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return int("".join(str(_CHINESE_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 (with BOM or evident), GB18030/GBK."""
    if not data.strip():
        raise ReportFormatError(source, None, "a 部门决算 report in text form", "an empty file")
    if len(data) > _MAX_BYTES:
        raise ReportFormatError(source, None, f"a text report under {_MAX_BYTES // 1_000_000} MB", f"{len(data)} bytes")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif b"\x00" in data[:4000]:
        even, odd = data[0:4000:2].count(0), data[1:4000:2].count(0)
        if max(even, odd) < len(data[:4000]) // 8:
            raise ReportFormatError(source, None, "a text report", "binary data (NUL bytes)")
        candidates = ["utf-16-le" if odd > even else "utf-16-be"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError as error:
            failure = error
    else:
        line = data[: failure.start].count(b"\n") + 1
        raise ReportFormatError(source, line, "text in UTF-8, GBK/GB18030 or UTF-16", f"undecodable byte at offset {failure.start}")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        line = next(i for i, row in enumerate(text.splitlines(), 1) if any(ord(c) < 32 and c not in "\t\r\f" for c in row))
        raise ReportFormatError(source, line, "a text report", "binary data (control characters)")
    return text


#: Integer digits of an amount: 10^15 is beyond any budget in 元 or 万元, and its hundredths still fit
#: the Int64 columns. A longer "number" is a load warning (and an error of
#: the bounded read, finaudit.read.limits), never an int() of thousands of digits.
MAX_AMOUNT_DIGITS = 15


def parse_amount(text: str) -> tuple[int | None, str | None]:
    """Cell text → (hundredths or None for a blank, problem or None)."""
    cleaned = re.sub(r"[\s\u3000\xa0]", "", text).replace("，", ",")
    if cleaned in _BLANK_MARKS:
        return None, None
    negative = cleaned.startswith(("(", "（")) and cleaned.endswith((")", "）"))
    if negative:
        cleaned = cleaned[1:-1]
    match = _AMOUNT.match(cleaned)
    if not match:
        return None, "not-numeric"
    sign, whole, fraction = match.groups()
    if len(whole) - whole.count(",") > MAX_AMOUNT_DIGITS:
        return None, "too-large"
    fraction = fraction or ""
    if len(fraction) > 2 and fraction[2:].strip("0"):
        return None, "precision"
    value = int(whole.replace(",", "")) * 100 + int((fraction + "00")[:2])
    return (-value if sign or negative else value), None


@dataclass
class Cell:
    line: int
    text: str
    continuation: list[int] = field(default_factory=list)

    @property
    def lines(self) -> list[int]:
        return [self.line, *self.continuation]


@dataclass
class _Side:
    key: str
    stub: list[str]  # code, name, label, row_no
    amounts: list[str]  # column keys
    headers: list[str]

    @property
    def width(self) -> int:
        return len(self.stub) + len(self.amounts)


class _Loader:
    """One load of one text: collects tables, warnings and what became of each line."""

    def __init__(self, text: str, source: str, sha256: str):
        self.source, self.sha256 = source, sha256
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.templates = templates()
        self.warnings: list[LoadWarning] = []
        self.placed: dict[int, str] = {}  # line → what it became
        self.unplaced: list[UnplacedNumber] = []
        self.table_number: int | None = None

    # -- helpers -----------------------------------------------------------------------------
    def warn(self, code: str, line: int | None, message: str) -> None:
        self.warnings.append(LoadWarning(code=code, line=line, message=message, table=self.table_number))

    def place(self, cell_or_line, what: str) -> None:
        for line in cell_or_line.lines if isinstance(cell_or_line, Cell) else [cell_or_line]:
            self.placed.setdefault(line, what)

    def unplace(self, cell: Cell, reason: str) -> None:
        for line in cell.lines:
            self.placed[line] = "unplaced"
        if _NUMBER.search(cell.text):
            self.unplaced.append(UnplacedNumber(line=cell.line, text=cell.text, reason=reason))

    # -- parts and meta ----------------------------------------------------------------------
    def parts(self) -> dict[str, tuple[int, int]]:
        """Part name → (first index, end index) of the lines, by the 第N部分 headings."""
        heads = []
        for index, line in enumerate(self.lines):
            if _PART.match(line):
                heads.append((part_name(line) or f"part{len(heads) + 1}", index))
        spans = {}
        for (name, start), nxt in itertools.zip_longest(heads, heads[1:], fillvalue=(None, len(self.lines))):
            spans.setdefault(name, (start, nxt[1]))
        if "tables" not in spans:
            first_title = next((i for i, _ in enumerate(self.lines) if self.title_at(i)), None)
            if first_title is None:
                raise ReportFormatError(
                    self.source, None, "部门决算 tables with titles such as 表一 收入支出决算总表", "no table title"
                )
            ends = [s for _, s in heads if s > first_title] + [len(self.lines)]
            spans["tables"] = (first_title, min(ends))
        return spans

    def meta(self, spans: dict[str, tuple[int, int]]) -> Meta:
        meta = Meta(source=self.source, sha256=self.sha256, format="text")
        candidates = [spans["tables"][0], *range(min(60, len(self.lines)))]
        for index in candidates:
            line = re.sub(r"^\s*第\s*[一二三四五六七八九十]+\s*部分\s*[：:]?\s*", "", self.lines[index])
            match = _META.search(line.replace(" ", ""))
            if match:
                meta.department = match["department"]
                meta.year = int(match["year"])
                meta.kind = "final" if match["kind"] == "决算" else "budget"
                self.place(index + 1, "meta")
                break
        else:
            self.warn("meta-missing", None, "department and year not found (expected e.g. 'XX局2017年部门决算')")
        return meta

    # -- tables --------------------------------------------------------------------------------
    def title_at(self, index: int) -> tuple[int | None, str, Kind | None] | None:
        """(printed number, title, kind) if line `index` is a table title."""
        line = self.lines[index].strip(" \t\u3000\xa0")
        if not line or len(line) > 60 or "表" not in line or line.startswith("注"):
            return None
        match = _TABLE_NUMBER.match(line)
        if match and match[2] and not _NUMBER.fullmatch(match[2]):
            return chinese_number(match[1]), match[2].strip(), self.templates.kind_for_title(match[2])
        kind = self.templates.kind_for_title(line)
        if kind is None or self.lines[index].startswith("\t") or re.match(r"^[一二三四五六七八九十]+、", line) or "。" in line:
            return None
        following = [l for l in self.lines[index + 1 : index + 6] if l.strip()]
        if any(l.startswith("\t") or _UNIT.match(l.strip()) for l in following[:3]):
            return None, line, kind
        return None

    def tables(self, start: int, end: int, year: int | None) -> dict[str, Table]:
        titles = [(i, t) for i in range(start, end) if (t := self.title_at(i))]
        tables: dict[str, Table] = {}
        for position, (index, (number, title, kind)) in enumerate(titles):
            stop = titles[position + 1][0] if position + 1 < len(titles) else end
            self.table_number = number
            self.place(index + 1, "title")
            block = [(i + 1, self.lines[i]) for i in range(index + 1, stop)]
            if kind is None:
                self.warn("table-unknown", index + 1, f"table title {title!r} matches no known table kind")
                self.skip(block, "table of unknown kind")
                continue
            if kind.name in tables:
                self.warn("table-duplicate", index + 1, f"a second {kind.name} table {title!r}; kept the first")
                self.skip(block, "duplicate table")
                continue
            tables[kind.name] = self.table(kind, number, title, index + 1, block, year)
        self.table_number = None
        for index in range(start, titles[0][0] if titles else end):
            if index + 1 not in self.placed and _NUMBER.search(self.lines[index]):
                self.unplace(Cell(index + 1, self.lines[index].strip()), "text before the first table")
        return tables

    def skip(self, block: list[tuple[int, str]], reason: str) -> None:
        for line, raw in block:
            if raw.strip():
                self.unplace(Cell(line, raw.strip()), reason)

    def rows(self, block: list[tuple[int, str]]) -> tuple[list[list[Cell]], dict]:
        """Split a table block into rows of cells, and its unit, notes and statement."""
        tabbed = any(raw.startswith("\t") for _, raw in block)
        rows: list[list[Cell]] = []
        current: list[Cell] | None = None
        extra = {"unit": None, "notes": [], "statement": None}
        last_note = False
        for line, raw in block:
            text = raw.strip(" \t\u3000\xa0")
            if not raw.strip(" \u3000\xa0") or (not text and "\t" not in raw):
                current, last_note = None, False
                continue
            unit = _UNIT.match(text) if "单位" in text else None
            if unit:
                extra["unit"] = unit[1]
                self.place(line, "unit")
                current = None
                continue
            cell_line = tabbed and raw.startswith("\t")
            if cell_line and not text.startswith(("注", "说明")):
                if current is None:
                    current = []
                    rows.append(current)
                current.append(Cell(line, text))
                continue
            if _NOTE.match(text) or (_STATEMENT.search(text) and not raw.startswith("\t")):
                if _STATEMENT.search(text):
                    extra["statement"] = text
                extra["notes"].append(text)
                self.place(line, "note")
                current, last_note = None, True
                continue
            if tabbed and not raw.startswith("\t"):
                if last_note:
                    extra["notes"][-1] += text
                    self.place(line, "note")
                elif current:
                    current[-1].text += text
                    current[-1].continuation.append(line)
                else:
                    self.warn("text-outside-rows", line, f"text {text!r} inside a table but outside its rows")
                    self.unplace(Cell(line, text), "text outside the table's rows")
                continue
            if current is None:
                current = []
                rows.append(current)
            current.append(Cell(line, text))
        return rows, extra

    @staticmethod
    def is_column_numbers(row: list[Cell], stub_field) -> bool:
        texts = [c.text for c in row if c.text]
        if texts and stub_field(texts[0]) == "column_numbers":
            return True
        numbers = [int(t) for t in texts if _INT.match(t)]
        return len(texts) >= 2 and len(numbers) == len(texts) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))

    def table(self, kind: Kind, number, title, title_line, block, year) -> Table:
        rows, extra = self.rows(block)
        stub_field = self.templates.stub_field
        header_end = next((i + 1 for i, r in enumerate(rows) if self.is_column_numbers(r, stub_field)), None)
        if header_end is None:
            header_end = next(
                (
                    i
                    for i, r in enumerate(rows)
                    if normalise(r[0].text) in ("合计", "总计")
                    or any(_CODE.match(c.text) or "." in c.text and parse_amount(c.text)[0] is not None for c in r)
                ),
                len(rows),
            )
        header = [r for r in rows[:header_end] if any(c.text for c in r)]
        for row in rows[:header_end]:
            for cell in row:
                self.place(cell, "column_no" if row is rows[header_end - 1] and self.is_column_numbers(row, stub_field) else "header")
        header_wo_numbers = [r for r in header if not self.is_column_numbers(r, stub_field)]
        sides = self.sides(kind, header_wo_numbers)
        return self.assemble(kind, number, title, title_line, header, sides, rows[header_end:], extra, year)

    def assemble(
        self, kind: Kind, number, title, title_line, header, sides: list[_Side], data_rows, extra: dict, year
    ) -> Table:
        """A table from its recognised sides and data rows (lists of cells): shared by the PDF loader."""
        attributes = dict(
            unit=extra["unit"],
            header=[[c.text for c in r] for r in header],
            notes=extra["notes"],
            statement=extra["statement"],
            title_line=title_line,
        )
        if not data_rows and not extra["statement"]:
            self.warn("table-no-rows", title_line, f"{title}: no data rows and no statement such as '本表无数据'")
        if not sides or not any(side.amounts for side in sides):
            self.warn("header-unrecognised", title_line, f"{title}: no column headers recognised; its rows are not placed")
            for row in data_rows:
                for cell in row:
                    self.unplace(cell, "table without a recognisable header")
            sides, data_rows = [], []
        if kind.layout == "items" and sides and not sides[0].stub:
            return self.items_wide(kind, number, title, sides[0], data_rows, attributes)
        attributes["sides"] = [(side.key, side.stub, side.amounts) for side in sides]
        records = self.records(kind, sides, data_rows, year)
        columns: dict[str, str] = {}
        for side in sides:
            for key, path in zip(side.amounts, side.headers):
                columns.setdefault(key, path)
        if kind.layout == "items":
            return self.items_rows(kind, number, title, columns, records, attributes)
        return build_table(kind.name, number, title, columns, records, layout=kind.layout, **attributes)

    def sides(self, kind: Kind, header: list[list[Cell]]) -> list[_Side]:
        """Sides of the table with their stub fields and amount column keys, from the header rows."""
        stub_field = self.templates.stub_field
        is_stub = [[stub_field(c.text) in ("code", "name", "label", "row_no") for c in row] for row in header]
        stub_row = max(range(len(header)), key=lambda i: sum(is_stub[i]), default=None)
        if stub_row is None:
            return []
        starts = [j for j, flag in enumerate(is_stub[stub_row]) if flag and (j == 0 or not is_stub[stub_row][j - 1])]
        count = max(1, len(starts)) if kind.layout == "two_sided" else 1
        if count == 1:
            starts = [0]
        side_names = list(kind.sides) or [""]
        side_row = next(
            (r for r in header if len(r) == count and count > 1 and all(kind.side_key(c.text) for c in r)), None
        )
        if side_row is not None:
            side_names = [kind.side_key(c.text) for c in side_row]
        areas: list[list[list[str]]] = [[] for _ in range(count)]
        stubs: list[list[str]] = [[] for _ in range(count)]
        for i, row in enumerate(header):
            if row is side_row:
                continue
            row_starts = [j for j, flag in enumerate(is_stub[i]) if flag and (j == 0 or not is_stub[i][j - 1])]
            if count == 1:
                row_starts = [0]
            if len(row_starts) != count:
                if count > 1 and any(is_stub[i]):
                    self.warn("header-unaligned", row[0].line, "a header row does not split into the table's sides")
                continue
            for s, (a, b) in enumerate(zip(row_starts, [*row_starts[1:], len(row)])):
                cells = row[a:b]
                stub = []
                while cells and stub_field(cells[0].text) in ("code", "name", "label", "row_no"):
                    stub.append(stub_field(cells[0].text))
                    cells = cells[1:]
                if len(stub) > len(stubs[s]):
                    stubs[s] = stub
                if any(c.text for c in cells) or cells:
                    areas[s].append([c.text for c in cells])
        sides = []
        for s in range(count):
            paths = self.header_paths([a for a in areas[s] if any(a)] or areas[s][:1])
            keys = []
            for j, path in enumerate(paths):
                key = self.item_key(kind, path) if kind.layout == "items" and not stubs[s] else kind.column_key(path)
                if not key or key in keys:
                    line = header[0][0].line if header and header[0] else None
                    self.warn("header-unrecognised", line, f"column header {path!r} not recognised for {kind.name}")
                    key = f"col{j + 1}"
                keys.append(key)
            name = side_names[s] if s < len(side_names) else f"side{s + 1}"
            sides.append(_Side(key=name if count > 1 else "", stub=stubs[s], amounts=keys, headers=paths))
        return sides

    @staticmethod
    def item_key(kind: Kind, path: str) -> str | None:
        """A 三公 header path such as '2017年度决算数/公务用车购置及运行费/小计' → 'vehicle.actual'."""
        parts = [p for p in path.split("/") if p]
        column = next((kind.column_key(p) for p in parts if kind.column_key(p)), None)
        items = [p for p in parts if not kind.column_key(p)]
        item = kind.row_key(items[-1]) if items else "total"
        return f"{item}.{column}" if item and column else None

    def header_paths(self, levels: list[list[str]]) -> list[str]:
        """Reconstruct merged header cells: each leaf column's path 'parent/child', bottom-up.

        An empty cell under a parent means the parent spans down; a run of named cells shares
        one parent. Runs are split at a repeated first label or evenly when the counts demand.
        """
        if not levels:
            return []
        bottom = max(range(len(levels)), key=lambda i: len(levels[i]))
        leaves = [[text] if text else [] for text in levels[bottom]]
        owner = list(range(len(leaves)))  # leaf → cell index in the current level
        current = levels[bottom]
        for upper in reversed(levels[:bottom]):
            units = self.header_units(current, len(upper))
            if units is None:
                break
            cell_to_unit = {cell: u for u, cells in enumerate(units) for cell in cells}
            for leaf, cell in enumerate(owner):
                leaves[leaf].insert(0, upper[cell_to_unit[cell]])
            owner = [cell_to_unit[cell] for cell in owner]
            current = upper
        return ["/".join(p for p in path if p) for path in leaves]

    @staticmethod
    def header_units(cells: list[str], wanted: int) -> list[list[int]] | None:
        units: list[list[int]] = []
        for j, text in enumerate(cells):
            if text and units and cells[j - 1] and j > 0:
                units[-1].append(j)
            else:
                units.append([j])
        while len(units) < wanted:
            for u, unit in enumerate(units):
                first = cells[unit[0]]
                repeat = next((k for k in unit[1:] if cells[k] == first), None)
                if repeat is not None:
                    cut = unit.index(repeat)
                    units[u : u + 1] = [unit[:cut], unit[cut:]]
                    break
            else:
                big = [u for u in units if len(u) > 1]
                if len(big) == 1 and len(big[0]) % (wanted - len(units) + 1) == 0:
                    parts = wanted - len(units) + 1
                    size = len(big[0]) // parts
                    u = units.index(big[0])
                    units[u : u + 1] = [big[0][k : k + size] for k in range(0, len(big[0]), size)]
                break
        return units if len(units) == wanted else None

    def records(self, kind: Kind, sides: list[_Side], data_rows: list[list[Cell]], year) -> list[dict]:
        """Data rows → row records, side by side, with row keys and codes."""
        per_side: list[list[dict]] = [[] for _ in sides]
        full = sum(side.width for side in sides)
        for row in data_rows:
            split = self.split_row(sides, row)
            if split is None:
                self.warn(
                    "row-misaligned",
                    row[0].line,
                    f"row of {len(row)} cells where the header has {full}; placed left to right",
                )
                split = self.split_positional(sides, row)
            for s, (side, (stub, amounts)) in enumerate(zip(sides, split)):
                record = self.record(kind, side, stub, amounts)
                if record:
                    per_side[s].append(record)
        records = []
        for side, rows in zip(sides, per_side):
            context = None
            for record in rows:
                key = kind.row_key(record.get("label", ""), side.key) if not record.get("code") else None
                if key in ("general", "fund", "state_capital") and context:
                    key = f"{context}.{key}"
                elif key and key.startswith("carryover"):
                    context = key
                elif key:
                    context = None
                record["key"] = key
                if not key and not record.get("code") and kind.layout == "two_sided" and side.key in ("", "expenditure"):
                    code = codes.code_for_name(record.get("label", ""), year or 0, level=1) if year else None
                    record["code"] = code
                records.append(record)
        return records

    def split_row(self, sides: list[_Side], row: list[Cell]):
        """Cells → per side (stub cells, amount cells); None if no reading fits the header."""
        options = []
        for side in sides:
            variants = [side.stub]
            if "code" in side.stub and "name" in side.stub:
                variants.append([("label" if f == "code" else f) for f in side.stub if f != "name"])
            options.append(variants)
        for combination in sorted(itertools.product(*options), key=lambda c: sum(len(v) for v in c), reverse=True):
            widths = [len(stub) + len(side.amounts) for stub, side in zip(combination, sides)]
            short = len(sides[-1].amounts) > 1 and sum(widths) - len(sides[-1].amounts) + 1 == len(row)
            if short:
                # One amount cell spanning the last side's amount columns (合计 rows of 表四).
                label = dict(zip(combination[-1], row[sum(widths[:-1]) :])).get("label")
                if label is None or not self.summary_row(label.text):
                    short = False
                else:
                    widths[-1] = len(combination[-1]) + 1
            if sum(widths) != len(row):
                continue
            result, position, valid = [], 0, True
            for stub, side, width in zip(combination, sides, widths):
                cells = row[position : position + width]
                position += width
                stub_cells, amount_cells = cells[: len(stub)], cells[len(stub) :]
                for f, cell in zip(stub, stub_cells):
                    if f == "code" and cell.text not in _BLANK_MARKS and not _CODE.match(cell.text):
                        valid = False
                    if f == "label" and "code" in side.stub and "name" not in stub and _CODE.match(cell.text):
                        valid = False
                result.append((dict(zip(stub, stub_cells)), amount_cells))
            if valid:
                return result
        return None

    def summary_row(self, label: str) -> bool:
        return bool(re.search(r"合计|总计|结转|结余", normalise(label))) or not normalise(label)

    def split_positional(self, sides: list[_Side], row: list[Cell]):
        result, position = [], 0
        for side in sides:
            cells = row[position : position + side.width]
            position += side.width
            result.append((dict(zip(side.stub, cells)), cells[len(side.stub) :]))
        for cell in row[position:]:
            self.unplace(cell, "cell beyond the table's columns")
        return result

    def record(self, kind: Kind, side: _Side, stub: dict[str, Cell], amounts: list[Cell]) -> dict | None:
        record: dict = {"side": side.key, "lines": {}}
        label_cell = stub.get("name") or stub.get("label")
        code_cell = stub.get("code")
        if code_cell is not None:
            self.place(code_cell, "code")
            if code_cell.text not in _BLANK_MARKS:
                record["code"] = code_cell.text
        if label_cell is not None:
            self.place(label_cell, "label")
            if label_cell.text not in _BLANK_MARKS:
                record["label"] = label_cell.text
        line_cell = label_cell if label_cell is not None and label_cell.text else code_cell
        if line_cell is not None:
            record["lines"]["label"] = line_cell.line
        if "row_no" in stub:
            cell = stub["row_no"]
            self.place(cell, "row_no")
            if _INT.match(cell.text):
                record["row_no"] = int(cell.text)
            elif cell.text:
                self.warn("row-number-invalid", cell.line, f"行次 {cell.text!r} is not a number")
                self.unplace(cell, "invalid row number")
        has_amount = False
        for key, cell in zip(side.amounts, amounts):
            value, problem = parse_amount(cell.text)
            if problem:
                what = "more than two decimals" if problem == "precision" else "not a number"
                self.warn(f"amount-{problem}", cell.line, f"amount {cell.text!r} in column {key}: {what}; left blank")
                self.unplace(cell, f"amount {what}")
                continue
            self.place(cell, "amount")
            if value is not None:
                record[key] = value
                record["lines"][key] = cell.line
                has_amount = True
        if not (record.get("label") or record.get("code") or has_amount):
            return None
        return record

    def items_rows(self, kind: Kind, number, title, columns, records, attributes) -> Table:
        for record in records:
            record["key"] = kind.row_key(record.get("label", ""))
        return build_table(kind.name, number, title, columns, records, layout="items", **attributes)

    def items_wide(self, kind: Kind, number, title, side: _Side, data_rows, attributes) -> Table:
        """三公 table printed as one row: items × (预算数, 决算数) in the columns."""
        order: list[tuple[str, str]] = []
        for key, path in zip(side.amounts, side.headers):
            item, _, column = key.partition(".")
            if not column:
                item, column = key, "actual"
            order.append((item, column))
        items: dict[str, dict] = {}
        labels = {}
        for (item, column), path in zip(order, side.headers):
            parts = [p for p in path.split("/") if p and not kind.column_key(p)]
            if len(parts) > 1 and normalise(parts[-1]) in ("小计", "合计"):
                parts.pop()
            labels.setdefault(item, parts[-1] if parts else item)
        for number_row, row in enumerate(data_rows):
            if number_row > 0:
                self.warn("row-extra", row[0].line, "the 三公 table has more than one data row; kept the first")
                for cell in row:
                    self.unplace(cell, "extra 三公 row")
                continue
            if len(row) != len(order):
                self.warn("row-misaligned", row[0].line, f"row of {len(row)} cells where the header has {len(order)}")
            for cell in row[len(order) :]:
                self.unplace(cell, "cell beyond the table's columns")
            for (item, column), cell in zip(order, row):
                record = items.setdefault(item, {"label": labels[item], "key": item, "lines": {}})
                value, problem = parse_amount(cell.text)
                if problem:
                    self.warn(f"amount-{problem}", cell.line, f"amount {cell.text!r} in {item}/{column}; left blank")
                    self.unplace(cell, "amount not a number")
                    continue
                self.place(cell, "amount")
                if value is not None:
                    record[column] = value
                    record["lines"][column] = cell.line
        for item in dict.fromkeys(i for i, _ in order):
            items.setdefault(item, {"label": labels[item], "key": item, "lines": {}})
        columns = {"budget": "预算数", "actual": "决算数"}
        return build_table(
            kind.name, number, title, columns, items.values(), layout="items_wide", wide_order=order, **attributes
        )

    # -- narrative and glossary --------------------------------------------------------------
    def entries(self, start: int, end: int) -> list[Paragraph]:
        """The non-empty lines after a part heading, as paragraphs with their line numbers."""
        return [
            Paragraph(line=i + 1, text=self.lines[i].strip(" \t\u3000\xa0"))
            for i in range(start + 1, end)
            if self.lines[i].strip(" \t\u3000\xa0")
        ]

    def narrative(self, entries: list[Paragraph]) -> list[Section]:
        """Paragraphs → numbered sections ("一、…") holding the paragraphs that follow them."""
        sections: list[Section] = []
        for entry in entries:
            text = entry.text
            match = _SECTION.match(text)
            if match and len(text) < 60 and not text.endswith("。"):
                sections.append(Section(number=match[1], title=match[2], line=entry.line, page=entry.page))
                continue
            if not sections:
                sections.append(Section(number="", title="", line=entry.line, page=entry.page))
            sections[-1].paragraphs.append(entry)
        return sections

    def glossary(self, entries: list[Paragraph]) -> dict[str, Definition]:
        """Paragraphs "一、term：definition" → definitions; other paragraphs continue the last one."""
        terms: dict[str, Definition] = {}
        texts: dict[str, list[str]] = {}  # joined once at the end: linear in the continuation lines
        last = None
        for entry in entries:
            text = entry.text
            match = _GLOSSARY.match(text)
            if match and len(match[1]) <= 30:
                term = re.sub(r"[“”\"]", "", match[1]).strip()
                terms[term] = Definition(term=term, text="", line=entry.line, page=entry.page)
                texts[term] = [match[2].strip()]
                last = term
            elif last:
                texts[last].append(text)
            else:
                self.warn("glossary-unparsed", entry.line, f"glossary line {text[:30]!r} is not 'term：definition'")
        return {term: replace(d, text="".join(texts[term])) for term, d in terms.items()}

    def coverage(self, start: int, end: int) -> Coverage:
        coverage = Coverage(unplaced=list(self.unplaced))
        reported = {u.line for u in self.unplaced}
        for index in range(start, end):
            line = index + 1
            what = self.placed.get(line)
            count = len(_NUMBER.findall(self.lines[index]))
            if not count or what == "unplaced":
                continue
            if what is None:
                if line not in reported:
                    coverage.unplaced.append(UnplacedNumber(line=line, text=self.lines[index].strip(), reason="not read"))
                continue
            coverage.placed[what] = coverage.placed.get(what, 0) + count
        coverage.unplaced.sort(key=lambda u: u.line or 0)
        return coverage

    def load(self) -> Report:
        spans = self.parts()
        meta = self.meta(spans)
        start, end = spans["tables"]
        tables = self.tables(start, end, meta.year)
        if not tables:
            raise ReportFormatError(self.source, start + 1, "at least one recognisable table after the tables heading", "none")
        units = [t.unit for t in tables.values() if t.unit]
        meta.unit = max(set(units), key=units.count) if units else None
        report = Report(meta=meta, tables=tables, coverage_=self.coverage(start, end))
        if "narrative" in spans:
            report.narrative = self.narrative(self.entries(*spans["narrative"]))
        else:
            self.warn("narrative-missing", None, "no 第三部分 情况说明 (narrative) found")
        if "glossary" in spans:
            report.glossary = self.glossary(self.entries(*spans["glossary"]))
        if "overview" in spans:
            report.overview = self.entries(*spans["overview"])
        report.warnings = self.warnings
        return report


def parse_text(text: str, source: str = "<text>", sha256: str | None = None) -> Report:
    """Load a report from text in the published layout."""
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _Loader(text, source, sha256).load()


def load_text(path: str | Path) -> Report:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReportFormatError(str(path), None, "a readable file", error.strerror or str(error)) from None
    return parse_text(decode(data, str(path)), source=str(path), sha256=hashlib.sha256(data).hexdigest())
