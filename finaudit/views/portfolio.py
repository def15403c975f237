"""The portfolio dashboard: every department and year of a corpus store, for managers.

A sortable, filterable table of departments × years (findings by severity, 三公 budget and actual,
execution rate, spending) and three charts of the filtered rows (findings by year, 三公 by year,
spending by 类); a row's links open the department's dossier view (``dossier.ipynb?folder=…&department=…``)
and, for a bundled report, the single-report dashboard (``dashboard.ipynb?report=NAME``). Chinese
first, English switch. The frames come from ``finaudit.corpus.query`` once, when the store is opened;
a filter or sort change works on those frames in pandas (no database round trip), redraws the charts
(plain plotly specs in Output widgets, as the single-report dashboard shows its charts: a FigureWidget
carries megabytes of plotly.js as widget state) and replaces the table's HTML.
"""

from __future__ import annotations

import functools
import html
import os
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import ipywidgets as W
import numpy as np
import pandas as pd
from filelock import FileLock

from finaudit.corpus import store
from finaudit.corpus.build import build
from finaudit.corpus.query import class_spending, portfolio
from finaudit.views import charts
from finaudit.words import tr as label

ALL = "__all__"
ROWS_SHOWN = 100
CACHE_LOCK_SECONDS = 600  # a first build of the bundled reports on a busy machine takes a minute or two
SEVERITY_COLOURS = {"errors": "#c0392b", "warnings": "#e67e22", "notes": "#7f8c8d"}

SORTABLE = ("errors", "cross_errors", "warnings", "department", "year", "three_public_actual", "three_public_rate", "spending",
            "execution_rate")
MONEY = ("three_public_budget", "three_public_actual", "spending")
RATES = ("three_public_rate", "execution_rate")

CSS = """<style>
.fap-table {border-collapse: collapse; font-size: 13px;} .fap-table th, .fap-table td {padding: 2px 5px; border-bottom: 1px solid #eee;}
.fap-table td.num {text-align: right; font-variant-numeric: tabular-nums;} .fap-table th {background: #f5f5f5; position: sticky; top: 0;}
.fap-err {color: #c0392b; font-weight: 600;} .fap-title {font-size: 20px; font-weight: 600;}
.fap-table-box {max-height: 520px; overflow: auto; max-width: 100%;}
.fap-table-html, .fap-table-html .widget-html-content {max-width: 100%; min-width: 0; overflow: hidden;}
</style>"""


def tr(key: str, lang: str = "zh") -> str:
    """The portfolio's label `key` ("portfolio.<key>" in the label catalogue)."""
    return label(f"portfolio.{key}", lang)


# -- the store ----------------------------------------------------------------------------------
def sample_store() -> Path:
    """A store of the bundled reports (sample_data), built or brought up to date in a cache folder
    ($FINAUDIT_CACHE, else ~/.cache/finaudit): the default when no ``?store=`` is given.

    Every preheated kernel asks for it at once when the server starts, and DuckDB lets one process write
    a file while no other has it open: the build and every read of this store (``PortfolioData.open``)
    hold its file lock, so the kernels take turns (the first builds, the others find it up to date)."""
    target = _sample_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _cache_lock(target):
        build(sample_folder(), target, progress=False)
    return target


def _sample_path() -> Path:
    cache = Path(os.environ.get("FINAUDIT_CACHE") or Path.home() / ".cache" / "finaudit")
    return cache / f"sample-corpus-{store.SCHEMA_VERSION}.duckdb"  # one per layout: worktrees share the cache


@contextmanager
def _cache_lock(path: Path):
    """The lock of a store this module builds in the cache (none for a store it only reads)."""
    if path.resolve() != _sample_path().resolve():
        yield
        return
    with FileLock(f"{path}.lock", timeout=CACHE_LOCK_SECONDS):
        yield


def sample_folder() -> Path:
    """The bundled reports: $FINAUDIT_SAMPLES, else sample_data/ of the source tree (or the cwd's)."""
    import finaudit

    candidates = [Path(os.environ["FINAUDIT_SAMPLES"])] if os.environ.get("FINAUDIT_SAMPLES") else []
    candidates += [Path(finaudit.__file__).resolve().parent.parent / "sample_data", Path.cwd() / "sample_data",
                   Path.cwd().parent / "sample_data"]
    return next((c for c in candidates if c.is_dir()), candidates[0])


