"""Synthetic *consistent* reports, for property tests and benchmarks.

Amounts are drawn exactly in 元 (1/10000 万元) and every table is derived from them, so that
every cross-footing relation of the domain primer holds exactly; then each printed value is
rounded half-up to 0.01 万元 on its own, as real reports are. Roll-ups therefore differ from their
printed parts only within the rounding band 0.005 × (n + 1).
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from finaudit import codes
from finaudit.model import Definition, Meta, Paragraph, Report, Section, Table, build_table, format_amount
from finaudit.read.render import chinese_numeral

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
            for prefix in (None, code[:3], code[:5], code):
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
