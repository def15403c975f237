"""The managers' dashboard (Voila): the report picker, the language switch, the headline figures and a
tab per panel."""

from __future__ import annotations

import html
import json
import re
import tempfile
from pathlib import Path

import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go

from finaudit.read import not_pdf
from finaudit.findings import SEVERITIES
from finaudit.model import ReportFormatError
from finaudit.views import charts
from finaudit.views.budget_panel import BudgetPanel
from finaudit.views.drilldown import DrillDown
from finaudit.views.findings_panel import FindingsPanel
from finaudit.views.labels import LABELS, LANGS, UploadRefused, fmt, problems, refusal, table_ref, tr, unit_label
from finaudit.views.loading import (
    DEFAULT_REPORT,
    MAX_UPLOAD_BYTES,
    UPLOAD_SUFFIXES,
    Loaded,
    load_report,
    load_sample,
    prepared,
    sample_reports,
)
from finaudit.views.markup import CSS, glossify, severity_html
from finaudit.views.panel import ResizeNudge, show
from finaudit.views.upload_guard import UploadGuard
from finaudit.views.tables_panel import TablesPanel
from finaudit.views.three_public import ThreePublicPanel


def preheat() -> Loaded:
    """Work done before a request arrives (Voila preheated kernels): load and audit the default
    report, and build each figure once so plotly's lazy imports are paid for."""
    loaded = load_sample(DEFAULT_REPORT)
    charts.headline_figure(charts.headline(loaded.report, loaded.result))
    charts.treemap_figure(charts.spending_tree(loaded.report))
    go.FigureWidget  # noqa: B018 - resolves plotly's lazy FigureWidget import (anywidget) without making a widget
    charts.three_public_figure(charts.three_public_frame(loaded.report, loaded.three_public))
    return loaded


