"""The UI text of the workbook and the dashboard (key -> (中文, English)) and the small formatting
helpers every panel and chart shares. Chinese first; every label is available in English."""

from __future__ import annotations

import math
from decimal import Decimal

from finaudit.model import Table, kind_name

LANGS = ("zh", "en")

#: UI text: key -> (中文, English).
TEXT: dict[str, tuple[str, str]] = {
    "total": ("合计", "Total"),
    "income": ("收入", "Income"),
    "expenditure": ("支出", "Expenditure"),
    "income_total": ("本年收入合计", "Income this year"),
    "expenditure_total": ("本年支出合计", "Expenditure this year"),
    "basic": ("基本支出", "Basic expenditure"),
    "project": ("项目支出", "Project expenditure"),
    "budget": ("预算数", "Budget"),
    "actual": ("决算数", "Actual"),
    "rate": ("完成率", "Completion rate"),
    "stated_rate": ("说明所称完成率", "Stated rate"),
    "recomputed_rate": ("复算完成率", "Recomputed rate"),
    "reason": ("说明原因", "Stated reason"),
    "three_public": ("“三公”经费", "Three public expenses"),
    "findings": ("审计发现", "Findings"),
    "tp_actual_budget": ("“三公”经费 决算数/预算数", "Three public expenses: actual / budget"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
    "amount_unit": ("万元", "10k yuan"),
    "spending_by_function": ("支出功能分类：类 → 款 → 项", "Spending by function: class → section → item"),
    "income_vs_expenditure": ("收入与支出", "Income and expenditure"),
    "basic_project": ("基本支出与项目支出", "Basic and project expenditure"),
    "tp_budget_actual": ("“三公”经费 预算与决算", "Three public expenses: budget and actual"),
    "tp_composition": ("“三公”经费决算构成", "Composition of the actual"),
    "tp_budget": ("“三公”经费预算", "Three public expenses: budget"),
    "tp_composition_budget": ("“三公”经费预算构成", "Composition of the budget"),
    "findings_by_severity": ("审计发现（按严重程度）", "Findings by severity"),
    "budget_vs_actual": ("预算与决算", "Budget and actual"),
    "threshold": ("阈值", "Threshold"),
    "no_data": ("无数据", "no data"),
    "no_findings_at_all": ("无发现", "No findings"),
    "blank": ("空白", "blank"),
    "flagged": ("超出阈值", "outside threshold"),
    "title": ("部门决算审计看板", "Final-accounts audit dashboard"),
    "title_budget": ("部门预算审计看板", "Department budget audit dashboard"),
    "title_unit_budget": ("单位预算审计看板", "Unit budget audit dashboard"),
    "income_budget": ("收入预算合计", "Income budget"),
    "expenditure_budget": ("支出预算合计", "Expenditure budget"),
    "operating_costs": ("机关运行经费", "Operating costs"),
    "report": ("报告", "Report"),
    "upload": ("上传报告", "Upload report"),
    "loading": ("正在读取", "Loading"),
    "loaded": ("已读取", "Loaded"),
    "bad_file": ("无法读取该文件，仍显示原报告", "Could not read the file; the previous report stays loaded"),
    "too_big": ("文件过大", "File too large"),
    "bad_type": ("只接受 .txt 或 .pdf 文件", "Only .txt or .pdf files are accepted"),
    "upload_pair": ("情况说明与报表分两个文件公开的，可同时选择两个文件", "a document published as two files: choose both"),
    "two_files": ("一个文件，或同一份公开文件的两个文件（情况说明与报表）", "one file, or the two files of one document (its 情况说明 and its 报表)"),
    "tab_drill": ("支出钻取", "Drill-down"),
    "tab_budget": ("预算与决算", "Budget vs actual"),
    "tab_three": ("“三公”经费", "Three public expenses"),
    "tab_findings": ("审计发现", "Findings"),
    "tab_tables": ("报表", "Tables"),
    "children": ("下级科目", "Sub-items"),
    "income_sources": ("收入来源（表二同一科目）", "Income sources (Table 2, same code)"),
    "fiscal_share": ("财政拨款占比（表五 ÷ 表三）", "Fiscal share (Table 5 ÷ Table 3)"),
    "budget_actual": ("预算与决算（情况说明）", "Budget and actual (narrative)"),
    "node_findings": ("涉及本科目的审计发现", "Findings on this code"),
    "none": ("无", "none"),
    "all": ("全部", "All"),
    "severity": ("严重程度", "Severity"),
    "table": ("表", "Table"),
    "rule": ("规则", "Rule"),
    "cells": ("涉及单元格", "Cells involved"),
    "source": ("出处", "Source"),
    "line": ("行", "line"),
    "page": ("页", "page"),
    "expected": ("应为", "Expected"),
    "printed": ("实为", "Printed"),
    "difference": ("差额", "Difference"),
    "no_findings": ("没有符合条件的审计发现", "No findings match"),
    "budget_missing": ("预算与决算数据不可用", "Budget data not available"),
    "budget_document": ("这是一份预算：尚无决算数，预算与决算的对比见同一部门该年度的决算。",
                        "This is a budget: it has no actual figures yet. Budget against actual is in the department's final accounts for the year."),
    "no_budget_rows": ("情况说明中未找到预算数", "No budget figures found in the narrative"),
    "flagged_items": ("超出阈值的项目", "Items outside the threshold"),
    "stated_change": ("说明所称增减", "Stated change"),
    "prior": ("上年数（推算）", "Prior year (derived)"),
    "unit_figures": ("数量与单位成本", "Counts and unit costs"),
    "counts": ("数量", "Counts"),
    "item": ("项目", "Item"),
    "share": ("占比", "Share"),
    "marked_legend": ("黄色：审计发现涉及的单元格（悬停查看）", "Yellow: cells a finding involves (hover for the codes)"),
    "statement": ("说明", "Statement"),
    "workpaper": ("工作底稿", "Working paper"),
    "code": ("编码", "Code"),
    "name": ("名称", "Name"),
    "column": ("列", "Column"),
    "message": ("说明", "Message"),
    "location": ("位置", "Location"),
    "review": ("复核", "Review"),
    "status": ("复核状态", "Review status"),
    "note": ("备注", "Note"),
    "exclude_reason": ("排除理由", "Reason for excluding"),
    "save": ("保存", "Save"),
    "saved": ("已保存", "Saved"),
    "change": ("与上次比较", "Against the ledger"),
    "within": ("阈值内", "within threshold"),
    "clipped": ("超出坐标范围（标注实际值）", "beyond the axis (actual value printed)"),
    "amount": ("金额", "Amount"),
    "yuan": ("元", "yuan"),
    "table_n": ("表{n}", "Table {n}"),
    "narrative": ("情况说明", "Narrative"),
    "read_only": ("复核状态在审计工作簿中设置", "Review statuses are set in the audit workbook"),
}

#: Units as printed → English.
UNIT_EN = {"万元": "10k yuan", "元": "yuan", "千元": "1k yuan", "亿元": "100m yuan"}



def tr(key: str, lang: str = "zh") -> str:
    """The UI text for `key` in `lang` (the key itself when unknown)."""
    pair = TEXT.get(key)
    return key if pair is None else pair[1 if lang == "en" else 0]

def problems(roots: int, findings: int, lang: str = "zh") -> str:
    """'21 个问题（48 条）' / '21 problems (48 findings)', '1 problem (1 finding)'."""
    if lang != "en":
        return f"{roots} 个问题（{findings} 条）"
    return f"{roots} problem{'' if roots == 1 else 's'} ({findings} finding{'' if findings == 1 else 's'})"


def place(line, page, lang: str = "zh") -> str:
    """Where a figure is printed: '第717行' / 'line 717', '第12页' / 'page 12' (as messages cite it); '' unknown."""
    for number, key in ((line, "line"), (page, "page")):
        if number is not None and not (isinstance(number, float) and math.isnan(number)) and number:
            return f"第{int(number)}{tr(key, lang)}" if lang == "zh" else f"{tr(key, lang)} {int(number)}"
    return ""


def unit_label(unit: str | None, lang: str = "zh") -> str:
    """A report's unit ('万元') in `lang`."""
    unit = unit or "万元"
    return UNIT_EN.get(unit, unit) if lang == "en" else unit


def table_ref(number: int | str | None, lang: str = "zh") -> str:
    """'表3' / 'Table 3' for a printed table number, '情况说明' / 'Narrative' for the narrative."""
    if number == "narrative":
        return tr("narrative", lang)
    if isinstance(number, float):  # from a frame column that also holds blanks
        number = None if math.isnan(number) else int(number)
    return tr("table_n", lang).format(n=number) if number not in (None, "") else ""


def column_label(table: Table, column: str, lang: str = "zh") -> str:
    """A table column's header: as printed (中文) or its English name."""
    return table.column_name(column)[lang == "en"]


def table_name(table: Table, lang: str = "zh") -> str:
    """'表3 支出决算表' or 'Table 3 Expenditure'."""
    if lang == "en":
        english = kind_name(table.kind, table.document)[1]
        return f"Table {table.ordinal} {english}" if table.ordinal else english
    return table.label


def fmt(value: Decimal | None, places: int = 2) -> str:
    """'1480.66' for Decimal('1480.66'); '' for a blank."""
    if value is None:
        return ""
    return f"{value:,.{places}f}"


def percent_text(value: Decimal | None) -> str:
    """'27.12%' (rates and shares to two places everywhere); '' for a blank."""
    return "" if value is None else f"{value:,.2f}%"

