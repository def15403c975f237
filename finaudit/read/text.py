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
from pathlib import Path

from finaudit.model import Coverage, Meta, Paragraph, Report, ReportFormatError, Table, UnplacedNumber
from finaudit.read.document import (
    NOTE,
    PART,
    STATEMENT,
    part_name,
    read_document,
    table_number,
)
from finaudit.read.meta import read_meta
from finaudit.read.tables import CODE, NUMBER, Cell, Ledger, TableBuilder, column_numbers, parse_amount
from finaudit.read.templates import Kind, normalise, templates

_UNIT = re.compile(r"^(?:金额)?单位\s*[：:]\s*(?:人民币)?\s*(\S+)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 (with BOM or evident), GB18030/GBK."""
    if not data.strip():
        raise ReportFormatError(source, None, "a 部门预算 or 部门决算 report in text form", "an empty file")
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



class _Loader:
    """One load of one text: collects tables, warnings and what became of each line."""

    def __init__(self, text: str, source: str, sha256: str):
        self.source, self.sha256 = source, sha256
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.templates = templates()
        self.document: str | None = None  # the document's kind (final, budget), once its meta is read
        self.ledger = Ledger()
        self.build = TableBuilder(self.templates, self.ledger)

    # -- parts and meta ----------------------------------------------------------------------
    def parts(self) -> dict[str, tuple[int, int]]:
        """Part name → (first index, end index) of the lines, by the 第N部分 headings."""
        heads = []
        for index, line in enumerate(self.lines):
            if PART.match(line):
                heads.append((part_name(line) or f"part{len(heads) + 1}", index))
            elif not line.startswith("\t") and (name := self.templates.heading_part(line)):
                heads.append((name if all(h != name for h, _ in heads) else f"{name}.{index}", index))
        spans = {}
        for (name, start), nxt in itertools.zip_longest(heads, heads[1:], fillvalue=(None, len(self.lines))):
            spans.setdefault(name, (start, nxt[1]))
        if "tables" not in spans:
            first_title = next((i for i, _ in enumerate(self.lines) if self.title_at(i)), None)
            if first_title is None:  # no tables: a narrative alone, or not a disclosure (``load`` says which)
                return spans
            ends = [s for _, s in heads if s > first_title] + [len(self.lines)]
            spans["tables"] = (first_title, min(ends))
            for name, (start, stop) in spans.items():  # a part before the tables ends where they start
                if start < first_title < stop and name != "tables":
                    spans[name] = (start, first_title)
        return spans

    def meta(self, spans: dict[str, tuple[int, int]]) -> Meta:
        """Kind, scope, year and names from the cover, headings, 编制 lines and titles (``read.meta``)."""
        meta = Meta(source=self.source, sha256=self.sha256, format="text")
        found, warnings = read_meta(meta, ((text, index + 1, None) for index, text in enumerate(self.lines)))
        self.signals = found
        self.ledger.warnings.extend(warnings)
        self.document = meta.kind
        for signal in found:
            if signal.source == "cover" and signal.line:
                self.ledger.place(signal.line, "meta")
        return meta

    # -- tables --------------------------------------------------------------------------------
    def title_at(self, index: int) -> tuple[int | None, str, Kind | None] | None:
        """(printed number, title, kind) if line `index` is a table title."""
        line = self.lines[index].strip(" \t\u3000\xa0")
        if not line or len(line) > 60 or "表" not in line or line.startswith("注"):
            return None
        numbered = table_number(line)
        if numbered and numbered[1] and not NUMBER.fullmatch(numbered[1]):
            return numbered[0], numbered[1], self.templates.kind_for_title(numbered[1], self.document)
        kind = self.templates.kind_for_title(line, self.document)
        if kind is None or self.lines[index].startswith("\t") or re.match(r"^[一二三四五六七八九十]+、", line) or "。" in line:
            return None
        following = [l for l in self.lines[index + 1 : index + 6] if l.strip()]
        if any(l.startswith("\t") or _UNIT.match(l.strip()) for l in following[:3]):
            return None, line, kind
        return None

    def tables(self, spans: dict[str, tuple[int, int]], year: int | None) -> dict[str, Table]:
        """The tables of the tables part (none without one)."""
        self.table_span = spans.get("tables", (0, 0))
        return self.read_tables(*self.table_span, year) if "tables" in spans else {}

    def read_tables(self, start: int, end: int, year: int | None) -> dict[str, Table]:
        titles = [(i, t) for i in range(start, end) if (t := self.title_at(i))]
        tables: dict[str, Table] = {}
        for position, (index, (number, title, kind)) in enumerate(titles):
            stop = titles[position + 1][0] if position + 1 < len(titles) else end
            self.ledger.table_number = number
            self.ledger.place(index + 1, "title")
            block = [(i + 1, self.lines[i]) for i in range(index + 1, stop)]
            if kind is None:
                self.ledger.warn("table-unknown", index + 1, f"table title {title!r} matches no known table kind",
                                 subject=title)
                self.skip(block, "table of unknown kind")
                continue
            if kind.name in tables:
                self.ledger.warn("table-duplicate", index + 1, f"a second {kind.name} table {title!r}; kept the first",
                                 subject=title)
                self.skip(block, "duplicate table")
                continue
            tables[kind.name] = self.table(kind, number, title, index + 1, block, year)
        self.ledger.table_number = None
        for index in range(start, titles[0][0] if titles else end):
            if index + 1 not in self.ledger.placed and NUMBER.search(self.lines[index]):
                self.ledger.unplace(Cell(index + 1, self.lines[index].strip()), "text before the first table")
        return tables

    def skip(self, block: list[tuple[int, str]], reason: str) -> None:
        for line, raw in block:
            if raw.strip():
                self.ledger.unplace(Cell(line, raw.strip()), reason)

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
                self.ledger.place(line, "unit")
                current = None
                continue
            cell_line = tabbed and raw.startswith("\t")
            if cell_line and not text.startswith(("注", "说明")):
                if current is None:
                    current = []
                    rows.append(current)
                current.append(Cell(line, text))
                continue
            if NOTE.match(text) or (STATEMENT.search(text) and not raw.startswith("\t")):
                if STATEMENT.search(text):
                    extra["statement"] = text
                extra["notes"].append(text)
                self.ledger.place(line, "note")
                current, last_note = None, True
                continue
            if tabbed and not raw.startswith("\t"):
                if last_note:
                    extra["notes"][-1] += text
                    self.ledger.place(line, "note")
                elif current:
                    current[-1].text += text
                    current[-1].continuation.append(line)
                else:
                    self.ledger.warn("text-outside-rows", line, f"text {text!r} inside a table but outside its rows",
                                     subject=text)
                    self.ledger.unplace(Cell(line, text), "text outside the table's rows")
                continue
            if current is None:
                current = []
                rows.append(current)
            current.append(Cell(line, text))
        return rows, extra

    @staticmethod
    def is_column_numbers(row: list[Cell], stub_field) -> bool:
        return column_numbers([c.text for c in row], stub_field)

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
                    or any(CODE.match(c.text) or "." in c.text and parse_amount(c.text)[0] is not None for c in r)
                ),
                len(rows),
            )
        header = [r for r in rows[:header_end] if any(c.text for c in r)]
        for row in rows[:header_end]:
            for cell in row:
                self.ledger.place(cell, "column_no" if row is rows[header_end - 1] and self.is_column_numbers(row, stub_field) else "header")
        header_wo_numbers = [r for r in header if not self.is_column_numbers(r, stub_field)]
        sides = self.build.sides(kind, header_wo_numbers, year)
        return self.build.assemble(kind, number, title, title_line, header, sides, rows[header_end:], extra, year)

    def entries(self, start: int, end: int) -> list[Paragraph]:
        """The non-empty lines after a part heading, as paragraphs with their line numbers."""
        return [
            Paragraph(line=i + 1, text=self.lines[i].strip(" \t\u3000\xa0"))
            for i in range(start + 1, end)
            if self.lines[i].strip(" \t\u3000\xa0")
        ]

    def part(self, spans: dict[str, tuple[int, int]], name: str) -> list[Paragraph] | None:
        """The paragraphs of every part of that name (a budget has narrative parts before and after its tables,
        and an overview in two: 主要职能, 机构设置), each part's heading kept where it is not a 第N部分 one (it
        titles what follows)."""
        found = [(start, stop) for key, (start, stop) in spans.items() if key.partition(".")[0] == name]
        if not found:
            return None
        paragraphs = []
        for start, stop in found:
            if not PART.match(self.lines[start]):
                paragraphs.append(Paragraph(line=start + 1, text=self.lines[start].strip(" \t\u3000\xa0")))
            paragraphs += self.entries(start, stop)
        return paragraphs

    def coverage(self) -> Coverage:
        start, end = self.table_span
        coverage = Coverage(unplaced=list(self.ledger.unplaced))
        reported = {u.line for u in self.ledger.unplaced}
        for index in range(start, end):
            line = index + 1
            what = self.ledger.placed.get(line)
            count = len(NUMBER.findall(self.lines[index]))
            if not count or what == "unplaced":
                continue
            if what is None:
                if line not in reported:
                    coverage.unplaced.append(UnplacedNumber(line=line, text=self.lines[index].strip(), reason="not read"))
                continue
            coverage.placed[what] = coverage.placed.get(what, 0) + count
        coverage.unplaced.sort(key=lambda u: u.line or 0)
        return coverage

    def whole_text(self, spans: dict[str, tuple[int, int]]) -> list[Paragraph]:
        """A document without tables and without a narrative part: its non-empty lines but the glossary's."""
        glossary = range(*spans["glossary"]) if "glossary" in spans else range(0)
        return [p for p in self.entries(-1, len(self.lines)) if p.line - 1 not in glossary]

    def glossary_part(self, spans: dict[str, tuple[int, int]]) -> list[Paragraph] | None:
        return self.entries(*spans["glossary"]) if "glossary" in spans else None

    def no_tables(self, spans: dict[str, tuple[int, int]]) -> tuple[str, dict]:
        if "tables" in spans:
            return "none after the tables heading", {"line": spans["tables"][0] + 1}
        return "no table title", {}


def parse_text(text: str, source: str = "<text>", sha256: str | None = None) -> Report:
    """Load a report from text in the published layout."""
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return read_document(_Loader(text, source, sha256))


def load_text(path: str | Path) -> Report:
    """Load a text report from a regular file (its size is bounded by ``finaudit.read.limits`` before)."""
    from finaudit.read.sources import open_regular

    path = Path(path)
    try:
        with open_regular(path) as handle:
            data = handle.read()
    except OSError as error:
        raise ReportFormatError(str(path), None, "a readable file", error.strerror or str(error)) from None
    return parse_text(decode(data, str(path)), source=str(path), sha256=hashlib.sha256(data).hexdigest())
