"""The table rules: cross-footing relations (勾稽关系) inside and between the tables, codes,
completeness and load problems. Basis: the domain primer (docs/rules.md lists them all).

Codes are permanent: FA-Tnnn inside a table, FA-Xnnn between tables, FA-Cnnn classification
codes, FA-Pnnn completeness, FA-Lnnn load problems.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from finaudit import codes
from finaudit.findings import Finding
from finaudit.model import KIND_NAMES
from finaudit.render import chinese_numeral
from finaudit.findings import CellRef
from finaudit.registry import Check, InsufficientData, NotApplicable, Relation, View, rule
from finaudit.templates import normalise

CODED = ("income", "expenditure", "general_budget", "government_fund", "state_capital")
#: Row identities: total column = Σ these columns, where the table has them.
ROW_PARTS = {
    "income": ("fiscal", "general", "fund", "state_capital", "superior", "business", "operating", "affiliated", "other"),
    "expenditure": ("basic", "project", "to_superior", "operating", "subsidy"),
    "general_budget": ("basic", "project"),
    "government_fund": ("basic", "project"),
    "state_capital": ("basic", "project"),
}
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


def name_of(table: View) -> str:
    return f"表{chinese_numeral(table.ordinal)}" if table.ordinal else KIND_NAMES.get(table.kind, (table.kind,))[0]


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
    for total_row, code in totals:
        children = groups.get(code)
        if total_row is None or not children:
            continue
        label = table.rows[total_row]["label"] if code is None else code
        for column in table.columns:
            yield Relation(
                total=table.cell(total_row, column),
                parts=tuple(table.cell(i, column) for i in children),
                what_zh=f"{name_of(table)} {label} {column_name(table, column)} 应等于下级科目之和",
                what_en=f"{name_of(table)} {label} {column}: must equal the sum of its sub-items",
            )


def row_identity_relations(table: View) -> Iterator[Relation]:
    parts = [c for c in ROW_PARTS.get(table.kind, ()) if c in table.columns]
    if "total" not in table.columns or not parts:
        return
    for index in range(len(table.rows)):
        label = table.name(index)
        yield Relation(
            total=table.cell(index, "total"),
            parts=tuple(table.cell(index, c) for c in parts),
            what_zh=f"{name_of(table)} {label} {column_name(table, 'total')} 应等于{'+'.join(column_name(table, c) for c in parts)}",
            what_en=f"{name_of(table)} {label} total must equal {' + '.join(parts)}",
        )


def side_lines(table: View, side: str, until_key: str) -> list[int]:
    """Rows of one side above the row with `until_key`, without 其中 lines and sub-lines."""
    stop = table.row_of(until_key, side)
    return [
        i
        for i in table.where(side=side)
        if (stop is None or i < stop) and not is_part_line(table.rows[i]["label"]) and "." not in (table.rows[i]["key"] or "")
    ]


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
                       f"{t} 本年收入合计应等于各项收入之和", f"{t} income total must equal the sum of the income lines")
    if expenditure_total:
        lines = side_lines(table, "expenditure", "expenditure_total")
        for column in table.columns:
            total = get("expenditure_total", "expenditure", column)
            yield Relation(total, tuple(table.cell(i, column) for i in lines),
                           f"{t} 本年支出合计（{column_name(table, column)}）应等于各类支出之和",
                           f"{t} expenditure total ({column}) must equal the sum of the expenditure lines",
                           required=column == "total")
    additions = [get(k, "income") for k in ("income_total", "fund_makeup", "non_fiscal_surplus", "carryover_begin")]
    if income_grand and any(additions):
        yield Relation(income_grand, tuple(a for a in additions if a),
                       f"{t} 收入总计应等于本年收入合计+弥补收支差额+年初结转和结余",
                       f"{t} income grand total must equal income total + fund make-up + carry-over")
    additions = [get(k, "expenditure") for k in ("expenditure_total", "surplus_distribution", "carryover_end")]
    if expenditure_grand and any(additions):
        yield Relation(expenditure_grand, tuple(a for a in additions if a),
                       f"{t} 支出总计应等于本年支出合计+结余分配+年末结转和结余",
                       f"{t} expenditure grand total must equal expenditure total + distribution + carry-over")
    if income_grand and expenditure_grand:
        yield Relation(expenditure_grand, (income_grand,), f"{t} 收入总计应等于支出总计",
                       f"{t} income and expenditure grand totals must be equal")
    for parent in ("carryover_begin", "carryover_end"):
        side = "income" if parent.endswith("begin") else "expenditure"
        total = get(parent, side)
        subs = [i for i, r in enumerate(table.rows) if (r["key"] or "").startswith(parent + ".")]
        if total and subs:
            yield Relation(total, tuple(table.cell(i, "total") for i in subs),
                           f"{t} {table.rows[total.row_index]['label']} 应等于其明细之和",
                           f"{t} {parent} must equal the sum of its sub-lines")


def appropriation_row_relations(table: View) -> Iterator[Relation]:
    """表四: every expenditure row's 合计 = 一般公共预算 + 政府性基金 (+ 国有资本经营)."""
    funds = [c for c in FUND_LINES if c in table.columns]
    for index in table.where(side="expenditure"):
        parts = [table.cell(index, c) for c in funds]
        if any(p.value is not None for p in parts):
            yield Relation(table.cell(index, "total"), tuple(parts),
                           f"{name_of(table)} {table.rows[index]['label']} 合计应等于各资金来源之和",
                           f"{name_of(table)} {table.rows[index]['label']}: total must equal the sum of the funds")


