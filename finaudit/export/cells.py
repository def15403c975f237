"""Spreadsheet safety: no cell written from report text is ever a formula.

openpyxl stores a string that starts with ``=`` as a formula, and Excel evaluates text that starts
with ``+``, ``-``, ``@``, a tab or a carriage return once a user edits the cell (OWASP, "CSV
injection"). Report text — labels, titles, narrative, file names — is input from outside, so every
such cell is made a plain string with Excel's quote prefix: it shows exactly as written and is never
evaluated. The package CSVs do the same with a leading ``'`` (``finaudit.read.package``).
"""

from __future__ import annotations

from finaudit.read.package import FORMULA_START


def inert(workbook) -> None:
    """Turn every text cell of `workbook` that a spreadsheet could take for a formula into plain text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
