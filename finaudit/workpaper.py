"""Excel output: the report's tables as sheets (and, with an audit result, the working paper)."""

from __future__ import annotations

from pathlib import Path

from finaudit.model import Report, Table, to_decimal

_AMOUNT_FORMAT = "#,##0.00"


def _sheet_name(table: Table) -> str:
    return f"表{table.number or ''} {table.title}"[:31].replace("/", "_")


def write_table_sheet(workbook, table: Table, marked: dict | None = None):
    """One sheet per table; `marked` maps (row index, column key) → comment for highlighted cells."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    sheet = workbook.create_sheet(_sheet_name(table))
    sheet.append([table.label])
    sheet["A1"].font = Font(bold=True)
    heads = ["side", "code", "label", "row_no", *table.columns.values(), "source line"]
    sheet.append(heads)
    fill = PatternFill("solid", fgColor="FFD966")
    for i, row in enumerate(table.records()):
        values = [row["side"] or None, row["code"], row["label"], row["row_no"]]
        values += [None if row[k] is None else float(to_decimal(row[k])) for k in table.columns]
        values.append(table.source_line(i))
        sheet.append(values)
        for j, key in enumerate(table.columns):
            cell = sheet.cell(row=i + 3, column=5 + j)
            cell.number_format = _AMOUNT_FORMAT
            if marked and (i, key) in marked:
                cell.fill = fill
                cell.comment = Comment(marked[(i, key)], "finaudit")
    sheet.column_dimensions["C"].width = 36
    return sheet


def write_tables_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    cover = workbook.active
    cover.title = "report"
    meta = report.meta
    for key, value in [
        ("department", meta.department),
        ("year", meta.year),
        ("kind", meta.kind),
        ("unit", meta.unit),
        ("source", meta.source),
        ("sha256", meta.sha256),
        ("coverage", report.coverage().summary()),
    ]:
        cover.append([key, value])
    for table in sorted(report.tables.values(), key=lambda t: t.number or 99):
        write_table_sheet(workbook, table)
    workbook.save(path)