def basic_expenditure_relations(table: View) -> Iterator[Relation]:
    """表六: 人员经费合计 = 301 + 303; 公用经费合计 = 302 + 310."""
    found = table.by_code
    for key, classes, zh in (("personnel_total", PERSONNEL_CLASSES, "人员经费合计"),
                             ("public_total", PUBLIC_CLASSES, "公用经费合计")):
        row = table.row_of(key)
        if row is None:
            continue
        parts = [table.cell(i, "total") for c in classes for i in found.get(c, [])]
        yield Relation(table.cell(row, "total"), tuple(parts),
                       f"{name_of(table)} {zh}应等于{'+'.join(classes)}", f"{name_of(table)} {key} must equal {' + '.join(classes)}")


def three_public_relations(table: View) -> Iterator[Relation]:
    """表七: 合计 = 出国 + 车 + 接待; 车 = 购置 + 运行; for 预算数 and 决算数 separately."""
    for total, parts in (("total", ("abroad", "vehicle", "reception")), ("vehicle", ("vehicle_purchase", "vehicle_running"))):
        row = table.row_of(total)
        rows = [table.row_of(p) for p in parts]
        if row is None or None in rows:
            continue
        for column in table.columns:
            yield Relation(table.cell(row, column), tuple(table.cell(r, column) for r in rows),
                           f"{name_of(table)} {table.rows[row]['label']}（{column_name(table, column)}）应等于其各项之和",
                           f"{name_of(table)} {total} ({column}) must equal {' + '.join(parts)}")


def fund_balance_relations(table: View) -> Iterator[Relation]:
    """表八/表九: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余."""
    if not {"begin", "income", "total", "end"} <= set(table.columns):
        return
    for row in range(len(table.rows)):
        label = table.name(row)
        yield Relation(table.cell(row, "end"), (table.cell(row, "begin"), table.cell(row, "income"), table.cell(row, "total")),
                       f"{name_of(table)} {label} 年末结转和结余应等于年初+本年收入−本年支出",
                       f"{name_of(table)} {label}: end balance must equal begin + income − expenditure", signs=(1, 1, -1))


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
        if table.kind in ("government_fund", "state_capital"):
            yield from fund_balance_relations(table)


def tables_of(check: Check, kinds) -> list[View]:
    found = [t for k, t in check.views.items() if k in kinds]
    if not found:
        raise NotApplicable(f"none of the tables {', '.join(kinds)}")
    return found


