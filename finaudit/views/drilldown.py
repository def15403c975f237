"""The drill-down panel: spending by function code as a treemap with a breadcrumb and a detail pane."""

from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go

from finaudit.views import charts
from finaudit.views.charts import ROOT
from finaudit.views.charts import bracketed
from finaudit.views.labels import fmt, percent_text, sources, table_name, tr
from finaudit.views.loading import Loaded
from finaudit.views.markup import frame_html, glossify, severity_html
from finaudit.views.panel import Panel, RenderHook, ResizeNudge


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
        # side by side where there is room, the detail below the treemap where there is not
        self.chart = W.VBox(layout=W.Layout(flex="3 1 480px", min_width="320px", min_height="470px")).add_class(
            "fau-treemap")
        self.detail = W.HTML(layout=W.Layout(flex="2 1 340px", max_height="560px", overflow="auto")).add_class(
            "fau-detail")
        self.widget = W.VBox([self.crumbs, W.HBox([self.chart, self.detail], layout=W.Layout(
            flex_flow="row wrap", width="100%"))]).add_class("fau-drilldown")
        self.selected, self.view, self.figure = ROOT, ROOT, None
        self._lazy = lazy
        self.render()

    def set_report(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.selected = self.view = ROOT
        self.render()

    def render(self) -> None:
        """Draw the tree of the report; keeps the selected node and the zoom (a language switch)."""
        self.tree = charts.spending_tree(self.report, self.lang)
        nodes = set(self.tree["id"])
        selected = self.selected if self.selected in nodes else ROOT
        self.view = self.view if self.view in nodes else ROOT
        if self._lazy:
            self._lazy = False  # only the first drawing waits for the page
            self.chart.children = [W.HTML(f"<p>{html.escape(tr('spending_by_function', self.lang))} …</p>"),
                                   RenderHook(self.build_chart)]
        else:
            self.build_chart()
        self.select(selected)

    def build_chart(self) -> None:
        """A new FigureWidget from the finished figure, placed in the container (never mutated before
        it is on the page: plotly.py #4998)."""
        built = charts.treemap_figure(self.tree, self.lang, self.report.meta.unit)
        built.data[0].level = self.view  # kept across a language switch
        figure = go.FigureWidget(built)
        figure._config = {"responsive": True, "displaylogo": False}  # follows its container's width
        figure.data[0].on_click(self._on_click)
        self.figure = figure
        self.chart.children = [figure, ResizeNudge()]

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
                text = names.get(step, tr("total", self.lang)) if step == ROOT else f"{step} {names.get(step, '')}"
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
            out.append(f"<small>{html.escape(table_name(source, lang))}</small>")
        if len(d.children):
            out.append(f"<h5>{tr('children', lang)}</h5>")
            out.append(frame_html(d.children, {"code": tr("code", lang), "name": tr("name", lang), **heads}, glossary))
        out.append(f"<h5>{glossify(tr('income_sources', lang), glossary)}</h5>")
        figure = "budget" if self.report.meta.kind == "budget" else "actual"  # a budget states 预算数, a final 决算数
        out.append(frame_html(d.income, {"label": tr("item", lang), "amount": tr(figure, lang)}, glossary)
                   or f"<p>{tr('none', lang)}</p>")
        general, whole, share = d.fiscal["general"], d.fiscal["all"], d.fiscal["share"]
        out.append(f"<h5>{tr('fiscal_share', lang)}</h5>")
        out.append(f"<p>{fmt(general) or '—'} ÷ {fmt(whole) or '—'} = {percent_text(share) or '—'}</p>")
        out.append(f"<h5>{tr('budget_actual', lang)}</h5>")
        if len(d.budget):
            out.append(frame_html(d.budget, {"name": tr("item", lang), "budget": tr("budget", lang),
                                             "actual": tr("actual", lang), "rate": tr("recomputed_rate", lang),
                                             "stated_rate": tr("stated_rate", lang), "reason": tr("reason", lang)},
                                  glossary))
        else:
            out.append(f"<p>{tr('none', lang) if self.loaded.budget is not None else tr('budget_missing', lang)}</p>")
        out.append(f"<h5>{tr('node_findings', lang)}{bracketed(str(len(d.findings)), lang)}</h5>")
        if len(d.findings):
            found = [self.result.findings[number] for number in d.findings.index]
            items = [f"<li>{severity_html(finding.severity, lang)} {html.escape(finding.code)} "
                     f"{html.escape(finding.text.get(lang))} "
                     f"<small>[{html.escape(tr('semicolon', lang).join(sources(finding, lang)))}]</small></li>" for finding in found]
            out.append("<ul>" + "".join(items) + "</ul>")
        else:
            out.append(f"<p>{tr('none', lang)}</p>")
        out.append("</div>")
        return "".join(out)
