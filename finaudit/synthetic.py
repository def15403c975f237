"""Synthetic *consistent* reports, for property tests and benchmarks.

Amounts are drawn exactly in 元 (1/10000 万元) and every table is derived from them, so that
every cross-footing relation of the domain primer holds exactly; then each printed value is
rounded half-up to 0.01 万元 on its own, as real reports are. Roll-ups therefore differ from their
printed parts only within the rounding band 0.005 × (n + 1).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from finaudit import codes
from finaudit.model import Definition, Meta, Paragraph, Report, Section, Table, build_table, format_amount
from finaudit.words import chinese_numeral

CENT = Decimal("0.01")

YUAN_PER_HUNDREDTH = 100  # 0.01 万元 = 100 元

INCOME_COLUMNS = {
    "total": "本年收入合计",
    "fiscal": "财政拨款收入",
    "superior": "上级补助收入",
    "business": "事业收入",
    "operating": "经营收入",
    "affiliated": "附属单位上缴收入",
    "other": "其他收入",
}
EXPENDITURE_COLUMNS = {
    "total": "本年支出合计",
    "basic": "基本支出",
    "project": "项目支出",
    "to_superior": "上缴上级支出",
    "operating": "经营支出",
    "subsidy": "对附属单位补助支出",
}
GENERAL_COLUMNS = {"total": "合计", "basic": "基本支出", "project": "项目支出"}
FUND_COLUMNS = {
    "begin": "年初结转和结余",
    "income": "本年收入",
    "total": "本年支出合计",
    "basic": "基本支出",
    "project": "项目支出",
    "end": "年末结转和结余",
}
#: 表六 economic 款 drawn from, by 类; the 三公 items are always present so that 表七 ≥ 表六 is exercised.
PERSONNEL = {"301": ["30101", "30102", "30103", "30108", "30112", "30199"], "303": ["30301", "30302", "30305"]}
PUBLIC = {"302": ["30201", "30211", "30212", "30217", "30228", "30231", "30299"], "310": ["31002", "31013"]}
THREE_PUBLIC_ITEMS = {"abroad": "30212", "reception": "30217", "vehicle_running": "30231", "vehicle_purchase": "31013"}


def printed(yuan: int) -> int:
    """Exact 元 → printed hundredths of 万元, rounded half up."""
    return int((Decimal(yuan) / YUAN_PER_HUNDREDTH).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _blank_if_zero(yuan: int) -> int | None:
    return None if yuan == 0 else printed(yuan)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` split into `parts` non-negative integers."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


#: The 类 synthetic reports draw their 项 from (224 from 2019 on): those of typical department reports,
#: fixed so that a seed keeps the shape of its report as finaudit's code lists grow.
CLASSES = ("201", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214", "221", "224", "229")


def _pick_codes(rng: random.Random, year: int) -> list[str]:
    """A few 项 codes with their 款 and 类 in that year's list."""
    catalogue = codes.catalogue(year)
    items = [c for c in catalogue if len(c) == 7 and c[:3] in CLASSES and c[:5] in catalogue and c[:3] in catalogue]
    chosen: set[str] = set()
    for klass in rng.sample(sorted({c[:3] for c in items}), k=rng.randint(2, 4)):
        candidates = [c for c in items if c.startswith(klass)]
        chosen.update(rng.sample(candidates, k=min(len(candidates), rng.randint(1, 3))))
    return sorted(chosen)


