"""HTML for the panels: the stylesheet, glossary tooltips, small frames and report tables as HTML tables.
Everything a report says is HTML-escaped."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from finaudit.model import Table
from finaudit.views.labels import column_label, fmt, table_name, tr, unit_label

CSS = """
<style>
.fau-app {font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;}
.fau-table {border-collapse: collapse; font-size: 12px; margin: 4px 0 10px 0;}
.fau-table th, .fau-table td {border: 1px solid #d9d9d9; padding: 2px 6px; vertical-align: top;}
.fau-table th {background: #f2f4f7; font-weight: 600; white-space: nowrap;}
.fau-three-table, .fau-three-table .widget-html-content {overflow-x: auto; max-width: 100%; min-width: 0;}
.fau-three-table th {white-space: normal; min-width: 4em;}
.fau-three-table td:first-child {white-space: nowrap;}
.fau-table td.num {text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;}
.fau-table td.blank {color: #bbb;}
.fau-table tr.fau-level-1 td {font-weight: 600;}
.fau-marked {background: #fff2cc;}
.fau-hl {background: #f4b183 !important; outline: 2px solid #c0392b;}
.fau-term {border-bottom: 1px dotted #555; cursor: help;}
.fau-cards {display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0;}
.fau-card {border: 1px solid #d9d9d9; border-radius: 6px; padding: 6px 12px; min-width: 130px; background: #fafbfc;}
.fau-card .v {font-size: 20px; font-weight: 600; color: #1f4e79;}
.fau-card .k {font-size: 12px; color: #555;}
.fau-sev-error {color: #c0392b; font-weight: 600;}
.fau-sev-warning {color: #e67e22; font-weight: 600;}
.fau-sev-info {color: #7f8c8d;}
.fau-msg-error {color: #c0392b; font-weight: 600;}
.fau-msg-ok {color: #1e8449;}
.fau-detail h4 {margin: 4px 0;} .fau-detail h5 {margin: 8px 0 2px 0;}
.fau-title {font-size: 20px; font-weight: 600;}
.fau-tabs .lm-TabBar-tab {flex: 0 0 auto !important; max-width: none !important; min-width: 0 !important;}
.fau-upload {font-size: 0 !important;}
.fau-upload i {font-size: 13px; margin-right: 4px;}
.fau-upload::after {font-size: 13px;}
.fau-upload-zh::after {content: "上传报告（.txt / .pdf）";}
.fau-upload-en::after {content: "Upload a report (.txt / .pdf)";}
.fau-chart .js-plotly-plot, .fau-headline .js-plotly-plot {min-height: 280px;}
.itables_anywidget {overflow-x: auto; max-width: 100%;}
.itables_anywidget thead {display: table-row-group;} .itables_anywidget tfoot {display: table-header-group;}
.itables_anywidget tfoot input {width: 100% !important; min-width: 3em; box-sizing: border-box; font-weight: normal;}
.fau-findings-grid td, .fau-budget-grid td {white-space: normal;}
.fau-table-view td:nth-child(n+3) {text-align: right; font-variant-numeric: tabular-nums;}
.fau-table-view td:first-child {text-align: left !important;}
.fau-findings-grid td:nth-child(-n+3) {white-space: nowrap;}
.fau-findings-grid td:nth-child(5), .fau-budget-grid td:nth-child(7) {min-width: 26em;}
.fau-findings-grid td:nth-child(4), .fau-findings-grid td:nth-child(7), .fau-budget-grid td:nth-child(2) {min-width: 10em;}
.fau-findings-grid tr.selected td {background: #dbe8f6 !important; box-shadow: none !important; color: inherit !important;}
.fau-review {border-left: 3px solid #1f4e79; padding-left: 8px; margin: 6px 0;}
.fau-status {font-weight: 600; color: #1f4e79;}
</style>
"""

_QUOTES = "“”\"'‘’"


@lru_cache(maxsize=32)
def _glossary_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    if not terms:
        return None
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        bare = "".join(ch for ch in term if ch not in _QUOTES)
        if bare:
            parts.append(f"[{_QUOTES}]?".join(re.escape(ch) for ch in bare))
    return re.compile("|".join(parts)) if parts else None


def glossify(text: str, glossary: dict | None) -> str:
    """HTML-escape `text` and wrap each glossary term in it in a span whose tooltip is the definition.

    Quotes inside a term are optional ('三公经费' matches '“三公”经费').
    """
    text = text or ""
    pattern = _glossary_pattern(tuple(glossary)) if glossary else None
    if pattern is None:
        return html.escape(text)
    bare = {"".join(ch for ch in term if ch not in _QUOTES): d for term, d in glossary.items()}
    pieces, end = [], 0
    for match in pattern.finditer(text):  # match the text as written, escape every piece (a term "lt" or "quot"
        definition = bare.get("".join(ch for ch in match.group(0) if ch not in _QUOTES))  # cannot split an entity)
        tip = getattr(definition, "text", str(definition or ""))
        pieces += [html.escape(text[end:match.start()]),
                   f'<span class="fau-term" title="{html.escape(tip, quote=True)}">{html.escape(match.group(0))}</span>']
        end = match.end()
    return "".join(pieces) + html.escape(text[end:])


def amount_cell(value: Decimal | None) -> str:
    return f'<td class="num">{fmt(value)}</td>' if value is not None else '<td class="num blank"></td>'


def frame_html(frame: pd.DataFrame, headers: dict[str, str], glossary: dict | None = None,
               classes: str = "fau-table") -> str:
    """A small DataFrame as an HTML table: Decimal columns right-aligned, text escaped."""
    if frame is None or frame.empty:
        return ""
    head = "".join(f"<th>{glossify(label, glossary)}</th>" for label in headers.values())
    body = []
    for _, row in frame.iterrows():
        cells = []
        for column in headers:
            value = row.get(column)
            if isinstance(value, Decimal):
                cells.append(amount_cell(value))
            elif value is None or (not isinstance(value, str) and pd.isna(value)):
                cells.append('<td class="blank"></td>')
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{classes}"><tr>{head}</tr>{"".join(body)}</table>'


def source_heading(table: Table, lang: str = "zh") -> str:
    """What a table's source column holds: the page of a PDF, the line of a text report ('Page' in a heading)."""
    return tr("source_page" if table.pages else "source_line", lang)


def marked_title(numbers: list[int], findings: list | None, lang: str) -> str:
    if not numbers or findings is None:
        return ""
    tips = [f"{findings[n].code} {findings[n].text.get(lang)}" for n in numbers[:6]]
    return html.escape("\n".join(tips), quote=True)


def table_html(table: Table, marks: dict | None = None, highlight: set | None = None, *, lang: str = "zh",
               glossary: dict | None = None, findings: list | None = None) -> str:
    """One report table as loaded, as HTML: stub (code, label) and amount columns, the source line
    (or page) of each row; cells in `marks` ((kind, row, column) → finding numbers) are marked,
    cells in `highlight` ((row, column)) are highlighted."""
    marks, highlight = marks or {}, highlight or set()
    head = [f"<th>{tr('code', lang)}</th>", f"<th>{tr('item', lang)}</th>"]
    head += [f"<th>{glossify(column_label(table, c, lang), glossary)}</th>" for c in table.columns]
    head.append(f"<th>{html.escape(source_heading(table, lang))}</th>")
    rows = []
    for index, row in table.data.iterrows():
        level = row["level"]
        css = f' class="fau-level-{int(level)}"' if not pd.isna(level) else ""
        code = "" if pd.isna(row["code"]) else html.escape(str(row["code"]))
        label = glossify(str(row["label"] or ""), glossary)
        cells = [f"<td>{code}</td>", f"<td>{label}</td>"]
        for column in table.columns:
            value = row[column]
            amount = None if pd.isna(value) else Decimal(int(value)).scaleb(-2)
            numbers = marks.get((table.kind, int(index), column), [])
            classes = ["num"] + (["blank"] if amount is None else [])
            title = marked_title(numbers, findings, lang)
            if numbers:
                classes.append("fau-marked")
            if (int(index), column) in highlight:
                classes.append("fau-hl")
            title = f' title="{title}"' if title else ""
            cells.append(f'<td class="{" ".join(classes)}" data-col="{column}"{title}>{fmt(amount)}</td>')
        source = table.source_line(int(index))
        cells.append(f'<td class="num">{"" if source is None else source}</td>')
        rows.append(f'<tr{css} data-row="{int(index)}">' + "".join(cells) + "</tr>")
    return (f'<div class="fau-tablebox" data-kind="{table.kind}">{table_caption(table, lang)}'
            f'<table class="fau-table"><tr>{"".join(head)}</tr>{"".join(rows)}</table></div>')


def table_caption(table: Table, lang: str = "zh") -> str:
    caption = html.escape(table_name(table, lang))
    unit = html.escape(tr("bracketed", lang).format(x=unit_label(table.unit, lang)))
    statement = (f"<p><b>{tr('statement', lang)}</b>{tr('colon', lang)}{html.escape(table.statement)}</p>"
                 if table.statement else "")
    return f"<h4>{caption}{unit if table.unit else ''}</h4>{statement}"


def table_grid_frame(table: Table, marks: dict | None, findings: list | None, lang: str = "zh") -> pd.DataFrame:
    """One report table for ``panel.grid``: escaped text, formatted amounts, the cells findings involve
    wrapped in a marked span whose tooltip names the findings."""
    marks = marks or {}
    columns = {"code": tr("code", lang), "label": tr("item", lang),
               **{c: column_label(table, c, lang) for c in table.printed_columns}, "source": source_heading(table, lang)}
    rows = []
    for index, row in table.data.iterrows():
        record = {"code": "" if pd.isna(row["code"]) else html.escape(str(row["code"])),
                  "label": html.escape(str(row["label"] or ""))}
        for column in table.printed_columns:
            value = row[column]
            text = fmt(None if pd.isna(value) else Decimal(int(value)).scaleb(-2))
            numbers = marks.get((table.kind, int(index), column), [])
            if numbers:
                text = (f'<span class="fau-marked" data-row="{int(index)}" data-col="{html.escape(column)}" '
                        f'title="{marked_title(numbers, findings, lang)}">{text or "&#8203;"}</span>')
            record[column] = text
        source = table.source_line(int(index))
        record["source"] = "" if source is None else str(source)
        rows.append(record)
    return pd.DataFrame(rows, columns=list(columns)).rename(columns=columns)


def severity_html(severity: str, lang: str) -> str:
    return f'<span class="fau-sev-{severity}">{html.escape(tr(severity, lang))}</span>'
