"""Plotly figures for the workbook and the dashboard, and the data frames behind them.

Two layers, kept apart so tests can assert on data rather than pixels:

- ``*_frame`` / ``spending_tree`` / ``node_detail`` / ``headline`` build plain pandas frames (money as
  exact ``Decimal``, ``None`` for a blank cell: blank is not zero) from a Report and an AuditResult;
- ``*_figure`` turn such a frame into a ``plotly.graph_objects.Figure`` (never a widget; the panels
  wrap them).

Labels are Chinese first; every builder takes ``lang`` ("zh" or "en"). Nothing here is imported by
``import finaudit``: plotly is an optional dependency (the ``dashboard`` extra).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from finaudit import codes
from finaudit.findings import SEVERITIES, AuditResult
from finaudit.model import Report, Table, to_decimal
from finaudit.views.labels import LABELS, Text, bracketed, column_label, fmt, table_ref, tr, unit_label

ROOT = "root"

#: 表七 item keys (their names: "three_public.<key>" in the label catalogue, the total's "total"), and the parts
#: that make up the actual (composition).
THREE_PUBLIC_ITEMS = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_running", "reception")
THREE_PUBLIC_PARTS = ("abroad", "vehicle_purchase", "vehicle_running", "reception")

SEVERITY_COLOURS = {"error": "#c0392b", "warning": "#e67e22", "info": "#7f8c8d"}
BUDGET_COLOUR, ACTUAL_COLOUR, FLAG_COLOUR = "#9bb7d4", "#1f4e79", "#c0392b"
BAND_COLOUR, STATED_COLOUR, PRIOR_COLOUR = "#27ae60", "#e67e22", "#b3b6b7"
#: The parts of the 三公 actual, in the dashboard's blues and one warm accent.
PART_COLOURS = {"abroad": "#2e86c1", "vehicle": "#1f4e79", "vehicle_purchase": "#1f4e79",
                "vehicle_running": "#5d8aa8", "reception": "#e0a458"}
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"










def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part ÷ whole in per cent to two places (as ``finaudit.budget.rate``, so a rate reads the same in
    every tab); None when either is blank or the whole is zero."""
    if part is None or whole is None or whole == 0:
        return None
    return (part / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def plain(text) -> str:
    """Report text as a plotly label: plotly renders a subset of HTML in labels, titles and ticks
    (``<a href>``, ``<span style>``, ``<br>``…) and decodes entities, so escaping ``&<>`` shows the text as
    written and makes none of it live."""
    return html.escape(str(text), quote=False)


def _float(value) -> float | None:
    return None if value is None or (not isinstance(value, Decimal) and pd.isna(value)) else float(value)


def three_public_item(key: str, lang: str = "zh") -> str:
    """A 表七 item's name in `lang` (the total: 合计 / Total)."""
    return tr("total" if key == "total" else f"three_public.{key}", lang)


def _unit_suffix(unit: str | None, lang: str) -> str:
    """'（万元）' / ' (10k yuan)'."""
    return bracketed(unit_label(unit, lang), lang)


def _present(value) -> float | None:
    """A float, or None for a blank (None or NaN)."""
    return None if value is None or pd.isna(value) else float(value)


def _layout(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        font={"family": FONT, "size": 12},
        template="plotly_white",
        legend={"orientation": "h", "y": -0.08},
    )
    return fig


# -- spending by function (drill-down) ----------------------------------------------------------
def spending_table(report: Report) -> Table | None:
    """The table behind the drill-down: 表三 支出决算表, else 表五 一般公共预算财政拨款支出决算表."""
    for kind in ("expenditure", "general_budget"):
        table = report.tables.get(kind)
        if table is not None and table.data["code"].notna().any():
            return table
    return None


def _row_amount(table: Table | None, index, column: str) -> Decimal | None:
    if table is None or index is None or column not in table.columns:
        return None
    return to_decimal(table.data.at[index, column])


def _index_by_code(table: Table | None) -> dict[str, int]:
    found: dict[str, int] = {}
    if table is None:
        return found
    for index, code in table.data["code"].items():
        if isinstance(code, str) and code and code not in found:
            found[code] = int(index)
    return found


def _grand_index(table: Table | None) -> int | None:
    if table is None:
        return None
    found = table.rows(key="grand_total")
    return int(found.index[0]) if len(found) else None


def _tree_parent(code: str, present: set[str]) -> str:
    """The nearest ancestor present in the table (by code prefix), else the root."""
    for length in (5, 3):
        if len(code) > length and code[:length] in present:
            return code[:length]
    return ROOT


def spending_tree(report: Report, lang: str = "zh") -> pd.DataFrame:
    """One row per node of the 类 → 款 → 项 tree of spending, plus the root (合计).

    Columns: id, parent, code, name, level (0 root, 1 类, 2 款, 3 项), total, basic, project
    (Decimal as printed, None blank), size (what the treemap draws: the printed total, or the sum
    of the children where that is larger or the total is blank, so an inconsistent table still
    draws), row_index and line (provenance), source (the table kind) and table (its number as cited).
    """
    table = spending_table(report)
    columns = ["id", "parent", "code", "name", "level", "total", "basic", "project", "size", "row_index", "line",
               "source", "table"]
    if table is None:
        return pd.DataFrame(columns=columns)
    by_code = _index_by_code(table)
    present = set(by_code)
    grand = _grand_index(table)
    rows = [{
        "id": ROOT, "parent": "", "code": None, "name": tr("total", lang), "level": 0,
        "total": _row_amount(table, grand, "total"), "basic": _row_amount(table, grand, "basic"),
        "project": _row_amount(table, grand, "project"), "row_index": grand,
        "line": table.source_line(grand) if grand is not None else None, "source": table.kind, "table": table.ordinal,
    }]
    for code, index in by_code.items():
        level = codes.level(code, codes.FUNCTION)
        rows.append({
            "id": code, "parent": _tree_parent(code, present), "code": code,
            "name": str(table.data.at[index, "label"] or ""), "level": level or len(code) // 2,
            "total": _row_amount(table, index, "total"), "basic": _row_amount(table, index, "basic"),
            "project": _row_amount(table, index, "project"), "row_index": index,
            "line": table.source_line(index), "source": table.kind, "table": table.ordinal,
        })
    frame = pd.DataFrame(rows)
    sizes: dict[str, Decimal] = {}
    children: dict[str, list[str]] = {}
    for node, parent in zip(frame["id"], frame["parent"]):
        children.setdefault(parent, []).append(node)
    totals = dict(zip(frame["id"], frame["total"]))

    def size(node: str) -> Decimal:
        if node not in sizes:
            below = sum((size(child) for child in children.get(node, [])), Decimal(0))
            own = totals.get(node)
            sizes[node] = max(own if own is not None and own > 0 else Decimal(0), below)
        return sizes[node]

    frame["size"] = [size(node) for node in frame["id"]]
    return frame[columns]


def tree_path(tree: pd.DataFrame, node: str) -> list[str]:
    """The ids from the root down to `node` (the breadcrumb)."""
    parents = dict(zip(tree["id"], tree["parent"]))
    path = [node]
    while path[-1] in parents and parents[path[-1]] and len(path) < 10:
        path.append(parents[path[-1]])
    return list(reversed(path))


def treemap_figure(tree: pd.DataFrame, lang: str = "zh", unit: str | None = "万元") -> go.Figure:
    """The spending treemap: ids are the codes (root "root"), values the node sizes."""
    labels = [plain(name if node == ROOT else f"{node} {name}") for node, name in zip(tree["id"], tree["name"])]
    custom = [[fmt(t) or tr("blank", lang), fmt(b), fmt(p)] for t, b, p in zip(tree["total"], tree["basic"],
                                                                             tree["project"])]
    hover = (f"%{{label}}<br>{tr('total', lang)} %{{customdata[0]}}<br>{tr('basic', lang)} %{{customdata[1]}}"
             f"<br>{tr('project', lang)} %{{customdata[2]}}<extra></extra>")
    fig = go.Figure(go.Treemap(
        ids=list(tree["id"]), labels=labels, parents=list(tree["parent"]),
        values=[float(v) for v in tree["size"]], branchvalues="total", customdata=custom,
        hovertemplate=hover, texttemplate="%{label}<br>%{customdata[0]}", maxdepth=3,
        pathbar={"visible": False}, marker={"colorscale": "Blues", "colors": [len(str(i)) for i in tree["id"]]},
        sort=True,
    ))
    title = f"{tr('spending_by_function', lang)}{_unit_suffix(plain(unit) if unit else unit, lang)}"
    if len(tree) and tree["source"].iloc[0] == "general_budget":  # the fallback table: named in the title
        title += bracketed(table_ref(tree["table"].iloc[0], lang), lang)
    _layout(fig, title, height=460)
    if not len(tree):  # no table of spending by function (a 情况说明 alone): say so, not a blank square
        fig.add_annotation(text=tr("no_data", lang), xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                           font={"size": 15})
    # no fixed width: the chart takes its container's; text too small for its sector is hidden
    fig.update_layout(margin={"l": 4, "r": 4, "t": 50, "b": 4}, autosize=True,
                      uniformtext={"minsize": 10, "mode": "hide"})
    return fig


@dataclass
class NodeDetail:
    """What the drill-down shows for one node of the spending tree."""

    node: str
    code: str | None
    name: str
    path: list[str]
    amounts: dict[str, Decimal | None]  # total, basic, project of the node
    children: pd.DataFrame  # code, name, total, basic, project
    income: pd.DataFrame  # column, label, amount: 表二 row of the same code (non-blank cells)
    fiscal: dict[str, Decimal | None]  # general (表五), all (表三), share (per cent)
    budget: pd.DataFrame  # finaudit.budget rows for this code (may be empty)
    findings: pd.DataFrame  # rows of AuditResult.to_frame() whose cells are on this code's row
    source: str = "expenditure"
    notes: list[str] = field(default_factory=list)


def findings_on_row(result: AuditResult | None, row: str, kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Findings with a cell on the row `row` (a code, or a label such as 合计); index = finding number."""
    if result is None:
        return pd.DataFrame()
    frame = result.to_frame()
    hits = [i for i, f in enumerate(result.findings)
            if any(c.row == row and (kinds is None or c.kind in kinds) for c in f.cells)]
    return frame.loc[hits]


def node_detail(report: Report, result: AuditResult | None, node: str, *, budget: pd.DataFrame | None = None,
                tree: pd.DataFrame | None = None, lang: str = "zh") -> NodeDetail:
    """The detail of one node (a function code, or ROOT for the whole table)."""
    tree = spending_tree(report, lang) if tree is None else tree
    if node not in set(tree["id"]):
        node = ROOT
    nodes = tree.set_index("id")
    # (no table of spending by function, a 情况说明 alone: the tree is empty, its root blank)
    row = nodes.loc[node] if node in nodes.index else {
        "name": tr("total", lang), "total": None, "basic": None, "project": None, "source": ""}
    code = None if node == ROOT else node
    kids = tree[tree["parent"] == node][["code", "name", "total", "basic", "project"]].reset_index(drop=True)

    def index_for(table: Table | None) -> int | None:
        return _grand_index(table) if code is None else _index_by_code(table).get(code)

    income_table = report.tables.get("income")
    income_rows = []
    at = index_for(income_table)
    if at is not None:
        for column in income_table.columns:
            value = to_decimal(income_table.data.at[at, column])
            if value is not None:
                income_rows.append({"column": column, "label": column_label(income_table, column, lang),
                                    "amount": value})
    income = pd.DataFrame(income_rows, columns=["column", "label", "amount"])

    general_table, all_table = report.tables.get("general_budget"), report.tables.get("expenditure")
    general = _row_amount(general_table, index_for(general_table), "total")
    whole = _row_amount(all_table, index_for(all_table), "total")
    fiscal = {"general": general, "all": whole, "share": percent(general, whole)}

    if budget is not None and len(budget) and code is not None:
        budget_rows = budget[budget["code"].astype("string").fillna("") == code].reset_index(drop=True)
    else:
        budget_rows = pd.DataFrame(columns=list(budget.columns) if budget is not None else [])

    if code is None:
        label = None
        spend = spending_table(report)
        if spend is not None and (grand := _grand_index(spend)) is not None:
            label = str(spend.data.at[grand, "label"] or "")
        hits = findings_on_row(result, label or "合计", ("income", "expenditure", "general_budget"))
    else:
        hits = findings_on_row(result, code)
    return NodeDetail(
        node=node, code=code, name=str(row["name"]), path=tree_path(tree, node),
        amounts={"total": row["total"], "basic": row["basic"], "project": row["project"]},
        children=kids, income=income, fiscal=fiscal, budget=budget_rows, findings=hits, source=str(row["source"]),
    )


# -- headline figures ---------------------------------------------------------------------------
def _keyed(report: Report, kind: str, key: str, column: str = "total") -> Decimal | None:
    table = report.tables.get(kind)
    if table is None or column not in table.columns:
        return None
    found = table.rows(key=key)
    return to_decimal(found.iloc[0][column]) if len(found) else None


def headline(report: Report, result: AuditResult | None) -> pd.DataFrame:
    """The managers' headline figures, one row each: key, value (Decimal or int), source (the printed
    number of the table it comes from, None for counts).

    收入/支出 totals come from 表一 where printed, else from 表二/表三 合计; the 基本/项目 split from
    表三 (else 表五); 三公 from 表七 (a budget: 预算数 and 机关运行经费 of its 三公 table); findings counted by
    severity. ``unit``: the unit of the table each figure comes from (a budget prints 元 and 三公 in 万元).
    """
    rows = []

    def first(key: str, candidates) -> None:
        for kind, row_key, column in candidates:
            value = _keyed(report, kind, row_key, column)
            if value is not None:
                table = report.tables[kind]
                rows.append({"key": key, "value": value, "source": table.ordinal, "unit": table.unit or report.meta.unit})
                return
        rows.append({"key": key, "value": None, "source": None, "unit": None})

    first("income_total", [("summary", "income_total", "total"), ("income", "grand_total", "total")])
    first("expenditure_total", [("summary", "expenditure_total", "total"), ("expenditure", "grand_total", "total")])
    for part in ("basic", "project"):
        first(part, [("expenditure", "grand_total", part), ("general_budget", "grand_total", part)])
    first("three_public_budget", [("three_public", "total", "budget")])
    first("three_public_actual", [("three_public", "total", "actual")])
    first("operating_costs", [("three_public", "operating_costs", "budget")])  # a budget's 机关运行经费
    counts = result.counts if result is not None else {s: 0 for s in SEVERITIES}
    roots = result.root_counts if result is not None else counts
    for severity in SEVERITIES:
        rows.append({"key": severity, "value": counts[severity], "source": None, "unit": None})
        rows.append({"key": f"{severity}_roots", "value": roots[severity], "source": None, "unit": None})
    # (objects: a blank stays None and a count an int where no figure is printed, not NaN and 7.0)
    figures = pd.DataFrame(rows, columns=["key", "value", "source", "unit"], dtype=object)
    figures.attrs["document"] = report.meta.kind
    return figures


def headline_figure(figures: pd.DataFrame, lang: str = "zh", unit: str | None = "万元") -> go.Figure:
    """Four small charts side by side: 收入/支出, 基本/项目, 三公 预算/决算 (a budget: 预算 only),
    findings by severity."""
    value = dict(zip(figures["key"], figures["value"]))
    is_budget = figures.attrs.get("document") == "budget"
    fig = make_subplots(
        rows=1, cols=4, specs=[[{"type": "xy"}, {"type": "domain"}, {"type": "xy"}, {"type": "xy"}]],
        subplot_titles=[tr("income_vs_expenditure", lang), tr("basic_project", lang),
                        tr("tp_budget" if is_budget else "tp_budget_actual", lang), tr("findings_by_severity", lang)],
        horizontal_spacing=0.07,
    )
    pair = [tr("income", lang), tr("expenditure", lang)]
    amounts = [value.get("income_total"), value.get("expenditure_total")]
    fig.add_trace(go.Bar(x=pair, y=[_float(v) for v in amounts], text=[fmt(v) for v in amounts],
                         marker_color=["#2e86c1", "#1f4e79"], showlegend=False, name=""), row=1, col=1)
    split = [value.get("basic"), value.get("project")]
    if any(v for v in split):
        # the labels inside the ring (outside, they were drawn over the next chart and the title); a slice too
        # thin for its name shows its share, the name is in its hover
        whole = sum(_float(v) or 0 for v in split) or 1
        fig.add_trace(go.Pie(labels=[tr("basic", lang), tr("project", lang)], values=[_float(v) or 0 for v in split],
                             hole=0.45, sort=False, marker={"colors": ["#1f4e79", "#9bb7d4"]},
                             texttemplate=["%{label}<br>%{percent}" if (_float(v) or 0) / whole >= 0.15 else "%{percent}"
                                           for v in split],
                             textposition="inside", showlegend=False, name=""), row=1, col=2)
    columns = ("budget",) if is_budget else ("budget", "actual")  # a budget has no actual
    tp = [value.get(f"three_public_{c}") for c in columns]
    fig.add_trace(go.Bar(x=[tr(c, lang) for c in columns], y=[_float(v) or 0 for v in tp],
                         text=[fmt(v) or tr("blank", lang) for v in tp],
                         marker_color=[BUDGET_COLOUR, ACTUAL_COLOUR][:len(columns)], showlegend=False, name=""),
                  row=1, col=3)
    fig.add_trace(go.Bar(x=[tr(s, lang) for s in SEVERITIES], y=[int(value.get(s) or 0) for s in SEVERITIES],
                         text=[str(int(value.get(s) or 0)) for s in SEVERITIES],
                         marker_color=[SEVERITY_COLOURS[s] for s in SEVERITIES], showlegend=False, name=""),
                  row=1, col=4)
    fig.update_traces(textposition="outside", cliponaxis=False, selector={"type": "bar"})
    _layout(fig, "", height=300)
    fig.update_yaxes(tickformat=",", rangemode="tozero")  # 200,000,000 (元), never plotly's 200M; no axis below 0
    for col, values in ((1, amounts), (3, tp), (4, [value.get(s) for s in SEVERITIES])):
        if not any(_float(v) for v in values):  # all zero or blank: 0…1, not plotly's −1…1
            fig.update_yaxes(range=[0, 1], showticklabels=False, row=1, col=col)
    if not any(int(value.get(s) or 0) for s in SEVERITIES):
        fig.add_annotation(text=tr("no_findings_at_all", lang), xref="x domain", yref="y domain", x=0.5, y=0.55,
                           showarrow=False, font={"size": 15, "color": SEVERITY_COLOURS["info"]}, row=1, col=4)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10}, title=None)
    fig.update_annotations(font_size=13)
    return fig


# -- three public expenses ----------------------------------------------------------------------
def three_public_frame(report: Report, details: pd.DataFrame | None = None) -> pd.DataFrame:
    """表七 by item: label (中文; ``three_public_item`` names it in either language), budget, actual (Decimal, None blank), rate (actual ÷ budget, %),
    share (of the actual total of the parts, %; in a budget document, which has no actual: of the
    budget), indexed by item key; ``attrs["document"]``: the document's kind.

    `details` (``finaudit.budget.three_public(report)``) adds the narrative's stated change, the
    derived prior year and the counts and unit figures, where stated.
    """
    table = report.tables.get("three_public")
    rows = []
    for key in THREE_PUBLIC_ITEMS:
        budget = _keyed(report, "three_public", key, "budget") if table is not None else None
        actual = _keyed(report, "three_public", key, "actual") if table is not None else None
        rows.append({"key": key, "label": three_public_item(key), "budget": budget, "actual": actual,
                     "rate": percent(actual, budget)})
    frame = pd.DataFrame(rows).set_index("key")
    parts = _composition(frame, "budget" if report.meta.kind == "budget" else "actual")
    whole = sum((v for v in parts.values() if v is not None), Decimal(0))
    frame["share"] = [percent(parts.get(k), whole) if k in parts else None for k in frame.index]
    if details is not None and len(details):
        if "key" in details.columns:
            details = details.set_index("key")
        extra = details.drop(columns=[c for c in ("label", "budget", "actual") if c in details.columns])
        frame = frame.join(extra, how="left")
        frame = frame.astype(object).where(frame.notna(), None)
    frame.attrs["document"] = report.meta.kind
    frame.attrs["unit"] = (table.unit if table is not None else None) or report.meta.unit  # a budget: 万元, not 元
    return frame


def _composition(frame: pd.DataFrame, column: str = "actual") -> dict[str, Decimal | None]:
    """The parts of the actual (or the budget): abroad, vehicle purchase and running (or the vehicle line
    when they are not printed), reception."""
    parts = {k: frame.at[k, column] for k in THREE_PUBLIC_PARTS}
    if parts["vehicle_purchase"] is None and parts["vehicle_running"] is None:
        parts.pop("vehicle_purchase"), parts.pop("vehicle_running")
        parts["vehicle"] = frame.at["vehicle", column]
    return parts


def three_public_figure(frame: pd.DataFrame, lang: str = "zh", unit: str | None = None) -> go.Figure:
    """预算数 vs 决算数 per item, and the composition of the actual as a donut (its legend names the
    parts; the percentages sit inside). A budget document (``frame.attrs["document"]``) has no actual:
    预算数 only, beside the prior year where the document states it, and the budget's composition.
    `unit`: by default the 三公 table's own (``frame.attrs["unit"]``)."""
    unit = unit or frame.attrs.get("unit") or "万元"
    items = [k for k in ("abroad", "vehicle_purchase", "vehicle_running", "reception") if k in frame.index]
    names = [three_public_item(k, lang) for k in items]
    is_budget = frame.attrs.get("document") == "budget"
    measure = "budget" if is_budget else "actual"
    fig = make_subplots(rows=1, cols=2, specs=[[{"type": "xy"}, {"type": "domain"}]], column_widths=[0.6, 0.4],
                        horizontal_spacing=0.08,
                        subplot_titles=[tr("tp_budget" if is_budget else "tp_budget_actual", lang) + _unit_suffix(unit, lang),
                                        tr("tp_composition_budget" if is_budget else "tp_composition", lang)])
    bars = [("budget", BUDGET_COLOUR), ("actual", ACTUAL_COLOUR)]
    if is_budget:
        stated_prior = "prior" in frame and any(frame.at[k, "prior"] is not None for k in items)
        bars = [("prior", PRIOR_COLOUR)] * stated_prior + [("budget", BUDGET_COLOUR)]
    for column, colour in bars:
        values = [frame.at[k, column] for k in items]
        fig.add_trace(go.Bar(name=tr(column, lang), x=names, y=[_float(v) or 0 for v in values],
                             text=[fmt(v) or tr("blank", lang) for v in values], textposition="outside",
                             cliponaxis=False, marker_color=colour, legendgroup="bars"), row=1, col=1)
    parts = {k: v for k, v in _composition(frame, measure).items() if v}
    if parts:
        fig.add_trace(go.Pie(labels=[three_public_item(k, lang) for k in parts],
                             values=[float(v) for v in parts.values()], hole=0.45, sort=False,
                             marker={"colors": [PART_COLOURS[k] for k in parts]}, textinfo="percent",
                             textposition="inside", insidetextorientation="horizontal", legendgroup="parts",
                             name=tr("tp_composition_budget" if is_budget else "tp_composition", lang),
                             domain={"x": [0.66, 1.0], "y": [0.12, 0.86]}),
                      row=1, col=2)
    else:
        fig.add_annotation(text=f"{tr(measure, lang)}{tr('colon', lang)}{tr('no_data', lang)}", x=0.82, y=0.5, xref="paper",
                           yref="paper", showarrow=False, font={"size": 14})
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=unit_label(unit, lang), row=1, col=1)
    _layout(fig, tr("three_public", lang), height=420)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 80, "b": 10}, legend={"orientation": "h", "y": -0.12},
                      uniformtext={"minsize": 10, "mode": "hide"})  # a sliver's percentage is in its hover
    return fig