# -- inside a table -----------------------------------------------------------------------------
@rule("FA-T001", "error", "款等于其项之和", "款 equals the sum of its 项", needs=CODED)
def item_rollup(check: Check) -> list[Finding]:
    """In every table by function code (表二, 表三, 表五, 表八, 表九) and every amount column, a 款 row
    equals the sum of its 项 rows. Basis: primer, inside a table, hierarchy."""
    return [f for t in tables_of(check, CODED) for f in check.relations(hierarchy_relations(t, 2))]


@rule("FA-T002", "error", "类等于其款之和", "类 equals the sum of its 款", needs=CODED)
def class_rollup(check: Check) -> list[Finding]:
    """In every table by function code, a 类 row equals the sum of its 款 rows (a 项 whose 款 row
    is missing counts directly). Basis: primer, hierarchy."""
    return [f for t in tables_of(check, CODED) for f in check.relations(hierarchy_relations(t, 1))]


@rule("FA-T003", "error", "合计等于各类之和", "合计 equals the sum of the 类", needs=CODED)
def grand_total_rollup(check: Check) -> list[Finding]:
    """In every table by function code, the 合计 row equals the sum of the 类 rows, per column.
    Basis: primer, hierarchy."""
    return [f for t in tables_of(check, CODED) for f in check.relations(hierarchy_relations(t, None))]


@rule("FA-T004", "error", "行内合计等于各栏之和", "Row total equals its columns", needs=CODED)
def row_identity(check: Check) -> list[Finding]:
    """Each row: 表二 本年收入合计 = Σ income sources; 表三 本年支出合计 = 基本 + 项目 + 上缴上级 +
    经营 + 对附属单位补助; 表五, 表八, 表九 本年支出 = 基本支出 + 项目支出. Basis: primer, rows."""
    return [f for t in tables_of(check, CODED) for f in check.relations(row_identity_relations(t))]


@rule("FA-T005", "error", "结转结余平衡", "Fund balance carries forward", needs=("government_fund", "state_capital"))
def fund_balance(check: Check) -> list[Finding]:
    """表八 (and 表九), every row: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余.
    Basis: primer, rows."""
    tables = tables_of(check, ("government_fund", "state_capital"))
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


@rule("FA-T031", "error", "经济分类类等于其款之和", "Economic 类 equals its 款", needs=("basic_expenditure",))
def economic_rollup(check: Check) -> list[Finding]:
    """表六: each economic 类 row (301, 302, 303, 310 …) equals the sum of its 款 rows.
    Basis: primer, 表六."""
    return check.relations(hierarchy_relations(check.table("basic_expenditure"), 1))


@rule("FA-T040", "error", "“三公”经费合计", "Three public expenses add up", needs=("three_public",))
def three_public_totals(check: Check) -> list[Finding]:
    """表七, for 预算数 and 决算数 separately: 合计 = 因公出国（境）费 + 公务用车购置及运行费 +
    公务接待费; 公务用车购置及运行费 = 购置费 + 运行费. Basis: primer, 表七."""
    return check.relations(three_public_relations(check.table("three_public")))


@rule("FA-T050", "error", "应填金额为空", "Required cell left blank")
def required_blank(check: Check) -> list[Finding]:
    """A total that the table's relations require (合计, 类 and 款 rows, row totals, 本年收入合计,
    本年支出合计, 总计, …) is blank while its parts are not all blank or zero. Blank is "not
    reported", not zero. Basis: primer, "a required blank is itself a finding"."""
    findings = []
    for relation in all_inside_relations(check):
        if not relation.required or relation.total.value is not None:
            continue
        expected, count = relation.expected()
        if count and expected != 0:
            findings.append(check.finding(
                relation.total,
                f"{relation.what_zh}：该单元格为空，其明细之和为 {expected:.2f}",
                f"{relation.what_en}: the cell is blank while its parts add up to {expected:.2f}",
                cells=(relation.total, *relation.parts), expected=expected, actual=None,
            ))
    return findings


# -- between tables -----------------------------------------------------------------------------
def equal_cells(check: Check, left, right, zh: str, en: str) -> Finding | None:
    """Two printed cells that must be equal (rounding band of one addend); skipped if either is blank."""
    if left is None or right is None or left.value is None or right.value is None:
        return None
    return check.relation(Relation(left, (right,), zh, en))


