"""The table rules: cross-footing relations (勾稽关系) inside and between the tables, codes,
completeness and load problems. Basis: the domain primer (docs/rules.md lists them all).

Codes are permanent: FA-Tnnn inside a table, FA-Xnnn between tables, FA-Cnnn classification
codes, FA-Pnnn completeness, FA-Lnnn load problems.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from finaudit import cite, codes
from finaudit.findings import Finding
from finaudit.model import COLUMN_NAMES_EN, is_unrecognised
from finaudit.read.templates import normalise
from finaudit.rules.registry import BOTH, Check, NotApplicable, Relation, View, rule
from finaudit.rules.subjects import line, plus, subject
from finaudit.words import Text

CODED = ("income", "expenditure", "general_budget", "government_fund", "state_capital")
#: Row identities: total column = Σ these columns, where the table has them.
ROW_PARTS = {
    "income": ("carryover", "non_fiscal_surplus", "fiscal", "general", "fund", "state_capital", "special", "superior",
               "business", "operating", "affiliated", "fund_makeup", "bank_balance", "unit_funds", "other"),
    "expenditure": ("basic", "project", "to_superior", "operating", "subsidy", "reserve", "carryover_next"),
    "general_budget": ("basic", "project"),
    "government_fund": ("basic", "project"),
    "state_capital": ("basic", "project"),
}
#: A part some templates print only split: 基本支出 as 人员经费 + 公用经费 (the national budgets' 人员经费支出 |
#: 公用经费支出 | 专项业务经费支出 columns, with no 基本支出 column).
PART_SPLITS = {"basic": ("personnel", "public")}
#: Economic 类 that make up 人员经费 and 公用经费 (primer: 人员经费 = 301 + 303; 公用经费 = 302 + 310).
PERSONNEL_CLASSES, PUBLIC_CLASSES = ("301", "303"), ("302", "310")
#: 表六 economic 款 that are 三公 items, and the 表七 item each is part of.
THREE_PUBLIC_ECONOMIC = {"30212": "abroad", "30217": "reception", "30231": "vehicle_running", "31013": "vehicle_purchase"}
#: 表一 income lines and the 表二 column each equals.
SUMMARY_INCOME_COLUMNS = {"fiscal": "fiscal", "superior": "superior", "business": "business", "operating": "operating",
                          "affiliated": "affiliated", "other": "other", "income_total": "total"}
FUND_LINES = ("general", "fund", "state_capital")


# -- row lookups --------------------------------------------------------------------------------
def is_part_line(label: str) -> bool:
    """A "其中" line is a part of the line above, not an addend."""
    return normalise(label).startswith("其中")


def column_name(table: View, column: str) -> str:
    return table.columns.get(column, column)


def column_en(column: str) -> str:
    """An amount column's English name (its key where it has none)."""
    return COLUMN_NAMES_EN.get(column, column)


def heading(table: View, column: str) -> Text:
    """A column as a name cites it: the heading its table prints, its English name."""
    return table.table.column_name(column)


def name_of(table: View) -> Text:
    """表三 / Table 3; a table without a printed number by its kind's name."""
    return cite.table_named(table.ordinal, table.kind, table.table.document)


# -- relations inside a table -------------------------------------------------------------------
def hierarchy_relations(table: View, level: int | None) -> list[Relation]:
    """Cached per audit run (the view is built anew for each run)."""
    key = ("hierarchy", level)
    if key not in table.memo:
        table.memo[key] = list(_hierarchy_relations(table, level))
    return table.memo[key]


def _hierarchy_relations(table: View, level: int | None) -> Iterator[Relation]:
    """类 = Σ 款 (level 1), 款 = Σ 项 (level 2), 合计 = Σ 类 (level None), for every amount column.

    Children are the rows one level down with this parent; a code whose parent row is missing
    counts towards the nearest ancestor that is present (so a missing 款 does not hide its 项).
    """
    present = set(table.by_code)

    def ancestor(code: str) -> str | None:
        parent = codes.parent(code, table.system)
        while parent and parent not in present:
            parent = codes.parent(parent, table.system)
        return parent

    groups: dict[str | None, list[int]] = defaultdict(list)
    for index, row in enumerate(table.rows):
        if row["code"] and row["level"] is not None:
            groups[ancestor(row["code"])].append(index)
    if level is None:
        totals = [(table.row_of("grand_total"), None)]
    else:
        totals = [(i, table.rows[i]["code"]) for i in table.where(level=level)]
    name = name_of(table)
    for total_row, code in totals:
        children = groups.get(code)
        if total_row is None or not children:
            continue
        label = table.rows[total_row]["label"] if code is None else code
        for column in table.columns:
            yield Relation(
                total=table.cell(total_row, column),
                parts=tuple(table.cell(i, column) for i in children),
                what=subject("children", table=name, label=label, column=heading(table, column)),
            )


