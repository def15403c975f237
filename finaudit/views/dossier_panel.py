"""The dossier panel: a department's documents (预算/决算 × years, 部门/单位) and the findings between them.

``dossier_html`` is the static page (every document, every cross-document finding, both documents' cells
side by side). ``DossierBoard`` is the workbook's and the Voila dashboard's: a department picker, then the
department's documents on a timeline, budget against actual per 项 from both documents, "三公" over the
years and the cross-document findings in a grid. Everything the documents say is escaped.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go

from finaudit import budget
from finaudit.dossier import FINDING_COLUMNS, TIMELINE_COLUMNS, Dossier, dossier, findings_frame, timeline
from finaudit.read.templates import normalise
from finaudit.views import charts
from finaudit.views.labels import LABELS, bracketed, fmt, percent_text, tr
from finaudit.views.loading import requested_folder, requested_value, sample_dir
from finaudit.views.markup import CSS, frame_html, severity_html
from finaudit.views.panel import ResizeNudge, grid, show, update_grid


def text(key: str, lang: str = "zh") -> str:
    """The board's own label `key` ("dossier.<key>" in the label catalogue)."""
    return tr(f"dossier.{key}", lang)


def headers(section: str, columns: list[str], lang: str) -> dict[str, str]:
    """A frame's column → its heading in `lang` ("timeline.year" in the label catalogue)."""
    return {column: tr(f"{section}.{column}", lang) for column in columns}


def dossier_html(dossier: Dossier, findings=None, *, lang: str = "zh") -> str:
    """The documents of the dossier by department and year, then the cross-document findings."""
    documents, across, none = (tr(key, lang) for key in ("dossier.documents_list", "dossier.across", "dossier.no_findings"))
    frame = timeline(dossier).sort_values(["department", "year", "kind", "scope"], na_position="last", kind="stable")
    found = findings_frame(dossier.cross() if findings is None else findings, lang)
    parts = [CSS, f"<h4>{html.escape(documents)}</h4>", frame_html(frame, headers("timeline", TIMELINE_COLUMNS, lang)),
             f"<h4>{html.escape(across)}</h4>",
             frame_html(found, headers("cross", FINDING_COLUMNS, lang)) if len(found) else f"<p>{html.escape(none)}</p>"]
    return "\n".join(parts)


# -- the frames and figures of one department ---------------------------------------------------------
#: The timeline's kinds and scopes as ``dossier.timeline`` gives them (预算/决算, 部门/单位).
KINDS = {LABELS[f"kind.{k}"].zh: LABELS[f"kind.{k}"] for k in ("budget", "final")}
SCOPES = {LABELS[f"scope.{s}"].zh: LABELS[f"scope.{s}"] for s in ("department", "unit")}


def row_label(kind: str | None, scope: str | None, lang: str = "zh") -> str:
    """The timeline's row of a document: "预算·部门" / "Budget · department"."""
    kind, scope = KINDS.get(kind or ""), SCOPES.get(scope or "")
    if kind is None:
        return "?"
    return tr("document_row", lang).format(kind=kind.get(lang), scope=scope.get(lang)) if scope else kind.get(lang)


def gap_row(gap, lang: str = "zh") -> str:
    """The timeline row of the documents a ``Dossier.gaps`` gap lies between."""
    return row_label(LABELS[f"kind.{gap.kind}"].zh, LABELS[f"scope.{gap.scope}"].zh if gap.scope else "", lang)