class ReportPicker:
    """The bundled reports and an upload (text or PDF). A bad file shows the loader's message and the
    previous report stays loaded."""

    def __init__(self, current: str, on_load, lang: str = "zh"):
        self.on_load, self.lang = on_load, lang
        self.samples = sample_reports()
        self.uploaded: dict[str, Loaded] = {}  # the latest upload (at most one: uploads can be large)
        self.dropdown = W.Dropdown(options=list(self.samples), value=current if current in self.samples else None,
                                   layout=W.Layout(width="520px")).add_class("fau-report-choice")
        # FileUpload prints "description (count)"; the label comes from the stylesheet instead (markup.CSS)
        # one file, or the two files of one document (a 情况说明 and its 报表, chosen together)
        self.upload = W.FileUpload(accept=",".join(UPLOAD_SUFFIXES), multiple=True, icon="upload",
                                   description="", layout=W.Layout(width="auto")).add_class("fau-upload")
        self.message = W.HTML().add_class("fau-report-message")
        self.guard = UploadGuard(MAX_UPLOAD_BYTES, self._refused)  # larger files are refused before sending
        self.dropdown.observe(self._picked, names="value")
        self.upload.observe(self._uploaded, names="value")
        self.widget = W.HBox([self.dropdown, self.upload, self.guard, self.message],
                             layout=W.Layout(align_items="center", flex_flow="row wrap")).add_class("fau-picker")
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.dropdown.description = tr("report", lang)
        for other in LANGS:
            self.upload.remove_class(f"fau-upload-{other}")
        self.upload.add_class(f"fau-upload-{lang}")
        self.upload.tooltip = f".txt / .pdf ≤ {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; {tr('upload_pair', lang)}"

    def _say(self, text: str, error: bool = False) -> None:
        self.message.value = f'<span class="{"fau-msg-error" if error else "fau-msg-ok"}">{html.escape(text)}</span>'

    def _picked(self, change) -> None:
        name = change["new"]
        if not name:
            return
        self._say(f"{tr('loading', self.lang)} {name} …")
        try:
            loaded = self.uploaded.get(name) or load_report(self.samples[name])
        except (ReportFormatError, OSError) as error:
            self._say(f"{tr('bad_file', self.lang)}{tr('colon', self.lang)}{refusal(error, self.lang)}", error=True)
            return
        if not self._show(loaded, name):
            self._choices(self.uploaded, change["old"])

    def _show(self, loaded: Loaded, name: str) -> bool:
        """Hand a report to the page; whether it is shown. A report that a panel fails to draw leaves the page on the
        previous one (``Dashboard.set_report`` puts it back) and says so: one odd document never takes the page down."""
        try:
            self.on_load(loaded)
        except Exception as error:  # noqa: BLE001 — any failure of a panel's drawing
            self._say(f"{name}{tr('colon', self.lang)}{tr('not_shown', self.lang)} ({type(error).__name__})", error=True)
            return False
        self._say(f"{tr('loaded', self.lang)} {name}")
        return True

    def _refused(self, refused: str) -> None:
        item = json.loads(refused)
        name = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", Path(str(item.get("name"))).name)[:120] or "upload"
        error = UploadRefused(name, LABELS["refused.too_big"].format(size=int(item.get("size") or 0) / 2**20,
                                                                     limit=MAX_UPLOAD_BYTES // 2**20))
        self._say(f"{tr('bad_file', self.lang)}{tr('colon', self.lang)}{refusal(error, self.lang)}", error=True)

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        try:
            loaded = self.load_uploads([(item.get("name") or "upload", bytes(item.get("content") or b"")) for item in files])
        except ValueError as error:  # ReportFormatError is a ValueError
            self._say(f"{tr('bad_file', self.lang)}{tr('colon', self.lang)}{refusal(error, self.lang)}", error=True)
            return
        finally:
            self.upload.value = ()
        previous = self.uploaded, self.dropdown.value
        self._choices({loaded.name: loaded}, loaded.name)  # the previous upload is released (a page keeps one)
        if not self._show(loaded, loaded.name):
            self._choices(*previous)

    def _choices(self, uploaded: dict[str, Loaded], value: str | None) -> None:
        """The uploads the picker holds and the one it shows chosen (a change that loads nothing)."""
        self.uploaded = uploaded
        self.dropdown.unobserve(self._picked, names="value")
        self.dropdown.options = [*self.samples, *self.uploaded]
        self.dropdown.value = value
        self.dropdown.observe(self._picked, names="value")

    def load_upload(self, name: str, content: bytes) -> Loaded:
        """Check and load an uploaded file; raises ValueError (ReportFormatError) with a clear message."""
        return self.load_uploads([(name, content)])

    def load_uploads(self, files: list[tuple[str, bytes]]) -> Loaded:
        """Check and load one uploaded file, or the two files of one document (a 情况说明 and its 报表) as one
        report; raises ValueError (ReportFormatError) with a clear message."""
        safe = [self._checked(name, content) for name, content in files]
        label = " + ".join(safe)
        if not 1 <= len(files) <= 2 or len(set(safe)) != len(safe):
            raise UploadRefused(label or "upload", LABELS["refused.count"].format(n=len(files)))
        with tempfile.TemporaryDirectory(prefix="finaudit-upload-") as directory:
            paths = [Path(directory) / name for name in safe]
            for path, (_, content) in zip(paths, files):
                path.write_bytes(content)
            try:
                return prepared(paths[0] if len(paths) == 1 else paths, label, source=label)
            except ReportFormatError as error:
                raise ReportFormatError(label, error.line, error.expected, error.found, page=error.page) from error
            except Exception as error:  # the loaders should raise ReportFormatError; be safe anyway
                raise ReportFormatError(label, None, "a readable report", f"{type(error).__name__}: {error}") from error

    def _checked(self, name: str, content: bytes) -> str:
        """An uploaded file's safe name, once its size, type and (for a PDF) first bytes are what they must be."""
        safe = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", Path(name).name)[:120] or "upload"
        suffix = Path(safe).suffix.lower()
        if len(content) > MAX_UPLOAD_BYTES:
            raise UploadRefused(safe, LABELS["refused.too_big"].format(size=len(content) / 2**20,
                                                                       limit=MAX_UPLOAD_BYTES // 2**20))
        if suffix not in UPLOAD_SUFFIXES:
            raise UploadRefused(safe, LABELS["refused.bad_type"].format(suffix=suffix))
        if suffix == ".pdf" and not content.startswith(b"%PDF-"):
            raise ReportFormatError(safe, None, "a PDF file (starting with %PDF-)", not_pdf(content))
        return safe


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
        self.widget = W.VBox([self.style, ResizeNudge(), header, self.picker.widget, self.cards, self.headline_out,
                              self.tabs],
                             ).add_class("fau-app")
        self.figures: dict[str, go.Figure] = {}
        self.render_header()

    @property
    def drilldown(self) -> DrillDown:
        return self.panels[0]

    def set_report(self, loaded: Loaded) -> None:
        """Show a report in every panel; where a panel fails on it, the previous report is shown again and the
        error raised (the picker says it)."""
        previous = self.loaded
        try:
            self._draw(loaded)
        except Exception:
            if previous is not loaded:
                self._draw(previous)
            raise

    def _draw(self, loaded: Loaded) -> None:
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
        title = tr("title" if meta.kind != "budget" else "title_unit_budget" if meta.scope == "unit" else "title_budget", lang)
        self.title.value = (f'<div class="fau-title">{title} — {html.escape(meta.entity or "?")} '
                            f'{meta.year or ""}</div><small>{html.escape(self.loaded.name)}</small>')
        self.tabs.titles = tuple(tr(key, lang) for key in self.TABS)
        figures = charts.headline(report, self.loaded.result)
        self.cards.value = self.cards_html(figures)
        self.figures["headline"] = figure = charts.headline_figure(figures, lang, meta.unit)
        show(self.headline_out, figure)

    def cards_html(self, figures: pd.DataFrame) -> str:
        lang, unit = self.lang, html.escape(unit_label(self.loaded.report.meta.unit, self.lang))
        value = dict(zip(figures["key"], figures["value"]))
        source = dict(zip(figures["key"], figures["source"]))
        units = {k: html.escape(unit_label(u, lang)) if isinstance(u, str) else "" for k, u in zip(figures["key"], figures["unit"])}
        cards = []
        budget = self.loaded.report.meta.kind == "budget"
        totals = ("income_budget", "expenditure_budget") if budget else ("income_total", "expenditure_total")
        for key, text in (("income_total", tr(totals[0], lang)), ("expenditure_total", tr(totals[1], lang)),
                          ("basic", tr("basic", lang)), ("project", tr("project", lang))):
            cards.append((glossify(text, self.loaded.report.glossary), f"{fmt(value.get(key)) or '—'}",
                          f"{units.get(key) or unit} · {table_ref(source.get(key), lang)}"))
        glossary = self.loaded.report.glossary
        if budget:  # a budget has no 决算数; it states 机关运行经费
            for key, text in (("three_public_budget", tr("tp_budget", lang)),
                              ("operating_costs", tr("operating_costs", lang))):
                cards.append((glossify(text, glossary), fmt(value.get(key)) or "—", units.get(key) or unit))
        else:
            tp = f"{fmt(value.get('three_public_actual')) or '—'} / {fmt(value.get('three_public_budget')) or '—'}"
            cards.append((glossify(tr("tp_actual_budget", lang), glossary), tp,
                          units.get("three_public_budget") or unit))
        counts = " · ".join(f"{severity_html(s, lang)} {problems(value.get(f'{s}_roots', 0), value.get(s, 0), lang)}"
                            for s in SEVERITIES)
        cards.append((tr("findings", lang), counts, ""))
        body = "".join(f'<div class="fau-card"><div class="k">{k}</div><div class="v">{v}</div>'
                       f'<div class="k">{s}</div></div>' for k, v, s in cards)
        return f'<div class="fau-cards">{body}</div>'
