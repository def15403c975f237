"""The tables panel: every table as loaded, in a sortable grid, with the cells findings involve marked."""

from __future__ import annotations

import ipywidgets as W
import pandas as pd

from finaudit.views import charts
from finaudit.views.labels import table_name, tr
from finaudit.views.loading import Loaded
from finaudit.views.markup import table_caption, table_grid_frame
from finaudit.views.panel import Panel, grid, update_grid


class TablesPanel(Panel):
    """Every table as loaded (sort, search, filter per column), with the cells findings involve marked
    and their findings as tooltips."""

    def __init__(self, loaded: Loaded, lang: str = "zh"):
        super().__init__(loaded, lang)
        self.choice = W.Dropdown(layout=W.Layout(width="460px")).add_class("fau-table-choice")
        self.choice.observe(lambda c: self.show(c["new"]), names="value")
        self.legend = W.HTML()
        self.caption = W.HTML().add_class("fau-table-caption")
        self.grid = grid(pd.DataFrame(), lang, page=50).add_class("fau-table-view")
        self.widget = W.VBox([W.HBox([self.choice, self.legend]), self.caption, self.grid]).add_class("fau-tables")
        self.render()

    def render(self) -> None:
        tables = sorted(self.report.tables.values(), key=lambda t: t.ordinal or 99)
        self.marks = charts.marked_cells(self.result)
        self.legend.value = f'<span class="fau-marked">&nbsp;&nbsp;&nbsp;</span> {tr("marked_legend", self.lang)}'
        self.choice.description = tr("table", self.lang)
        previous = self.choice.value
        options = [(table_name(t, self.lang), t.kind) for t in tables]
        self._updating = True
        self.choice.options = options
        kinds = [kind for _, kind in options]
        self._updating = False
        if kinds:
            self.choice.value = previous if previous in kinds else kinds[0]
            self.show(self.choice.value, force=True)

    def show(self, kind: str | None, force: bool = False) -> None:
        if getattr(self, "_updating", False) and not force:
            return
        table = self.report.tables.get(kind or "")
        if table is None:
            self.caption.value = ""
            update_grid(self.grid, pd.DataFrame(), self.lang, page=50)
            return
        self.caption.value = table_caption(table, self.lang)
        frame = table_grid_frame(table, self.marks, self.result.findings, self.lang)
        update_grid(self.grid, frame, self.lang, page=50)
