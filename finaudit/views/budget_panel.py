"""The budget-against-actual panel (``finaudit.budget``): bars, 完成率 with a threshold, reasons."""

from __future__ import annotations

import html
from decimal import Decimal

import ipywidgets as W
import pandas as pd

from finaudit.views import charts
from finaudit.views.labels import fmt, percent_text, place, tr
from finaudit.views.loading import Loaded
from finaudit.views.panel import Panel, grid, show, update_grid


class BudgetPanel(Panel):
    """Budget against actual per 项 and for 三公 (``finaudit.budget``): bars, 完成率 with a threshold
    slider, the stated reason beside each flagged item, stated against recomputed rates."""

    def __init__(self, loaded: Loaded, lang: str = "zh"):
        super().__init__(loaded, lang)
        self.slider = W.FloatRangeSlider(value=(80.0, 120.0), min=0.0, max=300.0, step=5.0, readout_format=".0f",
                                         continuous_update=False, layout=W.Layout(width="480px"),
                                         style={"description_width": "auto"}).add_class("fau-threshold")
        self.slider.observe(lambda _change: self.render(), names="value")
        self.output = W.Output(layout=W.Layout(min_height="300px")).add_class("fau-budget-chart").add_class("fau-chart")
        self.table = W.HTML().add_class("fau-budget-table")
        self.grid = grid(pd.DataFrame(), lang, page=50).add_class("fau-budget-grid")
        self.widget = W.VBox([self.slider, self.output, self.table, self.grid]).add_class("fau-budget")
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
        is_budget = self.report.meta.kind == "budget"
        for part in (self.slider, self.output, self.grid):  # a budget: only the sentence below
            part.layout.display = "none" if is_budget else None
        if is_budget:  # no actual yet: nothing to set the budget against
            self.output.clear_output()
            self.table.value = f'<p class="fau-budget-note">{tr("budget_document", lang)}</p>'
            update_grid(self.grid, pd.DataFrame(), lang)
            return
        frame = self.flagged()
        if frame is None:
            self.output.clear_output()
            self.table.value = (f'<p class="fau-msg-error">{tr("budget_missing", lang)}'
                                f"{tr('colon', lang) + html.escape(self.loaded.budget_error) if self.loaded.budget_error else ''}</p>")
            update_grid(self.grid, pd.DataFrame(), lang)
            return
        if frame.empty:
            self.output.clear_output()
            self.table.value = f"<p>{tr('no_budget_rows', lang)}</p>"
            update_grid(self.grid, pd.DataFrame(), lang)
            return
        low, high = self.slider.value
        items = charts.budget_items_frame(frame, lang)
        self.figures["budget"] = figure = charts.budget_actual_figure(items, low, high, lang, self.report.meta.unit)
        show(self.output, figure)
        self.table.value = f"<h5>{tr('flagged_items', lang)}{tr('colon', lang)}{int(items['flagged'].sum())}</h5>"
        update_grid(self.grid, self.grid_frame(items), lang, page=50)

    def grid_frame(self, items: pd.DataFrame) -> pd.DataFrame:
        """The items for the grid: flagged ones marked, stated rates that differ from the recomputed one
        in red, the stated reason for flagged items only."""
        lang = self.lang
        rows = []
        for row in items.itertuples():
            rate, stated = percent_text(row.rate), percent_text(row.stated_rate)
            if charts.rate_differs(row.stated_rate, row.rate):
                stated = f'<span class="fau-sev-error" title="≠ {rate or "—"}">{stated or "—"} ≠</span>'
            where = place(row.line, row.page, lang)
            rows.append({
                "": f'<span class="fau-marked" title="{tr("flagged", lang)}">⚑</span>' if row.flagged else "",
                tr("item", lang): html.escape(row.item), tr("budget", lang): fmt(row.budget),
                tr("actual", lang): fmt(row.actual), tr("recomputed_rate", lang): rate,
                tr("stated_rate", lang): stated,
                tr("reason", lang): html.escape(row.reason or "") if row.flagged else "",
                tr("source", lang): html.escape(where)})
        return pd.DataFrame(rows)
