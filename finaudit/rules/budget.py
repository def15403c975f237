"""Budget table rules (FA-B0nn): the relations inside and between the tables of a 部门预算 or
单位预算 (the Shanghai district nine-table set and the national eight-table set). Codes are permanent.

Basis: the budget section of the domain primer. The tables print 元, the 三公 table 万元: every
comparison across tables converts to one unit and takes the rounding band of the coarser printed
figure (a 万元 amount with two places stands for ±50 元).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from finaudit import codes
from finaudit.findings import CellRef, Finding
from finaudit.rules.registry import FRAGMENTS, Check, InsufficientData, NotApplicable, Relation, View, rule
from finaudit.rules.subjects import Subject, line, plus, subject
from finaudit.rules.tables import (
    PERSONNEL_CLASSES,
    PUBLIC_CLASSES,
    THREE_PUBLIC_ECONOMIC,
    column_name,
    heading,
    hierarchy_relations,
    name_of,
)

BUDGET = ("budget",)
#: Money units as printed on the 单位 line, in 元.
UNIT_SCALE = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
#: Income lines of 财务收支预算总表 that add up to 收入总计 (the fund lines are parts of 财政拨款收入).
SUMMARY_INCOME_LINES = ("fiscal", "special", "business", "operating", "superior", "affiliated", "other", "fund_makeup",
                        "non_fiscal_surplus", "bank_balance", "carryover_begin")
FUND_LINES = ("general", "fund", "state_capital")
#: 财务收支预算总表 income line → 收入预算总表 column it equals.
SUMMARY_INCOME_COLUMNS = {"fiscal": "fiscal", "business": "business", "operating": "operating", "other": "other"}
#: Function tables of 财政拨款收支预算总表's fund columns.
FUND_TABLES = {"general": "general_budget", "fund": "government_fund", "state_capital": "state_capital"}


# -- units ---------------------------------------------------------------------------------------
def scale(table: View) -> Decimal:
    """元 per printed unit of the table (a table without a 单位 line is taken to be in 元)."""
    return UNIT_SCALE.get(table.table.unit or "元", Decimal(1))


def step(table: View) -> Decimal:
    """The printed step of the table's figures, in 元 (a hundredth of 元, one 元, a hundredth of 万元)."""
    places = table.table.decimals if table.table.decimals is not None else 2
    return Decimal(1).scaleb(-places) * scale(table)


def within(check: Check, part: CellRef, part_table: View, whole: CellRef, whole_table: View, what: Subject
           ) -> Finding | None:
    """part ≤ whole across units (in the whole's unit), beyond the rounding band of the coarser figure."""
    if part.value is None:
        return None
    check.examined()
    if part.value <= 0:
        return None
    unit = scale(whole_table)
    value = part.value * scale(part_table) / unit
    limit = whole.value or Decimal(0)
    band = max(step(part_table), step(whole_table)) / unit / 2
    if value <= limit + band:
        return None
    shown = part._replace(value=value)
    return check.say("at_most.exceeds", shown, cells=(shown, whole), expected=limit, actual=value,
                     difference=value - limit, tol=band, limit=limit, source=whole.cited, what=what.text,
                     blank=FRAGMENTS["blank_whole" if whole.value is None else "none"])


# -- lookups -------------------------------------------------------------------------------------
def row_cell(table: View, key: str, side: str | None = None, column: str = "total") -> CellRef | None:
    row = table.row_of(key, side)
    return table.cell(row, column) if row is not None and column in table.columns else None


def class_rows(table: View, side: str | None = None) -> dict[str, int]:
    """类 code → row (the first row of that code)."""
    rows: dict[str, int] = {}
    for index in table.where(side=side, level=1):
        rows.setdefault(table.rows[index]["code"], index)
    return rows


def listed_classes(table: View) -> dict[str, list[int]]:
    """Given a table that prints some 类 only through their 款 or 项 (北京's 支出总表 lists the 项 alone), return
    类 code → the rows that make it up: every row of a code of that 类 whose parent the table does not print."""
    printed = set(table.by_code)
    found: dict[str, list[int]] = {}
    for code, rows in table.by_code.items():
        level = codes.level(code, table.system)
        if level and level > 1 and code[:3] not in printed and codes.parent(code, table.system) not in printed:
            found.setdefault(code[:3], []).extend(rows)  # a code printed on several rows (one per economic 款) counts each
    return {code: sorted(rows) for code, rows in found.items()}