def row_identity_relations(table: View) -> Iterator[Relation]:
    """Each row's total against its parts' columns; none where a column of amounts is not recognised (it may be
    a part, or a part of a part: what adds up is not known)."""
    parts = [c for part in ROW_PARTS.get(table.kind, ())
             for c in ((part,) if part in table.columns else PART_SPLITS.get(part, ())) if c in table.columns]
    if "total" not in table.columns or not parts:
        return
    if any(is_unrecognised(c) and any(r[c] is not None for r in table.rows) for c in table.columns):
        return
    name, total = name_of(table), column_name(table, "total")
    addends = plus(heading(table, c) for c in parts)
    for index in range(len(table.rows)):
        label = table.name(index)
        yield Relation(
            total=table.cell(index, "total"),
            parts=tuple(table.cell(index, c) for c in parts),
            what=subject("row_parts", table=name, label=label, total=total, parts=addends),
        )


#: The enumerations of a list's first level (一、) and of the levels under it (（一）, 1., (1)).
_FIRST_LEVEL = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_LOWER_LEVEL = re.compile(r"^(?:\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）])")


def side_lines(table: View, side: str, until_key: str) -> list[int]:
    """Rows of one side above the row with `until_key`, without 其中 lines and sub-lines: a line numbered 1. or
    （一） where the side numbers its lines 一、 is part of the line above (一、财政拨款 over 1.一般公共预算)."""
    stop = table.row_of(until_key, side)
    rows = [i for i in table.where(side=side) if stop is None or i < stop]
    nested = any(_FIRST_LEVEL.match(_spaceless(table.rows[i]["label"])) for i in rows)
    return [
        i
        for i in rows
        if not is_part_line(table.rows[i]["label"]) and "." not in (table.rows[i]["key"] or "")
        and not (nested and _LOWER_LEVEL.match(_spaceless(table.rows[i]["label"])))
    ]


def _spaceless(label: str | None) -> str:
    """A row's label as printed, without spaces (its enumeration kept: ``normalise`` drops it)."""
    return re.sub(r"\s+", "", label or "")


def summary_relations(table: View) -> Iterator[Relation]:
    """表一 and 表四: totals of the two sides, their identities and the balance of both sides."""
    t = name_of(table)
    get = lambda key, side, column="total": (  # noqa: E731
        table.cell(row, column) if (row := table.row_of(key, side)) is not None else None)
    income_total, expenditure_total = get("income_total", "income"), get("expenditure_total", "expenditure")
    income_grand, expenditure_grand = get("grand_total", "income"), get("grand_total", "expenditure")
    if income_total:
        lines = side_lines(table, "income", "income_total")
        yield Relation(income_total, tuple(table.cell(i, "total") for i in lines),
                       subject("income_lines", table=t))
    if expenditure_total:
        lines = side_lines(table, "expenditure", "expenditure_total")
        for column in table.columns:
            total = get("expenditure_total", "expenditure", column)
            yield Relation(total, tuple(table.cell(i, column) for i in lines),
                           subject("expenditure_lines", table=t, column=heading(table, column)), required=column == "total")
    additions = [get(k, "income") for k in ("income_total", "fund_makeup", "non_fiscal_surplus", "carryover_begin")]
    if income_grand and any(additions):
        yield Relation(income_grand, tuple(a for a in additions if a),
                       subject("income_grand", table=t))
    additions = [get(k, "expenditure") for k in ("expenditure_total", "surplus_distribution", "carryover_end")]
    if expenditure_grand and any(additions):
        yield Relation(expenditure_grand, tuple(a for a in additions if a),
                       subject("expenditure_grand", table=t))
    if income_grand and expenditure_grand:
        yield Relation(expenditure_grand, (income_grand,), subject("grand_balance", table=t))
    for parent in ("carryover_begin", "carryover_end"):
        side = "income" if parent.endswith("begin") else "expenditure"
        total = get(parent, side)
        subs = [i for i, r in enumerate(table.rows) if (r["key"] or "").startswith(parent + ".")]
        if total and subs:
            yield Relation(total, tuple(table.cell(i, "total") for i in subs),
                           subject(parent, table=t, label=table.rows[total.row_index]['label']))