def class_rows(table: View, side: str | None = None) -> dict[str, int]:
    return {table.rows[i]["code"]: i for i in table.where(side=side, level=1)}


def grand(table: View, column: str):
    row = table.row_of("grand_total")
    return table.cell(row, column) if row is not None and column in table.columns else None


@rule("FA-X001", "error", "表一支出与支出决算表一致", "Summary expenditure matches 表三", needs=("summary", "expenditure"))
def summary_vs_expenditure(check: Check) -> list[Finding]:
    """表一 expenditure by 类 equals the 类 rows of 表三 (本年支出合计 column), and 表一 本年支出合计
    equals 表三 合计; a 类 printed in one table with an amount but absent from the other is a finding.
    Basis: primer, between tables."""
    summary, expenditure = check.table("summary"), check.table("expenditure")
    findings = []
    left, right = class_rows(summary, "expenditure"), class_rows(expenditure)
    for code in sorted(set(left) | set(right)):
        a = summary.cell(left[code], "total") if code in left else None
        b = expenditure.cell(right[code], "total") if code in right else None
        if a is not None and b is not None:
            finding = equal_cells(check, a, b, f"表一 {code} 支出应等于支出决算表同类支出", f"表一 {code} must equal 表三 {code}")
        elif (a or b).value:
            present = a or b
            finding = check.finding(present, f"{present.source} 列有 {code} {present.value:.2f}，另一表无此类",
                                    f"{code} ({present.value:.2f}) appears in only one of 表一 and 表三")
        else:
            finding = None
        findings += [finding] if finding else []
    row = summary.row_of("expenditure_total", "expenditure")
    if row is not None:
        finding = equal_cells(check, summary.cell(row, "total"), grand(expenditure, "total"),
                              "表一 本年支出合计应等于支出决算表合计", "表一 expenditure total must equal 表三 合计")
        findings += [finding] if finding else []
    return findings


@rule("FA-X002", "error", "表一收入与收入决算表一致", "Summary income matches 表二", needs=("summary", "income"))
def summary_vs_income(check: Check) -> list[Finding]:
    """表一 income lines equal the 合计 row of 表二 column by column (财政拨款 ↔ 财政拨款收入, 事业收入,
    经营收入, 上级补助收入, 附属单位上缴收入, 其他收入; 本年收入合计 ↔ 本年收入合计). Basis: primer."""
    summary, income = check.table("summary"), check.table("income")
    findings = []
    for key, column in SUMMARY_INCOME_COLUMNS.items():
        row = summary.row_of(key, "income")
        if row is None:
            continue
        finding = equal_cells(check, summary.cell(row, "total"), grand(income, column),
                              f"表一 {summary.rows[row]['label']} 应等于收入决算表合计行{column_name(income, column)}",
                              f"表一 {key} must equal 表二 合计 {column}")
        findings += [finding] if finding else []
    return findings


@rule("FA-X003", "error", "财政拨款总表与一般公共预算、政府性基金表一致",
      "Appropriation summary matches 表五 and 表八", needs=("appropriation_summary",))