def equal(check: Check, left: CellRef | None, right: CellRef | None, what: Subject) -> list[Finding]:
    """Two printed cells that must be equal; nothing when either is blank or absent."""
    if left is None or right is None or (left.value is None and right.value is None):
        return []
    if left.value is None or right.value is None:
        left, right = (left, right) if left.value is None else (right, left)
        if right.value == 0:
            return []
        finding = check.relation(Relation(right, (left,), what))
        return [finding] if finding else []
    finding = check.relation(Relation(left, (right,), what))
    return [finding] if finding else []


# -- inside a table ------------------------------------------------------------------------------
def summary_relations(table: View) -> Iterator[Relation]:
    """财务收支预算总表: 收入总计 = Σ income lines; 财政拨款收入 = Σ fund lines; 支出总计 = Σ 类 (per
    column); each expenditure row 合计 = 人员经费 + 公用经费 + 项目支出 (or 基本 + 项目) where printed;
    收入总计 = 支出总计."""
    t = name_of(table)
    income_grand, expenditure_grand = row_cell(table, "grand_total", "income"), row_cell(table, "grand_total", "expenditure")
    # the fund lines are addends where no 财政拨款 line sums them (the national template: 一、一般公共预算拨款收入 …)
    addends = SUMMARY_INCOME_LINES if row_cell(table, "fiscal", "income") else (*FUND_LINES, *SUMMARY_INCOME_LINES)
    lines = [table.cell(i, "total") for i in table.where(side="income") if table.rows[i]["key"] in addends]
    if income_grand and lines:
        yield Relation(income_grand, tuple(lines), subject("budget.income_lines", table=t))
    fiscal = row_cell(table, "fiscal", "income")
    funds = [c for key in FUND_LINES if (c := row_cell(table, key, "income"))]
    if fiscal and funds:
        yield Relation(fiscal, tuple(funds), subject("budget.fiscal_funds", table=t))
    classes = [i for i in table.where(side="expenditure") if table.rows[i]["code"]]
    extra = [i for i in table.where(side="expenditure") if table.rows[i]["key"] in ("carryover_end",)]
    grand_row = table.row_of("grand_total", "expenditure")
    if grand_row is not None and classes:
        for column in table.columns:
            yield Relation(table.cell(grand_row, column), tuple(table.cell(i, column) for i in classes + extra),
                           subject("budget.classes", table=t, column=heading(table, column)), required=column == "total")
    parts = [c for c in (("personnel", "public", "project"), ("basic", "project")) if set(c) <= set(table.columns)]
    for index in table.where(side="expenditure") if parts else ():
        yield Relation(table.cell(index, "total"), tuple(table.cell(index, c) for c in parts[0]),
                       subject("budget.row_parts", table=t, label=table.name(index),
                               parts=plus(heading(table, c) for c in parts[0])))
    if income_grand and expenditure_grand:
        yield Relation(expenditure_grand, (income_grand,), subject("budget.balance", table=t))


def appropriation_relations(table: View) -> Iterator[Relation]:
    """财政拨款收支预算总表: 收入总计 = Σ fund lines; 支出总计 = Σ 类 per column; each 类 row 合计 = Σ
    fund columns; 收入总计 = 支出总计."""
    t = name_of(table)
    income_grand, expenditure_grand = row_cell(table, "grand_total", "income"), row_cell(table, "grand_total", "expenditure")
    funds = [c for key in (*FUND_LINES, "carryover_begin") if (c := row_cell(table, key, "income"))]
    if income_grand and funds:
        yield Relation(income_grand, tuple(funds), subject("budget.fund_lines", table=t))
    classes = [i for i in table.where(side="expenditure") if table.rows[i]["code"]]
    grand_row = table.row_of("grand_total", "expenditure")
    if grand_row is not None and classes:
        for column in table.columns:
            yield Relation(table.cell(grand_row, column), tuple(table.cell(i, column) for i in classes),
                           subject("budget.classes", table=t, column=heading(table, column)), required=column == "total")
    columns = [c for c in FUND_LINES if c in table.columns]
    for index in [*classes, *([grand_row] if grand_row is not None else [])]:
        cells = [table.cell(index, c) for c in columns]
        if any(c.value is not None for c in cells):
            yield Relation(table.cell(index, "total"), tuple(cells), subject("fund_row", table=t, label=table.name(index)))
    if income_grand and expenditure_grand:
        yield Relation(expenditure_grand, (income_grand,), subject("budget.balance", table=t))


