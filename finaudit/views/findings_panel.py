"""The findings panel: filters, the list, and the selected finding's cells highlighted in their table."""

from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from finaudit.findings import SEVERITIES
from finaudit.views import charts
from finaudit.views.labels import fmt, table_name, tr
from finaudit.views.loading import Loaded
from finaudit.views.markup import frame_html, severity_html, table_html
from finaudit.views.panel import Panel


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
        everything = tr("all", lang)
        self.severity.description, self.table.description, self.rule.description = (
            tr("severity", lang), tr("table", lang), tr("rule", lang))
        self.severity.options = [(everything, None)] + [(tr(s, lang), s) for s in SEVERITIES]
        tables = sorted({f.table for f in result.findings if isinstance(f.table, int)})
        names = {t.ordinal: table_name(t, lang) for t in self.report.tables.values()}
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
        # roots first, each followed by the findings it explains (indented)
        place = {k: n for n, k in enumerate(f.key for root, below in self.result.grouped() for f in (root, *below))}
        rows = sorted(zip(frame.index, frame.itertuples()), key=lambda pair: place.get(pair[1].key, len(place)))
        options = [(f"{'  ↳ ' if r.caused_by else ''}[{tr(r.severity, self.lang)}] {r.code} 表{r.table or ''} {r.location} — "
                    f"{getattr(r, message)[:80]}", int(i)) for i, r in rows]
        self.list.options = options
        if options:
            self.list.value = options[0][1]
            self.show(options[0][1])
        else:
            self.detail.value = f"<p>{tr('no_findings', self.lang)}</p>"

    def show(self, number: int | None) -> None:
        if number is None or not (0 <= number < len(self.result.findings)):
            return
        self.detail.value = self.finding_html(number)

    def finding_html(self, number: int) -> str:
        lang, finding = self.lang, self.result.findings[number]
        message = finding.message_zh if lang == "zh" else finding.message_en
        out = [f'<div class="fau-finding" data-finding="{number}"><h4>{severity_html(finding.severity, lang)} '
               f"{html.escape(finding.code)} {html.escape(message)}</h4>"]
        facts = [(tr("expected", lang), finding.expected), (tr("printed", lang), finding.actual),
                 (tr("difference", lang), finding.difference)]
        out.append("<p>" + "；".join(f"{k} {fmt(v)}" for k, v in facts if v is not None) + "</p>")
        cause = finding.cause_zh if lang == "zh" else finding.cause_en
        if cause:
            out.append(f'<p class="fau-cause">{html.escape(cause)}</p>')
        cells = charts.finding_cells(self.result, number)
        if len(cells):
            view = cells.assign(where=[
                f"{tr('line', lang)} {line}" if line and not pd.isna(line) else
                f"{tr('page', lang)} {page}" if page and not pd.isna(page) else ""
                for line, page in zip(cells["line"], cells["page"])])
            out.append(f"<h5>{tr('cells', lang)}</h5>")
            out.append(frame_html(view, {"table": tr("table", lang), "row": tr("item", lang), "column": "列",
                                         "value": tr("actual", lang), "where": tr("source", lang)}))
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