def appropriation_vs_budget_tables(check: Check) -> list[Finding]:
    """表四 一般公共预算 column per 类 equals 表五 (合计 column), 政府性基金 column per 类 equals 表八
    (本年支出), 国有资本经营 equals 表九; and 表四 本年支出合计 = 表五 合计 + 表八 合计 (+ 表九 合计).
    Basis: primer, 表四 = 表五 + 表八 (+ 表九)."""
    table = check.table("appropriation_summary")
    sources = {c: check.views.get(k) for c, k in
               (("general", "general_budget"), ("fund", "government_fund"), ("state_capital", "state_capital"))}
    if not any(sources.values()):
        raise NotApplicable("no 表五, 表八 or 表九")
    findings = []
    left = class_rows(table, "expenditure")
    for column, other in sources.items():
        if other is None or column not in table.columns:
            continue
        right = class_rows(other)
        for code in sorted(set(left) | set(right)):
            a = table.cell(left[code], column) if code in left else None
            b = other.cell(right[code], "total") if code in right else None
            if a is not None and b is not None and (a.value or b.value):
                if a.value is None or b.value is None:
                    present, blank = (a, b) if a.value is not None else (b, a)
                    findings.append(check.finding(present, f"{present.source} {code} 为 {present.value:.2f}，{blank.source} 为空",
                                                  f"{code}: {present.value:.2f} in {present.source}, blank in {blank.source}",
                                                  cells=(a, b)))
                elif finding := equal_cells(check, a, b, f"表四 {code} {column_name(table, column)} 应等于{name_of(other)}同类合计",
                                            f"表四 {code} {column} must equal {name_of(other)} {code}"):
                    findings.append(finding)
            elif (present := a or b) is not None and present.value:
                findings.append(check.finding(present, f"{present.source} 列有 {code} {present.value:.2f}，{name_of(other)}/表四 无此类",
                                              f"{code} {column} ({present.value:.2f}) appears in only one of 表四 and {name_of(other)}"))
    row = table.row_of("expenditure_total", "expenditure")
    totals = [grand(t, "total") for t in sources.values() if t is not None]
    if row is not None and all(t is not None for t in totals):
        relation = Relation(table.cell(row, "total"), tuple(totals), "表四 本年支出合计应等于表五、表八（表九）合计之和",
                            "表四 expenditure total must equal 表五 + 表八 (+ 表九) totals")
        findings += [f] if (f := check.relation(relation)) else []
    return findings


@rule("FA-X004", "error", "财政拨款收入与收入表一致", "Appropriation income matches 表一/表二",
      needs=("appropriation_summary",))
def appropriation_income(check: Check) -> list[Finding]:
    """表四 本年收入合计 (all fiscal appropriations) equals 表二 合计 财政拨款收入 and the 财政拨款 line
    of 表一 (or, from 2019, the sum of its fund lines); 表四 政府性基金 income equals 表八 合计 本年收入.
    Basis: primer, "表四 income from funds = the fund lines of 表一/表二"; "表八 本年收入 = 表四 政府性基金 income"."""
    table = check.table("appropriation_summary")
    findings = []
    row = table.row_of("income_total", "income")
    total = table.cell(row, "total") if row is not None else None
    if "income" in check.views:
        income = check.views["income"]
        fiscal = grand(income, "fiscal")
        findings.append(equal_cells(check, total, fiscal, "表四 本年收入合计应等于收入决算表财政拨款收入",
                                    "表四 income total must equal 表二 财政拨款收入"))
    if "summary" in check.views:
        summary = check.views["summary"]
        fiscal_row = summary.row_of("fiscal", "income")
        if fiscal_row is not None:
            findings.append(equal_cells(check, total, summary.cell(fiscal_row, "total"),
                                        "表四 本年收入合计应等于表一财政拨款", "表四 income total must equal 表一 财政拨款"))
        for key in FUND_LINES:
            a, b = table.row_of(key, "income"), summary.row_of(key, "income")
            if a is not None and b is not None:
                findings.append(equal_cells(check, table.cell(a, "total"), summary.cell(b, "total"),
                                            f"表四 {table.rows[a]['label']} 应等于表一同名收入", f"表四 {key} must equal 表一 {key}"))
    for key, kind in (("fund", "government_fund"), ("state_capital", "state_capital")):
        row = table.row_of(key, "income")
        if row is not None and kind in check.views:
            findings.append(equal_cells(check, table.cell(row, "total"), grand(check.views[kind], "income"),
                                        f"表四 {table.rows[row]['label']} 收入应等于{name_of(check.views[kind])}本年收入",
                                        f"表四 {key} income must equal {kind} income"))
    if len(findings) == 0:
        raise NotApplicable("no 表一, 表二 or 表八 to compare with")
    return [f for f in findings if f]


@rule("FA-X005", "error", "一般公共预算支出不超过全部支出", "Fiscal spending within all spending",
      needs=("general_budget", "expenditure"))