def basic_relations(table: View) -> Iterator[Relation]:
    """一般公共预算基本支出经济分类预算表: each row 合计 = 人员经费 + 公用经费; 合计 row = Σ 类 per column;
    人员经费 合计 = 301 + 303 and 公用经费 合计 = 302 + 310 (合计 column of those 类) — unless the table splits a
    类 row itself across the other column (西安 books 30239 其他交通费用, the 车改 allowance, partly as 人员经费):
    the document then states its own split, which the per-column sums check."""
    t = name_of(table)
    if {"personnel", "public"} <= set(table.columns):
        for index in range(len(table.rows)):
            yield Relation(table.cell(index, "total"), (table.cell(index, "personnel"), table.cell(index, "public")),
                           subject("budget.basic_row", table=t, label=table.name(index)))
    yield from hierarchy_relations(table, None)
    grand_row = table.row_of("grand_total")
    if grand_row is None:
        return
    crossing = {"personnel": PUBLIC_CLASSES, "public": PERSONNEL_CLASSES}
    if {"personnel", "public"} <= set(table.columns) and any(
            table.rows[i][column] for column, classes in crossing.items() for c in classes for i in table.by_code.get(c, [])):
        return  # a 类 printed partly in the other column: the document's own split, checked per column above
    for column, classes in (("personnel", PERSONNEL_CLASSES), ("public", PUBLIC_CLASSES)):
        rows = [i for c in classes for i in table.by_code.get(c, [])]
        if column in table.columns and rows:
            yield Relation(table.cell(grand_row, column), tuple(table.cell(i, "total") for i in rows),
                           subject(f"budget.{column}_classes", table=t, column=heading(table, column), classes=plus(classes)))


# -- rules: completeness -------------------------------------------------------------------------
def required_budget_kinds(year: int | None) -> tuple[str, ...]:
    kinds = ("summary", "income", "expenditure", "appropriation_summary", "general_budget", "basic_expenditure",
             "three_public", "government_fund")
    return kinds + ("state_capital",) if year and year >= 2019 else kinds


@rule("FA-B001", "error", "缺少应公开的预算表", "Required budget table missing", documents=BUDGET,
      messages={"missing": ("缺少{name}", "the {name} table is missing"),
                "unnamed": ("未见{name}；全文未提及该项资金，所用模板可能早于该表，请核实是否应公开（可为注明原因的空表）",
                            "no {name} table, and the document never names that fund: its template may "
                            "predate the table; check whether it should be published (an empty table with its note "
                            "will do)")})
def required_budget_tables(check: Check) -> list[Finding]:
    """The budget tables the template requires are all present: 财务收支预算总表, 收入预算总表, 支出预算总表,
    财政拨款收支预算总表, 一般公共预算支出表, 一般公共预算基本支出表, “三公”经费表, 政府性基金预算支出表, and
    from 2019 国有资本经营预算支出表 (a template family with a set of its own, such as the universities' four
    tables, requires that set). An empty table printed with its note ("故本表为空表") is present; so is one the
    narrative says there is none of ("本部门无当年国有资本经营预算收支", 西安). A table added to the templates later
    whose fund the document never names is a note to verify (info), as in FA-P001.
    Basis: 财预〔2016〕143号; the Shanghai district and national budget templates."""
    from finaudit.model import kind_name
    from finaudit.read.templates import templates
    from finaudit.rules.completeness import absent

    check.examined()
    report = check.report
    family = templates().required((t.title for t in report.tables.values()), "budget")
    return [check.say("missing" if named else "unnamed", CellRef(None, kind, kind_name(kind, "budget")[0], None, None),
                      severity=None if named else "info", name=kind_name(kind, "budget"))
            for kind, named in absent(check, family or required_budget_kinds(report.meta.year))]