def requested_store(query: str | None = None) -> Path:
    """The store named by ``?store=`` (Voila's QUERY_STRING), else the bundled reports' store.

    The query string is user input: only an existing ``.duckdb`` file inside a folder that $FINAUDIT_STORES
    names (folders separated by ``os.pathsep``; set by whoever serves the dashboard) is accepted, opened read
    only; with none named, no store but the bundled reports' (a visitor cannot open any file of the machine)."""
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    wanted = (parse_qs(query).get("store") or [""])[0]
    roots = [Path(p).expanduser().resolve() for p in os.environ.get("FINAUDIT_STORES", "").split(os.pathsep) if p.strip()]
    if wanted and roots and "\x00" not in wanted:
        try:
            path = Path(wanted).expanduser().resolve()
            if path.suffix == ".duckdb" and any(path.is_relative_to(root) for root in roots) and path.is_file():
                return path
        except (OSError, RuntimeError, ValueError):
            pass
    return sample_store()


def preheat() -> Path:
    """Work done before a request arrives (Voila preheated kernels): the bundled reports' store, and one
    board on it, so that the imports (DuckDB, pandas, plotly's templates) are paid for before anyone waits."""
    sample = sample_store()
    PortfolioBoard(sample)
    return sample


@dataclass
class PortfolioData:
    """The frames of one store, read once."""

    store: Path
    rows: pd.DataFrame  # finaudit.corpus.query.portfolio
    classes: pd.DataFrame  # finaudit.corpus.query.class_spending

    def __post_init__(self) -> None:
        """Derived once: a (department, year) key on both frames, and float copies of the amounts the
        charts draw (plotly draws floats; the table shows the exact Decimals)."""
        for frame in (self.rows, self.classes):
            frame["key_"] = frame["department"].astype(str) + "\x1f" + frame["year"].astype(str)
        for column in ("three_public_budget", "three_public_actual"):
            self.rows[column + "_f"] = [_float(v) for v in self.rows[column]]
        self.classes["amount_f"] = [_float(v) for v in self.classes["amount"]]

    @classmethod
    def open(cls, path: str | Path) -> PortfolioData:
        with _cache_lock(Path(path)):
            connection = store.connect(path, read_only=True)
            try:
                return cls(Path(path), portfolio(connection), class_spending(connection))
            finally:
                connection.close()

    @property
    def years(self) -> list[int]:
        return sorted({int(y) for y in self.rows["year"].dropna()})


def select(rows: pd.DataFrame, *, text: str = "", year=ALL, only_errors: bool = False, sort: str = "errors",
           descending: bool = True) -> pd.DataFrame:
    """The rows matching the filters (department name contains `text`, a year, errors > 0), sorted
    (missing values last, then by department and year)."""
    mask = pd.Series(True, index=rows.index)
    if text:
        mask &= rows["department"].str.contains(text.strip(), regex=False, na=False)
    if year != ALL and year is not None:
        mask &= rows["year"] == int(year)
    if only_errors:
        mask &= rows["errors"] > 0
    chosen = rows[mask]
    if sort not in SORTABLE:
        sort = "errors"
    return chosen.sort_values([sort, "department", "year"], ascending=[not descending, True, True],
                              na_position="last", kind="stable")


def summary_text(data: PortfolioData) -> str:
    """Plain text for a notebook's regression cell: rows, documents, findings by severity, 三公 in all."""
    rows = data.rows
    lines = [f"{len(rows)} department-years, {rows['department'].nunique()} departments, "
             f"{int(rows['documents'].sum())} documents",
             f"findings: {int(rows['errors'].sum())} errors, {int(rows['warnings'].sum())} warnings, "
             f"{int(rows['notes'].sum())} notes"]
    for row in rows.itertuples():
        lines.append(f"{row.department} {row.year}: {row.errors} errors, 三公 {_money(row.three_public_budget)} / "
                     f"{_money(row.three_public_actual)}, execution rate {_rate(row.execution_rate)}")
    return "\n".join(lines[:12])


def _money(value) -> str:
    if value is None or (not isinstance(value, Decimal) and pd.isna(value)):
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.01')):,.2f}"


def _rate(value) -> str:
    return "—" if value is None or (not isinstance(value, Decimal) and pd.isna(value)) else f"{value:.2f}"