def general_within_expenditure(check: Check) -> list[Finding]:
    """表五 row ≤ 表三 row of the same code, for 合计, 基本支出 and 项目支出: fiscal money is part of all
    money. A code in 表五 missing from 表三 is a finding too. Basis: primer, between tables."""
    general, expenditure = check.table("general_budget"), check.table("expenditure")
    right = expenditure.by_code
    findings = []
    for code, rows in general.by_code.items():
        for row in rows:
            for column in ("total", "basic", "project"):
                part = general.cell(row, column)
                if code not in right:
                    if column == "total" and part.value:
                        findings.append(check.finding(part, f"表五 {code} 在支出决算表中无对应行", f"表五 {code} has no row in 表三"))
                    continue
                whole = expenditure.cell(right[code][0], column)
                finding = check.at_most(part, whole, f"表五 {code} {column_name(general, column)} 不应大于表三同科目",
                                        f"表五 {code} {column} must not exceed 表三")
                findings += [finding] if finding else []
    return findings


@rule("FA-X006", "error", "基本支出与人员经费、公用经费一致", "表五 基本支出 = 表六", needs=("general_budget", "basic_expenditure"))
def basic_matches_economic(check: Check) -> list[Finding]:
    """表五 合计 基本支出 = 表六 人员经费合计 + 公用经费合计. Basis: primer, between tables."""
    general, basic = check.table("general_budget"), check.table("basic_expenditure")
    total = grand(general, "basic")
    parts = [basic.cell(r, "total") for k in ("personnel_total", "public_total") if (r := basic.row_of(k)) is not None]
    if total is None or not parts:
        raise InsufficientData("表五 合计 基本支出 or 表六 人员经费合计/公用经费合计 not found")
    return check.relations([Relation(total, tuple(parts), "表五 基本支出合计应等于表六人员经费与公用经费之和",
                                     "表五 basic total must equal 表六 personnel + public totals")])


@rule("FA-X007", "error", "“三公”明细不超过三公经费决算", "表六 三公 items within 表七", needs=("basic_expenditure", "three_public"))
def economic_within_three_public(check: Check) -> list[Finding]:
    """表六 items that are 三公 (30212 因公出国（境）费用, 30217 公务接待费, 30231 公务用车运行维护费,
    31013 公务用车购置) ≤ the matching 表七 决算数 (表七 also covers 项目支出, so ≤, not =).
    Basis: primer, between tables."""
    basic, three = check.table("basic_expenditure"), check.table("three_public")
    found = basic.by_code
    findings = []
    for code, item in THREE_PUBLIC_ECONOMIC.items():
        row = three.row_of(item)
        for index in found.get(code, []):
            if row is None:
                continue
            finding = check.at_most(basic.cell(index, "total"), three.cell(row, "actual"),
                                    f"表六 {code} 不应大于表七 {three.rows[row]['label']} 决算数",
                                    f"表六 {code} must not exceed 表七 {item} actual")
            findings += [finding] if finding else []
    return findings


@rule("FA-X008", "error", "政府性基金表与财政拨款总表结转一致", "表八 balances match 表四", needs=("government_fund", "appropriation_summary"))
def fund_vs_appropriation(check: Check) -> list[Finding]:
    """表八 合计 年初结转和结余 = 表四 年初结转 政府性基金 line; 年末 likewise (the sub-line, or the
    政府性基金 column of 表四's 年末 row). Basis: primer, "表八 年初/年末 = 表四 fund parts of 结转结余"."""
    fund, table = check.table("government_fund"), check.table("appropriation_summary")
    findings = []
    begin = table.row_of("carryover_begin.fund", "income")
    if begin is not None:
        findings.append(equal_cells(check, grand(fund, "begin"), table.cell(begin, "total"),
                                    "表八 年初结转和结余应等于表四年初政府性基金结转", "表八 begin must equal 表四 fund carry-over"))
    end = table.row_of("carryover_end.fund", "expenditure")
    end_cell = table.cell(end, "total") if end is not None else None
    if end_cell is None and (row := table.row_of("carryover_end", "expenditure")) is not None and "fund" in table.columns:
        end_cell = table.cell(row, "fund")
    findings.append(equal_cells(check, grand(fund, "end"), end_cell,
                                "表八 年末结转和结余应等于表四年末政府性基金结转", "表八 end must equal 表四 fund carry-over"))
    if begin is None and end_cell is None:
        raise InsufficientData("表四 prints no 政府性基金 part of its carry-over")
    return [f for f in findings if f]


