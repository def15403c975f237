"""Spreadsheet safety: no cell written from report text is ever a formula.

openpyxl stores a string that starts with ``=`` as a formula, and Excel evaluates text that starts
with ``+``, ``-``, ``@``, a tab or a carriage return once a user edits the cell (OWASP, "CSV
injection"). Report text — labels, titles, narrative, file names — is input from outside, so every
such cell is made a plain string with Excel's quote prefix: it shows exactly as written and is never
evaluated. Every CSV — the package's tables, the corpus's data package and query results — writes its
text cells through ``csv_cell`` (a leading ``'``, ``finaudit.read.package``); Parquet stays typed.
"""

from __future__ import annotations

import pandas as pd

from finaudit.read.package import FORMULA_START, csv_cell

__all__ = ["csv_cell", "csv_frame", "inert"]


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