def appropriation_row_relations(table: View) -> Iterator[Relation]:
    """表四: every expenditure row's 合计 = 一般公共预算 + 政府性基金 (+ 国有资本经营)."""
    funds = [c for c in FUND_LINES if c in table.columns]
    for index in table.where(side="expenditure"):
        parts = [table.cell(index, c) for c in funds]
        if any(p.value is not None for p in parts):
            yield Relation(table.cell(index, "total"), tuple(parts),
                           subject("fund_row", table=name_of(table), label=table.rows[index]['label']))


def basic_expenditure_relations(table: View) -> Iterator[Relation]:
    """表六: 人员经费合计 = 301 + 303; 公用经费合计 = 302 + 310."""
    found = table.by_code
    for key, classes in (("personnel_total", PERSONNEL_CLASSES), ("public_total", PUBLIC_CLASSES)):
        row = table.row_of(key)
        if row is None:
            continue
        parts = [table.cell(i, "total") for c in classes for i in found.get(c, [])]
        yield Relation(table.cell(row, "total"), tuple(parts),
                       subject(key, table=name_of(table), classes=plus(classes)))


#: A 三公 table's items and their parts: 合计 = 出国 + 车 + 接待; 车 = 购置 + 运行; a 合计 over the 三公 group and
#: 会议费, 培训费 = 三公 + 会议费 + 培训费.
THREE_PUBLIC_PARTS = (("total", ("abroad", "vehicle", "reception")), ("vehicle", ("vehicle_purchase", "vehicle_running")),
                      ("grand_total", ("total", "meeting", "training")))
#: The grand total of a table that prints no 三公 total: the three items, 会议费 and 培训费.
GRAND_OF_ITEMS = ("grand_total", ("abroad", "vehicle", "reception", "meeting", "training"))


def three_public_relations(table: View) -> Iterator[Relation]:
    """表七: each item's total equals its parts (``THREE_PUBLIC_PARTS``), for 预算数 and 决算数 separately; in a table
    with a row per unit and a column per item and period (西安: 上年 | 当年 | 增减变化情况), on every row, for each
    period, and each item's 增减 = 当年 − 上年."""
    if any("." in column for column in table.columns):
        yield from _three_public_wide(table)
        return
    for total, parts in THREE_PUBLIC_PARTS if table.row_of("total") is not None else (*THREE_PUBLIC_PARTS, GRAND_OF_ITEMS):
        row = table.row_of(total)
        rows = [table.row_of(p) for p in parts]
        if row is None or None in rows:
            continue
        for column in table.columns:
            yield Relation(table.cell(row, column), tuple(table.cell(r, column) for r in rows),
                           subject("three_public", table=name_of(table), item=line(table.rows[row]['label'], total),
                                   column=heading(table, column),
                                   parts=plus(line(table.rows[r]['label'], p) for r, p in zip(rows, parts))))


def _three_public_wide(table: View) -> Iterator[Relation]:
    """A 三公 table with a row per unit and a column per item and period (``abroad.budget``): on each row, each item
    against its parts in each period, and each item's change against this year less last year."""
    columns = set(table.columns)
    periods = sorted({c.partition(".")[2] for c in columns})
    for index in range(len(table.rows)):
        row = table.rows[index]["label"] or ""
        for total, parts in THREE_PUBLIC_PARTS:
            for period in periods:
                keys = [f"{p}.{period}" for p in parts]
                if f"{total}.{period}" in columns and all(k in columns for k in keys):
                    yield Relation(table.cell(index, f"{total}.{period}"), tuple(table.cell(index, k) for k in keys),
                                   subject("three_public_row", table=name_of(table), row=row,
                                           item=heading(table, f"{total}.{period}"),
                                           parts=plus(heading(table, k) for k in keys)))
        for item in sorted({c.partition(".")[0] for c in columns}):
            change, now, before = f"{item}.change", f"{item}.budget", f"{item}.previous"
            if {change, now, before} <= columns:
                yield Relation(table.cell(index, change), (table.cell(index, now), table.cell(index, before)),
                               subject("three_public_change", table=name_of(table), row=row,
                                       item=heading(table, change)), signs=(1, -1))


