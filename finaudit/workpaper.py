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
    for table in sorted(report.tables.values(), key=lambda t: t.ordinal or 99):
        write_table_sheet(workbook, table)
    workbook.save(path)


# -- the working paper: cover, findings, tables with the cells findings involve, narrative claims ----
_SEVERITY_FILL = {"error": "F4B6B6", "warning": "FFE699", "info": "DDEBF7"}


def marks(report: Report, result) -> dict[str, dict[tuple[int, str], str]]:
    """table kind → (row index, column) → the comments of the findings involving that cell."""
    marked: dict[str, dict[tuple[int, str], list[str]]] = {}
    for finding in result.findings:
        for ref in finding.cells:
            if ref.kind in report.tables and ref.row_index is not None and ref.column:
                marked.setdefault(ref.kind, {}).setdefault((ref.row_index, ref.column), []).append(
                    f"{finding.code} {finding.severity}: {finding.message_zh}")
    return {kind: {key: "\n".join(dict.fromkeys(texts)) for key, texts in cells.items()} for kind, cells in marked.items()}


def claim_rows(report: Report, result) -> list[dict]:
    """Every narrative claim with its values and the verdicts of the findings made at its line."""
    from finaudit.narrative import claims

    verdicts: dict[tuple, list[str]] = {}
    for finding in result.findings:
        if finding.table != "narrative":
            continue
        ref = finding.cells[0] if finding.cells else None
        if ref is not None:
            verdicts.setdefault((ref.row, ref.line, ref.page), []).append(f"{finding.code} {finding.severity}")
    rows = []
    for claim in claims(report) if report.narrative else []:
        values = {k: v for k, v in vars(claim).items() if k not in ("sentence", "section", "line", "page", "offset")}
        subject = values.pop("subject", None) or values.pop("name", None) or values.get("key", "")
        found = verdicts.get((claim.section or "—", claim.line, claim.page), [])
        rows.append({
            "section": claim.section, "line": claim.line, "page": claim.page, "kind": claim.kind, "subject": subject,
            "values": "; ".join(f"{k}={v}" for k, v in values.items() if v not in (None, "", -1) and k not in ("index",)),
            "verdict": ", ".join(dict.fromkeys(found)) or "ok", "sentence": claim.sentence[:200],
        })
    return rows


def cover_rows(report: Report, result) -> list[tuple[str, object]]:
    meta, manifest = report.meta, result.manifest
    counts = result.counts
    return [
        ("department", meta.department), ("year", meta.year), ("kind", meta.kind), ("unit", meta.unit),
        ("source", meta.source), ("input sha256", manifest.input_sha256), ("finaudit", manifest.finaudit_version),
        ("rule set", manifest.ruleset_version), ("started (UTC)", manifest.started_at), ("seconds", manifest.seconds),
        ("errors", counts["error"]), ("warnings", counts["warning"]), ("notes", counts["info"]),
        ("rules passed", sum(o.status == "pass" for o in result.outcomes.values())),
        ("rules failed", sum(o.status == "fail" for o in result.outcomes.values())),
        ("rules not applicable", sum(o.status == "not_applicable" for o in result.outcomes.values())),
        ("rules with insufficient data", sum(o.status == "insufficient_data" for o in result.outcomes.values())),
        ("load warnings", result.report_warnings), ("coverage", report.coverage().summary()),
    ]


def write_workpaper(report: Report, result, path: Path, fmt: str = "xlsx") -> None:
    """The audit working paper as .xlsx (cover, findings, one sheet per table with the cells a finding
    involves highlighted and commented, narrative claims with verdicts) or as one self-contained .html."""
    path = Path(path)
    if fmt == "html":
        path.write_text(workpaper_html(report, result), encoding="utf-8")
        return
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
    frame = result.to_frame()
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([None if v is None or (isinstance(v, float) and v != v) else v for v in row])
        fill = _SEVERITY_FILL.get(row.severity)
        if fill:
            sheet.cell(row=sheet.max_row, column=2).fill = PatternFill("solid", fgColor=fill)
    for letter, width in zip("ABCDEFGHIJKL", (9, 9, 10, 14, 26, 11, 11, 11, 9, 70, 50, 30)):
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
            sheet.cell(row=sheet.max_row, column=7).fill = PatternFill("solid", fgColor=_SEVERITY_FILL[severity])
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
    workbook.save(path)


def workpaper_html(report: Report, result) -> str:
    """The same working paper as one HTML page: inline CSS, no scripts, no network."""
    from html import escape

    def table_html(heads: list[str], rows: list[list], classes: list[str] | None = None, titles=None) -> str:
        out = ["<table><thead><tr>", *(f"<th>{escape(str(h))}</th>" for h in heads), "</tr></thead><tbody>"]
        for n, row in enumerate(rows):
            out.append(f"<tr class='{classes[n] if classes else ''}'>")
            for m, value in enumerate(row):
                title = titles[n][m] if titles and titles[n][m] else ""
                attributes = f" class='mark' title='{escape(title)}'" if title else ""
                out.append(f"<td{attributes}>{'' if value is None else escape(str(value))}</td>")
            out.append("</tr>")
        return "".join(out) + "</tbody></table>"

    meta = report.meta
    parts = [
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>",
        f"<title>finaudit working paper — {escape(meta.department or '')} {meta.year or ''}</title>",
        "<style>body{font-family:sans-serif;margin:1.5em;font-size:13px}table{border-collapse:collapse;margin:.5em 0 1.5em}"
        "td,th{border:1px solid #bbb;padding:2px 6px;vertical-align:top}th{background:#eee}"
        "tr.error td:nth-child(2){background:#F4B6B6}tr.warning td:nth-child(2){background:#FFE699}"
        "tr.info td:nth-child(2){background:#DDEBF7}td.mark{background:#FFD966}h2{margin-top:1.5em}"
        "td.num{text-align:right}</style></head><body>",
        f"<h1>finaudit working paper: {escape(meta.department or '')} {meta.year or ''}</h1>",
        "<h2>Cover</h2>", table_html(["item", "value"], [list(r) for r in cover_rows(report, result)]),
    ]
    frame = result.to_frame()
    parts += ["<h2>Findings</h2>", table_html(list(frame.columns), frame.astype(object).values.tolist(),
                                               list(frame["severity"]))]
    marked = marks(report, result)
    for table in sorted(report.tables.values(), key=lambda t: t.ordinal or 99):
        heads = ["code", "label", *table.columns.values()]
        rows, titles = [], []
        for i, row in enumerate(table.records()):
            rows.append([row["code"], row["label"], *(None if row[k] is None else f"{to_decimal(row[k]):.2f}" for k in table.columns)])
            titles.append([None, None, *(marked.get(table.kind, {}).get((i, k)) for k in table.columns)])
        parts += [f"<h2>{escape(table.label)}</h2>", table_html(heads, rows, titles=titles)]
    claims_rows = claim_rows(report, result)
    heads = ["section", "line", "page", "kind", "subject", "values", "verdict", "sentence"]
    classes = ["error" if "error" in r["verdict"] else "warning" if "warning" in r["verdict"] else "" for r in claims_rows]
    parts += ["<h2>Narrative claims</h2>", table_html(heads, [[r[h] for h in heads] for r in claims_rows], classes)]
    parts.append("</body></html>")
    return "".join(parts)
