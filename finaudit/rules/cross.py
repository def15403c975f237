"""Cross-table rules (FA-Xnnn): the relations between the tables of one report. Codes are permanent."""

from __future__ import annotations

from finaudit.findings import Finding
from finaudit.rules.registry import Check, InsufficientData, NotApplicable, Relation, View, rule
from finaudit.rules.tables import (
    FUND_LINES,
    SUMMARY_INCOME_COLUMNS,
    THREE_PUBLIC_ECONOMIC,
    column_en,
    heading,
    name_of,
)
from finaudit.rules.subjects import Subject, line, subject


def equal_cells(check: Check, left, right, what: Subject) -> Finding | None:
    """Two printed cells that must be equal (rounding band of one addend); skipped if either is blank."""
    if left is None or right is None or left.value is None or right.value is None:
        return None
    return check.relation(Relation(left, (right,), what))


def class_rows(table: View, side: str | None = None) -> dict[str, int]:
    return {table.rows[i]["code"]: i for i in table.where(side=side, level=1)}


def grand(table: View, column: str):
    row = table.row_of("grand_total")
    return table.cell(row, column) if row is not None and column in table.columns else None


@rule("FA-X001", "error", "表一支出与支出决算表一致", "Summary expenditure matches Table 3", needs=("summary", "expenditure"),
      messages={"one_side": ("{source} 列有 {code} {value:.2f}，另一表无此类",
                             "{code} ({value:.2f}) appears in only one of Table 1 and Table 3")})
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
            finding = equal_cells(check, a, b, subject("summary_class", code=code))
        elif (a or b).value:
            present = a or b
            finding = check.say("one_side", present, source=present.cited, code=code, value=present.value)
        else:
            finding = None
        findings += [finding] if finding else []
    row = summary.row_of("expenditure_total", "expenditure")
    if row is not None:
        finding = equal_cells(check, summary.cell(row, "total"), grand(expenditure, "total"),
                              subject("summary_expenditure"))
        findings += [finding] if finding else []
    return findings


@rule("FA-X002", "error", "表一收入与收入决算表一致", "Summary income matches Table 2", needs=("summary", "income"))
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
                              subject("summary_income", line=line(summary.rows[row]['label'], key),
                                      column=heading(income, column)))
        findings += [finding] if finding else []
    return findings


@rule("FA-X003", "error", "财政拨款总表与一般公共预算、政府性基金表一致",
      "Appropriation summary matches Table 5 and Table 8", needs=("appropriation_summary",), messages={
          "blank_side": ("{source} {code} 为 {value:.2f}，{blank} 为空", "{code}: {value:.2f} in {source}, blank in {blank}"),
          "one_side": ("{source} 列有 {code} {value:.2f}，{other}/表四 无此类",
                       "{code} {column} ({value:.2f}) appears in only one of Table 4 and {other}")})
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
                    findings.append(check.say("blank_side", present, cells=(a, b), code=code, value=present.value,
                                              source=present.cited, blank=blank.cited))
                elif finding := equal_cells(check, a, b, subject("appropriation_class", code=code, other=name_of(other),
                                                                 column=heading(table, column))):
                    findings.append(finding)
            elif (present := a or b) is not None and present.value:
                findings.append(check.say("one_side", present, source=present.cited, code=code, column=column_en(column),
                                          value=present.value, other=name_of(other)))
    row = table.row_of("expenditure_total", "expenditure")
    totals = [grand(t, "total") for t in sources.values() if t is not None]
    if row is not None and all(t is not None for t in totals):
        relation = Relation(table.cell(row, "total"), tuple(totals), subject("appropriation_total"))
        findings += [f] if (f := check.relation(relation)) else []
    return findings


