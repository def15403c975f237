"""Excel output: the report's tables as sheets (and, with an audit result, the working paper)."""

from __future__ import annotations

from pathlib import Path

from finaudit.export.cells import inert
from finaudit.export.sections import SEVERITY_FILL, claim_rows, cover_rows, marks
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
    for table in sorted(report.tables.values(), key=lambda t: t.ordinal or 99):
        write_table_sheet(workbook, table)
    inert(workbook)
    workbook.save(path)


def write_workpaper_xlsx(report: Report, result, path: Path) -> None:
    """The audit working paper as .xlsx: cover, findings, one sheet per table with the cells a finding
    involves highlighted and commented, narrative claims with verdicts."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    cover = workbook.active
    cover.title = "cover"
    cover.append(["finaudit working paper", f"{report.meta.department or ''} {report.meta.year or ''}"])
    cover["A1"].font = Font(bold=True, size=14)
    for key, value in cover_rows(report, result):
        cover.append([key, value])
    cover.column_dimensions["A"].width = 28
    cover.column_dimensions["B"].width = 80

    sheet = workbook.create_sheet("findings")
    frame = result.to_frame(grouped=True)  # roots first, the findings each explains indented beneath it
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([None if v is None or (isinstance(v, float) and v != v) else v for v in row])
        fill = SEVERITY_FILL.get(row.severity)
        if fill:
            sheet.cell(row=sheet.max_row, column=3).fill = PatternFill("solid", fgColor=fill)
    for letter, width in zip("ABCDEFGHIJKLMNOP", (8, 9, 9, 10, 14, 26, 11, 11, 11, 9, 70, 50, 30, 30, 30, 70)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"

    marked = marks(report, result)
    for table in sorted(report.tables.values(), key=lambda t: t.ordinal or 99):
        write_table_sheet(workbook, table, marked.get(table.kind))

    sheet = workbook.create_sheet("narrative")
    rows = claim_rows(report, result)
    heads = ["section", "line", "page", "kind", "subject", "values", "verdict", "sentence"]
    sheet.append(heads)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[h] for h in heads])
        if row["verdict"] != "ok":
            severity = "error" if "error" in row["verdict"] else "warning" if "warning" in row["verdict"] else "info"
            sheet.cell(row=sheet.max_row, column=7).fill = PatternFill("solid", fgColor=SEVERITY_FILL[severity])
        sheet.cell(row=sheet.max_row, column=8).alignment = Alignment(wrap_text=False)
    for letter, width in zip("ABCDEFGH", (8, 7, 6, 10, 34, 60, 22, 80)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    for ws in workbook.worksheets:  # print (and convert to PDF) one page wide, landscape
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    for row in cover.iter_rows(min_col=2, max_col=2):
        row[0].alignment = Alignment(horizontal="left")
    inert(workbook)
    workbook.save(path)
