"""The small formatting helpers every panel and chart shares; the labels themselves are catalogue data
(``finaudit.words.LABELS``, looked up with ``tr``). Chinese first; every label is available in English."""

from __future__ import annotations

from decimal import Decimal

from finaudit import cite
from finaudit.findings import Finding
from finaudit.model import Report, ReportFormatError, Table, kind_name
from finaudit.words import LABELS, LANGS, Text, tr  # noqa: F401  (the views take tr and LANGS from here)

#: Units as printed that have an English name in the catalogue ("unit.万元").
UNITS = {key.removeprefix("unit.") for key in LABELS if key.startswith("unit.")}


def problems(roots: int, findings: int, lang: str = "zh") -> str:
    """'21 个问题（48 条）' / '21 problems (48 findings)', '1 problem (1 finding)'."""
    return tr("problems", lang).format(roots=roots, findings=findings, s="" if roots == 1 else "s",
                                       t="" if findings == 1 else "s")


def place(line, page, lang: str = "zh") -> str:
    """Where a figure is printed: '第717行' / 'line 717', '第12页' / 'page 12' (as messages cite it); '' unknown."""
    return cite.position(line, page).get(lang)


def unit_label(unit: str | None, lang: str = "zh") -> str:
    """A report's unit ('万元') in `lang`."""
    unit = unit or "万元"
    return tr(f"unit.{unit}", lang) if unit in UNITS else unit  # a unit the catalogue does not know: as printed


def table_ref(number: int | str | None, lang: str = "zh") -> str:
    """'表3' / 'Table 3' for a printed table number, '情况说明' / 'Narrative' for the narrative."""
    return cite.table(number).get(lang)


def column_label(table: Table, column: str, lang: str = "zh") -> str:
    """A table column's header: as printed (中文) or its English name."""
    return table.column_name(column).get(lang)


def column_heading(report: Report, kind: str, column: str | None, lang: str = "zh") -> str:
    """The column a finding or a cell names: as its table prints it (中文) or its English name; the row's name
    (``label``) is 名称 / Name; '' for none. Never the column's key."""
    return cite.column(report.tables.get(kind), column, report).get(lang)


def location(report: Report, finding: Finding, lang: str = "zh") -> str:
    """'2010301 / Total' — the row a finding is about and its column's name in `lang`."""
    where = finding.where
    column = column_heading(report, where.kind, where.column, lang)
    return f"{where.row} / {column}" if column else where.row


def sources(finding: Finding, lang: str = "zh") -> list[str]:
    """Where the cells of a finding are printed, each once: '表3 第383行' / 'Table 3 line 383'."""
    out = []
    for cell in finding.cells:
        text = cite.together(cite.table(cell.table), cite.position(cell.line, cell.page)).get(lang)
        if text and text not in out:
            out.append(text)
    return out


def table_name(table: Table, lang: str = "zh") -> str:
    """'表3 支出决算表' or 'Table 3 Expenditure'."""
    name = LABELS["table_titled" if table.ordinal else "table_untitled"]
    return name.format(label=table.label, n=table.ordinal, name=kind_name(table.kind, table.document)).get(lang)


class UploadRefused(ReportFormatError):
    """An upload the dashboard refuses before reading it (size, type, count), with its reason in both languages."""

    def __init__(self, source: str, text: Text):
        super().__init__(source, None, text.en)
        self.text = text


def refusal(error: ReportFormatError | OSError, lang: str = "zh") -> str:
    """Why a file was not read, for a reader in `lang`: the dashboard's own reason, or the place where the loader
    gave up (the loader's account, in English, is the English text's detail)."""
    if isinstance(error, UploadRefused):
        return f"{error.source}{tr('colon', lang)}{error.text.get(lang)}"
    if not isinstance(error, ReportFormatError):
        return LABELS["refused.unreadable"].format(source=str(getattr(error, "filename", "") or ""), where="",
                                                   detail=getattr(error, "strerror", None) or str(error)).get(lang)
    where = place(error.line, error.page, lang)
    detail = f"{error.expected}; found {error.found!r}" if error.found else error.expected
    return LABELS["refused.unreadable"].format(source=error.source, where=bracketed(where, lang) if where else "",
                                               detail=detail).get(lang)


def bracketed(text: str, lang: str) -> str:
    """'（text）' in Chinese, ' (text)' in English."""
    return tr("bracketed", lang).format(x=text)


def fmt(value: Decimal | None, places: int = 2) -> str:
    """'1480.66' for Decimal('1480.66'); '' for a blank."""
    if value is None:
        return ""
    return f"{value:,.{places}f}"


def percent_text(value: Decimal | None) -> str:
    """'27.12%' (rates and shares to two places everywhere); '' for a blank."""
    return "" if value is None else f"{value:,.2f}%"