@rule("FA-B002", "error", "注明为空表的表中有金额", "A table noted as empty prints amounts", documents=BUDGET,
      messages={"contradiction": ("{table} 注明“{statement}”，但表中有金额（{cell} {value:.2f}）",
                                  "{table} says it is empty ({statement!r}) but prints {value:.2f} at {cell}")})
def empty_note_contradicted(check: Check) -> list[Finding]:
    """A table whose note says it is empty ("…故本表为空表", "本表无数据") prints no amount other than zero.
    Basis: the budget templates' instruction for empty tables; a note left over from a template (or
    amounts pasted into an empty template) makes one of the two wrong."""
    findings = []
    for table in check.views.values():
        statement = table.table.statement or ""
        if not any(mark in statement for mark in ("本表为空表", "本表无数据", "故本表无")):
            continue
        cells = [table.cell(i, c) for i in range(len(table.rows)) for c in table.columns]
        check.examined()
        filled = next((c for c in cells if c.value), None)
        if filled is not None:
            findings.append(check.say("contradiction", filled, table=name_of(table), statement=statement[:40],
                                      cell=f"{filled.row} {column_name(table, filled.column)}", value=filled.value))
    return findings


# -- rules: inside a table -----------------------------------------------------------------------
def by_code(table: View) -> None:
    """Given a table compared by classification code, raise NotApplicable where it prints none (the
    支出预算总表 of some provinces: one row of 合计 | 基本支出 | 项目支出, no 类)."""
    if not table.by_code:
        raise NotApplicable(f"{table.kind} prints no classification codes")


@rule("FA-B010", "error", "财务收支预算总表自身平衡", "Budget summary balances", needs=("summary",), documents=BUDGET)
def budget_summary_balances(check: Check) -> list[Finding]:
    """财务收支预算总表: 收入总计 = 财政拨款收入 + 事业收入 + 事业单位经营收入 + 其他收入 (+ 上年结转);
    财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营预算 (parts, not addends); 支出总计 = Σ 类
    per printed column; each row's 合计 = 人员经费 + 公用经费 + 项目支出 where printed; 收入总计 = 支出总计.
    Basis: primer, budget table 1."""
    return check.relations(summary_relations(check.table("summary")))


@rule("FA-B011", "error", "财政拨款收支预算总表自身平衡", "Budget appropriation summary balances",
      needs=("appropriation_summary",), documents=BUDGET)
def budget_appropriation_balances(check: Check) -> list[Finding]:
    """财政拨款收支预算总表: 收入总计 = 一般公共预算 + 政府性基金 + 国有资本经营预算 income; 支出总计 = Σ 类
    per column; each 类 row's 合计 = Σ fund columns; 收入总计 = 支出总计. Basis: primer, budget table 4."""
    return check.relations(appropriation_relations(check.table("appropriation_summary")))


@rule("FA-B012", "error", "基本支出经济分类预算表自身平衡", "Basic expenditure budget balances",
      needs=("basic_expenditure",), documents=BUDGET)
def budget_basic_balances(check: Check) -> list[Finding]:
    """一般公共预算基本支出经济分类预算表: each row 合计 = 人员经费 + 公用经费; 合计 = Σ 类 per column;
    人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助; 公用经费合计 = 302 商品和服务支出 + 310
    资本性支出 (the 类 present). (类 = Σ 款 is FA-T031.) Basis: primer, budget table 8."""
    return check.relations(basic_relations(check.table("basic_expenditure")))


@rule("FA-B013", "error", "机关运行经费不超过公用经费", "Operating costs within public expenses",
      needs=("three_public",), documents=BUDGET)
