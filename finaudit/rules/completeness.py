"""Completeness (FA-Pnnn) and load-problem (FA-Lnnn) rules. Codes are permanent."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from finaudit.findings import CellRef, Finding
from finaudit.words import LoadCode, Text, listing
from finaudit.model import KIND_NAMES, Report, kind_name
from finaudit.read.patterns import lazy
from finaudit.read.templates import templates
from finaudit.rules.registry import BOTH, Check, View, rule
from finaudit.rules.tables import name_of


def required_kinds(year: int | None) -> tuple[str, ...]:
    kinds = ("summary", "income", "expenditure", "appropriation_summary", "general_budget", "basic_expenditure",
             "three_public", "government_fund")
    return kinds + ("state_capital",) if year and year >= 2019 else kinds


@rule("FA-P001", "error", "缺少应公开的表", "Required table missing",
      messages={"missing": ("缺少{name}", "the {name} table is missing"),
                "unnamed": ("未见{name}；全文未提及该项资金，所用模板可能早于该表，请核实是否应公开（可为注明原因的空表）",
                            "no {name} table, and the document never names that fund: its template may "
                            "predate the table; check whether it should be published (an empty table with its note "
                            "will do)")})
def required_tables(check: Check) -> list[Finding]:
    """The tables the year's template requires are all present: 8 for 2016–2018, 9 from 2019
    (国有资本经营预算财政拨款支出决算表); a template family with a set of its own (the universities' four
    tables, ``read/templates.toml`` [families]) requires that set. Basis: 财预〔2016〕143号 and the yearly
    templates; the Ministry of Education's 高等学校 template. A table the narrative says there is none of
    ("本部门无国有资本经营预算…") is not required. A table the templates added later (``ADDED_LATER``) whose
    fund the document never names, in no table, heading, row or sentence, is a note to verify (info), not an
    error: such a document follows a template from before the table (江苏 2019, 佛山 2019 final)."""
    check.examined()
    report = check.report
    family = templates().required((t.title for t in report.tables.values()), "final")
    return [check.say("missing" if named else "unnamed", CellRef(None, kind, KIND_NAMES[kind][0], None, None),
                      severity=None if named else "info", name=kind_name(kind))
            for kind, named in absent(check, family or required_kinds(report.meta.year))]


#: Tables the templates added in a later year, with the fund each shows: a document that never names the fund
#: follows a template from before the table.
ADDED_LATER = {"state_capital": "国有资本经营"}


def absent(check: Check, kinds: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Given the table kinds a document must print, each one it lacks and does not say it has none of, with whether
    the document names the table's fund anywhere (always True but for ``ADDED_LATER``)."""
    for kind in kinds:
        if kind not in check.report.tables and not stated_none(check, kind):
            yield kind, kind not in ADDED_LATER or names(check.report, ADDED_LATER[kind])


def names(report: Report, subject: str) -> bool:
    """Given a subject ("国有资本经营"), whether any table title, heading, row, note or narrative sentence names it."""
    texts = [s.title for s in report.narrative] + [p.text for s in report.narrative for p in s.paragraphs]
    for table in report.tables.values():
        texts += [table.title, *table.columns.values(), *(cell for row in table.header for cell in row), *table.notes]
        texts += [value for values in table.values.values() for value in values if isinstance(value, str)]
    return any(subject in text for text in texts if text)


#: What an empty table is about, as the narrative names it when it says there is none of it.
EMPTY_SUBJECTS = {"government_fund": "政府性基金", "state_capital": "国有资本经营", "three_public": "三公",
                  "procurement": "政府采购", "operating_costs": "机关运行经费"}
#: A clause saying that there is none: 为0 / 为零 / 0万元 / 无 / 没有 / 未安排 / 不涉及 / 未发生.
NONE_STATED = lazy(r"(?<![\d.])0(\.0+)?(万?元)?(?![\d.])|为零|无|没有|未安排|不涉及|未发生|未使用")
CLAUSE = lazy(r"[。；;，,！!？?\n]")


