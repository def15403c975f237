"""Citations: one place renders where something is printed — a table, a column, a line or page, a cell, a
narrative section — from the structured location (numbers, keys), in either language (a ``Text``).

A message, a panel, a sheet and a published page cite through these functions; none writes 表3 or 第717行 by
hand. The words are the label catalogue's (``finaudit.words.LABELS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from finaudit.model import COLUMN_NAMES_EN, kind_name
from finaudit.words import LABELS, Text, chinese_numeral

if TYPE_CHECKING:
    from finaudit.model import Report, Table

NOWHERE = Text("", "")


def position(line: int | None, page: int | None) -> Text:
    """第717行 / line 717 (a text layout), 第3页 / page 3 (a PDF); nothing where neither is known."""
    for number, key in ((line, "at_line"), (page, "at_page")):
        if number is not None and number == number and number:  # number == number: not NaN (a frame's blank)
            return LABELS[key].format(n=int(number))
    return NOWHERE


def table(number: int | str | None) -> Text:
    """表三 / Table 3 for a printed table number (as a message names it), 情况说明 / Narrative for the narrative;
    nothing for none."""
    if number == "narrative":
        return LABELS["narrative"]
    if isinstance(number, str):
        number = int(number) if number.isdigit() else number
    elif number is not None:  # from a frame column: a numpy integer, or a float where the column holds blanks
        number = None if number != number else int(number)
    if number in (None, ""):
        return NOWHERE
    return LABELS["table_n"].format(n=number, numeral=chinese_numeral(number) if isinstance(number, int) else number)


def table_named(number: int | None, kind: str, document: str = "final") -> Text:
    """A table as a sentence names it: 表三 / Table 3; one without a printed number by its kind's name."""
    return table(number) if number else kind_name(kind, document)


def together(*parts: Text) -> Text:
    """Parts one after another with a space, the empty ones left out: 表4 第717行 / Table 4 line 717."""
    return Text(*(" ".join(p for p in texts if p) for texts in zip(*parts)))


def place(number: int | None, kind: str, line: int | None = None, page: int | None = None) -> Text:
    """A cell's place as a message cites it: 表四 第717行 / Table 4 line 717 — the table named as the message's own
    words name it (``table_named``); a table without a printed number by its kind's name, the narrative as
    情况说明 / narrative."""
    where = LABELS["narrative_cited"] if kind == "narrative" and not number else table_named(number, kind)
    return together(where, position(line, page))


def section(number: str, line: int | None = None, page: int | None = None) -> Text:
    """A narrative section as cited: 说明 三 第12页 / narrative 三 page 12."""
    return together(LABELS["narrative_section"].format(section=number), position(line, page))


def column(table_: Table | None, key: str | None, report: Report | None = None) -> Text:
    """A column as its table prints it (中文) and its English name; the row's name (``label``) is 名称 / Name;
    nothing for none. Without the table, the heading another table of `report` prints for the key."""
    if not key:
        return NOWHERE
    if key == "label":
        return LABELS["name"]
    if table_ is not None:
        return table_.column_name(key)
    tables = report.tables.values() if report is not None else ()
    return Text(next((t.columns[key] for t in tables if key in t.columns), ""), COLUMN_NAMES_EN.get(key, ""))
