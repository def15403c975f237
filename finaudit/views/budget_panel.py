"""The budget-against-actual panel (``finaudit.budget``): bars, 完成率 with a threshold, reasons."""

from __future__ import annotations

import html
from decimal import Decimal

import ipywidgets as W
import pandas as pd

from finaudit.views import charts
from finaudit.views.labels import tr
from finaudit.views.loading import Loaded
from finaudit.views.markup import amount_cell, glossify
from finaudit.views.panel import Panel, show


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
            self.table.value = (f'<p class="fau-msg-error">{tr("budget_missing", lang)}'
                                f"{'：' + html.escape(self.loaded.budget_error) if self.loaded.budget_error else ''}</p>")
            return
        if frame.empty:
            self.output.clear_output()
            self.table.value = f"<p>{tr('no_budget_rows', lang)}</p>"
            return
        low, high = self.slider.value
        items = charts.budget_items_frame(frame, lang)
        self.figures["budget"] = figure = charts.budget_actual_figure(items, low, high, lang)
        show(self.output, figure)
        self.table.value = self.table_html(items)

    def table_html(self, items: pd.DataFrame) -> str:
        lang = self.lang
        heads = ["", tr("item", lang), tr("budget", lang), tr("actual", lang), tr("recomputed_rate", lang),
                 tr("stated_rate", lang), tr("reason", lang), tr("source", lang)]
        rows = []
        for row in items.itertuples():
            rate = "" if row.rate is None else f"{row.rate}%"
            stated = "" if row.stated_rate is None else f"{row.stated_rate}%"
            if charts.rate_differs(row.stated_rate, row.rate):
                stated = f'<span class="fau-sev-error" title="≠ {rate or "—"}">{stated or "—"} ≠</span>'

            where = f"{tr('line', lang)} {row.line}" if row.line else f"{tr('page', lang)} {row.page}" if row.page else ""
            flag = "⚑" if row.flagged else ""
            css = ' class="fau-marked"' if row.flagged else ""
            rows.append(f"<tr{css}><td>{flag}</td><td>{html.escape(row.item)}</td>{amount_cell(row.budget)}{amount_cell(row.actual)}"
                        f'<td class="num">{rate}</td><td class="num">{stated}</td>'
                        f"<td>{html.escape(row.reason or '') if row.flagged else ''}</td><td>{html.escape(where)}</td></tr>")
        head = "".join(f"<th>{glossify(h, self.glossary)}</th>" for h in heads)
        count = int(items["flagged"].sum())
        return (f"<h5>{tr('flagged_items', lang)}：{count}</h5>"
                f'<table class="fau-table"><tr>{head}</tr>{"".join(rows)}</table>')
