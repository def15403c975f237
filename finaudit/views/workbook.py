"""The audit workbook's steps (notebooks/audit_workbook.ipynb), one function per notebook cell.

The text that nbval checks comes from the engine (``Report.control_totals``, ``audit.findings_by_rule``,
``budget.three_public``); this module only shows things."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W

from finaudit.views.budget_panel import BudgetPanel
from finaudit.views.drilldown import DrillDown
from finaudit.views.findings_panel import FindingsPanel
from finaudit.views.loading import Loaded, load_report
from finaudit.views.markup import CSS
from finaudit.views.three_public import ThreePublicPanel


def load(path: str | Path) -> Loaded:
    """Load and audit the report at `path`."""
    return load_report(path)


def describe(loaded: Loaded) -> W.HTML:
    """The report's identity: department, year, source, hash, coverage, load warnings."""
    meta, report = loaded.report.meta, loaded.report
    rows = [("部门 department", meta.department), ("年度 year", meta.year), ("单位 unit", meta.unit),
            ("来源 source", meta.source), ("SHA-256", meta.sha256), ("覆盖 coverage", report.coverage().summary()),
            ("读取警告 load warnings", len(report.warnings)), ("表 tables", len(report.tables))]
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
    return W.HTML(CSS + f'<table class="fau-table">{body}</table>')


def findings(loaded: Loaded) -> W.Widget:
    return FindingsPanel(loaded).widget


def drilldown(loaded: Loaded) -> W.Widget:
    return DrillDown(loaded).widget


def budget_against_actual(loaded: Loaded) -> W.Widget:
    return BudgetPanel(loaded).widget


def three_public(loaded: Loaded) -> W.Widget:
    return ThreePublicPanel(loaded).widget


def export_workpaper(loaded: Loaded, path: str | Path, fmt: str = "xlsx") -> str:
    """Write the working paper (``finaudit.export.workpaper``) and say where."""
    from finaudit.export.workpaper import write_workpaper

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_workpaper(loaded.report, loaded.result, path, fmt)
    return f"wrote {path} ({path.stat().st_size:,} bytes)"
