"""The working paper as one self-contained HTML page."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from finaudit.export.sections import (
    Section,
    budget_section,
    cover_rows,
    findings_section,
    marks,
    narrative_section,
    three_public_section,
)
from finaudit.model import Report, to_decimal


def _text(value, kind: str = "text") -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and kind in ("amount", "rate"):
        return f"{value:,.2f}" + ("%" if kind == "rate" else "")
    return escape(str(value))


def _table(section: Section) -> str:
    out = [f"<h2>{escape(section.title)}</h2>"]
    if section.note:
        out.append(f"<p>{escape(section.note)}</p>")
    out.append("<table><thead><tr>" + "".join(f"<th>{escape(c.heading)}</th>" for c in section.columns)
               + "</tr></thead><tbody>")
    for n, row in enumerate(section.rows):
        fill = section.fills[n] if n < len(section.fills) and section.fills[n] else ""
        cells = "".join(f"<td{' class=num' if c.kind != 'text' else ''}>{_text(v, c.kind)}</td>"
                        for c, v in zip(section.columns, row))
        out.append(f"<tr class='{fill}'>{cells}</tr>")
    return "".join(out) + "</tbody></table>"


def workpaper_html(report: Report, result, entries: dict | None = None) -> str:
    """The same working paper as one HTML page: inline CSS, no scripts, no network."""
    meta = report.meta
    parts = [
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>",
        f"<title>finaudit working paper — {escape(meta.entity or '')} {meta.year or ''}</title>",
        "<style>body{font-family:sans-serif;margin:1.5em;font-size:13px}table{border-collapse:collapse;margin:.5em 0 1.5em}"
        "td,th{border:1px solid #bbb;padding:2px 6px;vertical-align:top}th{background:#eee}"
        "tr.error td:first-child{background:#F4B6B6}tr.warning td:first-child{background:#FFE699}"
        "tr.info td:first-child{background:#DDEBF7}td:nth-child(2){white-space:pre}td.mark{background:#FFD966}h2{margin-top:1.5em}"
        "td.num{text-align:right}</style></head><body>",
        f"<h1>审计工作底稿 finaudit working paper: {escape(meta.entity or '')} {meta.year or ''}</h1>",
        ("<h2>封面 cover</h2><table>"
         + "".join(f"<tr><th>{escape(k)}</th><td>{_text(v)}</td></tr>" for k, v in cover_rows(report, result))
         + "</table>"),
        _table(findings_section(report, result, entries)),
    ]
    marked = marks(report, result)
    for table in sorted(report.tables.values(), key=lambda t: t.ordinal or 99):
        source = "页 page" if table.pages else "行 line"
        heads = ["编码 code", "项目 item", *(table.columns[key] for key in table.printed_columns), source]
        rows = []
        for i, row in enumerate(table.records()):
            cells = [f"<td>{_text(row['code'])}</td>", f"<td>{_text(row['label'])}</td>"]
            for key in table.printed_columns:
                title = marked.get(table.kind, {}).get((i, key))
                attributes = f" class='num mark' title='{escape(title)}'" if title else " class='num'"
                cells.append(f"<td{attributes}>{_text(to_decimal(row[key]), 'amount')}</td>")
            cells.append(f"<td class='num'>{_text(table.source_line(i))}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        parts.append(f"<h2>{escape(table.label)}</h2><table><thead><tr>"
                     + "".join(f"<th>{escape(h)}</th>" for h in heads) + "</tr></thead><tbody>" + "".join(rows)
                     + "</tbody></table>")
    parts += [_table(narrative_section(report, result)), _table(budget_section(report)),
              _table(three_public_section(report)), "</body></html>"]
    return "".join(parts)
