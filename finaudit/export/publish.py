"""A static dashboard per report: the way to show one report to a hundred managers.

``finaudit publish REPORT… --to DIR`` writes, for each report, one HTML page with the dashboard's
read-only content — the headline figures, the spending treemap (click a sector to drill down, click the
centre to go back), budget against actual, 三公, and the findings — plus ``index.html`` listing the
reports and ``plotly.min.js`` copied from the installed plotly package. No kernel, no server code, no
network: the folder works from ``file://`` or behind any static web server, for any number of viewers.
The live dashboard (``make run``) is for the auditor who uploads a report and changes thresholds.

Everything the report says is escaped: HTML text with ``html.escape``; chart labels by
``finaudit.views.charts`` (plotly renders a subset of HTML in labels); figure JSON by plotly (``<`` as
``\\u003c``).
"""

from __future__ import annotations

import re
import shutil
from html import escape
from pathlib import Path

import pandas as pd

from finaudit import budget
from finaudit.audit import audit
from finaudit.model import Report, ReportFormatError
from finaudit.read import bundle
from finaudit.views import charts
from finaudit.views.labels import column_heading, table_ref, tr, unit_label

PLOTLY_JS = "plotly.min.js"

CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.2em auto;max-width:1200px;
color:#222;font-size:14px}h1{color:#1f4e79;font-size:1.5em}h2{color:#1f4e79;border-bottom:2px solid #dde;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 7px;vertical-align:top}
th{background:#eef2f7}td.num{text-align:right;white-space:nowrap}tr.error td:first-child{background:#F4B6B6}
tr.warning td:first-child{background:#FFE699}tr.info td:first-child{background:#DDEBF7}
tr.error td:nth-child(-n+2),tr.warning td:nth-child(-n+2),tr.info td:nth-child(-n+2){white-space:nowrap}.cards{display:flex;gap:1em;
flex-wrap:wrap}.card{border:1px solid #dde;border-radius:6px;padding:.5em 1em;min-width:10em}.card b{font-size:1.3em;
display:block}small{color:#666}nav a{margin-right:1em}"""


def page_name(report: Report, taken: set[str]) -> str:
    """A file name for the report's page: its source's stem, made safe, unique in the folder."""
    stem = re.sub(r"[^\w\-\u4e00-\u9fff]+", "_", Path(report.meta.source or "report").stem)[:80].strip("_") or "report"
    name, n = f"{stem}.html", 2
    while name in taken or name == "index.html":
        name, n = f"{stem}-{n}.html", n + 1
    return name


def _figure(fig, number: int) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"figure-{number}",
                       config={"displaylogo": False, "responsive": True})


def _table(heads: list[str], rows: list[list], classes: list[str] | None = None, numeric: set[int] = frozenset()) -> str:
    out = ["<table><tr>", *(f"<th>{escape(str(h))}</th>" for h in heads), "</tr>"]
    for n, row in enumerate(rows):
        out.append(f"<tr class='{classes[n]}'>" if classes else "<tr>")
        for m, value in enumerate(row):
            text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
            out.append(f"<td class='num'>{escape(text)}</td>" if m in numeric else f"<td>{escape(text)}</td>")
        out.append("</tr>")
    return "".join(out) + "</table>"


def report_page(report: Report, result, lang: str = "zh") -> str:
    """One report's static dashboard as an HTML page that loads ``plotly.min.js`` from its own folder."""
    meta, unit = report.meta, report.meta.unit or "万元"
    figures = charts.headline(report, result)
    value = dict(zip(figures["key"], figures["value"]))
    cards = "".join(
        f"<div class='card'>{escape(charts.tr(key, lang))}<b>{escape(charts.fmt(value.get(key)) or '—')}</b>"
        f"<small>{escape(unit_label(unit, lang))}</small></div>"
        for key in ("income_total", "expenditure_total", "basic", "project"))
    parts = [
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>",
        f"<title>{escape(meta.entity or '?')} {meta.year or ''}</title><style>{CSS}</style>",
        f"<script charset='utf-8' src='{PLOTLY_JS}'></script></head><body>",
        f"<nav><a href='index.html'>← {escape(tr('publish.reports', lang))}</a></nav>",
        f"<h1>{escape(meta.entity or '?')} {meta.year or ''} {tr(f'kind.{meta.kind}', lang)}</h1>",
        f"<small>{escape(Path(meta.source or '').name)} · sha256 {escape(meta.sha256 or '')[:16]}… · "
        f"{escape(tr('publish.generated', lang))}</small>",
        f"<h2>{escape(tr('publish.headline', lang))}</h2><div class='cards'>{cards}</div>",
        _figure(charts.headline_figure(figures, lang, unit), 1),
        f"<h2>{escape(tr('publish.drill', lang))}</h2>",
    ]
    tree = charts.spending_tree(report, lang)
    parts.append(_figure(charts.treemap_figure(tree, lang, unit), 2) if len(tree) > 1
                 else f"<p>{escape(tr('publish.unavailable', lang))}</p>")
    parts.append(f"<h2>{escape(tr('publish.budget', lang))}</h2>")
    try:
        frame, details, error = budget.flag(budget.budget_vs_actual(report)), budget.three_public(report), None
    except Exception as failure:  # an unreadable narrative: say so, publish the rest
        frame, details, error = None, None, f"{type(failure).__name__}: {failure}"
    if frame is not None and not frame.empty:
        items = charts.budget_items_frame(frame, lang)
        parts.append(_figure(charts.budget_actual_figure(items, lang=lang), 3))
        parts.append(_table([tr("publish.item", lang), charts.tr("budget", lang), charts.tr("actual", lang),
                             charts.tr("rate", lang) + " %"],
                            [[row.item, charts.fmt(row.budget), charts.fmt(row.actual),
                              "" if row.rate is None else f"{row.rate}"] for row in items.itertuples()],
                            numeric={1, 2, 3}))
    else:
        parts.append(f"<p>{escape(tr('publish.unavailable', lang))}{tr('colon', lang) + escape(error) if error else ''}</p>")
    parts.append(f"<h2>{escape(tr('publish.three', lang))}</h2>")
    three = charts.three_public_frame(report, details)
    parts.append(_figure(charts.three_public_figure(three, lang), 4))
    parts.append(_table([tr("publish.item", lang), charts.tr("budget", lang), charts.tr("actual", lang), charts.tr("rate", lang) + " %"],
                        [[charts.three_public_item(key, lang), charts.fmt(row["budget"]), charts.fmt(row["actual"]),
                          "" if row["rate"] is None else f"{row['rate']}"] for key, row in three.iterrows()],
                        numeric={1, 2, 3}))
    parts.append(f"<h2>{escape(tr('publish.findings', lang))}{charts.bracketed(str(len(result.findings)), lang)}</h2>")
    parts.append(findings_table(report, result, lang) if result.findings else f"<p>{escape(tr('publish.no_findings', lang))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def findings_table(report: Report, result, lang: str = "zh") -> str:
    """The findings in the dashboard's review order (errors, then warnings, then notes; each root cause followed by
    what it explains), the severity and the rule code each on one line."""
    rows, classes = [], []
    for finding in (result.findings[number] for number in result.review_order(grouped=True)):
        rows.append([charts.tr(str(finding.severity), lang), finding.code, table_ref(finding.table, lang),
                     finding.where.row, column_heading(report, finding.kind, finding.where.column, lang),
                     finding.text.get(lang)])
        classes.append(str(finding.severity))
    return _table([tr(f"publish.{k}", lang) for k in ("severity", "code", "table", "row", "column", "message")], rows, classes)


def index_page(entries: list[dict], lang: str = "zh") -> str:
    rows = []
    for entry in entries:
        if "error" in entry:
            rows.append(f"<tr><td>{escape(entry['source'])}</td><td colspan='4'>{escape(tr('publish.unreadable', lang))}{tr('colon', lang)}"
                        f"{escape(entry['error'])}</td></tr>")
            continue
        counts = entry["counts"]
        rows.append(f"<tr><td><a href='{escape(entry['page'], quote=True)}'>{escape(entry['title'])}</a></td>"
                    + "".join(f"<td class='num'>{counts[s]}</td>" for s in ("error", "warning", "info"))
                    + f"<td>{escape(entry['source'])}</td></tr>")
    heads = "".join(f"<th>{escape(h)}</th>" for h in (tr("publish.reports", lang), charts.tr("error", lang),
                                                      charts.tr("warning", lang), charts.tr("info", lang),
                                                      tr("publish.file", lang)))
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{escape(tr('publish.title', lang))}</title>"
            f"<style>{CSS}</style></head><body><h1>{escape(tr('publish.title', lang))}</h1>"
            f"<table><tr>{heads}</tr>{''.join(rows)}</table><small>{escape(tr('publish.generated', lang))}</small></body></html>")


def publish(paths: list[Path], directory: Path, lang: str = "zh", load=None,
            refused: list[tuple[Path, str]] = ()) -> list[dict]:
    """Write the static dashboards of `paths` (documents, ``finaudit.read.sources.discover``) into `directory`;
    one entry per report (with "error" when it could not be read), and one per `refused` path with its reason."""
    import plotly

    from finaudit.audit import audited

    process = (lambda path: (lambda report: (report, audit(report)))(load(path))) if load else audited
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(plotly.__file__).parent / "package_data" / PLOTLY_JS, directory / PLOTLY_JS)
    done: list[tuple | None] = []  # per path: (names, report, result) or (names, error); None: read with another
    for path in paths:
        try:
            done.append(([Path(path).name], *process(path)))
        except ReportFormatError as error:
            done.append(([Path(path).name], error))
    # a document in two files (a 情况说明 and its 报表, ``read.bundle``): one page, read from both files
    for first, second in bundle.pairs([item[1] if len(item) == 3 else None for item in done]):
        names = done[first][0] + done[second][0]
        try:
            done[min(first, second)] = (names, *process([paths[first], paths[second]]))
        except ReportFormatError as error:
            done[min(first, second)] = (names, error)
        done[max(first, second)] = None
    entries, taken = [], set()
    for names, *outcome in filter(None, done):
        source = " + ".join(names)
        if len(outcome) == 1:
            entries.append({"source": source, "error": str(outcome[0])})
            continue
        report, result = outcome
        name = page_name(report, taken)
        taken.add(name)
        (directory / name).write_text(report_page(report, result, lang), encoding="utf-8")
        meta = report.meta
        entries.append({"source": source, "page": name, "counts": result.counts,
                        "title": f"{meta.entity or '?'} {meta.year or ''}"})
    entries += [{"source": Path(path).name, "error": f"{path}: {reason}"} for path, reason in refused]
    (directory / "index.html").write_text(index_page(entries, lang), encoding="utf-8")
    return entries

