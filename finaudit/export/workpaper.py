"""The audit working paper, in the format asked for."""

from __future__ import annotations

from pathlib import Path

from finaudit.export.html import workpaper_html
from finaudit.export.xlsx import write_workpaper_xlsx
from finaudit.model import Report


def write_workpaper(report: Report, result, path: Path, fmt: str = "xlsx", ledger=None) -> None:
    """The audit working paper as .xlsx (cover, findings with the review ledger's status, reason and note,
    one sheet per table with the cells a finding involves highlighted and commented, narrative claims with
    verdicts, budget against actual, 三公) or as one self-contained .html. `ledger`: a
    ``finaudit.ledger.Ledger`` (None: every finding 待复核)."""
    path = Path(path)
    entries = ledger.reload().entries if ledger is not None else {}
    if fmt == "html":
        path.write_text(workpaper_html(report, result, entries), encoding="utf-8")
    else:
        write_workpaper_xlsx(report, result, path, entries)
