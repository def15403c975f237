"""Spreadsheet safety: no cell written from report text is ever a formula.

openpyxl stores a string that starts with ``=`` as a formula, and Excel evaluates text that starts
with ``+``, ``-``, ``@``, a tab or a carriage return once a user edits the cell (OWASP, "CSV
injection"). Report text — labels, titles, narrative, file names — is input from outside, so every
such cell is made a plain string with Excel's quote prefix: it shows exactly as written and is never
evaluated. Every CSV — the package's tables, the corpus's data package and query results — writes its
text cells through ``csv_cell`` (a leading ``'``, ``finaudit.read.package``); Parquet stays typed.
"""

from __future__ import annotations

import re

import pandas as pd

from finaudit.read.package import FORMULA_START, csv_cell

__all__ = ["csv_cell", "csv_frame", "inert", "printable", "sheet_title"]

#: What a spreadsheet cannot hold (XML 1.0 forbids these control characters; openpyxl refuses them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: What a sheet name may not hold (Excel), and its length.
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_NAME_LENGTH = 31


def printable(text: str) -> str:
    """Given text for a cell or a comment, return it with each control character a spreadsheet cannot hold
    shown as its Unicode picture (\\x01 → ␁): nothing lost, nothing refused."""
    return _CONTROL.sub(lambda found: chr(0x2400 + ord(found[0])), text)


def sheet_title(workbook, wanted: str) -> str:
    """Given a workbook and the name wanted for a new sheet, return a name Excel accepts: without
    ``[ ] : * ? / \\`` and control characters, not beginning or ending with ', at most 31 characters, and
    unique in the workbook (case-insensitive; a number added)."""
    name = _NOT_IN_SHEET_NAME.sub("_", wanted).strip("'").strip() or "sheet"
    name = name[:SHEET_NAME_LENGTH].rstrip("'")
    taken = {title.lower() for title in workbook.sheetnames}
    candidate, n = name, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = name[:SHEET_NAME_LENGTH - len(suffix)] + suffix, n + 1
    return candidate


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Given a frame about to be written as CSV, return it with every text cell through ``csv_cell``."""
    return frame.map(lambda value: csv_cell(value) if isinstance(value, str) else value)


def inert(workbook) -> None:
    """Turn every text cell of `workbook` that a spreadsheet could take for a formula into plain text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
