"""What both loaders read the same way: the parts of a disclosure and the Report they make.

The 第N部分 part headings, table numbers, notes and statements, the title line naming the
department, year and kind; the narrative's numbered sections and the glossary's terms from
paragraphs (however a loader found them); and ``assemble_report``, the end of either loader.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Protocol

from finaudit.model import Coverage, Definition, Meta, Paragraph, Report, ReportFormatError, Section, Table
from finaudit.read.meta import Signal
from finaudit.read.tables import Ledger
from finaudit.read.templates import normalise, templates

PART = re.compile(r"^\s*第\s*([一二三四五六七八九十]+)\s*部分")
# A table's number before its title: 表1, 表一, and a place's own series, prefixed (预算01表, 公开01表,
# 预算表12, 附表3, 部门公开表5, 部门预算公开表1); a sub-number after it (表1-1) is left out of the title;
# group 1 or 2 is the number, group 3 the title.
TABLE_NUMBER = re.compile(
    r"^\s*(?:(?:预算|决算|公开|部门|单位|附)\s*){0,3}(?:表\s*([一二三四五六七八九十\d]+)|(\d{1,3})\s*表)"
    r"(?:\s*[-－—–]\s*\d{1,2}(?!\d))?\s*[：:、.．\s]?\s*(.*)$"
)
NOTE = re.compile(r"^注\s*[：:]|^说明\s*[：:]")
# a table stated empty: "本表无数据", "…故本表为空表", "此表为空表", "本部门没有…支出", "本部门无相关收支项目",
# "本单位2026年无政府性基金预算", "本部门不涉及国有资本经营预算", "本部门未安排…预算", "本年度无此项支出"
STATEMENT = re.compile(r"本表无数据|无数据|故本表|(本|此)表为空|为空表|没有.{0,30}(收入|支出|经费)"
                       r"|(部门|单位)(\d{4}年度?)?(无|未安排|不涉及).{0,20}(收支|收入|支出|经费|项目|预算)"
                       r"|不涉及(此|该)项|无(此|该)项(收支|收入|支出|预算)")
META = re.compile(r"(?P<department>[^\s，。：:0-9]{2,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*部门\s*(?P<kind>决算|预算)")
SECTION = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]\s*(.+?)\s*$")
_GLOSSARY = re.compile(
    r"^\s*(?:(?:[一二三四五六七八九十]+|\d+)\s*[、.．]|[(（](?:[一二三四五六七八九十]+|\d+)[)）])\s*(.+?)(?:[：:]\s*|(?=指))(.*)$"
)
# a term printed without a number: a short name, no punctuation, then its colon ("机关运行经费：指…")
_GLOSSARY_BARE = re.compile(r"^\s*(?!其中|注|包括)([^，。、；：:,;\s\d][^，。、；：:,;]{0,19})[：:]\s*(\S.*)$")
# a numbered heading that groups terms ("（一）支出功能分类科目说明"): no colon, no sentence
_GLOSSARY_GROUP = re.compile(r"^\s*(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．])[^：:，。；]{1,24}$")
_CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def part_name(heading: str) -> str | None:
    """The part a '第N部分 …' heading opens: by its words, else by the standard order (一 概况 … 四 名词解释)."""
    text = normalise(heading)
    for name, pattern in (("glossary", "名词解释"), ("narrative", "说明"), ("tables", "表"), ("overview", "概况")):
        if pattern in text:
            return name
    match = PART.match(heading)
    order = {1: "overview", 2: "tables", 3: "narrative", 4: "glossary"}
    return order.get(chinese_number(match[1]) or 0) if match else None


def table_number(text: str) -> tuple[int | None, str] | None:
    """Given a line that may start with a table's number ('表3 …', '预算01表 …', '预算表12 …'), return
    (the number, the title after it); None when the line starts with no number."""
    match = TABLE_NUMBER.match(text)
    if not match:
        return None
    return chinese_number(match[1] or match[2]), match[3].strip()


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


def sections(paragraphs: list[Paragraph]) -> list[Section]:
    """Paragraphs → numbered sections ("一、…") holding the paragraphs that follow them; a narrative part
    heading among them (documents without 第N部分 headings) opens an unnumbered section of that title."""
    found: list[Section] = []
    heading_part = templates().heading_part
    for entry in paragraphs:
        text = entry.text
        if heading_part(text) == "narrative":  # a budget's "其他相关情况说明", "…专项经费情况说明"
            found.append(Section(number="", title=text.strip(), line=entry.line, page=entry.page))
            continue
        match = SECTION.match(text)
        if match and len(text) < 60 and not text.endswith("。"):
            found.append(Section(number=match[1], title=match[2], line=entry.line, page=entry.page))
            continue
        if not found:
            found.append(Section(number="", title="", line=entry.line, page=entry.page))
        found[-1].paragraphs.append(entry)
    return found


def glossary(paragraphs: list[Paragraph], ledger: Ledger) -> dict[str, Definition]:
    """Paragraphs "一、term：definition" (or "term：definition", the term short and unnumbered) →
    definitions; other paragraphs continue the last one; a page number among them is dropped; a
    numbered heading grouping terms ("（一）收入科目说明") and the paragraphs introducing the group
    before its first term belong to no term."""
    terms: dict[str, Definition] = {}
    texts: dict[str, list[str]] = {}  # joined once at the end: linear in the continuation lines
    last = None
    grouped = False  # under a group heading, before its first term
    for entry in paragraphs:
        text = entry.text
        if text.strip().isdigit():
            continue
        match = _GLOSSARY.match(text) or _GLOSSARY_BARE.match(text)
        if match and len(match[1]) <= 30:
            term = re.sub(r"[“”\"]", "", match[1]).strip()
            terms[term] = Definition(term=term, text="", line=entry.line, page=entry.page)
            texts[term] = [match[2].strip()]
            last, grouped = term, False
        elif _GLOSSARY_GROUP.match(text):
            last, grouped = None, True
        elif last:
            texts[last].append(text)
        elif not grouped:
            ledger.warn("glossary-unparsed", entry.line, f"glossary line {text[:30]!r} is not 'term：definition'",
                        page=entry.page, subject=text[:30])
    return {term: replace(definition, text="".join(texts[term])) for term, definition in terms.items()}


#: A narrative that is one: at least one paragraph of this many characters (not a heading or a stray line).
_PROSE = 20


def prose(paragraphs: list[Paragraph] | None) -> bool:
    """Paragraphs that are a narrative: at least one of some length (not only headings or stray lines)."""
    return any(len(p.text) >= _PROSE for p in paragraphs or ())


def narrative_only(source: str, meta: Meta, found: list[Signal], narrative: list[Paragraph] | None, ledger: Ledger,
                   why: str, line: int | None = None, page: int | None = None) -> None:
    """A document without tables: given the signals its text gave and its narrative part, note that its
    情况说明 is read alone (some places publish the 报表 as another file; the completeness rules say which
    tables are missing), or — no narrative, or a text that never names itself a 部门预算/决算 — refuse it
    as what it is not: ``ReportFormatError`` naming the kind read and ``why`` no table was found."""
    what = f"部门{meta.kind_zh}" if any(s.field == "kind" for s in found) else "部门预算 or 部门决算"
    names_itself = any(s.field == "kind" and s.source == "cover" for s in found)
    if names_itself and prose(narrative):
        ledger.warn("tables-absent", None, f"no {what} tables in this file ({why}): its 情况说明 is read alone; "
                    "if the tables are published as another file, read both together (finaudit check A B)")
        return
    lacking = "narrative" if names_itself else f"heading naming it a {what}"
    raise ReportFormatError(source, line, f"at least one recognisable {what} table, or the 情况说明 (narrative) of a {what}",
                            f"{why}, and no {lacking}", page=page)


class DocumentReader(Protocol):
    """What a loader does with its own geometry (text lines; PDF characters and rulings): find the parts, read the
    meta, the tables and the paragraphs of a part. ``read_document`` does the rest, the same for every format."""

    source: str
    ledger: Ledger
    signals: list[Signal]
    document: str | None  # the document's kind (final, budget) once its meta is read: how its titles are matched

    def parts(self) -> dict[str, tuple[int, int]]:
        """The document's parts (cover, overview, narrative, tables, glossary …) by where they start and end."""

    def meta(self, parts: dict[str, tuple[int, int]]) -> Meta:
        """What the document is (``read.meta``), setting ``signals`` and ``document``."""

    def tables(self, parts: dict[str, tuple[int, int]], year: int | None) -> dict[str, Table]:
        """The tables of the tables part(s), by kind (none: an empty dict)."""

    def part(self, parts: dict[str, tuple[int, int]], name: str) -> list[Paragraph] | None:
        """The paragraphs of every part of that name; None where there is none."""

    def whole_text(self, parts: dict[str, tuple[int, int]]) -> list[Paragraph]:
        """A document without tables and without a narrative part: its text but the glossary's, as paragraphs."""

    def glossary_part(self, parts: dict[str, tuple[int, int]]) -> list[Paragraph] | None:
        """The glossary's entries; None where there is no glossary part."""

    def no_tables(self, parts: dict[str, tuple[int, int]]) -> tuple[str, dict]:
        """Why no table was read, and where (``line=`` or ``page=``), for a refusal's message."""

    def coverage(self) -> Coverage:
        """Every number of the tables read: placed (by what it became) or not."""


