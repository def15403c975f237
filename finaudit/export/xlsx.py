"""Excel output: the report's tables as sheets and, with an audit result, the working paper.

Every cell goes through ``write_cell`` (the one place that decides how a value is stored and shown);
amounts are stored as numbers (Decimal, exact), never as text, so Excel can sum, sort and filter them.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

from finaudit.read.cells import inert, printable, sheet_title
from finaudit.export.sections import (
    SEVERITY_FILL,
    Column,
    Section,
    budget_section,
    cover_rows,
    findings_section,
    marks,
    narrative_section,
    three_public_section,
)
from finaudit.model import Report, Table, to_decimal

FORMATS = {"amount": "#,##0.00", "rate": '0.00"%"', "int": "0", "cost": "#,##0.0000"}
MARK_FILL = "FFD966"


def write_cell(sheet, row: int, column: int, value, kind: str = "text"):
    """Write one value: numbers as numbers with the format of their `kind`, text as text, blank as empty."""
    if isinstance(value, float) and math.isnan(value):  # NaN from a frame: blank
        value = None
    if isinstance(value, str):
        value = printable(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if kind in FORMATS and isinstance(value, (int, Decimal, float)):
        cell.number_format = FORMATS[kind]
    return cell


def write_heading(sheet, row: int, headings: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    for column, text in enumerate(headings, start=1):
        cell = write_cell(sheet, row, column, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_section(workbook, section: Section):
    """A sheet with bilingual headings, typed cells, an autofilter and frozen headings."""
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(sheet_title(workbook, section.title))
    first = 1
    if section.note:
        write_cell(sheet, 1, 1, section.note)
        first = 2
    write_heading(sheet, first, [c.heading for c in section.columns])
    for n, values in enumerate(section.rows):
        row = first + 1 + n
        for m, (column, value) in enumerate(zip(section.columns, values), start=1):
            write_cell(sheet, row, m, value, column.kind)
        fill = section.fills[n] if n < len(section.fills) else None
        if fill in SEVERITY_FILL:
            sheet.cell(row=row, column=1).fill = PatternFill("solid", fgColor=SEVERITY_FILL[fill])
    last = get_column_letter(len(section.columns))
    sheet.auto_filter.ref = f"A{first}:{last}{first + max(len(section.rows), 1)}"
    sheet.freeze_panes = f"A{first + 1}"
    for m, column in enumerate(section.columns, start=1):
        sheet.column_dimensions[get_column_letter(m)].width = column.width
    return sheet


def _sheet_name(table: Table) -> str:
    """The table's label (表N and its title; N the standard place where the document prints no number); made a
    valid, unique sheet name by ``sheet_title`` (hostile27)."""
    return table.label


def write_table_sheet(workbook, table: Table, marked: dict | None = None):
    """One sheet per table; `marked` maps (row index, column key) → comment for highlighted cells."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(sheet_title(workbook, _sheet_name(table)))
    write_cell(sheet, 1, 1, table.label).font = Font(bold=True)
    source = Column("页", "page", "int") if table.pages else Column("行", "line", "int")
    columns = [Column("栏", "side"), Column("编码", "code"), Column("项目", "item"), Column("行次", "row no"),
               *(Column(table.columns[key], key, "amount") for key in table.printed_columns), source]
    write_heading(sheet, 2, [c.heading for c in columns])
    fill = PatternFill("solid", fgColor=MARK_FILL)
    for i, row in enumerate(table.records()):
        values = [row["side"] or None, row["code"], row["label"], row["row_no"],
                  *(to_decimal(row[k]) for k in table.printed_columns), table.source_line(i)]
        for m, (column, value) in enumerate(zip(columns, values), start=1):
            write_cell(sheet, i + 3, m, value, column.kind)
        for j, key in enumerate(table.printed_columns):
            if marked and (i, key) in marked:
                cell = sheet.cell(row=i + 3, column=5 + j)
                cell.fill = fill
                cell.comment = Comment(printable(marked[(i, key)]), "finaudit")
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{max(len(table.data), 1) + 2}"
    sheet.freeze_panes = "A3"
    sheet.column_dimensions["C"].width = 36
    return sheet


def write_tables_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    cover = workbook.active
    cover.title = "report"
    meta = report.meta
    for n, (key, value) in enumerate([
        ("部门 department", meta.department), ("年度 year", meta.year), ("类型 kind", meta.kind),
        ("单位 unit", meta.unit), ("来源 source", meta.source), ("SHA-256", meta.sha256),
        ("覆盖 coverage", report.coverage().summary()),
    ], start=1):
        write_cell(cover, n, 1, key)
        write_cell(cover, n, 2, value)
    for table in sorted(report.tables.values(), key=lambda t: t.ordinal or 99):
        write_table_sheet(workbook, table)
    inert(workbook)
    workbook.save(path)


def write_workpaper_xlsx(report: Report, result, path: Path, entries: dict | None = None) -> None:
    """The audit working paper as .xlsx: cover, findings (errors first, with the review ledger's status,
    reason and note), one sheet per table with the cells a finding involves highlighted and commented,
    narrative claims with verdicts, budget against actual, 三公."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    cover = workbook.active
    cover.title = "封面 cover"
    write_cell(cover, 1, 1, "审计工作底稿 finaudit working paper").font = Font(bold=True, size=14)
    write_cell(cover, 1, 2, f"{report.meta.entity or ''} {report.meta.year or ''}")
    for n, (key, value) in enumerate(cover_rows(report, result), start=2):
        write_cell(cover, n, 1, key)
        write_cell(cover, n, 2, value).alignment = Alignment(horizontal="left")
    cover.column_dimensions["A"].width = 34
    cover.column_dimensions["B"].width = 80

    write_section(workbook, findings_section(report, result, entries))
    marked = marks(report, result)
    for table in sorted(report.tables.values(), key=lambda t: t.ordinal or 99):
        write_table_sheet(workbook, table, marked.get(table.kind))
    write_section(workbook, narrative_section(report, result))
    write_section(workbook, budget_section(report))
    write_section(workbook, three_public_section(report))
    for sheet in workbook.worksheets:  # print (and convert to PDF) one page wide, landscape
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    inert(workbook)
    workbook.save(path)
