"""Budget against actual: one tidy table of every 年初预算 the report states, and the "三公" table with
the counts and unit costs the narrative makes possible. Shared by the rules' readers and the notebooks.

Amounts are ``Decimal`` in 万元 with two places (never float); rates are percentages to two places;
unit costs are 万元 to four places (a 公务接待 visitor costs well under a hundredth of a 万元).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from finaudit.model import FUNCTION_TABLES, Report, to_decimal
from finaudit.words import LABELS
from finaudit.read.claims import Change, Count, Item, Rate, claims, normalise, section_kind

THREE_PUBLIC_KEYS = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_running", "reception")
#: The items' names where the table prints none (the label catalogue's).
THREE_PUBLIC_LABELS = {key: LABELS[f"three_public.{key}"].zh for key in THREE_PUBLIC_KEYS}
COLUMNS = ["source", "code", "name", "budget", "actual", "rate", "stated_rate", "reason", "section", "line", "page",
           "budget_source"]
#: Where a row's budget figure comes from: the final's own narrative or 三公 table, or the budget document.
BUDGET_SOURCES = ("final", "budget_document")
THREE_PUBLIC_COLUMNS = ["key", "label", "budget", "actual", "stated_change", "prior", "trips", "people", "vehicles",
                        "receptions", "visitors", "per_trip", "per_vehicle", "per_reception", "per_visitor"]
#: Which counts belong to which 表七 item, and the unit cost each gives.
COUNTS = {"abroad": ("trips", "people"), "vehicle": ("vehicles",), "vehicle_running": ("vehicles",),
          "reception": ("receptions", "visitors")}
UNIT_COSTS = {"per_trip": "trips", "per_vehicle": "vehicles", "per_reception": "receptions", "per_visitor": "visitors"}
CENT, TEN_THOUSANDTH, ZERO = Decimal(1).scaleb(-2), Decimal(1).scaleb(-4), Decimal(0).scaleb(-2)


def rate(actual: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """actual ÷ budget × 100 to two places; None without a (non-zero) budget or without an actual."""
    if actual is None or not budget:
        return None
    return (actual / budget * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _three_public_section(report: Report):
    return next((s for s in report.narrative if section_kind(s.title) == "three_public"), None)


def _budget_reason(report: Report) -> str | None:
    """The stated reason why the "三公" actual differs from its budget."""
    section = _three_public_section(report)
    if section is None:
        return None
    found = re.search(r"决算数?(?:大于|小于|高于|低于)(?:年初)?预算数?的主要原因(?:是|为)?:?(.*?)(?:。|$)", normalise(section.text()))
    return found[1] if found and found[1] else None


def _in_wan(table, row: int, column: str) -> Decimal | None:
    """A table cell in 万元 (tables print 元 or 万元)."""
    value = table.amount(row, column) if column in table.columns else None
    if value is None:
        return None
    scale = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000)}.get(table.unit or "万元", Decimal(10000))
    return (value * scale / 10000).quantize(CENT, rounding=ROUND_HALF_UP)


def _planned(budget_document: Report | None) -> dict[str, Decimal]:
    """项 code → its amount in the budget document's function tables (万元)."""
    found: dict[str, Decimal] = {}
    for kind in FUNCTION_TABLES:
        table = budget_document.tables.get(kind) if budget_document is not None else None
        if table is None:
            continue
        for row, record in enumerate(table.records()):
            if record["code"] and record["level"] == 3 and record["code"] not in found:
                value = _in_wan(table, row, "total")
                if value is not None:
                    found[record["code"]] = value
    return found