def read_document(reader: DocumentReader) -> Report:
    """One document, whatever its format: parts → meta → tables → narrative → coverage → the report. A document
    without tables is its 情况说明 alone (or refused, ``narrative_only``)."""
    parts = reader.parts()
    meta = reader.meta(parts)
    tables = reader.tables(parts, meta.year)
    narrative = reader.part(parts, "narrative")
    if not tables:
        if not prose(narrative):
            narrative = reader.whole_text(parts)
        why, where = reader.no_tables(parts)
        narrative_only(reader.source, meta, reader.signals, narrative, reader.ledger, why, **where)
    # no tables: only the numbers of tables set aside (unknown kinds) are table numbers, not the narrative's
    coverage = reader.coverage() if tables else Coverage(unplaced=list(reader.ledger.unplaced))
    return assemble_report(meta, tables, coverage, reader.ledger, narrative=narrative,
                           glossary_=reader.glossary_part(parts), overview=reader.part(parts, "overview"))


def assemble_report(
    meta: Meta,
    tables: dict[str, Table],
    coverage: Coverage,
    ledger: Ledger,
    narrative: list[Paragraph] | None,
    glossary_: list[Paragraph] | None,
    overview: list[Paragraph] | None,
) -> Report:
    """The Report at the end of either loader: the unit most tables print, the narrative's sections,
    the glossary's terms, the overview's paragraphs (``None``: the part was not found) and the
    load warnings."""
    units = [t.unit for t in tables.values() if t.unit]
    meta.unit = max(set(units), key=units.count) if units else None
    report = Report(meta=meta, tables=tables, coverage_=coverage)
    if narrative is not None:
        report.narrative = sections(narrative)
    else:
        ledger.warn("narrative-missing", None, "no 第三部分 情况说明 (narrative) found")
    if glossary_ is not None:
        report.glossary = glossary(glossary_, ledger)
    if overview is not None:
        report.overview = overview
    report.warnings = ledger.warnings
    return report
