"""Reading: a published document (text layout, PDF, or a package directory) into a ``Report``.

Holds the loaders, the table templates they match against (``templates.toml``), the narrative's
claim parser, and the round trips (package, text rendering). Imports only ``finaudit.model``,
``finaudit.findings`` and ``finaudit.codes``.
"""

from __future__ import annotations

from pathlib import Path

from finaudit.model import Report, ReportFormatError


def load(path: str | Path) -> Report:
    """Load a report, detecting the format: a package directory, a PDF, or the text layout."""
    path = Path(path)
    if path.is_dir():
        from finaudit.read.package import read_package

        return read_package(path)
    if not path.exists():
        raise ReportFormatError(str(path), None, "an existing file or package directory", "nothing at that path")
    with path.open("rb") as handle:
        head = handle.read(5)
    if head == b"%PDF-" or path.suffix.lower() == ".pdf":
        from finaudit.read.pdf import load_pdf

        return load_pdf(path)
    from finaudit.read.text import load_text

    return load_text(path)
