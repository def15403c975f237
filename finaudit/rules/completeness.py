"""Completeness (FA-Pnnn) and load-problem (FA-Lnnn) rules. Codes are permanent."""

from __future__ import annotations

from finaudit.findings import CellRef, Finding
from finaudit.model import KIND_NAMES
from finaudit.rules.registry import BOTH, Check, rule
from finaudit.rules.tables import name_of


def required_kinds(year: int | None) -> tuple[str, ...]:
    kinds = ("summary", "income", "expenditure", "appropriation_summary", "general_budget", "basic_expenditure",
             "three_public", "government_fund")
    return kinds + ("state_capital",) if year and year >= 2019 else kinds


@rule("FA-P001", "error", "缺少应公开的表", "Required table missing",
      messages={"missing": ("缺少{name_zh}", "the {name_en} table is missing")})
def required_tables(check: Check) -> list[Finding]:
    """The tables the year's template requires are all present: 8 for 2016–2018, 9 from 2019
    (国有资本经营预算财政拨款支出决算表). Basis: 财预〔2016〕143号 and the yearly templates."""
    return [
        check.say("missing", CellRef(None, kind, KIND_NAMES[kind][0], None, None),
                  name_zh=KIND_NAMES[kind][0], name_en=KIND_NAMES[kind][1])
        for kind in required_kinds(check.report.meta.year) if kind not in check.report.tables
    ]


@rule("FA-P002", "warning", "空表未说明", "Empty table without a statement",
      messages={"unexplained": ("{table} 无数据且未说明原因", "{table} has no amounts and no statement why")}, documents=BOTH)
def empty_table_statement(check: Check) -> list[Finding]:
    """A table with no amounts carries a statement such as "本年度没有…故本表无数据".
    Basis: the templates' instructions for empty tables."""
    return [
        check.say("unexplained", CellRef(t.ordinal, t.kind, t.title, None, None,
                                         **{"page" if t.by_page else "line": t.table.title_line}), table=name_of(t))
        for t in check.views.values()
        if not t.table.statement and all(r[c] is None for r in t.rows for c in t.columns)
    ]


@rule("FA-P003", "warning", "缺少情况说明", "Narrative missing",
      messages={"missing": ("未找到情况说明（第三部分）", "no narrative (第三部分 情况说明) found")}, documents=BOTH)
def narrative_present(check: Check) -> list[Finding]:
    """The report has its narrative (情况说明) restating and explaining the tables.
    Basis: 财预〔2016〕143号."""
    if check.report.narrative:
        return []
    return [check.say("missing", CellRef(None, "narrative", "第三部分", None, None))]


#: Load warnings that lose nothing: reported as info (a page holding only a table's empty ruled rows; a
#: document whose tables are in another file, which FA-P001/FA-B001 name; meta taken from the file name).
NOTES = {"page-overflow", "tables-absent", "meta-file-name"}


@rule("FA-L001", "warning", "表格行列未对齐等读取问题", "Load problem (misaligned row, unreadable cell)",
      messages={"load": ("读取问题（{code}）：{message}", "{message}")}, documents=BOTH)
def load_problems(check: Check) -> list[Finding]:
    """Everything the loader could not fit (rows with missing or extra cells, amounts that are not
    numbers, unknown headers) is reported with its line or page so that it can be checked by hand;
    what loses nothing (``NOTES``: a page of empty ruled rows) is info."""
    by_number = check.report.by_number()
    findings = []
    for warning in check.report.warnings:
        table = by_number.get(warning.table)
        where = CellRef(warning.table, table.kind if table else "report", warning.code, None, None,
                        line=warning.line, page=warning.page)
        findings.append(check.say("load", where, code=warning.code, message=warning.message,
                                  severity="info" if warning.code in NOTES else None))
    return findings