def _rollup(leaf_values: dict[str, dict[str, int]], columns) -> list[tuple[str | None, dict[str, int]]]:
    """Exact values per 项 → rows in print order: 合计, then each 类, its 款 and their 项."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, values in leaf_values.items():
        for key in columns:
            for prefix in dict.fromkeys((None, code[:3], code[:5], code)):
                totals[prefix][key] += values.get(key, 0)
    order = sorted({p for code in leaf_values for p in (code[:3], code[:5], code)})
    return [(None, totals[None])] + [(code, totals[code]) for code in order]


def _coded_table(kind, number, title, columns, leaf_values, year) -> Table:
    catalogue = codes.catalogue(year)
    rows = []
    for code, values in _rollup(leaf_values, columns):
        row = {"code": code, "label": catalogue[code] if code else "合计", "key": None if code else "grand_total"}
        row.update({key: _blank_if_zero(values[key]) for key in columns})
        rows.append(row)
    sides = [("", ["code", "name"], list(columns))]
    return build_table(kind, number, title, columns, rows, unit="万元", sides=sides, layout="coded")


def generate(seed: int, year: int = 2017) -> Report:
    """A consistent report: all eight tables of the 2016–2018 template, a narrative and a glossary."""
    rng = random.Random(seed)
    catalogue = codes.catalogue(year)
    leaves = _pick_codes(rng, year)
    fund_leaves = set(rng.sample(leaves, k=rng.randint(0, min(2, len(leaves) - 1))))
    amount = lambda low, high: rng.randint(low, high) * rng.choice([1, 1, 1, 10, 100])  # noqa: E731

    general, fund, expenditure, income = {}, {}, {}, {}
    for code in leaves:
        if code in fund_leaves:
            begin, spent = amount(0, 200_000), amount(1, 900_000)
            receipt = max(0, spent - begin) + amount(0, 100_000)
            fund[code] = {"begin": begin, "income": receipt, "total": spent, "basic": 0, "project": spent,
                          "end": begin + receipt - spent}
            expenditure[code] = {"basic": 0, "project": spent}
        else:
            basic, project = amount(0, 3_000_000), amount(0, 2_000_000)
            general[code] = {"basic": basic, "project": project, "total": basic + project}
            other_basic, other_project = amount(0, 50_000) * rng.randint(0, 1), amount(0, 50_000) * rng.randint(0, 1)
            expenditure[code] = {"basic": basic + other_basic, "project": project + other_project}
        expenditure[code]["total"] = expenditure[code]["basic"] + expenditure[code]["project"]
    general_spent = sum(v["total"] for v in general.values())
    general_begin = amount(0, 500_000)
    general_income = max(0, general_spent - general_begin) + amount(0, 300_000)
    fund_income = sum(v["income"] for v in fund.values())
    fund_begin = sum(v["begin"] for v in fund.values())
    # 表二: fiscal income by code adds up to the appropriation income of 表四.
    shares = _split(rng, general_income, max(1, len(general)))
    for code in leaves:
        fiscal = fund[code]["income"] if code in fund else shares.pop()
        sources = {"fiscal": fiscal, "business": amount(0, 40_000) * rng.randint(0, 1), "other": amount(0, 9_000) * rng.randint(0, 1)}
        income[code] = {**sources, "total": sum(sources.values())}

    tables = {
        "income": _coded_table("income", 2, "收入决算表", INCOME_COLUMNS, income, year),
        "expenditure": _coded_table("expenditure", 3, "支出决算表", EXPENDITURE_COLUMNS, expenditure, year),
        "general_budget": _coded_table("general_budget", 5, "一般公共预算财政拨款支出决算表", GENERAL_COLUMNS, general, year),
        "government_fund": _coded_table("government_fund", 8, "政府性基金预算财政拨款收入支出决算表", FUND_COLUMNS, fund, year),
    }
    if year >= 2019:
        tables["state_capital"] = _coded_table("state_capital", 9, "国有资本经营预算财政拨款支出决算表", FUND_COLUMNS, {}, year)
    for kind, what in (("government_fund", "政府性基金预算"), ("state_capital", "国有资本经营预算")):
        if kind in tables and tables[kind].is_empty():
            tables[kind].notes = [f"注：本部门本年度没有{what}财政拨款收入和支出，故本表无数据。"]
            tables[kind].statement = tables[kind].notes[0]

    income_total = sum(v["total"] for v in income.values())
    spent_total = sum(v["total"] for v in expenditure.values())
    appropriation_begin = general_begin + fund_begin
    carry_begin = appropriation_begin + max(0, spent_total - income_total - appropriation_begin) + amount(0, 800_000)
    by_class: dict[str, int] = defaultdict(int)
    for code, values in expenditure.items():
        by_class[code[:3]] += values["total"]
    column_totals = {k: sum(v.get(k, 0) for v in income.values()) for k in INCOME_COLUMNS}
    income_lines = [("fiscal", "财政拨款"), ("superior", "上级补助收入"), ("business", "事业收入"),
                    ("operating", "事业单位经营收入"), ("affiliated", "附属单位上缴收入"), ("other", "其他收入")]
    summary_rows = [
        {"side": "income", "label": f"{chinese_numeral(i)}、{label}", "key": key, "total": _blank_if_zero(column_totals[key])}
        for i, (key, label) in enumerate(income_lines, 1)
    ]
    summary_rows += [
        {"side": "income", "label": "本年收入合计", "key": "income_total", "total": printed(income_total)},
        {"side": "income", "label": "用事业基金弥补收支差额", "key": "fund_makeup", "total": None},
        {"side": "income", "label": "上年结转", "key": "carryover_begin", "total": _blank_if_zero(carry_begin)},
        {"side": "income", "label": "收入总计", "key": "grand_total", "total": printed(income_total + carry_begin)},
    ]
    summary_rows += [
        {"side": "expenditure", "code": klass, "label": f"{chinese_numeral(i)}、{catalogue[klass]}", "total": printed(value)}
        for i, (klass, value) in enumerate(sorted(by_class.items()), 1)
    ]
    summary_rows += [
        {"side": "expenditure", "label": "本年支出合计", "key": "expenditure_total", "total": printed(spent_total)},
        {"side": "expenditure", "label": "结余分配", "key": "surplus_distribution", "total": None},
        {"side": "expenditure", "label": "年末结转与结余", "key": "carryover_end",
         "total": _blank_if_zero(income_total + carry_begin - spent_total)},
        {"side": "expenditure", "label": "支出总计", "key": "grand_total", "total": printed(income_total + carry_begin)},
    ]
    tables["summary"] = build_table(
        "summary", 1, "收入支出决算总表", {"total": "决算数"}, summary_rows, unit="万元", layout="two_sided",
        sides=[("income", ["label"], ["total"]), ("expenditure", ["label"], ["total"])],
    )

    general_by_class: dict[str, int] = defaultdict(int)
    fund_by_class: dict[str, int] = defaultdict(int)
    for code, values in general.items():
        general_by_class[code[:3]] += values["total"]
    for code, values in fund.items():
        fund_by_class[code[:3]] += values["total"]
    fund_spent = sum(fund_by_class.values())
    grand = general_income + fund_income + appropriation_begin
    rows = [
        {"side": "income", "label": "一、一般公共预算财政拨款", "key": "general", "total": _blank_if_zero(general_income)},
        {"side": "income", "label": "二、政府性基金预算财政拨款", "key": "fund", "total": _blank_if_zero(fund_income)},
        {"side": "income", "label": "本年收入合计", "key": "income_total", "total": printed(general_income + fund_income)},
        {"side": "income", "label": "年初财政拨款结转和结余", "key": "carryover_begin", "total": _blank_if_zero(appropriation_begin)},
        {"side": "income", "label": "一般公共预算财政拨款", "key": "carryover_begin.general", "total": _blank_if_zero(general_begin)},
        {"side": "income", "label": "政府性基金预算财政拨款", "key": "carryover_begin.fund", "total": _blank_if_zero(fund_begin)},
        {"side": "income", "label": "合计", "key": "grand_total", "total": printed(grand)},
    ]
    for i, klass in enumerate(sorted(set(general_by_class) | set(fund_by_class)), 1):
        g, f = general_by_class.get(klass, 0), fund_by_class.get(klass, 0)
        rows.append({"side": "expenditure", "code": klass, "label": f"{chinese_numeral(i)}、{catalogue[klass]}",
                     "total": printed(g + f), "general": _blank_if_zero(g), "fund": _blank_if_zero(f)})
    end = grand - general_spent - fund_spent
    rows += [
        {"side": "expenditure", "label": "本年支出合计", "key": "expenditure_total", "total": printed(general_spent + fund_spent),
         "general": _blank_if_zero(general_spent), "fund": _blank_if_zero(fund_spent)},
        {"side": "expenditure", "label": "年末结转和结余", "key": "carryover_end", "total": _blank_if_zero(end),
         "general": _blank_if_zero(general_income + general_begin - general_spent),
         "fund": _blank_if_zero(fund_income + fund_begin - fund_spent)},
        {"side": "expenditure", "label": "合计", "key": "grand_total", "total": printed(grand)},
    ]
    for side in ("income", "expenditure"):
        for n, row in enumerate((r for r in rows if r["side"] == side), 1 if side == "income" else 20):
            row["row_no"] = n
    tables["appropriation_summary"] = build_table(
        "appropriation_summary", 4, "财政拨款收入支出决算总表",
        {"total": "合计", "general": "一般公共预算财政拨款", "fund": "政府性基金预算财政拨款"}, rows, unit="万元",
        layout="two_sided",
        sides=[("income", ["label", "row_no"], ["total"]), ("expenditure", ["label", "row_no"], ["total", "general", "fund"])],
    )

    basic_total = sum(v["basic"] for v in general.values())
    personnel_total, public_total = _split(rng, basic_total, 2)
    economic = codes.catalogue(year, codes.ECONOMIC)
    basic_rows, items = [], {}
    for side, groups, side_total, total_label in (
        ("personnel", PERSONNEL, personnel_total, "人员经费合计"),
        ("public", PUBLIC, public_total, "公用经费合计"),
    ):
        groups = {k: [c for c in v if c in economic] for k, v in groups.items() if k in economic}
        parts = _split(rng, side_total, sum(len(v) for v in groups.values()))
        for klass, members in groups.items():
            values = {c: parts.pop() for c in members}
            items.update(values)
            basic_rows.append({"side": side, "code": klass, "label": economic[klass], "total": printed(sum(values.values()))})
            basic_rows += [{"side": side, "code": c, "label": economic[c], "total": _blank_if_zero(v)} for c, v in values.items()]
        basic_rows.append({"side": side, "label": total_label, "key": f"{side}_total", "total": printed(side_total)})
    tables["basic_expenditure"] = build_table(
        "basic_expenditure", 6, "一般公共预算财政拨款基本支出决算表", {"total": "金额"}, basic_rows, unit="万元",
        layout="two_sided", sides=[("personnel", ["code", "name"], ["total"]), ("public", ["code", "name"], ["total"])],
    )

    actual = {k: items.get(c, 0) + amount(0, 20_000) * rng.randint(0, 1) for k, c in THREE_PUBLIC_ITEMS.items()}
    budget = {k: amount(0, 60_000) for k in THREE_PUBLIC_ITEMS}
    three_rows = []
    for key, label in (("total", "合计"), ("abroad", "因公出国（境）费"), ("vehicle", "公务用车购置及运行费"),
                       ("vehicle_purchase", "公务用车购置费"), ("vehicle_running", "公务用车运行费"), ("reception", "公务接待费")):
        pick = {"total": list(THREE_PUBLIC_ITEMS), "vehicle": ["vehicle_purchase", "vehicle_running"]}.get(key, [key])
        three_rows.append({"label": label, "key": key, "budget": printed(sum(budget[k] for k in pick)),
                           "actual": printed(sum(actual[k] for k in pick))})
    tables["three_public"] = build_table(
        "three_public", 7, "一般公共预算财政拨款安排的“三公”经费支出决算表", {"budget": "预算数", "actual": "决算数"},
        three_rows, unit="万元", layout="items", sides=[("", ["label"], ["budget", "actual"])],
    )

    department = f"示例区第{chinese_numeral(seed % 90 + 1)}局"
    total_text = format_amount(printed(income_total + carry_begin))
    narrative = [
        Section("一", f"{year}年度收入支出决算总体情况", None,
                [Paragraph(None, f"{year}年度收入总计{total_text}万元，支出总计{total_text}万元。")]),
        Section("二", f"{year}年度收入决算情况", None,
                [Paragraph(None, f"本年收入合计{format_amount(printed(income_total))}万元。")]),
    ]
    glossary = {
        "财政拨款收入": Definition("财政拨款收入", "指本级财政当年拨付的资金。"),
        "基本支出": Definition("基本支出", "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
    }
    return Report(
        meta=Meta(department=department, year=year, kind="final", unit="万元", source=f"synthetic:{seed}", format="synthetic"),
        tables=tables,
        overview=[Paragraph(None, "一、主要职能"), Paragraph(None, f"{department}负责本区财政管理工作。")],
        narrative=narrative,
        glossary=glossary,
    )


# -- budgets ------------------------------------------------------------------------------------------
BUDGET_INCOME_COLUMNS = {"total": "合计", "fiscal": "财政拨款收入", "business": "事业收入", "operating": "事业单位经营收入",
                         "other": "其他收入"}
BUDGET_FUNCTION_COLUMNS = {"total": "合计", "basic": "基本支出", "project": "项目支出"}
BUDGET_ECONOMIC_COLUMNS = {"total": "合计", "personnel": "人员经费", "public": "公用经费"}
WAN = 10_000  # 元 per 万元


def _wan(yuan: int) -> str:
    """元 → the 万元 figure a budget's narrative prints (two places, rounded half up)."""
    return format_amount(printed(yuan))