# -- budget against actual ------------------------------------------------------------------------
def short_name(name: str | None) -> str:
    """The 项 of a narrative name such as '一般公共服务（类）…（款）行政运行（项）' → '行政运行'."""
    text = str(name or "")
    parts = [p for p in re.split(r"[（(](?:类|款|项)[)）]", text) if p.strip()]
    return parts[-1].strip() if parts else text


def rate_differs(stated: Decimal | None, recomputed: Decimal | None, tolerance: Decimal = Decimal("0.01")) -> bool:
    """The stated 完成率 differs from the recomputed one by more than the last printed place (a stated rate
    without a recomputable one also differs)."""
    if stated is None or (not isinstance(stated, Decimal) and pd.isna(stated)):
        return False
    if recomputed is None or (not isinstance(recomputed, Decimal) and pd.isna(recomputed)):
        return True
    return abs(Decimal(stated) - Decimal(recomputed)) > tolerance


def three_public_name(name: str, lang: str = "zh") -> str:
    """A 三公 row of budget against actual: its name as the document prints it, in English the catalogue's name
    of the item where the printed name is a standard one (spaces aside), else the document's own (its content)."""
    printed = short_name(name or "")
    key = _THREE_PUBLIC_BY_NAME.get(re.sub(r"\s+", "", printed))
    return Text(printed, three_public_item(key, "en")).get(lang) if key else printed


