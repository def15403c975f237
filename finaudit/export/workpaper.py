"""The audit working paper, in the format asked for."""

from __future__ import annotations

from pathlib import Path

from finaudit.export.html import workpaper_html
from finaudit.export.xlsx import write_workpaper_xlsx
from finaudit.model import Report


def write_workpaper(report: Report, result, path: Path, fmt: str = "xlsx") -> None:
    """The audit working paper as .xlsx (cover, findings, one sheet per table with the cells a finding
    involves highlighted and commented, narrative claims with verdicts) or as one self-contained .html."""
    path = Path(path)
    if fmt == "html":
        path.write_text(workpaper_html(report, result), encoding="utf-8")
    else:
        write_workpaper_xlsx(report, result, path)
