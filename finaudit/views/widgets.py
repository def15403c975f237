"""ipywidgets panels for the audit workbook and the Voila dashboard.

Each panel is a class with a ``widget`` (an ipywidgets container), ``set_report(loaded)`` and
``set_lang(lang)``; ``Dashboard`` composes them. The data comes from ``finaudit.views.charts`` (frames and
plotly figures) and, for budget against actual, from ``finaudit.budget``.

Patterns that hold in Voila 0.5 (see docs of the project's Jupyter stack notes):

- plotly charts driven by widgets are plain ``go.Figure`` shown in an ``Output`` cleared with
  ``wait=True``; the one chart that needs events in Python, the spending treemap, is a
  ``FigureWidget`` built from a finished figure, always inside a container, and replaced (never
  mutated) when the report or the language changes; it is mutated only in click callbacks;
- everything a user supplies (uploads, labels of an uploaded report) is HTML-escaped.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

import anywidget
import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

import finaudit
from finaudit.audit import audit
from finaudit.findings import SEVERITIES, AuditResult
from finaudit.model import Report, ReportFormatError, Table
from finaudit.views import charts
from finaudit.views.charts import ROOT, fmt, tr
from finaudit.views.upload_guard import UploadGuard

#: Upload limits: the published reports are a few hundred KB (text) to a few MB (PDF).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_SUFFIXES = (".txt", ".pdf")
DEFAULT_REPORT = "liujiang-govt-office-2017-final.txt"

UI: dict[str, tuple[str, str]] = {
    "title": ("部门决算审计看板", "Final-accounts audit dashboard"),
    "report": ("报告", "Report"),
    "upload": ("上传报告", "Upload report"),
    "loading": ("正在读取", "Loading"),
    "loaded": ("已读取", "Loaded"),
    "bad_file": ("无法读取该文件，仍显示原报告", "Could not read the file; the previous report stays loaded"),
    "too_big": ("文件过大", "File too large"),
    "bad_type": ("只接受 .txt 或 .pdf 文件", "Only .txt or .pdf files are accepted"),
    "tab_drill": ("支出钻取", "Drill-down"),
    "tab_budget": ("预算与决算", "Budget vs actual"),
    "tab_three": ("“三公”经费", "Three public expenses"),
    "tab_findings": ("审计发现", "Findings"),
    "tab_tables": ("报表", "Tables"),
    "children": ("下级科目", "Sub-items"),
    "income_sources": ("收入来源（表二同一科目）", "Income sources (table 2, same code)"),
    "fiscal_share": ("财政拨款占比（表五 ÷ 表三）", "Fiscal share (table 5 ÷ table 3)"),
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
    "no_budget_rows": ("情况说明中未找到预算数", "No budget figures found in the narrative"),
    "flagged_items": ("超出阈值的项目", "Items outside the threshold"),
    "stated_change": ("说明所称增减", "Stated change"),
    "prior": ("上年数（推算）", "Prior year (derived)"),
    "unit_figures": ("单位成本", "Unit figures"),
    "counts": ("数量", "Counts"),
    "item": ("项目", "Item"),
    "share": ("占比", "Share"),
    "marked_legend": ("黄色：审计发现涉及的单元格（悬停查看）", "Yellow: cells a finding involves (hover for the codes)"),
    "statement": ("说明", "Statement"),
    "workpaper": ("工作底稿", "Working paper"),
}


def ui(key: str, lang: str = "zh") -> str:
    pair = UI.get(key)
    return tr(key, lang) if pair is None else pair[1 if lang == "en" else 0]


CSS = """
<style>
.fau-app {font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;}
.fau-table {border-collapse: collapse; font-size: 12px; margin: 4px 0 10px 0;}
.fau-table th, .fau-table td {border: 1px solid #d9d9d9; padding: 2px 6px; vertical-align: top;}
.fau-table th {background: #f2f4f7; font-weight: 600;}
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
</style>
"""


# -- loading ------------------------------------------------------------------------------------
@dataclass
class Loaded:
    """A report with everything the panels need, computed once."""

    name: str
    report: Report
    result: AuditResult
    budget: pd.DataFrame | None  # finaudit.budget.budget_vs_actual(report), None when unavailable
    three_public: pd.DataFrame | None  # finaudit.budget.three_public(report)
    budget_error: str | None = None


def sample_dir() -> Path:
    """The bundled reports: $FINAUDIT_SAMPLES, else sample_data/ of the source tree (or the cwd)."""
    env = os.environ.get("FINAUDIT_SAMPLES")
    candidates = [Path(env)] if env else []
    candidates += [Path(finaudit.__file__).resolve().parent.parent / "sample_data", Path.cwd() / "sample_data",
                   Path.cwd().parent / "sample_data"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def sample_reports(directory: Path | None = None) -> dict[str, Path]:
    """name → path of every .txt/.pdf report in the sample directory, sorted by name."""
    directory = directory or sample_dir()
    if not directory.is_dir():
        return {}
    return {p.name: p for p in sorted(directory.iterdir()) if p.suffix.lower() in UPLOAD_SUFFIXES and p.is_file()}


def budget_frames(report: Report) -> tuple[pd.DataFrame | None, pd.DataFrame | None, str | None]:
    """``finaudit.budget``'s budget_vs_actual and three_public frames, or (None, None, why) when the
    narrative cannot be read (the error is shown in the panel, never hidden)."""
    from finaudit import budget

    try:
        return budget.budget_vs_actual(report), budget.three_public(report), None
    except Exception as error:  # a narrative the parser cannot read must not take the dashboard down
        return None, None, f"{type(error).__name__}: {error}"


def prepare(report: Report, name: str | None = None) -> Loaded:
    """Audit a loaded report and compute the budget frames."""
    result = audit(report)
    frame, details, error = budget_frames(report)
    return Loaded(name or Path(report.meta.source or "report").name, report, result, frame, details, error)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Loaded:
    return prepare(finaudit.load(path), Path(path).name)


def load_report(path: str | Path) -> Loaded:
    """Load and audit a report file (cached by path and modification time)."""
    path = Path(path).resolve()
    return _load_cached(str(path), path.stat().st_mtime if path.exists() else 0.0)


def load_sample(name: str | None = None) -> Loaded:
    """One of the bundled reports by file name (the default when `name` is unknown)."""
    samples = sample_reports()
    path = samples.get(name or "") or samples.get(DEFAULT_REPORT) or next(iter(samples.values()))
    return load_report(path)


def requested_report(query: str | None = None, default: str = DEFAULT_REPORT) -> str:
    """The sample named by ``?report=`` in the query string (Voila's QUERY_STRING), else `default`.

    Only names of the bundled samples are accepted: the query string is user input.
    """
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    wanted = (parse_qs(query).get("report") or [""])[0]
    return wanted if wanted in sample_reports() else default


def preheat() -> Loaded:
    """Work done before a request arrives (Voila preheated kernels): load and audit the default
    report, and build each figure once so plotly's lazy imports are paid for."""
    loaded = load_sample(DEFAULT_REPORT)
    charts.headline_figure(charts.headline(loaded.report, loaded.result))
    charts.treemap_figure(charts.spending_tree(loaded.report))
    go.FigureWidget  # noqa: B018 - resolves plotly's lazy FigureWidget import (anywidget) without making a widget
    charts.three_public_figure(charts.three_public_frame(loaded.report, loaded.three_public))
    return loaded


# -- HTML helpers -------------------------------------------------------------------------------
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


def _cell(value: Decimal | None) -> str:
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
                cells.append(_cell(value))
            elif value is None or (not isinstance(value, str) and pd.isna(value)):
                cells.append('<td class="blank"></td>')
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{classes}"><tr>{head}</tr>{"".join(body)}</table>'


def table_html(table: Table, marks: dict | None = None, highlight: set | None = None, *, lang: str = "zh",
               glossary: dict | None = None, findings: list | None = None, fmt_page: bool = False) -> str:
    """One report table as loaded, as HTML: stub (code, label) and amount columns, the source line
    (or page) of each row; cells in `marks` ((kind, row, column) → finding numbers) are marked,
    cells in `highlight` ((row, column)) are highlighted."""
    marks, highlight = marks or {}, highlight or set()
    where = ui("page" if fmt_page else "line", lang)
    head = ["<th>" + ("编码" if lang == "zh" else "Code") + "</th>", "<th>" + ("项目" if lang == "zh" else "Item") + "</th>"]
    head += [f"<th>{glossify(charts.column_label(table, c, lang), glossary)}</th>" for c in table.columns]
    head.append(f"<th>{html.escape(where)}</th>")
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
            title = ""
            if numbers:
                classes.append("fau-marked")
                if findings is not None:
                    tips = [f"{findings[n].code} {findings[n].message_zh if lang == 'zh' else findings[n].message_en}"
                            for n in numbers[:6]]
                    title = f' title="{html.escape(chr(10).join(tips), quote=True)}"'
            if (int(index), column) in highlight:
                classes.append("fau-hl")
            cells.append(f'<td class="{" ".join(classes)}" data-col="{column}"{title}>{fmt(amount)}</td>')
        source = table.source_line(int(index))
        if fmt_page and table.pages:
            source = None
        cells.append(f'<td class="num">{"" if source is None else source}</td>')
        rows.append(f'<tr{css} data-row="{int(index)}">' + "".join(cells) + "</tr>")
    caption = html.escape(charts.table_name(table, lang))
    unit = f"（{html.escape(table.unit)}）" if table.unit else ""
    statement = (f"<p><b>{ui('statement', lang)}</b>：{html.escape(table.statement)}</p>" if table.statement else "")
    return (f'<div class="fau-tablebox" data-kind="{table.kind}"><h4>{caption}{unit}</h4>{statement}'
            f'<table class="fau-table"><tr>{"".join(head)}</tr>{"".join(rows)}</table></div>')


def figure_output(figure: go.Figure) -> dict:
    """A plotly figure as one display_data output (the plotly mime type, rendered by jupyterlab-plotly)."""
    spec = json.loads(pio.to_json(figure, validate=False))
    spec["config"] = {"displaylogo": False, "responsive": True}
    title = (figure.layout.title.text or "figure") if figure.layout.title else "figure"
    return {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.plotly.v1+json": spec, "text/plain": f"<plotly figure: {title}>"}}


def _show(output: W.Output, figure: go.Figure) -> None:
    """Replace what `output` shows with `figure`.

    The outputs are set as widget state, not captured with ``with output: fig.show()``: capturing
    while a cell executes stalls nbclient (papermill, nbval, Voila's executor) now and then.
    """
    output.outputs = (figure_output(figure),)


def _severity(severity: str, lang: str) -> str:
    return f'<span class="fau-sev-{severity}">{html.escape(tr(severity, lang))}</span>'


# -- panels -------------------------------------------------------------------------------------
class Panel:
    """Base: a widget, a report, a language."""

    widget: W.Widget

    def __init__(self, loaded: Loaded, lang: str = "zh"):
        self.loaded, self.lang = loaded, lang
        self.figures: dict[str, go.Figure] = {}

    @property
    def report(self) -> Report:
        return self.loaded.report

    @property
    def result(self) -> AuditResult:
        return self.loaded.result

    @property
    def glossary(self) -> dict:
        return self.report.glossary

    def set_report(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.render()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.render()

    def render(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class RenderHook(anywidget.AnyWidget):
    """Tells the kernel once the page has drawn it: the dashboard builds its heavy FigureWidget (its
    plotly bundle is ~5 MB of widget state) after the first paint instead of before it."""

    _esm = """
    export default { render({ model, el }) { el.style.display = "none"; model.send({ event: "rendered" }); } };
    """

    def __init__(self, callback):
        super().__init__()
        self._callback = callback
        self.on_msg(self._received)

    def _received(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("event") == "rendered" and self._callback is not None:
            callback, self._callback = self._callback, None
            callback()


class DrillDown(Panel):
    """Spending by function code (类 → 款 → 项) as a treemap: a click selects a node, the breadcrumb
    goes back up, the detail shows children, income sources, fiscal share, budget and findings.

    With ``lazy=True`` (the dashboard) the treemap FigureWidget is built when the page has drawn the
    panel; otherwise (workbook, tests) at once.
    """

    DEPTH = 4  # root, 类, 款, 项

    def __init__(self, loaded: Loaded, lang: str = "zh", lazy: bool = False):
        super().__init__(loaded, lang)
        self.crumb_buttons = []
        for _ in range(self.DEPTH):
            button = W.Button(layout=W.Layout(width="auto", display="none")).add_class("fau-crumb")
            button.on_click(self._crumb_clicked)
            self.crumb_buttons.append(button)
        self.crumbs = W.HBox(self.crumb_buttons, layout=W.Layout(flex_flow="row wrap")).add_class("fau-breadcrumb")
        self.chart = W.VBox(layout=W.Layout(width="58%", min_width="420px", min_height="470px")).add_class(
            "fau-treemap")
        self.detail = W.HTML(layout=W.Layout(width="41%", max_height="560px", overflow="auto")).add_class(
            "fau-detail")
        self.widget = W.VBox([self.crumbs, W.HBox([self.chart, self.detail])]).add_class("fau-drilldown")
        self.selected, self.view, self.figure = ROOT, ROOT, None
        self._lazy = lazy
        self.render()

    def render(self) -> None:
        self.tree = charts.spending_tree(self.report, self.lang)
        self.view = ROOT
        if self._lazy:
            self._lazy = False  # only the first drawing waits for the page
            self.chart.children = [W.HTML(f"<p>{html.escape(tr('spending_by_function', self.lang))} …</p>"),
                                   RenderHook(self.build_chart)]
        else:
            self.build_chart()
        self.select(ROOT)

    def build_chart(self) -> None:
        """A new FigureWidget from the finished figure, placed in the container (never mutated before
        it is on the page: plotly.py #4998)."""
        figure = go.FigureWidget(charts.treemap_figure(self.tree, self.lang, self.report.meta.unit))
        figure.data[0].on_click(self._on_click)
        self.figure = figure
        self.chart.children = [figure]

    def _has_children(self, node: str) -> bool:
        return bool((self.tree["parent"] == node).any())

    def _parent(self, node: str) -> str:
        found = self.tree.loc[self.tree["id"] == node, "parent"]
        return str(found.iloc[0]) if len(found) and found.iloc[0] else ROOT

    def _on_click(self, trace, points, state=None) -> None:
        if not points.point_inds:
            return
        self.click(trace.ids[points.point_inds[0]])

    def click(self, node: str) -> None:
        """What a click on sector `node` does: plotly.js zooms into a node with children and back up
        when the current top is clicked; follow it, and select the node."""
        if node not in set(self.tree["id"]):
            return
        if node == self.view and node != ROOT:
            node = self._parent(node)
            self.view = node
        elif self._has_children(node):
            self.view = node
        self.select(node)
        self._sync_level()

    def _sync_level(self) -> None:
        """Keep the trace's `level` equal to what the page shows, so that a later breadcrumb click
        is a change plotly.py sends (it sends nothing when the value is the same)."""
        if self.figure is not None and self.figure.data[0].level != self.view:
            with self.figure.batch_update():
                self.figure.data[0].level = self.view

    def _crumb_clicked(self, button) -> None:
        node = getattr(button, "node", None)
        if node:
            self.go_to(node)

    def go_to(self, node: str) -> None:
        """Select `node` and zoom the treemap to it (breadcrumb)."""
        self.view = node if self._has_children(node) else self._parent(node)
        self._sync_level()
        self.select(node)

    def select(self, node: str) -> None:
        self.selected = node
        self.details = charts.node_detail(self.report, self.result, node, budget=self.loaded.budget, tree=self.tree,
                                          lang=self.lang)
        names = dict(zip(self.tree["id"], self.tree["name"]))
        path = self.details.path[-self.DEPTH:]
        for i, button in enumerate(self.crumb_buttons):
            if i < len(path):
                step = path[i]
                text = names.get(step, step) if step == ROOT else f"{step} {names.get(step, '')}"
                button.node = step
                button.description, button.tooltip = text[:24], text
                button.disabled = step == node
                button.layout.display = None
            else:
                button.node = None
                button.layout.display = "none"
        self.detail.value = self.detail_html(self.details)

    def detail_html(self, d: charts.NodeDetail) -> str:
        lang, glossary = self.lang, self.glossary
        title = html.escape(d.name if d.code is None else f"{d.code} {d.name}")
        source = self.report.tables.get(d.source)
        out = [f'<div class="fau-node" data-node="{html.escape(d.node)}"><h4>{title}</h4>']
        amounts = pd.DataFrame([d.amounts])
        heads = {k: tr(k, lang) for k in ("total", "basic", "project")}
        out.append(frame_html(amounts, heads, glossary))
        if source is not None:
            out.append(f"<small>{html.escape(charts.table_name(source, lang))}</small>")
        if len(d.children):
            out.append(f"<h5>{ui('children', lang)}</h5>")
            out.append(frame_html(d.children, {"code": "编码" if lang == "zh" else "Code",
                                               "name": "名称" if lang == "zh" else "Name", **heads}, glossary))
        out.append(f"<h5>{glossify(ui('income_sources', lang), glossary)}</h5>")
        out.append(frame_html(d.income, {"label": ui("item", lang), "amount": tr("actual", lang)}, glossary)
                   or f"<p>{ui('none', lang)}</p>")
        general, whole, share = d.fiscal["general"], d.fiscal["all"], d.fiscal["share"]
        out.append(f"<h5>{ui('fiscal_share', lang)}</h5>")
        out.append(f"<p>{fmt(general) or '—'} ÷ {fmt(whole) or '—'} = {'—' if share is None else f'{share}%'}</p>")
        out.append(f"<h5>{ui('budget_actual', lang)}</h5>")
        if len(d.budget):
            out.append(frame_html(d.budget, {"name": ui("item", lang), "budget": tr("budget", lang),
                                             "actual": tr("actual", lang), "rate": tr("recomputed_rate", lang),
                                             "stated_rate": tr("stated_rate", lang), "reason": tr("reason", lang)},
                                  glossary))
        else:
            out.append(f"<p>{ui('none', lang) if self.loaded.budget is not None else ui('budget_missing', lang)}</p>")
        out.append(f"<h5>{ui('node_findings', lang)}（{len(d.findings)}）</h5>")
        if len(d.findings):
            items = [f"<li>{_severity(row.severity, lang)} {html.escape(row.code)} "
                     f"{html.escape(row.message if lang == 'zh' else row.message_en)} "
                     f"<small>[{html.escape(row.source)}]</small></li>" for row in d.findings.itertuples()]
            out.append("<ul>" + "".join(items) + "</ul>")
        else:
            out.append(f"<p>{ui('none', lang)}</p>")
        out.append("</div>")
        return "".join(out)


class BudgetPanel(Panel):
    """Budget against actual per 项 and for 三公 (``finaudit.budget``): bars, 完成率 with a threshold
    slider, the stated reason beside each flagged item, stated against recomputed rates."""

    def __init__(self, loaded: Loaded, lang: str = "zh"):
        super().__init__(loaded, lang)
        self.slider = W.FloatRangeSlider(value=(80.0, 120.0), min=0.0, max=300.0, step=5.0, readout_format=".0f",
                                         continuous_update=False, layout=W.Layout(width="480px"),
                                         style={"description_width": "auto"}).add_class("fau-threshold")
        self.slider.observe(lambda _change: self.render(), names="value")
        self.output = W.Output(layout=W.Layout(min_height="300px")).add_class("fau-budget-chart")
        self.table = W.HTML().add_class("fau-budget-table")
        self.widget = W.VBox([self.slider, self.output, self.table]).add_class("fau-budget")
        self.render()

    def flagged(self) -> pd.DataFrame | None:
        """The budget frame with its 'flagged' column for the slider's thresholds."""
        frame = self.loaded.budget
        if frame is None:
            return None
        from finaudit import budget

        low, high = self.slider.value
        return budget.flag(frame, low=Decimal(str(low)), high=Decimal(str(high)))

    def render(self) -> None:
        lang = self.lang
        self.slider.description = f"{tr('threshold', lang)} %"
        frame = self.flagged()
        if frame is None:
            self.output.clear_output()
            self.table.value = (f'<p class="fau-msg-error">{ui("budget_missing", lang)}'
                                f"{'：' + html.escape(self.loaded.budget_error) if self.loaded.budget_error else ''}</p>")
            return
        if frame.empty:
            self.output.clear_output()
            self.table.value = f"<p>{ui('no_budget_rows', lang)}</p>"
            return
        low, high = self.slider.value
        items = charts.budget_items_frame(frame, lang)
        self.figures["budget"] = figure = charts.budget_actual_figure(items, low, high, lang)
        _show(self.output, figure)
        self.table.value = self.table_html(items)

    def table_html(self, items: pd.DataFrame) -> str:
        lang = self.lang
        heads = ["", ui("item", lang), tr("budget", lang), tr("actual", lang), tr("recomputed_rate", lang),
                 tr("stated_rate", lang), tr("reason", lang), ui("source", lang)]
        rows = []
        for row in items.itertuples():
            rate = "" if row.rate is None else f"{row.rate}%"
            stated = "" if row.stated_rate is None else f"{row.stated_rate}%"
            if charts.rate_differs(row.stated_rate, row.rate):
                stated = f'<span class="fau-sev-error" title="≠ {rate or "—"}">{stated or "—"} ≠</span>'

            where = f"{ui('line', lang)} {row.line}" if row.line else f"{ui('page', lang)} {row.page}" if row.page else ""
            flag = "⚑" if row.flagged else ""
            css = ' class="fau-marked"' if row.flagged else ""
            rows.append(f"<tr{css}><td>{flag}</td><td>{html.escape(row.item)}</td>{_cell(row.budget)}{_cell(row.actual)}"
                        f'<td class="num">{rate}</td><td class="num">{stated}</td>'
                        f"<td>{html.escape(row.reason or '') if row.flagged else ''}</td><td>{html.escape(where)}</td></tr>")
        head = "".join(f"<th>{glossify(h, self.glossary)}</th>" for h in heads)
        count = int(items["flagged"].sum())
        return (f"<h5>{ui('flagged_items', lang)}：{count}</h5>"
                f'<table class="fau-table"><tr>{head}</tr>{"".join(rows)}</table>')


class ThreePublicPanel(Panel):
    """三公经费: budget vs actual per item, composition of the actual, the narrative's change on the
    prior year, unit figures where counts are given."""

    def __init__(self, loaded: Loaded, lang: str = "zh"):
        super().__init__(loaded, lang)
        self.output = W.Output(layout=W.Layout(min_height="300px")).add_class("fau-three-chart")
        self.table = W.HTML().add_class("fau-three-table")
        self.widget = W.VBox([self.output, self.table]).add_class("fau-three")
        self.render()

    def frame(self) -> pd.DataFrame:
        return charts.three_public_frame(self.report, self.loaded.three_public)

    def render(self) -> None:
        frame = self.frame()
        self.figures["three_public"] = figure = charts.three_public_figure(frame, self.lang)
        _show(self.output, figure)
        self.table.value = self.table_html(frame)

    def table_html(self, frame: pd.DataFrame) -> str:
        lang = self.lang
        label = "label_en" if lang == "en" else "label"
        view = frame.reset_index().rename(columns={label: "item"})
        heads = {"item": ui("item", lang), "budget": tr("budget", lang), "actual": tr("actual", lang),
                 "rate": tr("rate", lang) + " %", "share": ui("share", lang) + " %"}
        for column, text in (("stated_change", ui("stated_change", lang)), ("prior", ui("prior", lang))):
            if column in view and view[column].notna().any():
                heads[column] = text
        unit_columns = {"trips": ("团组", "trips"), "people": ("人次", "people"), "vehicles": ("车辆", "vehicles"),
                        "receptions": ("接待批次", "receptions"), "visitors": ("接待人次", "visitors"),
                        "per_trip": ("每团组", "per trip"), "per_vehicle": ("每车", "per vehicle"),
                        "per_reception": ("每批次", "per reception"), "per_visitor": ("每人次", "per visitor")}
        for column, (zh, en) in unit_columns.items():
            if column in view and view[column].notna().any():
                heads[column] = en if lang == "en" else zh
        view = view.astype(object).where(view.notna(), None)
        table = self.report.tables.get("three_public")
        note = ""
        if table is None:
            note = f"<p>{ui('none', lang)}</p>"
        elif self.loaded.three_public is None:
            note = f"<p><small>{ui('budget_missing', lang)}</small></p>"
        return frame_html(view, heads, self.glossary) + note


class FindingsPanel(Panel):
    """Filter findings by severity, table and rule; the selected finding's cells highlighted in their
    table, with their source lines or pages."""

    def __init__(self, loaded: Loaded, lang: str = "zh"):
        super().__init__(loaded, lang)
        self.severity = W.Dropdown(layout=W.Layout(width="200px")).add_class("fau-filter-severity")
        self.table = W.Dropdown(layout=W.Layout(width="260px")).add_class("fau-filter-table")
        self.rule = W.Dropdown(layout=W.Layout(width="200px")).add_class("fau-filter-rule")
        self.list = W.Select(rows=12, layout=W.Layout(width="100%")).add_class("fau-findings-list")
        self.detail = W.HTML().add_class("fau-finding-detail")
        for control in (self.severity, self.table, self.rule):
            control.observe(lambda _c: self.refresh(), names="value")
        self.list.observe(lambda c: self.show(c["new"]), names="value")
        self.widget = W.VBox([W.HBox([self.severity, self.table, self.rule]), self.list, self.detail]).add_class(
            "fau-findings")
        self.render()

    def render(self) -> None:
        lang, result = self.lang, self.result
        self._updating = True
        everything = ui("all", lang)
        self.severity.description, self.table.description, self.rule.description = (
            ui("severity", lang), ui("table", lang), ui("rule", lang))
        self.severity.options = [(everything, None)] + [(tr(s, lang), s) for s in SEVERITIES]
        tables = sorted({f.table for f in result.findings if isinstance(f.table, int)})
        names = {t.ordinal: charts.table_name(t, lang) for t in self.report.tables.values()}
        self.table.options = [(everything, None)] + [(names.get(t, f"表{t}"), t) for t in tables]
        self.rule.options = [(everything, None)] + [(c, c) for c in result.by_code()]
        self.severity.value = self.table.value = self.rule.value = None
        self._updating = False
        self.refresh()

    def filtered(self) -> pd.DataFrame:
        return charts.findings_frame(self.result, severity=self.severity.value, table=self.table.value,
                                     rule=self.rule.value)

    def refresh(self) -> None:
        if getattr(self, "_updating", False):
            return
        frame = self.filtered()
        message = "message" if self.lang == "zh" else "message_en"
        options = [(f"[{tr(r.severity, self.lang)}] {r.code} 表{r.table or ''} {r.location} — "
                    f"{getattr(r, message)[:80]}", int(i)) for i, r in zip(frame.index, frame.itertuples())]
        self.list.options = options
        if options:
            self.list.value = options[0][1]
            self.show(options[0][1])
        else:
            self.detail.value = f"<p>{ui('no_findings', self.lang)}</p>"

    def show(self, number: int | None) -> None:
        if number is None or not (0 <= number < len(self.result.findings)):
            return
        self.detail.value = self.finding_html(number)

    def finding_html(self, number: int) -> str:
        lang, finding = self.lang, self.result.findings[number]
        message = finding.message_zh if lang == "zh" else finding.message_en
        out = [f'<div class="fau-finding" data-finding="{number}"><h4>{_severity(finding.severity, lang)} '
               f"{html.escape(finding.code)} {html.escape(message)}</h4>"]
        facts = [(ui("expected", lang), finding.expected), (ui("printed", lang), finding.actual),
                 (ui("difference", lang), finding.difference)]
        out.append("<p>" + "；".join(f"{k} {fmt(v)}" for k, v in facts if v is not None) + "</p>")
        cells = charts.finding_cells(self.result, number)
        if len(cells):
            view = cells.assign(where=[
                f"{ui('line', lang)} {line}" if line and not pd.isna(line) else
                f"{ui('page', lang)} {page}" if page and not pd.isna(page) else ""
                for line, page in zip(cells["line"], cells["page"])])
            out.append(f"<h5>{ui('cells', lang)}</h5>")
            out.append(frame_html(view, {"table": ui("table", lang), "row": ui("item", lang), "column": "列",
                                         "value": tr("actual", lang), "where": ui("source", lang)}))
        by_kind: dict[str, set] = {}
        for cell in finding.cells:
            if cell.row_index is not None and cell.column and cell.kind in self.report.tables:
                by_kind.setdefault(cell.kind, set()).add((int(cell.row_index), cell.column))
        marks = charts.marked_cells(self.result)
        for kind, cells_hl in by_kind.items():
            table = self.report.tables[kind]
            out.append(table_html(table, marks, cells_hl, lang=lang, glossary=self.glossary,
                                  findings=self.result.findings))
        out.append("</div>")
        return "".join(out)


class TablesPanel(Panel):
    """Every table as loaded, with the cells findings involve marked."""

    def __init__(self, loaded: Loaded, lang: str = "zh"):
        super().__init__(loaded, lang)
        self.choice = W.Dropdown(layout=W.Layout(width="460px")).add_class("fau-table-choice")
        self.choice.observe(lambda c: self.show(c["new"]), names="value")
        self.legend = W.HTML()
        self.view = W.HTML().add_class("fau-table-view")
        self.widget = W.VBox([W.HBox([self.choice, self.legend]), self.view]).add_class("fau-tables")
        self.render()

    def render(self) -> None:
        tables = sorted(self.report.tables.values(), key=lambda t: t.ordinal or 99)
        self.marks = charts.marked_cells(self.result)
        self.legend.value = f'<span class="fau-marked">&nbsp;&nbsp;&nbsp;</span> {ui("marked_legend", self.lang)}'
        self.choice.description = ui("table", self.lang)
        previous = self.choice.value
        options = [(charts.table_name(t, self.lang), t.kind) for t in tables]
        self.choice.options = options
        kinds = [kind for _, kind in options]
        if kinds:
            self.choice.value = previous if previous in kinds else kinds[0]
            self.show(self.choice.value)

    def show(self, kind: str | None) -> None:
        table = self.report.tables.get(kind or "")
        if table is None:
            self.view.value = ""
            return
        self.view.value = table_html(table, self.marks, lang=self.lang, glossary=self.glossary,
                                     findings=self.result.findings, fmt_page=False)


class ReportPicker:
    """The bundled reports and an upload (text or PDF). A bad file shows the loader's message and the
    previous report stays loaded."""

    def __init__(self, current: str, on_load, lang: str = "zh"):
        self.on_load, self.lang = on_load, lang
        self.samples = sample_reports()
        self.uploaded: dict[str, Loaded] = {}
        self.dropdown = W.Dropdown(options=list(self.samples), value=current if current in self.samples else None,
                                   layout=W.Layout(width="440px")).add_class("fau-report-choice")
        self.upload = W.FileUpload(accept=",".join(UPLOAD_SUFFIXES), multiple=False).add_class("fau-upload")
        self.message = W.HTML().add_class("fau-report-message")
        self.guard = UploadGuard(MAX_UPLOAD_BYTES, self._refused)  # larger files are refused before sending
        self.dropdown.observe(self._picked, names="value")
        self.upload.observe(self._uploaded, names="value")
        self.widget = W.HBox([self.dropdown, self.upload, self.guard, self.message],
                             layout=W.Layout(align_items="center", flex_flow="row wrap")).add_class("fau-picker")
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.dropdown.description = ui("report", lang)
        self.upload.description = ui("upload", lang)
        self.upload.tooltip = f".txt / .pdf ≤ {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"

    def _say(self, text: str, error: bool = False) -> None:
        self.message.value = f'<span class="{"fau-msg-error" if error else "fau-msg-ok"}">{html.escape(text)}</span>'

    def _picked(self, change) -> None:
        name = change["new"]
        if not name:
            return
        self._say(f"{ui('loading', self.lang)} {name} …")
        try:
            loaded = self.uploaded.get(name) or load_report(self.samples[name])
        except (ReportFormatError, OSError) as error:
            self._say(f"{ui('bad_file', self.lang)}：{error}", error=True)
            return
        self.on_load(loaded)
        self._say(f"{ui('loaded', self.lang)} {name}")

    def _refused(self, refused: str) -> None:
        item = json.loads(refused)
        name = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", Path(str(item.get("name"))).name)[:120] or "upload"
        error = ReportFormatError(name, None, f"{ui('too_big', self.lang)}: ≤ {MAX_UPLOAD_BYTES // 2**20} MB",
                                  f"{int(item.get('size') or 0) / 2**20:.1f} MB")
        self._say(f"{ui('bad_file', self.lang)}：{error}", error=True)

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        try:
            loaded = self.load_upload(item.get("name") or "upload", bytes(item.get("content") or b""))
        except ValueError as error:  # ReportFormatError is a ValueError
            self._say(f"{ui('bad_file', self.lang)}：{error}", error=True)
            return
        finally:
            self.upload.value = ()
        self.uploaded[loaded.name] = loaded
        self.dropdown.unobserve(self._picked, names="value")
        self.dropdown.options = [*self.samples, *self.uploaded]
        self.dropdown.value = loaded.name
        self.dropdown.observe(self._picked, names="value")
        self.on_load(loaded)
        self._say(f"{ui('loaded', self.lang)} {loaded.name}")

    def load_upload(self, name: str, content: bytes) -> Loaded:
        """Check and load an uploaded file; raises ValueError (ReportFormatError) with a clear message."""
        safe = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", Path(name).name)[:120] or "upload"
        suffix = Path(safe).suffix.lower()
        if len(content) > MAX_UPLOAD_BYTES:
            raise ReportFormatError(safe, None, f"{ui('too_big', self.lang)}: ≤ {MAX_UPLOAD_BYTES // 2**20} MB",
                                    f"{len(content) / 2**20:.1f} MB")
        if suffix not in UPLOAD_SUFFIXES:
            raise ReportFormatError(safe, None, ui("bad_type", self.lang), suffix or "no extension")
        if suffix == ".pdf" and not content.startswith(b"%PDF-"):
            raise ReportFormatError(safe, None, "a PDF file (starting with %PDF-)", content[:16].decode("latin-1"))
        with tempfile.TemporaryDirectory(prefix="finaudit-upload-") as directory:
            path = Path(directory) / safe
            path.write_bytes(content)
            try:
                report = finaudit.load(path)
            except ReportFormatError as error:
                raise ReportFormatError(safe, error.line, error.expected, error.found, page=error.page) from error
            except Exception as error:  # the loaders should raise ReportFormatError; be safe anyway
                raise ReportFormatError(safe, None, "a readable report", f"{type(error).__name__}: {error}") from error
        report.meta.source = safe
        return prepare(report, safe)


class Dashboard:
    """The managers' dashboard: report picker, language switch, headline figures and a Tab with the
    drill-down, budget vs actual, 三公, findings and tables panels."""

    TABS = ("tab_drill", "tab_budget", "tab_three", "tab_findings", "tab_tables")

    def __init__(self, report: str | Loaded | None = None, lang: str = "zh"):
        self.loaded = report if isinstance(report, Loaded) else load_sample(report)
        self.lang = lang
        self.style = W.HTML(CSS)
        self.title = W.HTML().add_class("fau-header")
        self.lang_toggle = W.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=lang,
                                           tooltips=["中文界面", "English labels"],
                                           style={"button_width": "80px"}).add_class("fau-lang")
        self.lang_toggle.observe(lambda c: self.set_lang(c["new"]), names="value")
        self.picker = ReportPicker(self.loaded.name, self.set_report, lang)
        self.cards = W.HTML().add_class("fau-cards-box")
        self.headline_out = W.Output(layout=W.Layout(min_height="300px")).add_class("fau-headline")
        self.panels = [DrillDown(self.loaded, lang, lazy=True), BudgetPanel(self.loaded, lang),
                       ThreePublicPanel(self.loaded, lang), FindingsPanel(self.loaded, lang),
                       TablesPanel(self.loaded, lang)]
        self.tabs = W.Tab(children=[p.widget for p in self.panels]).add_class("fau-tabs")
        header = W.HBox([self.title, self.lang_toggle],
                        layout=W.Layout(justify_content="space-between", align_items="center"))
        self.widget = W.VBox([self.style, header, self.picker.widget, self.cards, self.headline_out, self.tabs],
                             ).add_class("fau-app")
        self.figures: dict[str, go.Figure] = {}
        self.render_header()

    @property
    def drilldown(self) -> DrillDown:
        return self.panels[0]

    def set_report(self, loaded: Loaded) -> None:
        self.loaded = loaded
        for panel in self.panels:
            panel.set_report(loaded)
        self.render_header()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.picker.set_lang(lang)
        for panel in self.panels:
            panel.set_lang(lang)
        self.render_header()

    def render_header(self) -> None:
        lang, report = self.lang, self.loaded.report
        meta = report.meta
        self.title.value = (f'<div class="fau-title">{ui("title", lang)} — {html.escape(meta.department or "?")} '
                            f'{meta.year or ""}</div><small>{html.escape(self.loaded.name)}</small>')
        self.tabs.titles = tuple(ui(key, lang) for key in self.TABS)
        figures = charts.headline(report, self.loaded.result)
        self.cards.value = self.cards_html(figures)
        self.figures["headline"] = figure = charts.headline_figure(figures, lang, meta.unit)
        _show(self.headline_out, figure)

    def cards_html(self, figures: pd.DataFrame) -> str:
        lang, unit = self.lang, html.escape(self.loaded.report.meta.unit or "")
        value = dict(zip(figures["key"], figures["value"]))
        source = dict(zip(figures["key"], figures["source"]))
        cards = []
        for key, text in (("income_total", tr("income_total", lang)), ("expenditure_total", tr("expenditure_total", lang)),
                          ("basic", tr("basic", lang)), ("project", tr("project", lang))):
            cards.append((glossify(text, self.loaded.report.glossary), f"{fmt(value.get(key)) or '—'}",
                          f"{unit} · {source.get(key, '')}"))
        tp = f"{fmt(value.get('three_public_actual')) or '—'} / {fmt(value.get('three_public_budget')) or '—'}"
        cards.append((glossify(f"{tr('three_public', lang)} {tr('actual', lang)}/{tr('budget', lang)}",
                               self.loaded.report.glossary), tp, unit))
        counts = " · ".join(f"{_severity(s, lang)} {value.get(s, 0)}" for s in SEVERITIES)
        cards.append((tr("findings", lang), counts, ""))
        body = "".join(f'<div class="fau-card"><div class="k">{k}</div><div class="v">{v}</div>'
                       f'<div class="k">{s}</div></div>' for k, v, s in cards)
        return f'<div class="fau-cards">{body}</div>'


# -- workbook steps (one per notebook cell) -----------------------------------------------------
def describe(loaded: Loaded) -> W.HTML:
    """The report's identity: department, year, source, hash, coverage, load warnings."""
    meta, report = loaded.report.meta, loaded.report
    rows = [("部门 department", meta.department), ("年度 year", meta.year), ("单位 unit", meta.unit),
            ("来源 source", meta.source), ("SHA-256", meta.sha256), ("覆盖 coverage", report.coverage().summary()),
            ("读取警告 load warnings", len(report.warnings)), ("表 tables", len(report.tables))]
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
    return W.HTML(CSS + f'<table class="fau-table">{body}</table>')


def control_totals(loaded: Loaded) -> str:
    """The control totals per table as plain text (checked by nbval)."""
    return loaded.report.control_totals().to_string(index=False)


def findings_summary(loaded: Loaded) -> str:
    """Findings per rule code and severity, and the totals (checked by nbval)."""
    counts = loaded.result.counts
    table = charts.findings_by_code(loaded.result).to_string(index=False)
    return table + "\n\n" + ", ".join(f"{s} {counts[s]}" for s in SEVERITIES)


def three_public_summary(loaded: Loaded) -> str:
    """表七 budget, actual, rate and share per item as plain text (checked by nbval)."""
    frame = charts.three_public_frame(loaded.report)[["label", "budget", "actual", "rate", "share"]]
    return frame.astype(object).where(frame.notna(), "").to_string()


def export_workpaper(loaded: Loaded, path: str | Path, fmt_: str = "xlsx") -> str:
    """Write the working paper (``finaudit.export.xlsx.write_workpaper``) and say where."""
    from finaudit.export import workpaper

    writer = getattr(workpaper, "write_workpaper", None)
    if writer is None:
        return "finaudit.export.xlsx.write_workpaper is not available in this version; nothing written"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(loaded.report, loaded.result, path, fmt_)
    return f"wrote {path} ({path.stat().st_size:,} bytes)"
