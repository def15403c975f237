"""Render a Report in the published text layout (the inverse of ``textlayout``)."""

from __future__ import annotations

from finaudit.cite import chinese_numeral
from finaudit.model import Report, Table, format_amount

_STUB_HEADERS = {"code": "科目编码", "name": "科目名称", "label": "项目", "row_no": "行次"}
_SIDE_HEADERS = {"income": "收入", "expenditure": "支出", "personnel": "人员经费", "public": "公用经费"}


def default_header(table: Table) -> list[list[str]]:
    """Header rows for a table that has none: side names, then stub and column headers."""
    rows = []
    if len(table.sides) > 1:
        rows.append([_SIDE_HEADERS.get(key, key) for key, _, _ in table.sides])
    rows.append(
        [
            text
            for _, stub, amounts in table.sides
            for text in [*(_STUB_HEADERS[f] for f in stub), *(table.columns[k] for k in amounts)]
        ]
    )
    numbers, column = [], 1
    for _, stub, amounts in table.sides:
        numbers += ["栏次", *[""] * (len(stub) - 1), *(str(n) for n in range(column, column + len(amounts)))]
        column += len(amounts)
    return [*rows, numbers]


def _row_cells(table: Table, stub: list[str], amounts: list[str], row) -> list[str]:
    cells = []
    for f in stub:
        if f == "code":
            cells.append("" if row is None or row["code"] is None else row["code"])
        elif f in ("name", "label"):
            cells.append("" if row is None else row["label"])
        else:
            cells.append("" if row is None or row["row_no"] is None else str(row["row_no"]))
    cells.extend("" if row is None else format_amount(row[k]) for k in amounts)
    return cells


def _data_rows(table: Table) -> list[list[str]]:
    if table.layout == "items_wide":
        values = {row["key"]: row for row in table.records()}
        return [[format_amount(values[item][column]) if item in values else "" for item, column in table.wide_order]]
    records = table.records()
    per_side = [[row for row in records if row["side"] == key] for key, _, _ in table.sides]
    height = max((len(rows) for rows in per_side), default=0)
    return [
        [
            cell
            for (_, stub, amounts), rows in zip(table.sides, per_side)
            for cell in _row_cells(table, stub, amounts, rows[i] if i < len(rows) else None)
        ]
        for i in range(height)
    ]


def render_table(table: Table) -> list[str]:
    number = f"表{chinese_numeral(table.number)}：" if table.number else ""
    lines = [f"{number}{table.title}", ""]
    if table.unit:
        lines += [f"\t单位：{table.unit}", ""]
    for row in [*(table.header or default_header(table)), *_data_rows(table)]:
        lines += [f"\t{cell}" for cell in row] + [""]
    lines += [*table.notes, ""]
    return lines


def render_text(report: Report) -> str:
    meta = report.meta
    kind = "决算" if meta.kind == "final" else "预算"
    scope = "单位" if meta.scope == "unit" else "部门"
    title = f"{meta.entity or ''}{meta.year or ''}年{scope}{kind}"
    lines: list[str] = []
    if report.overview:
        lines += [f"第一部分：{meta.department or ''}概况", ""]
        lines += [p.text for p in report.overview] + [""]
    lines += [f"第二部分：{title}报表", ""]
    for table in sorted(report.tables.values(), key=lambda t: (t.number or 99, t.kind)):
        lines += render_table(table)
    if report.narrative:
        lines += [f"第三部分：{title}情况说明", ""]
        for section in report.narrative:
            if section.number:
                lines += [f"{section.number}、{section.title}", ""]
            elif section.title:  # a budget's part heading ("2025年部门预算编制说明")
                lines += [section.title, ""]
            for paragraph in section.paragraphs:
                lines += [paragraph.text, ""]
    if report.glossary:
        lines += ["第四部分：名词解释", ""]
        for i, definition in enumerate(report.glossary.values(), 1):
            lines += [f"{chinese_numeral(i)}、{definition.term}：{definition.text}", ""]
    return "\n".join(lines)


__all__ = ["default_header", "render_table", "render_text"]