def _chosen(selected: pd.DataFrame) -> bytes:
    """Which rows are chosen, whatever their order (a sort alone leaves the charts as they are)."""
    return np.sort(selected.index.to_numpy()).tobytes()


def _float(value) -> float:
    return 0.0 if value is None or (not isinstance(value, Decimal) and pd.isna(value)) else float(value)


# -- chart frames (tested without a browser) ------------------------------------------------------
def by_year(rows: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Per year: errors, warnings, notes, and the 三公 budget and actual (万元, floats for the chart) of
    the given rows (a frame of ``PortfolioData.rows``)."""
    sums = rows.groupby("year")[["errors", "warnings", "notes", "three_public_budget_f", "three_public_actual_f"]].sum()
    sums = sums.reindex(years, fill_value=0)
    return pd.DataFrame({"year": years, "errors": sums["errors"].astype(int).tolist(),
                         "warnings": sums["warnings"].astype(int).tolist(), "notes": sums["notes"].astype(int).tolist(),
                         "budget": sums["three_public_budget_f"].astype(float).tolist(),
                         "actual": sums["three_public_actual_f"].astype(float).tolist()})


def by_class(classes: pd.DataFrame, rows: pd.DataFrame, top: int = 12) -> pd.DataFrame:
    """Spending by 类 of the given department-years: code, label, amount (万元, float for the chart),
    largest first (frames of ``PortfolioData``)."""
    if not len(rows) or not len(classes):
        return pd.DataFrame(columns=["code", "label", "amount"])
    chosen = classes[classes["key_"].isin(rows["key_"])]
    sums = chosen.groupby("code").agg(label=("label", "first"), amount=("amount_f", "sum")).reset_index()
    sums = sums.sort_values(["amount", "code"], ascending=[False, True], kind="stable").head(top)
    return sums[["code", "label", "amount"]].reset_index(drop=True)


# -- figures --------------------------------------------------------------------------------------

def chart_values(data: PortfolioData, selected: pd.DataFrame, lang: str) -> list[tuple[str, list[dict], dict]]:
    """What the three charts show for the selected rows: (title, one dict of x, y, name per trace, axis titles)."""
    count, years = len(selected), by_year(selected, data.years)
    classes = by_class(data.classes, selected)
    x = [str(y) for y in years["year"]]
    labels = [html.escape(f"{c} {l}") for c, l in zip(classes["code"], classes["label"])]
    return [
        (f"{tr('findings_by_year', lang)} ({count})",
         [{"x": x, "y": years[key].tolist(), "name": tr(key, lang)} for key in ("errors", "warnings", "notes")], {}),
        (f"{tr('three_public_by_year', lang)} ({count})",
         [{"x": x, "y": years[key].tolist(), "name": tr(key, lang)} for key in ("budget", "actual")],
         {"yaxis": tr("unit", lang)}),
        (f"{tr('spending_by_class', lang)} ({count})",
         [{"x": classes["amount"].tolist(), "y": labels, "name": tr("spending", lang)}], {"xaxis": tr("unit", lang)}),
    ]


@functools.cache
def _template() -> dict:
    """The layout part of plotly's "plotly_white" template that bar charts use, as plain JSON, once (1 KB instead of
    7: each redraw sends and applies it; the specs skip plotly's validation, a few milliseconds instead of 300)."""
    import plotly.io as pio

    layout = pio.templates["plotly_white"].to_plotly_json()["layout"]
    return {"layout": {key: layout[key] for key in ("xaxis", "yaxis", "plot_bgcolor", "paper_bgcolor", "font",
                                                     "colorway", "hoverlabel", "title", "hovermode", "autotypenumbers")
                       if key in layout}}


def figures(values: list[tuple[str, list[dict], dict]]) -> list[dict]:
    """The three charts as plotly specs (plain dicts: data, layout, config), shown in the page by the plotly
    renderer as the single-report dashboard shows its charts (no FigureWidget: each carries megabytes of
    plotly.js as widget state)."""
    out = []
    for (title, traces, axes), kind in zip(values, ("findings", "three_public", "classes")):
        bars = []
        for n, trace in enumerate(traces):
            bar = {"type": "bar", **trace}
            if kind == "findings":
                bar["marker"] = {"color": list(SEVERITY_COLOURS.values())[n]}
            elif kind == "three_public":  # 预算数 then 决算数, in the dashboard's colours
                bar["marker"] = {"color": (charts.BUDGET_COLOUR, charts.ACTUAL_COLOUR)[n % 2]}
            elif kind == "classes":
                bar.update(orientation="h", marker={"color": "#2c7fb8"})
            bars.append(bar)
        layout = {"title": {"text": title}, "height": 300, "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
                  "template": _template(), "legend": {"orientation": "h", "y": -0.2},
                  "barmode": "stack" if kind == "findings" else "group", "meta": f"fap-{kind}",
                  "xaxis": {"title": {"text": axes.get("xaxis")}, "automargin": True},
                  "yaxis": {"title": {"text": axes.get("yaxis")}, "automargin": True}}
        if kind == "classes":
            layout["yaxis"]["autorange"] = "reversed"
        else:
            layout["xaxis"]["type"] = "category"  # years are labels, not a continuous axis
        out.append({"data": bars, "layout": layout, "config": {"displaylogo": False, "responsive": True}})
    return out


def figure_output(spec: dict) -> dict:
    """A chart as one display_data output (the plotly mime type, rendered by jupyterlab-plotly)."""
    return {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.plotly.v1+json": spec, "text/plain": f"<plotly figure: {spec['layout']['title']['text']}>"}}


# -- the table ------------------------------------------------------------------------------------
def dossier_link(folder, department) -> str | None:
    """The department's dossier view on the folder holding its documents (Voila serves the notebooks from one
    folder; the dossier view opens only folders it allows: the bundled reports, $FINAUDIT_FOLDERS)."""
    if not isinstance(folder, str) or not folder or not isinstance(department, str) or department == "?":
        return None
    return "dossier.ipynb?" + urlencode({"folder": folder, "department": department})


def dashboard_link(file, samples: dict[str, Path] | None = None) -> str | None:
    """The single-report dashboard on this document, where it can open it: it opens the bundled reports only, by
    name (`samples`: ``loading.sample_reports()``), so another file gets no link rather than the wrong report."""
    if not isinstance(file, str) or not file:
        return None
    if samples is None:
        from finaudit.views.loading import sample_reports

        samples = sample_reports()
    path = Path(file)
    known = samples.get(path.name)
    if known is None or known.resolve() != path.resolve():
        return None
    return "dashboard.ipynb?" + urlencode({"report": path.name})


def _link(href: str | None, text: str) -> str:
    return f'<a href="{html.escape(href)}" target="_blank">{html.escape(text)}</a>' if href else ""


def table_html(rows: pd.DataFrame, lang: str, state: int, limit: int = ROWS_SHOWN,
               samples: dict[str, Path] | None = None) -> str:
    """The first `limit` rows as an HTML table (every text escaped), each with its links (dossier view, the
    single-report dashboard); `state` stamps the table so that a browser test can tell one rendering from the
    next."""
    if not len(rows):
        return f'<p class="fap-empty" data-state="{state}">{tr("no_rows", lang)}</p>'
    if samples is None:
        from finaudit.views.loading import sample_reports

        samples = sample_reports()
    columns = ["department", "year", "documents", "errors", "cross_errors", "warnings", "notes", *MONEY[:2],
               "three_public_rate", "spending", "execution_rate", "execution_basis"]
    columns = [c for c in columns if c in rows.columns]
    head = "".join(f"<th>{html.escape(tr(c, lang))}</th>" for c in columns) + f"<th>{tr('open', lang)}</th>"
    body = []
    for row in rows.head(limit).itertuples(index=False):
        cells = []
        for column in columns:
            value = getattr(row, column)
            if column in MONEY:
                cells.append(f'<td class="num">{_money(value)}</td>')
            elif column in RATES:
                cells.append(f'<td class="num">{_rate(value)}</td>')
            elif column in ("errors", "cross_errors"):
                cells.append(f'<td class="num{" fap-err" if value else ""}">{value}</td>')
            elif column in ("documents", "warnings", "notes", "year"):
                cells.append(f'<td class="num">{"" if pd.isna(value) else value}</td>')
            elif column == "execution_basis":
                cells.append(f"<td>{tr('basis_' + value, lang) if isinstance(value, str) else ''}</td>")
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        links = [_link(dossier_link(getattr(row, "folder", None), row.department), tr("dossier", lang)),
                 _link(dashboard_link(getattr(row, "report_file", None), samples), tr("report", lang))]
        cells.append(f'<td class="fap-open">{" · ".join(link for link in links if link)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = tr("showing", lang).format(shown=min(limit, len(rows)), total=len(rows))
    return (f'<div class="fap-table-box" data-state="{state}"><p class="fap-count">{note}</p>'
            f'<table class="fap-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


# -- the board ------------------------------------------------------------------------------------
class PortfolioBoard:
    """The widget: title and language switch, filters, three charts, the table."""

    def __init__(self, data: PortfolioData | str | Path, lang: str = "zh"):
        self.data = data if isinstance(data, PortfolioData) else PortfolioData.open(data)
        self.lang, self.state = lang, 0
        from finaudit.views.loading import sample_reports

        self.samples = sample_reports()  # the reports the single-report dashboard opens (links)
        self.title = W.HTML().add_class("fap-title")
        self.lang_toggle = W.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=lang,
                                           style={"button_width": "80px"}).add_class("fap-lang")
        self.search = W.Text(continuous_update=False).add_class("fap-search")
        self.year = W.Dropdown().add_class("fap-year")
        self.only_errors = W.Checkbox(value=False, indent=False).add_class("fap-only-errors")
        self.sort = W.Dropdown().add_class("fap-sort")
        self.descending = W.Checkbox(value=True, indent=False).add_class("fap-descending")
        self.table = W.HTML().add_class("fap-table-html")
        self._label()
        selected = self.selected()
        self._chosen = _chosen(selected)
        self.charts = [W.Output(layout=W.Layout(width="33%", min_height="300px")).add_class(name)
                       for name in ("fap-findings", "fap-three", "fap-classes")]
        self.draw(selected)
        charts = W.HBox(self.charts, layout=W.Layout(width="100%"))
        for control in (self.search, self.year, self.only_errors, self.sort, self.descending):
            control.observe(lambda _: self.refresh(), names="value")
        self.lang_toggle.observe(lambda change: self.set_lang(change["new"]), names="value")
        self.table.value = table_html(selected, lang, self.state, samples=self.samples)
        filters = W.HBox([self.search, self.year, self.only_errors, self.sort, self.descending],
                         layout=W.Layout(flex_flow="row wrap", align_items="center"))
        header = W.HBox([self.title, self.lang_toggle],
                        layout=W.Layout(justify_content="space-between", align_items="center"))
        self.widget = W.VBox([W.HTML(CSS), header, filters, charts, self.table]).add_class("fap-board")

    def _label(self) -> None:
        lang = self.lang
        self.title.value = (f"{html.escape(tr('title', lang))} <small>({tr('store', lang)}: "
                            f"{html.escape(self.data.store.name)})</small>")
        self.search.placeholder = tr("search", lang)
        self.search.description = ""
        year, sort = self.year.value, self.sort.value
        with self.hold():
            self.year.options = [(tr("all", lang), ALL)] + [(str(y), y) for y in self.data.years]
            self.year.value = year if year is not None else ALL
            self.year.description = tr("year", lang)
            self.sort.options = [(tr(c, lang), c) for c in SORTABLE]
            self.sort.value = sort or "errors"
            self.sort.description = tr("sort", lang)
        self.only_errors.description = tr("only_errors", lang)
        self.descending.description = tr("descending", lang)

    @contextmanager
    def hold(self):
        """Changes inside do not refresh (relabelling the dropdowns)."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def selected(self) -> pd.DataFrame:
        return select(self.data.rows, text=self.search.value, year=self.year.value, only_errors=self.only_errors.value,
                      sort=self.sort.value or "errors", descending=self.descending.value)

    def draw(self, selected: pd.DataFrame) -> None:
        """The three charts of the selected rows (`figures`: their specs, as last drawn)."""
        self.figures = figures(chart_values(self.data, selected, self.lang))
        for output, spec in zip(self.charts, self.figures):
            output.outputs = (figure_output(spec),)

    def refresh(self, relabel: bool = False) -> None:
        """Filters or sort changed: the table, stamped, then the charts redrawn (only when the chosen rows
        changed, not for a new order). The table goes first: the page applies the messages in order, and
        drawing three charts takes it longer than replacing the table."""
        if getattr(self, "_holding", False):
            return
        selected = self.selected()
        chosen = _chosen(selected)
        self.state += 1
        self.table.value = table_html(selected, self.lang, self.state, samples=self.samples)
        if relabel or chosen != self._chosen:
            self._chosen = chosen
            self.draw(selected)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self._label()
        self.refresh(relabel=True)