_THREE_PUBLIC_BY_NAME = {LABELS[f"three_public.{k}"].zh: k for k in THREE_PUBLIC_ITEMS} | {LABELS["total"].zh: "total"}


def budget_items_frame(flagged: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The rows of ``finaudit.budget.flag(budget_vs_actual(report))`` ready to chart: an item label,
    budget/actual/rate as float (NaN for blank), and the flag."""
    frame = flagged.copy()
    frame["item"] = [
        tr("three_public_row", lang).format(name=three_public_name(name, lang)) if source == "three_public"
        else f"{code} {short_name(name)}" if isinstance(code, str) and code else short_name(name)
        for code, name, source in zip(frame["code"], frame["name"], frame["source"])
    ]
    for column in ("budget", "actual", "rate", "stated_rate"):
        frame[column + "_f"] = [_float(v) for v in frame[column]]
    if "flagged" not in frame:
        frame["flagged"] = False
    return frame


def rate_axis_limit(rates, low: float, high: float) -> float:
    """Where the 完成率 axis ends: past the threshold band and the ordinary rates, but not stretched by
    an outlier (a 项 at 7169% would squeeze every other rate into a few pixels)."""
    values = sorted(v for v in map(_present, rates) if v is not None)
    ordinary = values[int(len(values) * 0.85)] if values else high  # the 85th percentile
    return float(max(high * 1.25, min(ordinary * 1.1, high * 2.5), 100))


def budget_actual_figure(items: pd.DataFrame, low: float = 80, high: float = 120, lang: str = "zh",
                         unit: str | None = "万元") -> go.Figure:
    """Bars of budget vs actual per item (in the report's unit), and the 完成率 in % with the threshold
    band; flagged items in red; a rate beyond the axis is drawn to its end with a ▶ and its value."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.58, 0.42], horizontal_spacing=0.03,
                        subplot_titles=[f"{tr('budget', lang)} / {tr('actual', lang)}{_unit_suffix(unit, lang)}",
                                        f"{tr('rate', lang)} (%)"])
    labels = [plain(item) for item in items["item"]]
    flagged = list(items["flagged"])
    fig.add_trace(go.Bar(name=tr("budget", lang), y=labels, x=list(items["budget_f"]), orientation="h",
                         marker_color=BUDGET_COLOUR), row=1, col=1)
    fig.add_trace(go.Bar(name=tr("actual", lang) + bracketed(tr("within", lang), lang),
                         y=labels, x=[v if not f else None for v, f in zip(items["actual_f"], flagged)],
                         orientation="h", marker_color=ACTUAL_COLOUR, legendgroup="within", offsetgroup="actual"),
                  row=1, col=1)
    fig.add_trace(go.Bar(name=tr("actual", lang) + bracketed(tr("flagged", lang), lang),
                         y=labels, x=[v if f else None for v, f in zip(items["actual_f"], flagged)],
                         orientation="h", marker_color=FLAG_COLOUR, legendgroup="flagged", offsetgroup="actual"),
                  row=1, col=1)
    rates = [_present(v) for v in items["rate_f"]]
    limit = rate_axis_limit(rates + list(items["stated_rate_f"]), low, high)
    beyond = [v is not None and v > limit for v in rates]
    shown = [None if v is None else min(v, limit) for v in rates]
    text = ["" if v is None else f"{v:,.2f}%" + (" ▶" if out else "") for v, out in zip(rates, beyond)]
    # one trace per colour (flagged first): plotly.js draws a hatch ("/", a rate beyond the axis) on bars whose
    # colour is an array with "Invalid color specifier" console warnings, once per bar and redraw. A set width and
    # offset keep the two out of the grouping of the shared y axis (each would take a third of the row)
    for shown_flagged, colour in ((True, FLAG_COLOUR), (False, ACTUAL_COLOUR)):
        mine = [f == shown_flagged for f in flagged]
        if not any(mine):
            continue
        fig.add_trace(go.Bar(y=labels, x=[v if m else None for v, m in zip(shown, mine)], orientation="h",
                             showlegend=False, marker_color=colour, width=0.8, offset=-0.4,  # not grouped
                             marker_pattern_shape=["/" if out and m else "" for out, m in zip(beyond, mine)],
                             text=[t if m else "" for t, m in zip(text, mine)],
                             textposition=["inside" if out else "outside" for out in beyond],
                             insidetextanchor="end", cliponaxis=False, name=tr("rate", lang),
                             hovertemplate="%{y}: %{text}<extra></extra>"), row=1, col=2)
    if any(beyond):
        fig.add_trace(go.Bar(name=tr("clipped", lang), y=[None], x=[None], marker_color="#ffffff",
                             marker_line_color=FLAG_COLOUR, marker_line_width=1, marker_pattern_shape="/"),
                      row=1, col=2)
    if items["stated_rate_f"].notna().any():
        stated = [None if v is None else min(v, limit) for v in map(_present, items["stated_rate_f"])]
        fig.add_trace(go.Scatter(name=tr("stated_rate", lang), y=labels, x=stated, mode="markers",
                                 marker={"symbol": "diamond", "size": 10, "color": STATED_COLOUR}), row=1, col=2)
    fig.add_vrect(x0=low, x1=high, fillcolor=BAND_COLOUR, opacity=0.15, line_width=0, row=1, col=2)
    # the band in the legend (a shape has no legend entry of its own)
    fig.add_trace(go.Scatter(name=f"{tr('threshold', lang)} {low:g}%–{high:g}%", x=[None], y=[None], mode="markers",
                             marker={"symbol": "square", "size": 12, "color": BAND_COLOUR, "opacity": 0.4}),
                  row=1, col=2)
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, limit], ticksuffix="%", row=1, col=2)
    fig.update_xaxes(title_text=unit_label(unit, lang), row=1, col=1)
    height = max(420, 200 + 34 * len(labels))
    _layout(fig, tr('budget_vs_actual', lang) + bracketed(f"{tr('threshold', lang)} {low:g}%–{high:g}%", lang), height=height)
    # the legend under the axes, where it covers neither the subplot titles nor the bars
    plot = height - 80 - 130  # the plotting area: legend positions are fractions of it
    fig.update_layout(legend={"orientation": "h", "y": -62 / plot, "yanchor": "top", "x": 0, "xanchor": "left"},
                      margin={"l": 10, "r": 30, "t": 80, "b": 130})
    return fig


