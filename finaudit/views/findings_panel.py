"""The findings panel: filters, a sortable grid in review order (errors first), the selected finding's
cells highlighted in their table, and the auditor's review (``finaudit.ledger``): set in the workbook,
shown read-only in the dashboard."""

from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from finaudit.findings import SEVERITIES
from finaudit.causes import judge_root
from finaudit.ledger import Entry, Ledger, LedgerError, Status
from finaudit.ledger import label as review_label
from finaudit.rules import REGISTRY
from finaudit.views import charts
from finaudit.views.labels import LABELS, column_heading, fmt, location, place, sources, table_name, table_ref, tr
from finaudit.views.loading import Loaded
from finaudit.views.markup import frame_html, severity_html, table_html
from finaudit.views.panel import Panel, grid, update_grid

ALL = "*"  # the filters' "全部 / All" (a Dropdown shows an empty box for the value None)


def rule_title(code: str, lang: str = "zh") -> str:
    item = REGISTRY.get(code)
    return "" if item is None else item.title.get(lang)


class FindingsPanel(Panel):
    """Filter findings by severity, table, rule and review status; the grid lists them errors first,
    then warnings, then notes, each by table and position; a row shows the finding and its cells.

    ``editable=True`` (the workbook) adds the review controls; the dashboard shows statuses only.
    """

    def __init__(self, loaded: Loaded, lang: str = "zh", editable: bool = False):
        super().__init__(loaded, lang)
        self.editable = editable
        self.severity = W.Dropdown(layout=W.Layout(width="190px")).add_class("fau-filter-severity")
        self.table = W.Dropdown(layout=W.Layout(width="260px")).add_class("fau-filter-table")
        self.rule = W.Dropdown(layout=W.Layout(width="300px")).add_class("fau-filter-rule")
        self.status = W.Dropdown(layout=W.Layout(width="210px")).add_class("fau-filter-status")
        for control in (self.severity, self.table, self.rule, self.status):
            control.style.description_width = "auto"
            control.observe(lambda _c: self.refresh(), names="value")
        self.numbers: list[int] = []
        self.grid = grid(pd.DataFrame(), lang, select=True).add_class("fau-findings-grid")
        self.grid.observe(self._selected, names="selected_rows")
        self.detail = W.HTML().add_class("fau-finding-detail")
        self.review_box = self._review_controls() if editable else W.HTML().add_class("fau-review-note")
        self.ledger_message = W.HTML().add_class("fau-ledger-message")  # a ledger that cannot be read
        self.current: int | None = None
        self.widget = W.VBox([W.HBox([self.severity, self.table, self.rule, self.status],
                                     layout=W.Layout(flex_flow="row wrap")),
                              self.ledger_message, self.grid, self.review_box, self.detail]).add_class("fau-findings")
        self.render()

    # -- review ---------------------------------------------------------------------------------
    def _review_controls(self) -> W.Widget:
        self.review_status = W.Dropdown(layout=W.Layout(width="220px")).add_class("fau-review-status")
        self.review_reason = W.Text(layout=W.Layout(width="360px")).add_class("fau-review-reason")
        self.review_note = W.Textarea(layout=W.Layout(width="520px", height="56px")).add_class("fau-review-note-text")
        self.review_save = W.Button(button_style="primary").add_class("fau-review-save")
        self.review_message = W.HTML().add_class("fau-review-message")
        self.review_save.on_click(lambda _b: self.save())
        for control in (self.review_status, self.review_reason, self.review_note):
            control.style.description_width = "auto"
        return W.VBox([W.HBox([self.review_status, self.review_reason], layout=W.Layout(flex_flow="row wrap")),
                       W.HBox([self.review_note, self.review_save, self.review_message],
                              layout=W.Layout(align_items="center", flex_flow="row wrap"))]).add_class("fau-review")

    def ledger(self) -> Ledger | None:
        """The review ledger beside the report (None: an upload, or a ledger that cannot be read, which the
        panel then says above the grid: the findings are shown all the same)."""
        try:
            ledger = self.loaded.ledger
        except (LedgerError, OSError) as error:
            self.ledger_message.value = f'<span class="fau-msg-error">{html.escape(self.said(error)[:300])}</span>'
            return None
        self.ledger_message.value = ""
        return ledger

    def said(self, error: Exception) -> str:
        """A ledger's refusal in the panel's language (a file that cannot be written: the catalogue's words)."""
        return (error.text if isinstance(error, LedgerError) else LABELS["ledger.unwritable"]).get(self.lang)

    def entries(self) -> dict[str, Entry]:
        ledger = self.ledger()
        return ledger.entries if ledger is not None else {}

    def save(self) -> None:
        """Record the review of the selected finding in the ledger beside the report; a root cause's
        judgment applies to every finding it explains too."""
        ledger = self.ledger() if self.current is not None else None
        if ledger is None:
            return
        finding = self.result.findings[self.current]
        try:
            if finding.is_root and self.result.consequences(finding):
                judge_root(ledger, self.result, finding.key, self.review_status.value,
                           reason=self.review_reason.value, note=self.review_note.value)
            else:
                ledger.judge(finding.key, self.review_status.value, reason=self.review_reason.value,
                             note=self.review_note.value, finding=finding)
        except (LedgerError, OSError, TimeoutError) as error:
            self.review_message.value = f'<span class="fau-msg-error">{html.escape(self.said(error))}</span>'
            return
        self.refresh(keep=self.current)
        self.review_message.value = f'<span class="fau-msg-ok">{tr("saved", self.lang)}</span>'

    # -- filters and grid -----------------------------------------------------------------------
    def render(self) -> None:
        lang, result = self.lang, self.result
        self._updating = True
        everything = tr("all", lang)
        for control, key in ((self.severity, "severity"), (self.table, "table"), (self.rule, "rule"),
                             (self.status, "status")):
            control.description = tr(key, lang)
        self.severity.options = [(everything, ALL)] + [(tr(s, lang), s) for s in SEVERITIES]
        tables = sorted({f.table for f in result.findings if isinstance(f.table, int)})
        names = {t.ordinal: table_name(t, lang) for t in self.report.tables.values()}
        table_options = [(names.get(t, table_ref(t, lang)), t) for t in tables]
        if any(f.table == "narrative" for f in result.findings):
            table_options.append((tr("narrative", lang), "narrative"))
        self.table.options = [(everything, ALL)] + table_options
        self.rule.options = [(everything, ALL)] + [(f"{c} {rule_title(c, lang)}", c) for c in result.by_code()]
        self.status.options = [(everything, ALL)] + [(review_label(s, lang), str(s)) for s in Status]
        self.severity.value = self.table.value = self.rule.value = self.status.value = ALL
        if self.editable:
            self.review_status.description = tr("status", lang)
            self.review_status.options = [(review_label(s, lang), str(s)) for s in Status]
            self.review_reason.description = tr("exclude_reason", lang)
            self.review_note.description = tr("note", lang)
            self.review_save.description = tr("save", lang)
        else:
            self.review_box.value = f"<small>{tr('read_only', lang)}</small>"
        self._updating = False
        self.refresh()

    def filtered(self) -> list[int]:
        """The numbers of the findings the filters keep, in review order."""
        entries = self.entries()
        keep = []
        for number in self.result.review_order(grouped=True):  # roots, each with what it explains
            finding = self.result.findings[number]
            if self.severity.value not in (ALL, None) and finding.severity != self.severity.value:
                continue
            if self.table.value not in (ALL, None) and finding.table != self.table.value:
                continue
            if self.rule.value not in (ALL, None) and finding.code != self.rule.value:
                continue
            status = entries.get(finding.key, Entry()).status
            if self.status.value not in (ALL, None) and status != self.status.value:
                continue
            keep.append(number)
        return keep

    def grid_frame(self, numbers: list[int]) -> pd.DataFrame:
        lang, entries = self.lang, self.entries()
        rows = []
        for number in numbers:
            finding = self.result.findings[number]
            entry = entries.get(finding.key, Entry())
            rows.append({
                tr("severity", lang): severity_html(finding.severity, lang),
                tr("rule", lang): (f'<span title="{html.escape(rule_title(finding.code, lang), quote=True)}">'
                                   f"{html.escape(finding.code)}</span>"),
                tr("table", lang): html.escape(table_ref(finding.table, lang)),
                tr("location", lang): ("↳ " if finding.caused_by else "") + html.escape(location(self.report, finding, lang)),
                tr("message", lang): html.escape(finding.text.get(lang)),
                tr("status", lang): html.escape(review_label(entry.status, lang)),
                tr("source", lang): html.escape("; ".join(sources(finding, lang))),
            })
        columns = ["severity", "rule", "table", "location", "message", "status", "source"]
        return pd.DataFrame(rows, columns=[tr(c, lang) for c in columns])

    def refresh(self, keep: int | None = None) -> None:
        if getattr(self, "_updating", False):
            return
        self.numbers = self.filtered()
        first = keep if keep in self.numbers else (self.numbers[0] if self.numbers else None)
        selected = [self.numbers.index(first)] if first is not None else []
        self._selecting = True
        update_grid(self.grid, self.grid_frame(self.numbers), self.lang, select=True, selected=selected)
        self._selecting = False
        if first is None:
            self.current = None
            self.detail.value = f"<p>{tr('no_findings', self.lang)}</p>"
        else:
            self.show(first)

    def _selected(self, change) -> None:
        if getattr(self, "_selecting", False) or not change["new"]:
            return
        position = change["new"][0]
        if 0 <= position < len(self.numbers):
            self.show(self.numbers[position])

    def select(self, number: int) -> None:
        """Select finding `number` as a click on its row does."""
        if number in self.numbers:
            self.grid.selected_rows = [self.numbers.index(number)]

    # -- detail ---------------------------------------------------------------------------------
    def show(self, number: int | None) -> None:
        if number is None or not (0 <= number < len(self.result.findings)):
            return
        self.current = number
        self.detail.value = self.finding_html(number)
        if self.editable:
            entry = self.entries().get(self.result.findings[number].key, Entry())
            self.review_status.value = str(entry.status)
            self.review_reason.value, self.review_note.value = entry.reason, entry.note
            self.review_message.value = ""

    def finding_html(self, number: int) -> str:
        lang, finding = self.lang, self.result.findings[number]
        message = finding.text.get(lang)
        entry = self.entries().get(finding.key, Entry())
        out = [f'<div class="fau-finding" data-finding="{number}"><h4>{severity_html(finding.severity, lang)} '
               f"{html.escape(finding.code)} {html.escape(rule_title(finding.code, lang))}</h4>"
               f"<p>{html.escape(message)}</p>"]
        facts = [(tr("expected", lang), finding.expected), (tr("printed", lang), finding.actual),
                 (tr("difference", lang), finding.difference)]
        out.append("<p>" + tr("semicolon", lang).join(f"{k} {fmt(v)}" for k, v in facts if v is not None) + "</p>")
        cause = finding.cause.get(lang)
        if cause:
            out.append(f'<p class="fau-cause">{html.escape(cause)}</p>')
        colon = tr("colon", lang)
        review = [f'<b>{tr("status", lang)}</b>{colon}<span class="fau-status">{review_label(entry.status, lang)}</span>']
        review += [f"<b>{tr(k, lang)}</b>{colon}{html.escape(v)}" for k, v in (("exclude_reason", entry.reason),
                                                                              ("note", entry.note)) if v]
        if entry.root:
            root = next((f for f in self.result.findings if f.key == entry.root), None)
            cited = f"{root.code} {location(self.report, root, lang)}" if root else entry.root.split("|")[0]
            review.append(html.escape(tr("judged_with_root", lang).format(root=cited)))
        out.append('<p class="fau-review-line">' + tr("semicolon", lang).join(review) + "</p>")
        cells = charts.finding_cells(self.result, number)
        if len(cells):
            view = cells.assign(
                where=[place(line, page, lang) for line, page in zip(cells["line"], cells["page"])],
                table=[table_ref(t, lang) for t in cells["table"]],
                column=[column_heading(self.report, k, c, lang) for k, c in zip(cells["kind"], cells["column"])])
            out.append(f"<h5>{tr('cells', lang)}</h5>")
            out.append(frame_html(view, {"table": tr("table", lang), "row": tr("item", lang),
                                         "column": tr("column", lang), "value": tr("amount", lang),
                                         "where": tr("source", lang)}))
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