@rule("FA-X009", "error", "财政拨款支出不超过全部支出", "Fiscal appropriation within the summary", needs=("appropriation_summary", "summary"))
def appropriation_within_summary(check: Check) -> list[Finding]:
    """表四 expenditure per 类 ≤ 表一 expenditure of the same 类; 表四 年初结转 ≤ 表一 上年结转:
    appropriations are part of all money. Basis: primer (fiscal money is part of all money)."""
    table, summary = check.table("appropriation_summary"), check.table("summary")
    left, right = class_rows(table, "expenditure"), class_rows(summary, "expenditure")
    findings = [check.at_most(table.cell(left[c], "total"), summary.cell(right[c], "total"),
                              f"表四 {c} 不应大于表一同类支出", f"表四 {c} must not exceed 表一 {c}")
                for c in sorted(set(left) & set(right))]
    a, b = table.row_of("carryover_begin", "income"), summary.row_of("carryover_begin", "income")
    if a is not None and b is not None:
        findings.append(check.at_most(table.cell(a, "total"), summary.cell(b, "total"),
                                      "表四 年初财政拨款结转和结余不应大于表一上年结转", "表四 carry-over must not exceed 表一"))
    return [f for f in findings if f]


# -- codes ----------------------------------------------------------------------------------------
def coded_rows(check: Check) -> Iterator[tuple[View, int, str]]:
    for table in check.views.values():
        if table.kind in CODED or table.kind == "basic_expenditure":
            for code, rows in table.by_code.items():
                for row in rows:
                    yield table, row, code


@rule("FA-C001", "error", "科目编码格式错误", "Malformed classification code")
def malformed_code(check: Check) -> list[Finding]:
    """Every function code has 3 (类), 5 (款) or 7 (项) digits; every economic code 3 or 5.
    Basis: primer, code checks."""
    return [
        check.finding(t.cell(row, "label"), f"{name_of(t)} 科目编码 {code} 长度或字符不符（应为3/5/7位数字）",
                      f"{name_of(t)} code {code}: not a 3/5/7-digit code")
        for t, row, code in coded_rows(check) if codes.level(code, t.system) is None
    ]


@rule("FA-C002", "error", "上级科目缺失", "Parent code missing")
def parent_missing(check: Check) -> list[Finding]:
    """A 款 or 项 row's parent (its 类 or 款) is printed in the same table. Basis: primer, code checks."""
    findings = []
    for t, row, code in coded_rows(check):
        parent = codes.parent(code, t.system)
        if parent and parent not in t.by_code:
            findings.append(check.finding(t.cell(row, "label"), f"{name_of(t)} {code} 的上级科目 {parent} 未列示",
                                          f"{name_of(t)} {code}: parent {parent} is not in the table"))
    return findings


@rule("FA-C003", "warning", "科目编码不在当年科目表中", "Code not in the year's list")
def unknown_code(check: Check) -> list[Finding]:
    """A well-formed code should be in that year's 政府收支分类科目 (or 支出经济分类科目). finaudit's
    list covers all 类 and the 款/项 departments use most, so a miss is a warning: check it.
    Basis: primer, code checks."""
    year = check.report.meta.year
    if not year:
        raise InsufficientData("the report's year is unknown")
    findings = []
    for t, row, code in coded_rows(check):
        if codes.level(code, t.system) is None or codes.name(code, year, t.system):
            continue
        other = codes.known_names(code, t.system)
        note_zh = f"（其他年度名称：{'、'.join(other)}）" if other else ""
        note_en = f" (names in other years: {', '.join(other)})" if other else ""
        findings.append(check.finding(t.cell(row, "label"), f"{name_of(t)} {code} 不在 {year} 年科目表中{note_zh}",
                                      f"{name_of(t)} {code} is not in finaudit's {year} list{note_en}"))
    return findings