def operating_costs_within_public(check: Check) -> list[Finding]:
    """机关运行经费 (in the 三公 table, 万元) ≤ 公用经费合计 of the basic expenditure table (元): 机关运行经费
    is the 公用经费 of the 行政 and 参公 units, paid from the general budget's basic expenditure.
    Basis: primer, budget relations; 名词解释 of 机关运行经费. Known limit: only ≤ can be checked
    (the basic table does not split 行政 from 事业 units)."""
    three = check.table("three_public")
    basic = check.views.get("basic_expenditure")
    costs = row_cell(three, "operating_costs", column="budget")
    if costs is None or costs.value is None:
        raise InsufficientData("no 机关运行经费 figure in the 三公 table")
    if basic is None:
        raise InsufficientData("no basic expenditure table")
    public = row_cell(basic, "grand_total", column="public")
    if public is None or public.value is None:
        raise InsufficientData("no 公用经费 合计 in the basic expenditure table")
    finding = within(check, costs, three, public, basic, subject("budget.operating_costs", table=name_of(three),
                                                                 other=name_of(basic)))
    return [finding] if finding else []


# -- rules: between tables -----------------------------------------------------------------------
@rule("FA-B020", "error", "财务收支预算总表收入与收入预算总表一致", "Budget summary income matches the income table",
      needs=("summary", "income"), documents=BUDGET)
def summary_vs_income_budget(check: Check) -> list[Finding]:
    """财务收支预算总表 收入总计 = 收入预算总表 合计 (本年收入合计, when the income table prints no 上年结转 or
    使用非财政拨款结余 column and the summary carries them); its income lines (财政拨款收入, 事业收入, 事业单位经营收入,
    其他收入) = the 合计 row of the matching columns. Basis: primer, "1's totals = 2's 合计"."""
    summary, income = check.table("summary"), check.table("income")
    t1, t2 = name_of(summary), name_of(income)
    carried = [c for key in ("carryover_begin", "non_fiscal_surplus") if (c := row_cell(summary, key, "income")) and c.value]
    if carried and not {"carryover", "non_fiscal_surplus"} & set(income.columns):  # the income table holds this year's only
        findings = equal(check, row_cell(summary, "income_total", "income"), row_cell(income, "grand_total"),
                         subject("budget.income_this_year", table=t1, other=t2))
    else:
        findings = equal(check, row_cell(summary, "grand_total", "income"), row_cell(income, "grand_total"),
                         subject("budget.income_total", table=t1, other=t2))
    for key, column in SUMMARY_INCOME_COLUMNS.items():
        cell = row_cell(summary, key, "income")
        if cell is not None:
            findings += equal(check, cell, row_cell(income, "grand_total", column=column),
                              subject("budget.income_line", table=t1, other=t2, column=heading(income, column),
                                      line=line(summary.rows[cell.row_index]['label'], key)))
    return findings


@rule("FA-B021", "error", "财务收支预算总表支出与支出预算总表一致", "Budget summary expenditure matches the expenditure table",
      needs=("summary", "expenditure"), documents=BUDGET,
      messages={"one_side": ("{source} 列有 {code} {value:.2f}，{other} 无此类", "{code} ({value:.2f}) is in {source} only")})