#: The tables that may carry a fund's balance forward, and the columns that do it.
BALANCED = ("government_fund", "state_capital", "general_budget")
BALANCE_COLUMNS = {"begin", "income", "total", "end"}


def fund_balance_relations(table: View) -> Iterator[Relation]:
    """表八/表九 (a 2016–2018 表五 too): 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余."""
    if not BALANCE_COLUMNS <= set(table.columns):
        return
    for row in range(len(table.rows)):
        label = table.name(row)
        yield Relation(table.cell(row, "end"), (table.cell(row, "begin"), table.cell(row, "income"), table.cell(row, "total")),
                       subject("fund_balance", table=name_of(table), label=label), signs=(1, 1, -1))


def all_inside_relations(check: Check) -> list[Relation]:
    """Every relation inside the tables (read once per run: FA-T050 looks at all of them)."""
    if "inside" not in check.memo:
        check.memo["inside"] = list(_inside_relations(check))
    return check.memo["inside"]


def _inside_relations(check: Check) -> Iterator[Relation]:
    for table in check.views.values():
        if table.kind in CODED or table.kind == "basic_expenditure":
            for level in (2, 1, None):
                yield from hierarchy_relations(table, level)
        if table.kind in CODED:
            yield from row_identity_relations(table)
        if table.kind in ("summary", "appropriation_summary"):
            yield from summary_relations(table)
        if table.kind == "appropriation_summary":
            yield from appropriation_row_relations(table)
        if table.kind == "basic_expenditure":
            yield from basic_expenditure_relations(table)
        if table.kind == "three_public":
            yield from three_public_relations(table)
        if table.kind in BALANCED:
            yield from fund_balance_relations(table)


def tables_of(check: Check, kinds) -> list[View]:
    found = [t for k, t in check.views.items() if k in kinds]
    if not found:
        raise NotApplicable(f"none of the tables {', '.join(kinds)}")
    return found


# -- inside a table -----------------------------------------------------------------------------
@rule("FA-T001", "error", "款等于其项之和", "A section equals the sum of its items", needs=CODED, documents=BOTH)
def item_rollup(check: Check) -> list[Finding]:
    """In every table by function code (表二, 表三, 表五, 表八, 表九) and every amount column, a 款 row
    equals the sum of its 项 rows. Basis: primer, inside a table, hierarchy."""
    return [f for t in tables_of(check, CODED) for f in check.relations(hierarchy_relations(t, 2))]


@rule("FA-T002", "error", "类等于其款之和", "A class equals the sum of its sections", needs=CODED, documents=BOTH)
def class_rollup(check: Check) -> list[Finding]:
    """In every table by function code, a 类 row equals the sum of its 款 rows (a 项 whose 款 row
    is missing counts directly). Basis: primer, hierarchy."""
    return [f for t in tables_of(check, CODED) for f in check.relations(hierarchy_relations(t, 1))]


@rule("FA-T003", "error", "合计等于各类之和", "The total equals the sum of the classes", needs=CODED, documents=BOTH)
def grand_total_rollup(check: Check) -> list[Finding]:
    """In every table by function code, the 合计 row equals the sum of the 类 rows, per column.
    Basis: primer, hierarchy."""
    return [f for t in tables_of(check, CODED) for f in check.relations(hierarchy_relations(t, None))]


@rule("FA-T004", "error", "行内合计等于各栏之和", "Row total equals its columns", needs=CODED, documents=BOTH)
def row_identity(check: Check) -> list[Finding]:
    """Each row: 表二 本年收入合计 = Σ income sources; 表三 本年支出合计 = 基本 + 项目 + 上缴上级 +
    经营 + 对附属单位补助; 表五, 表八, 表九 本年支出 = 基本支出 + 项目支出. Basis: primer, rows."""
    return [f for t in tables_of(check, CODED) for f in check.relations(row_identity_relations(t))]


