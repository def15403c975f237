"""Reading: a published document (text layout, PDF, or a package directory) into a ``Report``.

Holds the loaders, the table templates they match against (``templates.toml``), the narrative's
claim parser, and the round trips (package, text rendering). Imports only ``finaudit.model``,
``finaudit.findings`` and ``finaudit.codes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from finaudit.model import Report, ReportFormatError


def load(path: str | Path | Sequence[str | Path]) -> Report:
    """Load a report, detecting the format: a package directory, a PDF, or the text layout; several
    paths: the files of one document (a 情况说明 and its 报表, ``read.bundle``) read as one report."""
    if not isinstance(path, (str, Path)):
        paths = list(path)
        if len(paths) != 1:
            from finaudit.read.bundle import load_together

            return load_together(paths, load)
        path = paths[0]
    path = Path(path)
    if path.is_dir():
        from finaudit.read.package import read_package

        return read_package(path)
    from finaudit.read.sources import open_regular

    with open_regular(path) as handle:  # a FIFO, a device, nothing: refused here, never read
        head = handle.read(240)
    if path.suffix.lower() == ".pdf" and not head.startswith(b"%PDF-"):
        raise ReportFormatError(str(path), None, "a PDF file (one that starts with %PDF-)", not_pdf(head))
    if head.startswith(b"%PDF-"):
        from finaudit.read.pdf import load_pdf

        return load_pdf(path)
    from finaudit.read.text import load_text

    return load_text(path)


def not_pdf(head: bytes) -> str:
    """Given the first bytes of a file named .pdf that is not a PDF, return what it is instead, in words (never
    its raw bytes)."""
    head = head[:240]
    if not head:
        return "an empty file"
    for encoding in ("utf-16",) if head[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8", "gb18030"):
        text = head.decode(encoding, errors="replace")
        if text.count("\ufffd") <= 1 and all(c.isprintable() or c.isspace() for c in text):
            return f"a text file beginning {' '.join(text.replace(chr(0xFFFD), '').split())[:30]!r} (name a text report .txt)"
    return "binary data that is not a PDF"