def summary_vs_expenditure_budget(check: Check) -> list[Finding]:
    """财务收支预算总表 expenditure per 类 = 支出预算总表 类 rows (合计; and 基本支出 = 人员经费 + 公用经费,
    项目支出, where the summary prints them); 支出总计 = 支出预算总表 合计 (本年支出合计, when the summary
    carries an amount 结转下年: the expenditure table holds this year's spending). A 类 with an amount in one
    table only is a finding. Basis: primer, "1's expenditure per 类 = 3's 类 rows"."""
    summary, expenditure = check.table("summary"), check.table("expenditure")
    by_code(expenditure)
    t1, t3 = name_of(summary), name_of(expenditure)
    left, right = class_rows(summary, "expenditure"), class_rows(expenditure)
    listed = listed_classes(expenditure)
    findings = []
    for code in sorted(set(left) | set(right)):
        if code in left and code in listed:  # the expenditure table prints this 类 through its 项 only
            for column in ("total", "project"):
                if column in summary.columns and column in expenditure.columns:
                    finding = check.relation(Relation(
                        summary.cell(left[code], column), tuple(expenditure.cell(i, column) for i in listed[code]),
                        subject("budget.class_items", table=t1, other=t3, code=code, column=heading(summary, column))))
                    findings += [finding] if finding else []
            continue
        if code not in left or code not in right:
            table, rows, other = (summary, left, t3) if code in left else (expenditure, right, t1)
            cell = table.cell(rows[code], "total")
            if cell.value:
                findings.append(check.say("one_side", cell, source=cell.cited, code=code, value=cell.value, other=other))
            continue
        a, b = left[code], right[code]
        findings += equal(check, summary.cell(a, "total"), expenditure.cell(b, "total"),
                          subject("budget.class_total", table=t1, other=t3, code=code))
        if "project" in summary.columns:
            findings += equal(check, summary.cell(a, "project"), expenditure.cell(b, "project"),
                              subject("budget.class_project", table=t1, other=t3, code=code))
        if {"personnel", "public"} <= set(summary.columns) and "basic" in expenditure.columns:
            basic = expenditure.cell(b, "basic")
            if basic.value is not None:
                finding = check.relation(Relation(basic, (summary.cell(a, "personnel"), summary.cell(a, "public")),
                                                  subject("budget.class_basic", table=t3, other=t1, code=code)))
                findings += [finding] if finding else []
    carried = row_cell(summary, "carryover_end", "expenditure")
    if carried is not None and carried.value:  # 结转下年 is in 支出总计, not in the expenditure table (本年支出)
        findings += equal(check, row_cell(summary, "expenditure_total", "expenditure"), row_cell(expenditure, "grand_total"),
                          subject("budget.expenditure_this_year", table=t1, other=t3))
        return findings
    findings += equal(check, row_cell(summary, "grand_total", "expenditure"), row_cell(expenditure, "grand_total"),
                      subject("budget.expenditure_total", table=t1, other=t3))
    return findings


@rule("FA-B022", "error", "财政拨款收支预算总表与各功能分类预算表一致", "Appropriation summary matches the function tables",
      needs=("appropriation_summary",), documents=BUDGET,
      messages={"one_side": ("{source} 列有 {code} {value:.2f}，{other} 无此类", "{code} ({value:.2f}) is in {source} only")})
def appropriation_vs_function_budget(check: Check) -> list[Finding]:
    """财政拨款收支预算总表's 一般公共预算 column per 类 and in total = 一般公共预算支出功能分类预算表 合计
    (政府性基金 = 政府性基金预算支出表, 国有资本经营 = 国有资本经营预算支出表). Basis: primer, "4's 一般公共预算
    column = 5 per 类 and in total"."""
    table = check.table("appropriation_summary")
    t4 = name_of(table)
    left = class_rows(table, "expenditure")
    findings = []
    for column, kind in FUND_TABLES.items():
        other = check.views.get(kind)
        if other is None or column not in table.columns:
            continue
        t = name_of(other)
        right = class_rows(other)
        for code in sorted(set(left) | set(right)):
            if code not in right:
                cell = table.cell(left[code], column)
                if cell.value:
                    findings.append(check.say("one_side", cell, source=cell.cited, code=code, value=cell.value, other=t))
                continue
            if code not in left:
                cell = other.cell(right[code], "total")
                if cell.value:
                    findings.append(check.say("one_side", cell, source=cell.cited, code=code, value=cell.value, other=t4))
                continue
            findings += equal(check, table.cell(left[code], column), other.cell(right[code], "total"),
                              subject("budget.fund_class", table=t4, other=t, code=code, column=heading(table, column)))
        findings += equal(check, row_cell(table, "grand_total", "expenditure", column), row_cell(other, "grand_total"),
                          subject("budget.fund_total", table=t4, other=t, column=heading(table, column)))
    return findings


@rule("FA-B023", "error", "财政拨款收入与财务收支预算总表一致", "Appropriation income matches the budget summary",
      needs=("appropriation_summary", "summary"), documents=BUDGET)
def appropriation_vs_summary_budget(check: Check) -> list[Finding]:
    """财政拨款收支预算总表's income lines (一般公共预算, 政府性基金, 国有资本经营预算) = the same lines of
    财务收支预算总表; its 收入总计 = 财务收支预算总表's 财政拨款收入 (when no 上年结转 is printed).
    Basis: primer, budget tables 1 and 4."""
    table, summary = check.table("appropriation_summary"), check.table("summary")
    t4, t1 = name_of(table), name_of(summary)
    findings = []
    for key in FUND_LINES:
        cell = row_cell(table, key, "income")
        findings += equal(check, cell, row_cell(summary, key, "income"),
                          subject("budget.fund_income", table=t4, other=t1, line=line(cell.row if cell else key, key)))
    if row_cell(table, "carryover_begin", "income") is None:
        findings += equal(check, row_cell(table, "grand_total", "income"), row_cell(summary, "fiscal", "income"),
                          subject("budget.fiscal_income", table=t4, other=t1))
    return findings