def stated_none(check: Check, kind: str) -> bool:
    """Given a table kind, whether some clause of the narrative names its subject and says there is none of it
    ("政府性基金拨款支出预算为0", "本部门无国有资本经营预算拨款")."""
    subject = EMPTY_SUBJECTS.get(kind)
    if not subject:
        return False
    texts = [p.text for s in check.report.narrative for p in s.paragraphs] + [s.title for s in check.report.narrative]
    return any(subject in clause and NONE_STATED.search(clause.replace(subject, ""))
               for text in texts for clause in CLAUSE.split(text))


def empty(view: View) -> bool:
    """Given a table, whether it prints nothing: no amount, and (but for a table of fixed items, the 三公 table,
    whose rows are the template's) no row but its total — a 绩效目标表 whose projects are rows of text is not empty."""
    if any(r[c] is not None for r in view.rows for c in view.columns):
        return False
    return view.table.layout.startswith("items") or not any(
        r["label"] and not (r["key"] or "").endswith("total") for r in view.rows)


@rule("FA-P002", "warning", "空表未说明", "Empty table without a statement",
      messages={"unexplained": ("{table} 无数据且未说明原因", "{table} has no amounts and no statement why")}, documents=BOTH)
def empty_table_statement(check: Check) -> list[Finding]:
    """A table that prints nothing (no amount, no row but its total) carries a statement such as "本年度没有…故本表
    无数据", on the table or in the narrative ("政府性基金拨款支出预算为0"). Basis: the templates' instructions for
    empty tables."""
    check.examined(len(check.views))
    return [
        check.say("unexplained", CellRef(t.ordinal, t.kind, t.title, None, None,
                                         **{"page" if t.by_page else "line": t.table.title_line}), table=name_of(t))
        for t in check.views.values()
        if not t.table.statement and empty(t) and not stated_none(check, t.kind)
    ]


@rule("FA-P003", "warning", "缺少情况说明", "Narrative missing",
      messages={"missing": ("未找到情况说明（第三部分）", "no narrative (Part 3) found")}, documents=BOTH)
def narrative_present(check: Check) -> list[Finding]:
    """The report has its narrative (情况说明) restating and explaining the tables.
    Basis: 财预〔2016〕143号."""
    check.examined()
    if check.report.narrative:
        return []
    return [check.say("missing", CellRef(None, "narrative", "第三部分", None, None))]


#: Load warnings that lose nothing: reported as info (a page holding only a table's empty ruled rows; a
#: document whose tables are in another file, which FA-P001/FA-B001 name; meta taken from the file name).
NOTES = {LoadCode.PAGE_OVERFLOW, LoadCode.TABLES_ABSENT, LoadCode.META_FILE_NAME}


@rule("FA-L001", "warning", "表格行列未对齐等读取问题", "Load problem (misaligned row, unreadable cell)",
      messages={"load": ("读取问题：{what}{more}", "Load problem: {what}{more}"),
                "more": ("；同类问题另有 {count} 处{places}", "; {count} more of the same{places}")}, documents=BOTH)
def load_problems(check: Check) -> list[Finding]:
    """Everything the loader could not fit (rows with missing or extra cells, amounts that are not
    numbers, unknown headers) is reported with its line or page so that it can be checked by hand,
    once per problem: the warnings of one kind in one table are one finding that cites the first and
    counts the others with their places. What loses nothing (``NOTES``: a page of empty ruled rows)
    is info. The message is the warning code's, in each language (``finaudit.words.LOAD_MESSAGES``)."""
    check.examined()
    by_number = check.report.by_number()
    problems: dict[tuple[str, int | None], list] = {}
    for warning in check.report.warnings:
        problems.setdefault((warning.code, warning.table), []).append(warning)
    findings = []
    more_of_the_same = check.rule.messages["more"]
    for (code, number), warnings in problems.items():
        first, table = warnings[0], by_number.get(number)
        where = CellRef(number, table.kind if table else "report", code, None, None, line=first.line, page=first.page)
        others = warnings[1:]
        places = list(dict.fromkeys(CellRef(None, "report", code, None, None, line=w.line, page=w.page).position
                                    for w in others))
        more = Text(*more_of_the_same.format(count=len(others), places=listing([p for p in places if p.zh]))) \
            if others else Text("", "")
        findings.append(check.say("load", where, what=first.text, more=more,
                                  severity="info" if code in NOTES else None))
    return findings
