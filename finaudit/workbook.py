"""The audit workbook's steps (notebooks/audit_workbook.ipynb), one function per notebook cell: the top of the
package (it shows the views and writes the export).

The text that nbval checks comes from the engine (``Report.control_totals``, ``audit.findings_by_rule``,
``budget.three_public``, ``ledger.summary``); this module only shows things."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W
import pandas as pd

from finaudit import ledger as review
from finaudit.export.workpaper import write_workpaper
from finaudit.views.budget_panel import BudgetPanel
from finaudit.views.drilldown import DrillDown
from finaudit.views.findings_panel import FindingsPanel
from finaudit.views.loading import DEFAULT_REPORT, Loaded, load_report, sample_reports, workpaper_path
from finaudit.views.markup import CSS
from finaudit.views.three_public import ThreePublicPanel


def load(path: str | Path | None = None) -> Loaded:
    """Load and audit the report at `path` (relative to the current directory); None: the bundled sample."""
    if path is None:
        path = sample_reports()[DEFAULT_REPORT]
    return load_report(path)


def describe(loaded: Loaded) -> W.HTML:
    """The report's identity: department, year, source, hash, coverage, load warnings, the ledger."""
    from finaudit.read.claims import coverage

    meta, report = loaded.report.meta, loaded.report
    claims = coverage(report)
    kind = f"{'单位' if meta.scope == 'unit' else '部门'}{meta.kind_zh} {meta.scope or 'department'} {meta.kind}"
    rows = [("部门 department", meta.department), ("预算单位 budget unit", meta.unit_name), ("文件 document", kind),
            ("年度 year", meta.year), ("金额单位 money unit", meta.unit),
            ("来源 source", meta.source), ("SHA-256", meta.sha256), ("覆盖 coverage", report.coverage().summary()),
            ("文中数字 narrative figures", f"{claims.bound} / {claims.amounts} 已对应陈述 bound to a claim"),
            ("读取警告 load warnings", len(report.warnings)), ("表 tables", len(report.tables)),
            ("复核台账 review ledger", loaded.ledger.path if loaded.ledger else "—")]
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
    return W.HTML(CSS + f'<table class="fau-table">{body}</table>')


def narrative_figures(loaded: Loaded) -> pd.DataFrame:
    """The amounts and percentages of the narrative that no claim states (``read.claims.coverage``): each with
    its section, page or line and sentence, for the auditor to read by hand."""
    from finaudit.read.claims import coverage

    rows = [(u.section or u.title, "—" if u.page is None else u.page, "—" if u.line is None else u.line, u.figure,
             u.excerpt()) for u in coverage(loaded.report).unbound]
    return pd.DataFrame(rows, columns=["节 section", "页 page", "行 line", "数字 figure", "上下文 context"])


def review_against_ledger(loaded: Loaded) -> pd.DataFrame:
    """Note this run in the review ledger beside the report and show what is new, still open and
    resolved since the findings were last seen, by the auditor's judgment."""
    if loaded.ledger is None:
        return pd.DataFrame()
    return review.summary(loaded.ledger.record(loaded.result))


def findings(loaded: Loaded) -> W.Widget:
    """The findings panel with the review controls (status, reason, note → the ledger)."""
    return FindingsPanel(loaded, editable=True).widget


def drilldown(loaded: Loaded) -> W.Widget:
    return DrillDown(loaded).widget


def budget_against_actual(loaded: Loaded) -> W.Widget:
    return BudgetPanel(loaded).widget


def three_public(loaded: Loaded) -> W.Widget:
    return ThreePublicPanel(loaded).widget


def export_workpaper(loaded: Loaded, path: str | Path | None = None, fmt: str = "xlsx") -> str:
    """Write the working paper (``finaudit.export.workpaper``) with the ledger's judgments and say where;
    None: out/<report>-workpaper.xlsx in the project."""
    path = Path(path) if path is not None else workpaper_path(loaded, f".{fmt}")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_workpaper(loaded.report, loaded.result, path, fmt, ledger=loaded.ledger)
    return f"wrote {path.resolve()} ({path.stat().st_size:,} bytes)"