@rule("FA-B024", "error", "一般公共预算基本支出与经济分类预算表一致", "Basic expenditure matches the economic table",
      needs=("general_budget", "basic_expenditure"), documents=BUDGET)
def general_basic_vs_economic(check: Check) -> list[Finding]:
    """一般公共预算支出功能分类预算表 合计行 基本支出 = 一般公共预算基本支出经济分类预算表 合计 (which is
    人员经费 + 公用经费). Basis: primer, "5's 基本支出 合计 = 8's 合计"."""
    general, basic = check.table("general_budget"), check.table("basic_expenditure")
    return equal(check, row_cell(general, "grand_total", column="basic"), row_cell(basic, "grand_total"),
                 subject("budget.basic_total", table=name_of(general), other=name_of(basic)))


def code_total(table: View, rows: list[int], column: str) -> CellRef:
    """Given a table's rows of one code and a column, return the code's amount: its one row's cell, or, where
    the code has several rows (a function × economic detail table, Beijing's 支出总表), their sum, cited at
    the first row."""
    cells = [table.cell(row, column) for row in rows]
    values = [c.value for c in cells if c.value is not None]
    if len(cells) == 1:
        return cells[0]
    return cells[0]._replace(value=sum(values, Decimal(0)) if values else None)


@rule("FA-B025", "error", "一般公共预算支出不超过全部支出", "General budget within all expenditure",
      needs=("general_budget", "expenditure"), documents=BUDGET)
def general_within_expenditure_budget(check: Check) -> list[Finding]:
    """Each code's 一般公共预算支出 (合计, 基本, 项目) ≤ the same code's 支出预算总表 amount: fiscal money
    is part of all money; a code 支出预算总表 prints on several rows (by economic code) counts their sum.
    Basis: primer, "表五 row ≤ 表三 row" (the same identity in a budget)."""
    general, expenditure = check.table("general_budget"), check.table("expenditure")
    by_code(expenditure)
    findings = []
    for code, rows in general.by_code.items():
        other = expenditure.by_code.get(code)
        for column in ("total", "basic", "project"):
            if column not in general.columns or column not in expenditure.columns:
                continue
            whole = code_total(expenditure, other, column) if other else CellRef(expenditure.ordinal, expenditure.kind,
                                                                                code, column, None)
            finding = check.at_most(general.cell(rows[0], column), whole,
                                    subject("budget.general_within", table=name_of(general), other=name_of(expenditure),
                                            code=code, column=heading(general, column)))
            findings += [finding] if finding else []
    return findings


@rule("FA-B026", "error", "经济分类“三公”明细不超过“三公”经费预算", "Economic items of the three public expenses within their budget",
      needs=("basic_expenditure", "three_public"), documents=BUDGET)
def economic_within_three_public_budget(check: Check) -> list[Finding]:
    """The basic expenditure table's 三公 items (30212 因公出国（境）费用, 30217 公务接待费, 30231 公务用车运行维护费,
    31013 公务用车购置; 元) ≤ the matching item of the 三公 table (万元): the 三公 budget also covers 项目支出,
    so ≤, not =. Basis: primer, between tables (the finals' 表六/表七 relation, in a budget)."""
    basic, three = check.table("basic_expenditure"), check.table("three_public")
    findings = []
    for code, item in THREE_PUBLIC_ECONOMIC.items():
        row = three.row_of(item)
        if row is None:
            continue
        for index in basic.by_code.get(code, []):
            finding = within(check, basic.cell(index, "total"), basic, three.cell(row, "budget"), three,
                             subject("budget.economic_within", table=name_of(basic), other=name_of(three), code=code,
                                     item=line(three.rows[row]['label'], item)))
            findings += [finding] if finding else []
    return findings