def budget_vs_actual(report: Report, budget_document: Report | None = None) -> pd.DataFrame:
    """One row per 项 quoted in the narrative with its 年初预算 and 决算, then one row per 表七 item.

    Columns: source ("narrative" | "tables" | "three_public"), code, name, budget, actual, rate (actual ÷ budget, two
    places, None when the budget is 0 or missing), stated_rate (the narrative's 完成率), reason (the stated
    reason sentence), section, line, page, budget_source ("budget_document" | "final").

    With the same department's 预算 document of the year (a dossier's), a row's budget is that document's
    amount for the 项 (its function tables) or 三公 item (its 预算数), where it prints one; else, and without
    the document, the final's own figure (its narrative's 年初预算, its 三公 table's 预算数). With that document,
    every other 项 both documents' function tables print is a row too (source "tables"): the budget document's
    amount against the final's, so a final whose narrative quotes no 年初预算 is still held against its budget.
    """
    found = claims(report) if report.narrative else []
    planned = _planned(budget_document)
    rows = []
    for item in (c for c in found if isinstance(c, Item)):
        budget, source = (planned[item.code], "budget_document") if item.code in planned else (item.budget, "final")
        rows.append({
            "source": "narrative", "code": item.code, "name": item.name, "budget": budget, "actual": item.actual,
            "rate": rate(item.actual, budget), "stated_rate": item.rate, "reason": item.reason,
            "section": item.section, "line": item.line, "page": item.page, "budget_source": source,
        })
    quoted = {row["code"] for row in rows}
    for kind in FUNCTION_TABLES if planned else ():
        spent = report.tables.get(kind)
        for index, record in enumerate(spent.records() if spent is not None else ()):
            code = record["code"]
            if not code or record["level"] != 3 or code not in planned or code in quoted:
                continue
            quoted.add(code)
            actual, line = _in_wan(spent, index, "total"), spent.source_line(index, "total")
            rows.append({
                "source": "tables", "code": code, "name": record["label"], "budget": planned[code], "actual": actual,
                "rate": rate(actual, planned[code]), "stated_rate": None, "reason": None, "section": "",
                "line": None if spent.pages else line, "page": line if spent.pages else None,
                "budget_source": "budget_document",
            })
    plan = budget_document.tables.get("three_public") if budget_document is not None else None
    table = report.tables.get("three_public")
    if table is not None:
        stated = {c.actual_link[1]: c.percent for c in found if isinstance(c, Rate) and c.actual_link
                  and c.actual_link[0] == "three_public"}
        section = _three_public_section(report)
        reason = _budget_reason(report)
        for key in THREE_PUBLIC_KEYS:
            found_rows = table.rows(key=key)
            if not len(found_rows):
                continue
            row = int(found_rows.index[0])
            budget, actual = table.amount(row, "budget"), table.amount(row, "actual")
            source = "final"
            plan_rows = plan.rows(key=key) if plan is not None else ()
            if len(plan_rows) and (planned_value := _in_wan(plan, int(plan_rows.index[0]), "budget")) is not None:
                # both in 万元: the final's 三公 table may print 元
                budget, actual, source = planned_value, _in_wan(table, row, "actual"), "budget_document"
            line = table.source_line(row, "actual") or table.source_line(row, "budget") or table.source_line(row)
            rows.append({
                "source": "three_public", "code": None, "name": table.data.at[row, "label"] or THREE_PUBLIC_LABELS[key],
                "budget": budget, "actual": actual, "rate": rate(actual, budget), "stated_rate": stated.get(row),
                "reason": reason if key == "total" else None, "section": section.number if section else "",
                "line": None if table.pages else line, "page": line if table.pages else None, "budget_source": source,
            })
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object)


THREE_PUBLIC_YEARS_COLUMNS = ["year", "budget", "actual", "budget_file", "actual_file"]


def _file(report: Report) -> str:
    return (report.meta.source or "").replace("\\", "/").rsplit("/", 1)[-1]


def three_public_over_years(reports: list[Report]) -> pd.DataFrame:
    """The "三公" total of one department per year, in 万元: budget (预算数) from the year's 预算 document where
    there is one, else from the 决算's 三公 table; actual (决算数) from the 决算; the file each figure comes from.

    Of several documents of one year and kind, the 部门 document is taken (a 单位 document only when the
    department has no document of its own: the department's figure holds its units'). A year whose documents
    print no 三公 table has blanks, not zeros."""
    chosen: dict[tuple[int, str], Report] = {}
    for report in sorted(reports, key=lambda r: r.meta.scope != "department"):
        if report.meta.year is not None:
            chosen.setdefault((report.meta.year, report.meta.kind), report)
    rows = []
    for year in sorted({year for year, _ in chosen}):
        plan, final = chosen.get((year, "budget")), chosen.get((year, "final"))
        row = {"year": year, "budget": None, "actual": None, "budget_file": None, "actual_file": None}
        for report, column in ((final, "actual"), (final, "budget"), (plan, "budget")):  # the 预算 document last: it wins
            table = report.tables.get("three_public") if report is not None else None
            found = table.rows(key="total") if table is not None else ()
            value = _in_wan(table, int(found.index[0]), column) if len(found) else None
            if value is not None:
                row[column], row[f"{column}_file"] = value, _file(report)
        rows.append(row)
    return pd.DataFrame(rows, columns=THREE_PUBLIC_YEARS_COLUMNS, dtype=object)