@rule("FA-T005", "error", "结转结余平衡", "Fund balance carries forward", needs=BALANCED)
def fund_balance(check: Check) -> list[Finding]:
    """表八 (and 表九, and a 2016–2018 表五 一般公共预算财政拨款收入支出决算表 that prints the same columns), every
    row: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余. Basis: primer, rows."""
    tables = [t for t in tables_of(check, BALANCED) if BALANCE_COLUMNS <= set(t.columns)]
    if not tables:
        raise NotApplicable("no table prints the carry-forward columns (begin, income, total, end)")
    return [f for t in tables for f in check.relations(fund_balance_relations(t))]


@rule("FA-T010", "error", "收入支出决算总表自身平衡", "Summary table balances", needs=("summary",))
def summary_identities(check: Check) -> list[Finding]:
    """表一: 本年收入合计 = Σ income lines (a 其中 line is a part, not an addend); 本年支出合计 = Σ
    expenditure lines; 收入总计 = 本年收入合计 + 用事业基金弥补收支差额 (+ 使用非财政拨款结余) +
    上年结转; 支出总计 = 本年支出合计 + 结余分配 + 年末结转与结余; 收入总计 = 支出总计.
    Basis: primer, 表一."""
    return check.relations(summary_relations(check.table("summary")))


@rule("FA-T020", "error", "财政拨款收支总表自身平衡", "Appropriation summary balances", needs=("appropriation_summary",))
def appropriation_identities(check: Check) -> list[Finding]:
    """表四: 本年收入合计 = Σ funds; 年初结转和结余 = Σ its sub-lines (and 年末 likewise); 总计 =
    本年收入合计 + 年初结转 = 本年支出合计 + 年末结转; 本年支出合计 = Σ 类 per column; each 类 row's
    合计 = Σ fund columns. Basis: primer, 表四."""
    table = check.table("appropriation_summary")
    return check.relations([*summary_relations(table), *appropriation_row_relations(table)])


@rule("FA-T030", "error", "基本支出表人员经费、公用经费", "Basic expenditure totals", needs=("basic_expenditure",))
def basic_expenditure_totals(check: Check) -> list[Finding]:
    """表六: 人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助; 公用经费合计 = 302 商品和服务支出 +
    310 资本性支出. Basis: primer, 表六."""
    return check.relations(basic_expenditure_relations(check.table("basic_expenditure")))


@rule("FA-T031", "error", "经济分类类等于其款之和", "An economic class equals its sections", needs=("basic_expenditure",), documents=BOTH)
def economic_rollup(check: Check) -> list[Finding]:
    """表六: each economic 类 row (301, 302, 303, 310 …) equals the sum of its 款 rows.
    Basis: primer, 表六."""
    return check.relations(hierarchy_relations(check.table("basic_expenditure"), 1))


@rule("FA-T040", "error", "“三公”经费合计", "Three public expenses add up", needs=("three_public",), documents=BOTH)
def three_public_totals(check: Check) -> list[Finding]:
    """表七, for 预算数 and 决算数 separately: 合计 = 因公出国（境）费 + 公务用车购置及运行费 +
    公务接待费; 公务用车购置及运行费 = 购置费 + 运行费 (and a 合计 over 三公, 会议费 and 培训费 = their sum). A table
    with a row per unit and a column per item and period (西安: 上年 | 当年 | 增减变化情况) is checked on every row, for
    each period, and each item's 增减 = 当年 − 上年. Basis: primer, 表七."""
    return check.relations(three_public_relations(check.table("three_public")))


@rule("FA-T050", "error", "应填金额为空", "Required cell left blank", messages={
    "blank": ("{what}：该单元格为空，其明细之和为 {expected:.2f}",
              "{what}: the cell is blank while its parts add up to {expected:.2f}")}, documents=BOTH)
def required_blank(check: Check) -> list[Finding]:
    """A total that the table's relations require (合计, 类 and 款 rows, row totals, 本年收入合计,
    本年支出合计, 总计, …) is blank while its parts are not all blank or zero. Blank is "not
    reported", not zero. Basis: primer, "a required blank is itself a finding"."""
    findings = []
    for relation in all_inside_relations(check):
        check.examined(relation.required)
        if not relation.required or relation.total.value is not None:
            continue
        expected, count = relation.expected()
        if count and expected != 0:
            findings.append(check.say("blank", relation.total, cells=(relation.total, *relation.parts),
                                      expected=expected, what=relation.what))
    return findings


# -- between tables -----------------------------------------------------------------------------
