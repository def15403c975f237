"""The working paper as one self-contained HTML page."""

from __future__ import annotations

from html import escape

from finaudit.export.sections import claim_rows, cover_rows, marks
from finaudit.model import Report, to_decimal


def workpaper_html(report: Report, result) -> str:
    """The same working paper as one HTML page: inline CSS, no scripts, no network."""
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
        "tr.error td:nth-child(3){background:#F4B6B6}tr.warning td:nth-child(3){background:#FFE699}"
        "tr.info td:nth-child(3){background:#DDEBF7}td:first-child{white-space:pre}td.mark{background:#FFD966}h2{margin-top:1.5em}"
        "td.num{text-align:right}</style></head><body>",
        f"<h1>finaudit working paper: {escape(meta.department or '')} {meta.year or ''}</h1>",
        "<h2>Cover</h2>", table_html(["item", "value"], [list(r) for r in cover_rows(report, result)]),
    ]
    frame = result.to_frame(grouped=True)  # roots first, the findings each explains indented beneath it
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