@rule("FA-X004", "error", "财政拨款收入与收入表一致", "Appropriation income matches Table 1/Table 2",
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
        findings.append(equal_cells(check, total, fiscal, subject("appropriation_income")))
    if "summary" in check.views:
        summary = check.views["summary"]
        fiscal_row = summary.row_of("fiscal", "income")
        if fiscal_row is not None:
            findings.append(equal_cells(check, total, summary.cell(fiscal_row, "total"),
                                        subject("appropriation_fiscal")))
        for key in FUND_LINES:
            a, b = table.row_of(key, "income"), summary.row_of(key, "income")
            if a is not None and b is not None:
                findings.append(equal_cells(check, table.cell(a, "total"), summary.cell(b, "total"),
                                            subject("appropriation_fund_line", line=line(table.rows[a]['label'], key))))
    for key, kind in (("fund", "government_fund"), ("state_capital", "state_capital")):
        row = table.row_of(key, "income")
        if row is not None and kind in check.views:
            findings.append(equal_cells(check, table.cell(row, "total"), grand(check.views[kind], "income"),
                                        subject("appropriation_fund_income", line=line(table.rows[row]['label'], key),
                                                other=name_of(check.views[kind]))))
    if len(findings) == 0:
        raise NotApplicable("no Table 1, Table 2 or Table 8 to compare with")
    return [f for f in findings if f]


@rule("FA-X005", "error", "一般公共预算支出不超过全部支出", "Fiscal spending within all spending",
      needs=("general_budget", "expenditure"), messages={"no_row": ("表五 {code} 在支出决算表中无对应行", "Table 5 {code} has no row in Table 3")})
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
                        findings.append(check.say("no_row", part, code=code))
                    continue
                whole = expenditure.cell(right[code][0], column)
                finding = check.at_most(part, whole, subject("general_within", table=name_of(general), code=code,
                                                             column=heading(general, column), other=name_of(expenditure)))
                findings += [finding] if finding else []
    return findings


@rule("FA-X006", "error", "基本支出与人员经费、公用经费一致", "Table 5 basic expenditure = Table 6", needs=("general_budget", "basic_expenditure"))
def basic_matches_economic(check: Check) -> list[Finding]:
    """表五 合计 基本支出 = 表六 人员经费合计 + 公用经费合计. Basis: primer, between tables."""
    general, basic = check.table("general_budget"), check.table("basic_expenditure")
    total = grand(general, "basic")
    parts = [basic.cell(r, "total") for k in ("personnel_total", "public_total") if (r := basic.row_of(k)) is not None]
    if total is None or not parts:
        raise InsufficientData("Table 5 合计 基本支出 or Table 6 人员经费合计/公用经费合计 not found")
    return check.relations([Relation(total, tuple(parts), subject("basic_split"))])


@rule("FA-X007", "error", "“三公”明细不超过三公经费决算", "Table 6 items of the three public expenses within Table 7", needs=("basic_expenditure", "three_public"))
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
                                    subject("economic_within", table=name_of(basic), code=code, other=name_of(three),
                                            item=line(three.rows[row]['label'], item)))
            findings += [finding] if finding else []
    return findings


@rule("FA-X008", "error", "政府性基金表与财政拨款总表结转一致", "Table 8 balances match Table 4", needs=("government_fund", "appropriation_summary"))
def fund_vs_appropriation(check: Check) -> list[Finding]:
    """表八 合计 年初结转和结余 = 表四 年初结转 政府性基金 line; 年末 likewise (the sub-line, or the
    政府性基金 column of 表四's 年末 row). Basis: primer, "表八 年初/年末 = 表四 fund parts of 结转结余"."""
    fund, table = check.table("government_fund"), check.table("appropriation_summary")
    findings = []
    begin = table.row_of("carryover_begin.fund", "income")
    if begin is not None:
        findings.append(equal_cells(check, grand(fund, "begin"), table.cell(begin, "total"),
                                    subject("fund_begin")))
    end = table.row_of("carryover_end.fund", "expenditure")
    end_cell = table.cell(end, "total") if end is not None else None
    if end_cell is None and (row := table.row_of("carryover_end", "expenditure")) is not None and "fund" in table.columns:
        end_cell = table.cell(row, "fund")
    findings.append(equal_cells(check, grand(fund, "end"), end_cell,
                                subject("fund_end")))
    if begin is None and end_cell is None:
        raise InsufficientData("Table 4 prints no 政府性基金 part of its carry-over")
    return [f for f in findings if f]


@rule("FA-X009", "error", "财政拨款支出不超过全部支出", "Fiscal appropriation within the summary", needs=("appropriation_summary", "summary"))
def appropriation_within_summary(check: Check) -> list[Finding]:
    """表四 expenditure per 类 ≤ 表一 expenditure of the same 类; 表四 年初结转 ≤ 表一 上年结转:
    appropriations are part of all money. Basis: primer (fiscal money is part of all money)."""
    table, summary = check.table("appropriation_summary"), check.table("summary")
    left, right = class_rows(table, "expenditure"), class_rows(summary, "expenditure")
    findings = [check.at_most(table.cell(left[c], "total"), summary.cell(right[c], "total"),
                              subject("appropriation_within", table=name_of(table), code=c, other=name_of(summary)))
                for c in sorted(set(left) & set(right))]
    a, b = table.row_of("carryover_begin", "income"), summary.row_of("carryover_begin", "income")
    if a is not None and b is not None:
        findings.append(check.at_most(table.cell(a, "total"), summary.cell(b, "total"),
                                      subject("carryover_within", table=name_of(table), other=name_of(summary))))
    return [f for f in findings if f]


# -- codes ----------------------------------------------------------------------------------------
