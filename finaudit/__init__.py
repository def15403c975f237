"""finaudit: load and audit Chinese department final-accounts disclosures (部门决算公开)."""

from __future__ import annotations

from pathlib import Path

from finaudit.model import TABLE_KINDS, LoadWarning, Report, ReportFormatError, Table

__version__ = "0.1.0"
__all__ = ["TABLE_KINDS", "LoadWarning", "Report", "ReportFormatError", "Table", "load", "__version__"]


def load(path: str | Path) -> Report:
    """Load a report, detecting the format: a package directory, a PDF, or the text layout."""
    path = Path(path)
    if path.is_dir():
        from finaudit.package import read_package

        return read_package(path)
    if not path.exists():
        raise ReportFormatError(str(path), None, "an existing file or package directory", "nothing at that path")
    with path.open("rb") as handle:
        head = handle.read(5)
    if head == b"%PDF-" or path.suffix.lower() == ".pdf":
        from finaudit.pdflayout import load_pdf

        return load_pdf(path)
    from finaudit.textlayout import load_text

    return load_text(path)