def flag(frame: pd.DataFrame, low: Decimal = Decimal(80), high: Decimal = Decimal(120)) -> pd.DataFrame:
    """A copy with a bool column "flagged": rate outside [low, high], or an actual without a budget."""
    def flagged(row) -> bool:
        if row["rate"] is not None and not pd.isna(row["rate"]):
            return bool(row["rate"] < low or row["rate"] > high)
        actual, budget = row["actual"], row["budget"]
        return actual is not None and not pd.isna(actual) and actual != 0 and (budget is None or pd.isna(budget) or budget == 0)

    out = frame.copy()
    out["flagged"] = [flagged(row) for _, row in frame.iterrows()] if len(frame) else pd.Series(dtype=bool)
    out["flagged"] = out["flagged"].astype(bool)
    return out


def _unit_cost(amount: Decimal | None, count: int | None) -> Decimal | None:
    if amount is None or not count:
        return None
    return (amount / count).quantize(TEN_THOUSANDTH, rounding=ROUND_HALF_UP)


def three_public(report: Report) -> pd.DataFrame:
    """One row per 表七 item (total, abroad, vehicle, vehicle_purchase, vehicle_running, reception).

    label, budget, actual (表七); stated_change (signed, from the narrative's year-on-year sentence) and
    prior (= actual − change, the prior year derived); the counts the narrative gives (trips and people
    abroad, vehicles held, receptions and visitors) and the unit costs they allow (万元 to 4 places).
    """
    table = report.tables.get("three_public")
    found = claims(report) if report.narrative else []
    changes: dict[str, Decimal] = {}
    final = report.meta.kind != "budget"  # a budget's change is against last year's budget or execution: not derived
    for change in (c for c in found if isinstance(c, Change) and final):
        if change.link and change.link[0] == "three_public" and change.link[2] == "actual" and change.amount is not None:
            key = table.data.at[change.link[1], "key"] if table is not None else None
            if isinstance(key, str) and key not in changes:
                changes[key] = change.amount * change.sign if change.sign else ZERO
    counts: dict[str, int] = {}
    for count in (c for c in found if isinstance(c, Count)):
        counts.setdefault(count.key, count.value)  # the first statement (the 三公 section comes first)
    rows = []
    for key in THREE_PUBLIC_KEYS:
        budget = actual = None
        label = THREE_PUBLIC_LABELS[key]
        if table is not None:
            found_rows = table.rows(key=key)
            if len(found_rows):
                row = int(found_rows.index[0])
                budget, actual, label = table.amount(row, "budget"), table.amount(row, "actual"), table.data.at[row, "label"] or label
        change = changes.get(key)
        record = {"key": key, "label": label, "budget": budget, "actual": actual, "stated_change": change,
                  "prior": (actual or ZERO) - change if change is not None else None}
        for name in ("trips", "people", "vehicles", "receptions", "visitors"):
            record[name] = counts.get(name) if name in COUNTS.get(key, ()) else None
        for cost, name in UNIT_COSTS.items():
            record[cost] = _unit_cost(actual, record[name])
        rows.append(record)
    return pd.DataFrame(rows, columns=THREE_PUBLIC_COLUMNS, dtype=object)


def amount_of(hundredths) -> Decimal | None:
    """Hundredths (or <NA>) as Decimal 万元; for callers holding raw table cells."""
    return to_decimal(hundredths)



def unit_costs_in_yuan(row) -> dict[str, Decimal | None]:
    """The unit costs of one ``three_public`` row (a mapping) in 元 to two places, from the actual and
    the counts (the 万元 columns, four places, round away most of a visitor's cost in 元)."""
    amount = row["actual"]
    return {cost: None if amount is None or not row[count] else
            (amount * 10000 / row[count]).quantize(CENT, rounding=ROUND_HALF_UP)
            for cost, count in UNIT_COSTS.items()}