# -- findings and table cells -------------------------------------------------------------------
def findings_frame(result: AuditResult, *, severity=None, table=None, rule=None) -> pd.DataFrame:
    """AuditResult.to_frame() filtered by severity, table number and rule code (each a value, a
    collection of values, or None for all); the index is the finding's number in result.findings."""
    frame = result.to_frame()
    for column, wanted in (("severity", severity), ("table", table), ("code", rule)):
        if wanted is None or wanted == () or wanted == []:
            continue
        values = {wanted} if isinstance(wanted, (str, int)) else set(wanted)
        frame = frame[frame[column].isin(values)]
    return frame


def finding_cells(result: AuditResult, number: int) -> pd.DataFrame:
    """The cells finding `number` involves: table, kind, row, column, value, line, page, row_index."""
    finding = result.findings[number]
    return pd.DataFrame([c._asdict() for c in finding.cells],
                        columns=["table", "kind", "row", "column", "value", "line", "page", "row_index"])


def marked_cells(result: AuditResult | None) -> dict[tuple[str, int, str], list[int]]:
    """(table kind, row index, column) → the numbers of the findings that involve the cell."""
    marks: dict[tuple[str, int, str], list[int]] = {}
    if result is None:
        return marks
    for number, finding in enumerate(result.findings):
        for cell in finding.cells:
            if cell.row_index is None or cell.column is None:
                continue
            marks.setdefault((cell.kind, int(cell.row_index), cell.column), []).append(number)
    return marks