def timeline_figure(frame: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """The documents of a ``timeline`` frame: x the year, y 预算/决算 × 部门/单位, each marker coloured by its
    error count (grey: unreadable) and labelled with it; hover gives the file. Labels escaped (``charts.plain``)."""
    readable = frame[frame["unreadable"].isna()]
    rows = [row_label(k, s, lang) for k, s in zip(readable["kind"], readable["scope"])]
    errors = [int(e or 0) for e in readable["errors"]]
    hover = [f"{charts.plain(f)}<br>{charts.plain(entity or '')} {year}<br>{e} {text('errors', lang)}"
             for f, entity, year, e in zip(readable["file"], readable["entity"], readable["year"], errors)]
    figure = go.Figure(go.Scatter(
        x=list(readable["year"]), y=rows, mode="markers+text", text=[str(e) for e in errors], textposition="middle center",
        textfont={"color": "#ffffff", "size": 12}, hovertext=hover, hoverinfo="text", name=text("errors", lang),
        marker={"size": 28, "color": errors, "cmin": 0, "cmax": max([1, *errors]), "showscale": False,
                "colorscale": [[0, "#2e7d32"], [0.001, "#e67e22"], [1, "#c0392b"]], "line": {"width": 1, "color": "#333"}}))
    years = sorted({int(y) for y in readable["year"] if y is not None})
    figure.update_xaxes(tickmode="array", tickvals=years, ticktext=[str(y) for y in years],
                        range=[(years[0] - 0.6) if years else 0, (years[-1] + 0.6) if years else 1],
                        title_text=text("year", lang))
    order = [row_label(k, s, lang) for k in ("预算", "决算") for s in ("部门", "单位", "")]
    figure.update_yaxes(categoryorder="array", categoryarray=[o for o in order if o in rows])
    title = text("documents", lang) + bracketed(text("marker", lang), lang)
    return charts._layout(figure, title, height=150 + 55 * max(1, len(set(rows))))


def three_public_years_figure(frame: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Grouped bars per year: the "三公" 预算数 and 决算数 in 万元 (``budget.three_public_over_years``); the
    hover names the file each figure comes from."""
    years = [str(y) for y in frame["year"]]
    figure = go.Figure()
    for column, colour in (("budget", charts.BUDGET_COLOUR), ("actual", charts.ACTUAL_COLOUR)):
        values = [None if v is None else float(v) for v in frame[column]]
        if all(v is None for v in values):
            continue  # no 决算 (or no 预算) in the folder: no empty legend entry
        files = [charts.plain(f or "") for f in frame[f"{column}_file"]]
        figure.add_trace(go.Bar(x=years, y=values, name=tr(column, lang), marker_color=colour,
                                text=["" if v is None else f"{v:,.2f}" for v in values], textposition="outside",
                                hovertext=files, hovertemplate="%{x}: %{y:,.2f}<br>%{hovertext}<extra></extra>"))
    figure.update_layout(barmode="group", bargap=max(0.3, 0.75 - 0.1 * len(years)))
    figure.update_xaxes(type="category", title_text=text("year", lang))
    figure.update_yaxes(title_text=tr("amount_unit", lang))
    title = text("three_public_years", lang) + bracketed(tr("amount_unit", lang), lang)
    return charts._layout(figure, title, height=360)


def budget_rows(part: Dossier, lang: str = "zh") -> pd.DataFrame:
    """Budget against actual of every 决算 of the department, per 项 and 三公 item, the budget figure from the
    year's 预算 document where the dossier has it (``Dossier.budget_vs_actual``); cells escaped for the grid."""
    rows = []
    for final in (r for r in part.reports if r.meta.kind == "final"):
        frame = part.budget_vs_actual(final)
        for row in frame.itertuples():
            name = row.name if row.source != "three_public" else \
                tr("three_public_row", lang).format(name=charts.three_public_name(row.name, lang))
            rows.append({
                text("year", lang): final.meta.year, tr("code", lang): html.escape(row.code or ""),
                tr("name", lang): html.escape(name or ""), tr("budget", lang): fmt(row.budget),
                tr("actual", lang): fmt(row.actual), tr("recomputed_rate", lang): percent_text(row.rate),
                tr("stated_rate", lang): percent_text(row.stated_rate),
                text("budget_source", lang): text(row.budget_source, lang),
                tr("reason", lang): html.escape(row.reason or "")})
    return pd.DataFrame(rows)


def findings_rows(found: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``dossier.findings_frame`` for the grid: errors first, headers in `lang`, every cell escaped, the severity
    in words of `lang`."""
    found = found.sort_values("severity", key=lambda s: s.map({"error": 0, "warning": 1, "info": 2}), kind="stable")
    names = headers("cross", FINDING_COLUMNS, lang)
    view = found.rename(columns=names).map(lambda v: "" if v is None else html.escape(str(v)))
    view[names["severity"]] = [severity_html(str(s), lang) for s in found["severity"]]
    return view.reset_index(drop=True)


# -- the board ----------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _load(folder: str, signature: tuple) -> Dossier:
    return dossier(folder)


def load_dossier(folder: str | Path) -> Dossier:
    """The dossier of a folder, loaded and audited once (cached by its report files' names, sizes and times)."""
    from finaudit.read.sources import discover

    path = Path(folder).resolve()
    files = [p for p in discover([path]).documents if p.is_file()]
    signature = tuple((str(p), p.stat().st_size, p.stat().st_mtime) for p in files)
    return _load(str(path), signature)


@dataclass
class Request:
    """What the board is asked to show: a folder (None: refused), the department to preselect, why a folder
    was refused."""

    folder: Path | None
    department: str | None = None
    refused: str | None = None
    asked: str | None = None  # the refused ``?folder=`` as given (shown escaped)


def requested(query: str | None = None, folder: str | Path | None = None, department: str | None = None) -> Request:
    """The folder and department to show: ``?folder=`` and ``?department=`` (Voila's QUERY_STRING, user input:
    a folder outside ``loading.folder_roots()`` is refused), else the notebook's parameters, else the bundled
    reports."""
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    asked, refused = requested_folder(query)
    chosen = requested_value("department", query) or department
    if refused:
        return Request(None, chosen, refused, requested_value("folder", query))
    return Request(asked or Path(folder or sample_dir()), chosen)


def preheat() -> Dossier:
    """Work done before a request arrives (Voila preheated kernels): the bundled reports' dossier and its
    cross-document findings, and each figure once."""
    found = load_dossier(sample_dir())
    for key in found.department_names():
        part = found.of_department(key)
        part.cross()
        timeline_figure(timeline(part))
        three_public_years_figure(budget.three_public_over_years(part.reports))
    go.FigureWidget  # noqa: B018 - resolves plotly's lazy imports (as the dashboard's preheat) without making a widget
    return found


class DossierBoard:
    """Department picker and language switch; for the picked department its documents on a timeline, budget
    against actual per 项 from both documents, "三公" over the years, the cross-document findings."""

    def __init__(self, request: Request | str | Path | None = None, lang: str = "zh"):
        request = request if isinstance(request, Request) else Request(Path(request or sample_dir()))
        self.request, self.lang = request, lang
        self.dossier = load_dossier(request.folder) if request.folder is not None else Dossier()
        self.names = self.dossier.department_names()
        self.parts: dict[str, tuple[Dossier, list]] = {}
        self.figures: dict[str, go.Figure] = {}
        self.title = W.HTML().add_class("fau-header")
        self.lang_toggle = W.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=lang,
                                           style={"button_width": "80px"}).add_class("fau-lang")
        self.lang_toggle.observe(lambda c: self.set_lang(c["new"]), names="value")
        self.unknown = request.department if request.department and self.match(request.department) is None else None
        self.picker = W.Dropdown(options=[(name, key) for key, name in self.names.items()],
                                 value=self.match(request.department) if request.department else next(iter(self.names), None), layout=W.Layout(width="520px"),
                                 style={"description_width": "auto"}).add_class("fau-department")
        self.picker.observe(lambda _c: self.render(), names="value")
        self.message = W.HTML().add_class("fau-dossier-message")
        self.timeline = W.Output(layout=W.Layout(min_height="200px")).add_class("fau-dossier-timeline").add_class("fau-chart")
        self.budget_title, self.budget_note = W.HTML(), W.HTML().add_class("fau-dossier-budget-note")
        self.budget_grid = grid(pd.DataFrame(), lang, page=50).add_class("fau-dossier-budget")
        self.three = W.Output(layout=W.Layout(min_height="300px")).add_class("fau-dossier-three").add_class("fau-chart")
        self.three_note = W.HTML()
        self.findings_title, self.findings_note = W.HTML(), W.HTML()
        self.findings_grid = grid(pd.DataFrame(), lang, page=15).add_class("fau-dossier-findings")
        header = W.HBox([self.title, self.lang_toggle], layout=W.Layout(justify_content="space-between", align_items="center"))
        self.content = W.VBox([self.timeline, self.budget_title, self.budget_note, self.budget_grid, self.three,
                               self.three_note, self.findings_title, self.findings_note, self.findings_grid])
        self.widget = W.VBox([W.HTML(CSS), ResizeNudge(), header, self.picker, self.message, self.content]
                             ).add_class("fau-app")
        self.render()

    def match(self, wanted: str | None) -> str | None:
        """The department key a (hostile) name asks for: normalised, matched exactly; None when the folder has
        no such department (the board says so and shows none)."""
        key = normalise(wanted) if wanted else None
        return key if key in self.names else None

    @property
    def department(self) -> str | None:
        return self.picker.value

    def part(self) -> tuple[Dossier, list]:
        """The picked department's documents and their cross-document findings (computed once)."""
        key = self.department or ""
        if key not in self.parts:
            part = self.dossier.of_department(key)
            self.parts[key] = (part, part.cross())
        return self.parts[key]

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.render()

    def summary(self) -> str:
        """One line per department: its documents and its cross-document findings by severity."""
        lines = []
        for key, name in self.names.items():
            part = self.dossier.of_department(key)
            found = part.cross()
            counts = ", ".join(f"{s} {sum(f.severity == s for f in found)}" for s in ("error", "warning", "info"))
            lines.append(f"{name}: {len(part.documents)} documents, {len(part.pairs())} pairs; {counts}")
        return "\n".join(lines)

    def render(self) -> None:
        lang = self.lang
        folder = self.request.folder
        self.title.value = (f'<div class="fau-title">{html.escape(text("title", lang))}</div>'
                            f"<small>{html.escape(str(folder) if folder else '')}</small>")
        self.picker.description = text("department", lang)
        if self.request.refused:
            self.message.value = (f'<p class="fau-msg-error">{html.escape(text(self.request.refused, lang))}'
                                  f"{tr('colon', lang)}{html.escape(self.request.asked or '')}</p>")
        elif not self.names:
            self.message.value = f'<p class="fau-msg-error">{html.escape(text("no_department", lang))}</p>'
        elif self.unknown is not None and self.department is None:
            self.message.value = self.unknown_html(lang)
        self.content.layout.display = None if self.names and self.department is not None else "none"
        self.picker.layout.display = None if self.names else "none"
        if not self.names or self.department is None:
            return
        part, found = self.part()
        frame = timeline(part)
        self.figures["timeline"] = figure = timeline_figure(frame, lang)
        show(self.timeline, figure)
        unreadable = timeline(self.dossier)
        unreadable = unreadable[unreadable["unreadable"].notna()]
        if not self.request.refused:
            self.message.value = "".join(f'<p class="fau-msg-error">{html.escape(text("unreadable", lang))}: '
                                         f"{html.escape(str(f))}: {html.escape(str(e))}</p>"
                                         for f, e in zip(unreadable["file"], unreadable["unreadable"]))
        self.render_budget(part)
        self.render_three_public(part)
        self.findings_title.value = f"<h4>{html.escape(text('across', lang))}</h4>"
        rows = findings_frame(found, lang)
        pairs = len(part.pairs())
        gaps = "".join(f"<p>{html.escape(text('gap', lang).format(earlier=g.earlier, later=g.later, what=gap_row(g, lang)))}</p>"
                       for g in part.gaps())
        self.findings_note.value = (f"<p>{pairs} {html.escape(text('pairs', lang))}"
                                    f"{'' if len(rows) else tr('semicolon', lang) + html.escape(text('no_findings', lang))}</p>{gaps}")
        update_grid(self.findings_grid, findings_rows(rows, lang), lang, page=15)
        self.findings_grid.layout.display = None if len(rows) else "none"

    def unknown_html(self, lang: str) -> str:
        """The ``?department=`` the folder has not, escaped, with the departments it has."""
        colon, sep = tr("colon", lang), tr("enumeration", lang)
        names = sep.join(self.names.values())
        return (f'<p class="fau-msg-error fau-unknown-department">{html.escape(text("unknown_department", lang))}{colon}'
                f"{html.escape(self.unknown or '')}</p><p>{html.escape(text('pick_department', lang))}{colon}"
                f"{html.escape(names)}</p>")

    def render_budget(self, part: Dossier) -> None:
        lang = self.lang
        self.budget_title.value = f"<h4>{html.escape(text('budget_actual', lang))}</h4>"
        rows = budget_rows(part, lang)
        has_final = any(r.meta.kind == "final" for r in part.reports)
        self.budget_note.value = "" if len(rows) else \
            f"<p>{html.escape(text('no_rows' if has_final else 'no_final', lang))}</p>"
        update_grid(self.budget_grid, rows, lang, page=50)
        self.budget_grid.layout.display = None if len(rows) else "none"

    def render_three_public(self, part: Dossier) -> None:
        lang = self.lang
        frame = budget.three_public_over_years(part.reports)
        if frame[["budget", "actual"]].isna().all().all():
            self.three.outputs = ()
            self.three_note.value = f"<p>{html.escape(text('no_three_public', lang))}</p>"
            return
        self.three_note.value = ""
        self.figures["three_public"] = figure = three_public_years_figure(frame, lang)
        show(self.three, figure)


__all__ = ["DossierBoard", "Request", "budget_rows", "dossier_html", "load_dossier", "preheat", "requested",
           "three_public_years_figure", "timeline_figure"]
