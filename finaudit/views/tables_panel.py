"""The tables panel: every table as loaded, with the cells findings involve marked."""

from __future__ import annotations

import ipywidgets as W

from finaudit.views import charts
from finaudit.views.labels import table_name, tr
from finaudit.views.loading import Loaded
from finaudit.views.markup import table_html
from finaudit.views.panel import Panel


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
        self.legend.value = f'<span class="fau-marked">&nbsp;&nbsp;&nbsp;</span> {tr("marked_legend", self.lang)}'
        self.choice.description = tr("table", self.lang)
        previous = self.choice.value
        options = [(table_name(t, self.lang), t.kind) for t in tables]
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