@rule("FA-C004", "warning", "科目名称与编码不符", "Name does not match the code")
def code_name(check: Check) -> list[Finding]:
    """A row's name is the name of its code in that year's list (brackets, spaces and enumeration
    ignored). A name of the same code from another year is reported as such. Basis: primer, code checks."""
    year = check.report.meta.year
    if not year:
        raise InsufficientData("the report's year is unknown")
    findings = []
    for t, row, code in coded_rows(check):
        official = codes.name(code, year, t.system)
        label = t.rows[row]["label"]
        if not official or codes.normalise_name(label) == codes.normalise_name(official):
            continue
        others = [n for n in codes.known_names(code, t.system) if codes.normalise_name(n) == codes.normalise_name(label)]
        zh = f"{name_of(t)} {code} 名称“{label}”，{year} 年科目表为“{official}”" + ("（为其他年度名称）" if others else "")
        en = f"{name_of(t)} {code} named {label!r}; the {year} list says {official!r}" + (" (a name of another year)" if others else "")
        findings.append(check.finding(t.cell(row, "label"), zh, en))
    return findings


# -- completeness and load ----------------------------------------------------------------------
def required_kinds(year: int | None) -> tuple[str, ...]:
    kinds = ("summary", "income", "expenditure", "appropriation_summary", "general_budget", "basic_expenditure",
             "three_public", "government_fund")
    return kinds + ("state_capital",) if year and year >= 2019 else kinds


@rule("FA-P001", "error", "缺少应公开的表", "Required table missing")
def required_tables(check: Check) -> list[Finding]:
    """The tables the year's template requires are all present: 8 for 2016–2018, 9 from 2019
    (国有资本经营预算财政拨款支出决算表). Basis: 财预〔2016〕143号 and the yearly templates."""
    return [
        check.finding(CellRef(None, kind, KIND_NAMES[kind][0], None, None),
                      f"缺少{KIND_NAMES[kind][0]}", f"the {KIND_NAMES[kind][1]} table is missing")
        for kind in required_kinds(check.report.meta.year) if kind not in check.report.tables
    ]


@rule("FA-P002", "warning", "空表未说明", "Empty table without a statement")
def empty_table_statement(check: Check) -> list[Finding]:
    """A table with no amounts carries a statement such as "本年度没有…故本表无数据".
    Basis: the templates' instructions for empty tables."""
    return [
        check.finding(CellRef(t.ordinal, t.kind, t.title, None, None, line=t.table.title_line),
                      f"{name_of(t)} 无数据且未说明原因", f"{name_of(t)} has no amounts and no statement why")
        for t in check.views.values()
        if not t.table.statement and all(r[c] is None for r in t.rows for c in t.columns)
    ]


@rule("FA-P003", "warning", "缺少情况说明", "Narrative missing")
def narrative_present(check: Check) -> list[Finding]:
    """The report has its narrative (情况说明) restating and explaining the tables.
    Basis: 财预〔2016〕143号."""
    if check.report.narrative:
        return []
    return [check.finding(CellRef(None, "narrative", "第三部分", None, None), "未找到情况说明（第三部分）",
                          "no narrative (第三部分 情况说明) found")]


@rule("FA-L001", "warning", "表格行列未对齐等读取问题", "Load problem (misaligned row, unreadable cell)")
def load_problems(check: Check) -> list[Finding]:
    """Everything the loader could not fit (rows with missing or extra cells, amounts that are not
    numbers, unknown headers) is reported with its line so that it can be checked by hand."""
    by_number = check.report.by_number()
    findings = []
    for warning in check.report.warnings:
        table = by_number.get(warning.table)
        where = CellRef(warning.table, table.kind if table else "report", warning.code, None, None,
                        line=warning.line, page=warning.page)
        findings.append(check.finding(where, f"读取问题（{warning.code}）：{warning.message}", warning.message))
    return findings
