"""The 三公经费 panel: budget and actual per item, composition, change on the prior year, unit figures."""

from __future__ import annotations

import ipywidgets as W
import pandas as pd

from finaudit import budget
from finaudit.views import charts
from finaudit.views.labels import percent_text, tr
from finaudit.views.loading import Loaded
from finaudit.views.markup import frame_html
from finaudit.views.panel import Panel, show


class ThreePublicPanel(Panel):
    """三公经费: budget vs actual per item, composition of the actual, the narrative's change on the
    prior year, unit figures where counts are given."""

    def __init__(self, loaded: Loaded, lang: str = "zh"):
        super().__init__(loaded, lang)
        self.output = W.Output(layout=W.Layout(min_height="300px")).add_class("fau-three-chart").add_class("fau-chart")
        self.table = W.HTML().add_class("fau-three-table")
        self.widget = W.VBox([self.output, self.table]).add_class("fau-three")
        self.render()

    def frame(self) -> pd.DataFrame:
        return charts.three_public_frame(self.report, self.loaded.three_public)

    def render(self) -> None:
        frame = self.frame()
        self.figures["three_public"] = figure = charts.three_public_figure(frame, self.lang)
        show(self.output, figure)
        self.table.value = self.table_html(frame)

    def table_html(self, frame: pd.DataFrame) -> str:
        lang = self.lang
        view = frame.reset_index()
        view["item"] = [charts.three_public_item(key, lang) for key in view["key"]]
        heads = {"item": tr("item", lang), "budget": tr("budget", lang), "actual": tr("actual", lang),
                 "rate": tr("rate", lang), "share": tr("share", lang)}
        if self.report.meta.kind == "budget":  # a budget has no actual, so no rate
            del heads["actual"], heads["rate"]
        for column, text in (("stated_change", tr("stated_change", lang)), ("prior", tr("prior", lang))):
            if column in view and view[column].notna().any():
                heads[column] = text
        units = {"item": heads["item"]}  # counts and unit costs: a second table, so that neither is cut off at 1024 px
        for column in ("trips", "people", "vehicles", "receptions", "visitors", "per_trip", "per_vehicle", "per_reception",
                       "per_visitor"):
            if column in view and view[column].notna().any():
                units[column] = tr(f"count.{column}", lang)
        view = view.astype(object).where(view.notna(), None)
        for column in ("rate", "share"):
            view[column] = [percent_text(v) for v in view[column]]
        costs = [c for c in ("per_trip", "per_vehicle", "per_reception", "per_visitor") if c in units]
        if costs:  # in 元: 万元 would round a visitor's 93.94 元 to 0.01
            yuan = [budget.unit_costs_in_yuan(row) for row in view.to_dict("records")]
            for column in costs:
                view[column] = [c[column] for c in yuan]
                units[column] += charts.bracketed(tr("yuan", lang), lang)
        for column in ("trips", "people", "vehicles", "receptions", "visitors"):  # counts: 13,000 like amounts
            if column in view:
                view[column] = [None if v is None else f"{int(v):,}" for v in view[column]]
        table = self.report.tables.get("three_public")
        note = ""
        if table is None:
            note = f"<p>{tr('none', lang)}</p>"
        elif self.loaded.three_public is None:
            note = f"<p><small>{tr('budget_missing', lang)}</small></p>"
        out = frame_html(view, heads, self.glossary)
        if len(units) > 1:
            shown = view[view[list(units)[1:]].notna().any(axis=1)]  # the items the narrative gives figures for
            out += f"<h5>{tr('unit_figures', lang)}</h5>" + frame_html(shown, units, self.glossary)
        return out + note