def _yuan_table(kind, title, columns, leaf_values, year, prefix, system=codes.FUNCTION) -> Table:
    """A coded budget table in 元 (hundredths of 元), rows 合计, 类, 款, 项 as the Shanghai set prints them."""
    catalogue = codes.catalogue(year, system)
    rows = []
    for code, values in _rollup(leaf_values, columns):
        row = {"code": code, "label": catalogue[code] if code else "合计", "key": None if code else "grand_total"}
        row.update({key: values[key] * 100 if values[key] else None for key in columns})
        rows.append(row)
    rows.append(rows.pop(0))  # the 合计 row comes last in a budget table
    return build_table(kind, None, f"{year}年{prefix}{title}", columns, rows, unit="元", decimals=2,
                       sides=[("", ["code", "name"], list(columns))], layout="coded")


def generate_budget(seed: int, year: int = 2025, scope: str = "department") -> Report:
    """A consistent 部门预算 (scope "department") or 单位预算 ("unit") in the Shanghai nine-table set:
    tables in 元, the 三公 table and the narrative in 万元, the 编制说明 with one numbered item per 项."""
    rng = random.Random(seed)
    catalogue = codes.catalogue(year)
    economic = codes.catalogue(year, codes.ECONOMIC)
    leaves = _pick_codes(rng, year)
    amount = lambda low, high: rng.randint(low, high) * rng.choice([1, 10, 100])  # noqa: E731
    prefix = "部门" if scope == "department" else "预算单位"
    general, expenditure, income = {}, {}, {}
    for code in leaves:
        basic, project = amount(0, 300_000) * rng.randint(0, 1), amount(1, 200_000)
        business = amount(0, 20_000) * rng.randint(0, 1)
        general[code] = {"basic": basic, "project": project, "total": basic + project}
        expenditure[code] = {"basic": basic, "project": project + business, "total": basic + project + business}
        income[code] = {"fiscal": basic + project, "business": business, "total": basic + project + business}
    if not any(v["basic"] for v in general.values()):
        general[leaves[0]]["basic"] = expenditure[leaves[0]]["basic"] = 100_000
        for table in (general, expenditure, income):
            key = "total" if table is not income else "fiscal"
            table[leaves[0]][key] += 100_000
        income[leaves[0]]["total"] += 100_000
    tables = {
        "income": _yuan_table("income", "收入预算总表", BUDGET_INCOME_COLUMNS, income, year, prefix),
        "expenditure": _yuan_table("expenditure", "支出预算总表", BUDGET_FUNCTION_COLUMNS, expenditure, year, prefix),
        "general_budget": _yuan_table("general_budget", "一般公共预算支出功能分类预算表", BUDGET_FUNCTION_COLUMNS, general,
                                      year, prefix),
    }
    who = "本部门" if scope == "department" else "本单位"
    for kind, what, title in (("government_fund", "政府性基金预算", "政府性基金预算支出功能分类预算表"),
                              ("state_capital", "国有资本经营预算", "国有资本经营预算支出功能分类预算表")):
        table = build_table(kind, None, f"{year}年{prefix}{title}", BUDGET_FUNCTION_COLUMNS,
                            [{"label": "合计", "key": "grand_total"}], unit="元", layout="coded",
                            sides=[("", ["code", "name"], list(BUDGET_FUNCTION_COLUMNS))])
        table.notes = [f"注:{who}{year}年无{what}财政拨款安排的预算，故本表为空表。"]
        table.statement = table.notes[0]
        tables[kind] = table

    # 一般公共预算基本支出: the basic total split over economic 款 (the 三公 items among them).
    basic_total = sum(v["basic"] for v in general.values())
    personnel_total, public_total = _split(rng, basic_total, 2)
    leaf_economic: dict[str, dict[str, int]] = {}
    for groups, side_total, column in ((PERSONNEL, personnel_total, "personnel"), (PUBLIC, public_total, "public")):
        members = [c for klass, codes_ in groups.items() if klass in economic for c in codes_ if c in economic]
        for code, value in zip(members, _split(rng, side_total, len(members))):
            leaf_economic[code] = {"total": value, column: value}
    basic = _yuan_table("basic_expenditure", "一般公共预算基本支出部门预算经济分类预算表", BUDGET_ECONOMIC_COLUMNS,
                        leaf_economic, year, prefix, system=codes.ECONOMIC)
    tables["basic_expenditure"] = basic

    # 三公 (万元): each item at least its basic-expenditure 款 (the 三公 budget also covers projects).
    three = {k: leaf_economic.get(c, {}).get("total", 0) + amount(0, 3_000) * rng.randint(0, 1)
             for k, c in THREE_PUBLIC_ITEMS.items()}
    operating_costs = public_total - rng.randint(0, public_total // 10)
    three_rows = []
    for key, label in (("total", "合计"), ("abroad", "因公出国(境)费"), ("vehicle", "小计"), ("vehicle_purchase", "购置费"),
                       ("vehicle_running", "运行费"), ("reception", "公务接待费")):
        pick = {"total": list(THREE_PUBLIC_ITEMS), "vehicle": ["vehicle_purchase", "vehicle_running"]}.get(key, [key])
        three_rows.append({"label": label, "key": key, "budget": printed(sum(three[k] for k in pick))})
    three_rows.append({"label": "机关运行经费预算数", "key": "operating_costs", "budget": printed(operating_costs)})
    tables["three_public"] = build_table(
        "three_public", None, f"{year}年{prefix[-2:] if scope == 'unit' else prefix}“三公”经费和机关运行经费预算表",
        {"budget": "预算数"}, three_rows, unit="万元", decimals=2, layout="items",
        sides=[("", ["label"], ["budget"])],
    )

    # 财务收支预算总表 and 财政拨款收支预算总表.
    fiscal = sum(v["fiscal"] for v in income.values())
    business = sum(v["business"] for v in income.values())
    total = fiscal + business
    cents = lambda yuan: yuan * 100 if yuan else None  # noqa: E731
    by_class: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, values in expenditure.items():
        for key, value in values.items():
            by_class[code[:3]][key] += value
    general_by_class: dict[str, int] = defaultdict(int)
    for code, values in general.items():
        general_by_class[code[:3]] += values["total"]
    summary = [
        {"side": "income", "label": "一、财政拨款收入", "key": "fiscal", "total": cents(fiscal)},
        {"side": "income", "label": "1. 一般公共预算资金", "key": "general", "total": cents(fiscal)},
        {"side": "income", "label": "2. 政府性基金", "key": "fund", "total": None},
        {"side": "income", "label": "3. 国有资本经营预算", "key": "state_capital", "total": None},
        {"side": "income", "label": "二、事业收入", "key": "business", "total": cents(business)},
        {"side": "income", "label": "三、事业单位经营收入", "key": "operating", "total": None},
        {"side": "income", "label": "四、其他收入", "key": "other", "total": None},
        {"side": "income", "label": "收入总计", "key": "grand_total", "total": cents(total)},
    ]
    summary += [{"side": "expenditure", "code": klass, "label": f"{chinese_numeral(i)}、{catalogue[klass]}",
                 "total": cents(values["total"])} for i, (klass, values) in enumerate(sorted(by_class.items()), 1)]
    summary.append({"side": "expenditure", "label": "支出总计", "key": "grand_total", "total": cents(total)})
    tables["summary"] = build_table(
        "summary", None, f"{year}年{prefix}财务收支预算总表", {"total": "预算数"}, summary, unit="元", decimals=2,
        layout="two_sided", sides=[("income", ["label"], ["total"]), ("expenditure", ["label"], ["total"])],
    )
    appropriation = [
        {"side": "income", "label": "一、一般公共预算资金", "key": "general", "total": cents(fiscal)},
        {"side": "income", "label": "二、政府性基金", "key": "fund", "total": None},
        {"side": "income", "label": "三、国有资本经营预算", "key": "state_capital", "total": None},
        {"side": "income", "label": "收入总计", "key": "grand_total", "total": cents(fiscal)},
    ]
    appropriation += [{"side": "expenditure", "code": klass, "label": f"{chinese_numeral(i)}、{catalogue[klass]}",
                       "total": cents(value), "general": cents(value)}
                      for i, (klass, value) in enumerate(sorted(general_by_class.items()), 1)]
    appropriation.append({"side": "expenditure", "label": "支出总计", "key": "grand_total", "total": cents(fiscal),
                          "general": cents(fiscal)})
    tables["appropriation_summary"] = build_table(
        "appropriation_summary", None, f"{year}年{prefix}财政拨款收支预算总表",
        {"total": "合计", "general": "一般公共预算", "fund": "政府性基金预算", "state_capital": "国有资本经营预算"},
        appropriation, unit="元", decimals=2, layout="two_sided",
        sides=[("income", ["label"], ["total"]), ("expenditure", ["label"], ["total", "general", "fund", "state_capital"])],
    )

    # The narrative in 万元: 编制说明 (opening totals, one item per 项), 其他相关情况说明.
    name = f"示例区第{chinese_numeral(seed % 90 + 1)}{'局' if scope == 'department' else '中心'}"
    word = "部门" if scope == "department" else "单位"
    opening = [
        Paragraph(None, f"{year}年，{name}收入预算{_wan(total)}万元，其中：财政拨款收入{_wan(fiscal)}万元；"
                        f"事业收入{_wan(business)}万元；事业单位经营收入0万元；其他收入0万元。"),
        Paragraph(None, f"支出预算{_wan(total)}万元，其中：财政拨款支出预算{_wan(fiscal)}万元。财政拨款支出预算中，"
                        f"一般公共预算拨款支出预算{_wan(fiscal)}万元；政府性基金拨款支出预算0万元；国有资本经营预算拨款支出预算0万元。"),
        Paragraph(None, "财政拨款支出主要内容如下："),
    ]
    for n, code in enumerate(sorted(general), 1):
        value = general[code]["total"]
        prior = value + rng.choice([-1, 1]) * rng.randint(1, max(1, value // 3))
        direction = "增加" if value > prior else "减少"
        rate = (Decimal(abs(value - prior)) / Decimal(prior) * 100).quantize(Decimal(1).scaleb(-2), ROUND_HALF_UP)
        opening.append(Paragraph(None, f"{n}. “{catalogue[code[:3]]}（类）{catalogue[code[:5]]}（款）{catalogue[code]}（项）”"
                                       f"{_wan(value)}万元，主要用于日常工作。{year - 1}年当年预算执行数为{_wan(prior)}万元，"
                                       f"{year}年预算安排{_wan(value)}万元，比{year - 1}年预算执行数{direction}{rate}%。"
                                       f"主要原因是：工作量变化。"))
    goods, works, services = (amount(0, 100_000) for _ in range(3))
    project_total = sum(v["project"] for v in expenditure.values())
    bought = 1 if three["vehicle_purchase"] else 0
    other = [
        Paragraph(None, f"{year}年“三公”经费预算数为{_wan(sum(three.values()))}万元。其中："),
        Paragraph(None, f"（一）因公出国（境）费{_wan(three['abroad'])}万元。"),
        Paragraph(None, f"（二）公务用车购置及运行费{_wan(three['vehicle_purchase'] + three['vehicle_running'])}万元。其中："
                        f"公务用车购置费{_wan(three['vehicle_purchase'])}万元；公务用车运行费{_wan(three['vehicle_running'])}万元。"),
        Paragraph(None, f"（三）公务接待费{_wan(three['reception'])}万元。"),
    ]
    narrative = [
        Section("", f"{year}年{word}预算编制说明", None, opening),
        Section("一", f"{year}年“三公”经费预算情况说明", None, other),
        Section("二", "机关运行经费预算", None,
                [Paragraph(None, f"{year}年{name}财政拨款的机关运行经费预算为{_wan(operating_costs)}万元。")]),
        Section("三", "政府采购预算情况", None, [Paragraph(None, (
            f"{year}年度本{word}政府采购预算{_wan(goods + works + services)}万元，其中：政府采购货物预算{_wan(goods)}万元、"
            f"政府采购工程预算{_wan(works)}万元、政府采购服务预算{_wan(services)}万元。"))]),
        Section("四", "绩效目标设置情况", None, [Paragraph(None, (
            f"{year}年度，本{word}编报绩效目标的项目共{len(leaves)}个，涉及项目预算资金{_wan(project_total // 2)}万元。"))]),
        Section("五", "国有资产占有使用情况", None, [Paragraph(None, (
            f"截至{year - 1}年8月31日，{name}共有车辆2辆，其中：主要领导干部用车0辆、其他用车2辆。"
            f"{year}年{word}预算安排购置车辆{bought}辆，其中：其他用车{bought}辆。"))]),
    ]
    meta = Meta(department=name if scope == "department" else None, year=year, kind="budget", unit="元",
                source=f"synthetic-budget:{seed}", format="synthetic", scope=scope,
                unit_name=name if scope == "unit" else None)
    return Report(meta=meta, tables=tables, narrative=narrative,
                  overview=[Paragraph(None, "一、主要职能"), Paragraph(None, f"{name}负责本区示例工作。")],
                  glossary={"基本支出预算": Definition("基本支出预算", "是为保障机构正常运转而编制的年度基本支出计划。")})


# -- dossiers: documents of one department that agree with each other (cross-document rules) --------------
def _set_cell(table: Table, key: str, column: str, delta: int, *, code: str | None = None) -> int:
    """Add `delta` hundredths to the cell of the row with `key` (or `code`); returns the row index."""
    rows = table.values["code" if code else "key"]
    row = rows.index(code or key)
    table.values[column][row] = (table.values[column][row] or 0) + delta
    table._frames.clear()
    return row


def _amount_cells(report: Report) -> list[tuple[str, int, str]]:
    """Every non-zero amount cell (table kind, row, column) of a report, in a stable order."""
    return [(kind, row, column) for kind, table in sorted(report.tables.items()) for column in table.columns
            for row, value in enumerate(table.values[column]) if value]


def _row_name(table: Table, row: int) -> str:
    return table.values["code"][row] or table.values["key"][row] or table.values["label"][row] or ""


def department_unit_set(seed: int, year: int = 2025, *, one_unit: bool = True, inject: bool = False,
                        anywhere: bool = False, where: str = "table") -> tuple[Report, Report, tuple[str, str, str] | None]:
    """(部门预算, its 单位预算, the injected cell or None): the unit holds every amount of the department (the
    department says it is one unit when `one_unit`, else that it has a subordinate unit too). `inject` adds
    1,000 元 to the unit's first 项 of the 一般公共预算 function table, or (`anywhere`) to a non-zero amount cell
    of any of its tables, chosen by the seed, or (`where="narrative"`) 10 万元 to the amount the unit's narrative
    states for one 项, chosen by the seed: (table kind or "narrative", row code or key, column)."""
    from dataclasses import replace

    department = generate_budget(seed, year, "department")
    unit = generate_budget(seed, year, "unit")
    name = department.meta.department
    unit.meta = replace(unit.meta, department=name, source=f"synthetic-unit-budget:{seed}")
    said = "本部门预算仅包括1家预算单位。" if one_unit else "本部门预算是包括本部以及下属1家预算单位的综合收支计划。"
    department.narrative[0].paragraphs.insert(0, Paragraph(None, said))
    injected = None
    if inject and where == "narrative":
        items = [(section, n, p) for section in unit.narrative for n, p in enumerate(section.paragraphs)
                 if re.match(r"\d+\. “", p.text)]
        section, n, paragraph = random.Random(seed).choice(items)
        stated = re.search(r"”([\d.]+)万元", paragraph.text)[1]
        more = f"{Decimal(stated) + 10:.2f}"
        section.paragraphs[n] = replace(paragraph, text=paragraph.text.replace(f"”{stated}万元", f"”{more}万元")
                                        .replace(f"预算安排{stated}万元", f"预算安排{more}万元"))
        names = re.search(r"“(.+?)（类）(.+?)（款）(.+?)（项）”", paragraph.text)
        table = unit.tables["general_budget"]
        code = next(c for c, label in zip(table.values["code"], table.values["label"]) if c and label == names[3]
                    and c.startswith(codes.code_for_name(names[1], year, 1) or ""))
        injected = ("narrative", code, "budget")
    elif inject and anywhere:
        kind, row, column = random.Random(seed).choice(_amount_cells(unit))
        table = unit.tables[kind]
        table.values[column][row] += 100_000 if table.unit == "元" else 1_000
        table._frames.clear()
        injected = (kind, _row_name(table, row), column)
    elif inject:
        table = unit.tables["general_budget"]
        code = next(c for c in table.values["code"] if c and len(c) == 7)
        _set_cell(table, "", "total", 100_000, code=code)
        injected = ("general_budget", code, "total")
    return department, unit, injected


def year_pair(seed: int, year: int = 2025, *, inject: bool = False) -> tuple[Report, Report, tuple[str, str, str] | None]:
    """(预算 of year − 1, 预算 of year, the misstated cell or None), one department: the later one states its
    "三公" total against the earlier one's ("比{year−1}年预算增加/减少X万元", or 持平). `inject` misstates the
    change by 1.00 万元: the earlier document's cell (three_public, total, budget)."""
    earlier, later = generate_budget(seed, year - 1), generate_budget(seed, year)
    before = earlier.tables["three_public"].values["budget"][0]
    now = later.tables["three_public"].values["budget"][0]
    change = now - before + (100 if inject else 0)
    word = "持平" if change == 0 else f"{'增加' if change > 0 else '减少'}{format_amount(abs(change))}万元"
    paragraph = later.narrative[1].paragraphs[0]
    later.narrative[1].paragraphs[0] = Paragraph(paragraph.line, paragraph.text.replace(
        "万元。其中：", f"万元，比{year - 1}年预算{word}。其中：", 1))
    return earlier, later, ("three_public", "total", "budget") if inject else None


def budget_final_pair(seed: int, year: int = 2024, *, inject: bool = False,
                      where: str = "three_public") -> tuple[Report, Report, tuple[str, str, str] | None]:
    """(部门预算, 部门决算 of the same year and department, the misstated cell or None): the final's "三公" 预算数
    are the budget document's, and its narrative quotes each 项 of its 一般公共预算 table with the budget
    document's amount as 年初预算 ("1.X（类）Y（款）Z（项）。年初预算为A万元，支出决算为B万元。"). `inject` adds
    1.00 万元 to the final's 公务接待费 预算数 (`where` "three_public") or to the 年初预算 of one 项 chosen by the
    seed (`where` "item"): (table kind, row key or code, column)."""
    from dataclasses import replace

    budget, final = generate_budget(seed, year), generate(seed, year)
    final.meta = replace(final.meta, department=budget.meta.department)
    planned, stated = budget.tables["three_public"], final.tables["three_public"]
    for key in ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_running", "reception"):
        row = stated.values["key"].index(key)
        stated.values["budget"][row] = planned.values["budget"][planned.values["key"].index(key)]
    stated._frames.clear()
    catalogue, plan, spent = codes.catalogue(year), budget.tables["general_budget"], final.tables["general_budget"]
    quoted = [(code, plan.values["total"][plan.values["code"].index(code)], spent.values["total"][row])
              for row, code in enumerate(spent.values["code"]) if code and len(code) == 7 and code in plan.values["code"]]
    misstated = random.Random(seed).choice(quoted)[0] if inject and where == "item" and quoted else None
    lines = []
    for number, (code, budgeted, actual) in enumerate(quoted, 1):
        budgeted += 1_000_000 if code == misstated else 0  # hundredths of 元: 1.00 万元 more
        lines.append(Paragraph(None, f"{number}.{catalogue[code[:3]]}（类）{catalogue[code[:5]]}（款）{catalogue[code]}（项）。"
                                     f"年初预算为{(Decimal(budgeted) / 1_000_000).quantize(CENT, rounding=ROUND_HALF_UP)}万元，支出决算为{format_amount(actual)}万元。"))
    if lines:
        final.narrative.append(Section(chinese_numeral(len(final.narrative) + 1), f"{year}年度一般公共预算财政拨款支出决算情况",
                                       None, lines))
    if inject and where == "item" and misstated:
        return budget, final, ("general_budget", misstated, "total")
    if inject:
        _set_cell(stated, "reception", "budget", 100)
    return budget, final, ("three_public", "reception", "budget") if inject else None
