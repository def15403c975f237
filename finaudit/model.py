"""The report model: a 部门决算 disclosure as meta, tables, narrative and glossary.

Amounts are exact integers of hundredths (0.01 万元 for most reports) in pandas ``Int64``
columns; ``<NA>`` is a blank cell ("not reported"), which is not zero. Every amount cell keeps
its provenance: the source line (text layouts) or page (PDFs, ``Meta.format == "pdf"``) in
``Table.lines``, a frame of the same shape as ``Table.data``; PDF tables also keep each cell's
position in ``Table.positions``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable

from finaudit import codes
from finaudit.words import LOAD_MESSAGES, LoadCode, Text, chinese_numeral, quoted

if TYPE_CHECKING:  # pandas is imported where a frame is built: checking a report never needs one
    import pandas as pd

#: Table kinds in the order of the standard templates (表一 … 表九).
TABLE_KINDS: tuple[str, ...] = (
    "summary",
    "income",
    "expenditure",
    "appropriation_summary",
    "general_budget",
    "basic_expenditure",
    "three_public",
    "government_fund",
    "state_capital",
)

KIND_NAMES: dict[str, Text] = {
    "summary": Text("收入支出决算总表", "Income and expenditure summary"),
    "income": Text("收入决算表", "Income"),
    "expenditure": Text("支出决算表", "Expenditure"),
    "appropriation_summary": Text("财政拨款收入支出决算总表", "Fiscal appropriation summary"),
    "general_budget": Text("一般公共预算财政拨款支出决算表", "General public budget expenditure"),
    "basic_expenditure": Text("一般公共预算财政拨款基本支出决算表", "Basic expenditure by economic code"),
    "three_public": Text("“三公”经费支出决算表", "Three public expenses"),
    "government_fund": Text("政府性基金预算财政拨款收入支出决算表", "Government fund budget"),
    "state_capital": Text("国有资本经营预算财政拨款支出决算表", "State capital operating budget"),
    # printed by some places besides the nine (one table here for all the projects' forms)
    "performance_targets": Text("项目绩效目标表", "Project performance targets"),
    "performance_evaluation": Text("绩效自评表", "Performance self-evaluation"),
    "state_assets": Text("国有资产占用情况表", "State-owned assets held"),
    "special_account": Text("财政专户管理资金收入支出决算表", "Fiscal special account funds"),
    "operating_costs": Text("机关运行经费支出决算表", "Operating costs"),
    "procurement": Text("政府采购支出决算表", "Government procurement"),
    "project_expenditure": Text("项目支出决算表", "Project expenditure"),
    "purchase_services": Text("政府购买服务支出决算表", "Government purchase of services"),
    "general_budget_economic": Text("一般公共预算财政拨款支出决算表（经济分类）", "General public budget expenditure by economic code"),
}

#: Table kinds in the order of the Shanghai budget set (1 财务收支预算总表 … 9 “三公”经费和机关运行经费预算表).
BUDGET_TABLE_KINDS: tuple[str, ...] = (
    "summary",
    "income",
    "expenditure",
    "appropriation_summary",
    "general_budget",
    "government_fund",
    "state_capital",
    "basic_expenditure",
    "three_public",
)

#: The same kinds as printed in a 部门预算 / 单位预算 (the Shanghai district titles).
BUDGET_KIND_NAMES: dict[str, Text] = {
    "summary": Text("财务收支预算总表", "Budget income and expenditure summary"),
    "income": Text("收入预算总表", "Income budget"),
    "expenditure": Text("支出预算总表", "Expenditure budget"),
    "appropriation_summary": Text("财政拨款收支预算总表", "Fiscal appropriation budget summary"),
    "general_budget": Text("一般公共预算支出功能分类预算表", "General public budget expenditure"),
    "government_fund": Text("政府性基金预算支出功能分类预算表", "Government fund budget expenditure"),
    "state_capital": Text("国有资本经营预算支出功能分类预算表", "State capital operating budget expenditure"),
    "basic_expenditure": Text("一般公共预算基本支出经济分类预算表", "Basic expenditure budget by economic code"),
    "three_public": Text("“三公”经费和机关运行经费预算表", "Three public expenses and operating costs budget"),
    # tables of the national budget template that the Shanghai set does not print
    "appropriation_expenditure": Text("财政拨款支出表（功能科目）", "Fiscal appropriation expenditure by function"),
    "appropriation_basic": Text("财政拨款基本支出表（经济科目）", "Fiscal appropriation basic expenditure by economic code"),
    "general_budget_economic": Text("一般公共预算支出表（经济科目）", "General public budget expenditure by economic code"),
    "basic_function": Text("一般公共预算基本支出表（功能科目）", "Basic expenditure by function"),
    "operating_costs": Text("机关运行经费预算表", "Operating costs budget"),
    "procurement": Text("政府采购预算表", "Government procurement budget"),
    "carryover_expenditure": Text("财政拨款上年结转资金支出表", "Expenditure of last year's carried-over appropriations"),
    "project_expenditure": Text("项目支出预算表", "Project expenditure budget"),
    "special_account": Text("财政专户管理资金预算表", "Fiscal special account funds budget"),
    "basic_by_source": Text("基本支出预算表（按资金来源）", "Basic expenditure budget by source of funds"),
    "project_by_source": Text("项目支出预算表（按资金来源）", "Project expenditure budget by source of funds"),
    "purchase_services": Text("政府购买服务预算表", "Government purchase of services budget"),
    # a department's whole expenditure, and a fund's, by economic code: by the 部门预算 economic classification
    # (301…) and, where a place prints both, by the 政府预算 one (501…)
    "expenditure_economic": Text("部门支出经济分类预算表", "Expenditure budget by economic code"),
    "expenditure_government_economic": Text("支出经济分类汇总表（按政府预算经济分类）",
                                            "Expenditure budget by government economic code"),
    "general_budget_government_economic": Text("一般公共预算支出表（按政府预算经济分类）",
                                               "General public budget expenditure by government economic code"),
    "government_fund_economic": Text("政府性基金预算支出表（经济科目）", "Government fund budget expenditure by economic code"),
    "government_fund_government_economic": Text("政府性基金预算支出表（按政府预算经济分类）",
                                                "Government fund budget expenditure by government economic code"),
}

#: The function tables that print each 项's amount (一般公共预算, 政府性基金, 国有资本经营), in the order they are
#: looked in.
FUNCTION_TABLES = ("general_budget", "government_fund", "state_capital")
#: Table kinds whose codes are economic classification codes (the others: function codes).
ECONOMIC_KINDS = frozenset({"basic_expenditure", "appropriation_basic", "general_budget_economic", "expenditure_economic",
                            "expenditure_government_economic", "general_budget_government_economic",
                            "government_fund_economic", "government_fund_government_economic"})

#: The amount columns' keys (read/templates.toml) in English; the Chinese name is the heading the table prints
#: (``Table.columns``).
COLUMN_NAMES_EN: dict[str, str] = {
    "total": "Total",
    "fiscal": "Fiscal appropriation",
    "general": "General public budget",
    "fund": "Government fund",
    "state_capital": "State capital",
    "superior": "Subsidy from superior",
    "business": "Business income",
    "operating": "Operating",
    "affiliated": "From affiliated units",
    "other": "Other income",
    "basic": "Basic",
    "project": "Project",
    "to_superior": "Paid to superior",
    "subsidy": "Subsidy to affiliated units",
    "budget": "Budget",
    "adjusted": "Adjusted budget",
    "actual": "Actual",
    "begin": "Balance at start",
    "income": "Income this year",
    "end": "Balance at end",
    "goods": "Goods",
    "works": "Works",
    "services": "Services",
    "personnel": "Personnel",
    "public": "Public (office) costs",
    "carryover": "Carry-over",
    "special": "Fiscal special account",
    "income_total": "Income this year",
    "of_which": "Of which",
    "carryover_general": "Carry-over: general public budget",
    "carryover_fund": "Carry-over: government fund",
    "carryover_state_capital": "Carry-over: state capital",
    "carryover_special": "Carry-over: fiscal special account",
    "carryover_unit": "Carry-over: unit funds",
    "unit_funds": "Unit funds",
    "non_fiscal_surplus": "Non-appropriation surplus used",
    "reserve": "Unit reserve",
    "bank_balance": "Bank balance brought forward",
    "fund_makeup": "Business fund used to cover the gap",
    "operating_income": "Operating income",
    "carryover_next": "Carried to next year",
    "quantity": "Quantity",
    "meeting": "Meetings",
    "training": "Training",
    "tuition": "Of which: tuition fees",
    "capital": "Of which: capital construction",
    "carried_over": "Carried over from last year",
    "other_funds": "Other funds",
    "special_tuition": "Fiscal special account: tuition fees",
    "previous": "Last year",
    "prior": "Last year's execution",
    "prior_net": "Last year's execution, excluding capital construction",
    "change": "Change on last year",
    "change_net": "Change on last year, excluding capital construction",
    "total_net": "Total, excluding capital construction",
    "project_net": "Project, excluding capital construction",
}

#: The items of a 三公 table in English, where a column is keyed item.period (``abroad.budget``).
ITEM_NAMES_EN: dict[str, str] = {
    "grand_total": "Total", "total": "Three public expenses", "abroad": "Official travel abroad",
    "vehicle": "Official vehicles", "vehicle_purchase": "Vehicle purchase", "vehicle_running": "Vehicle running",
    "reception": "Official reception", "meeting": "Meetings", "training": "Training",
}

#: Document kinds (``Meta.kind``) and scopes (``Meta.scope``).
DOCUMENT_KINDS: tuple[str, ...] = ("final", "budget")
SCOPES: tuple[str, ...] = ("department", "unit")


def kind_name(kind: str, document: str = "final") -> Text:
    """The name of a table kind in a final (决算) or a budget (预算) document, in each language."""
    names = BUDGET_KIND_NAMES if document == "budget" else KIND_NAMES
    return names.get(kind) or KIND_NAMES.get(kind) or Text(kind, kind)


#: Row columns every table frame has, before its amount columns.
ROW_COLUMNS: tuple[str, ...] = ("side", "code", "label", "row_no", "key", "level", "parent")
_ROW_DTYPES = {
    "side": "string",
    "code": "string",
    "label": "string",
    "row_no": "Int64",
    "key": "string",
    "level": "Int64",
    "parent": "string",
}
HUNDRED = 100
#: The key prefix of an amount column whose header the templates do not recognise (``col3``: the third column).
UNRECOGNISED = "col"


def is_unrecognised(column: str) -> bool:
    """Whether an amount column's key is that of a header the templates do not recognise."""
    return column.startswith(UNRECOGNISED) and column[len(UNRECOGNISED):].isdigit()


class ReportFormatError(ValueError):
    """The input is not a report finaudit can read; names the file, the line (or PDF page) and what was expected."""

    def __init__(self, source: str, line: int | None, expected: str, found: str = "", page: int | None = None):
        self.source, self.line, self.expected, self.found, self.page = source, line, expected, found, page
        where = f"{source}, line {line}" if line else f"{source}, page {page}" if page else source
        tail = f"; found {found!r}" if found else ""
        super().__init__(f"{where}: expected {expected}{tail}")


def to_decimal(hundredths: int | None) -> Decimal | None:
    """Hundredths (or <NA>) to an exact Decimal with two places (or None)."""
    if type(hundredths) is int:  # (the common case)
        return Decimal(hundredths).scaleb(-2)
    if hundredths is None or _missing(hundredths):
        return None
    return Decimal(int(hundredths)).scaleb(-2)


def format_amount(hundredths: int | None) -> str:
    """'1480.66' for 148066; '' for a blank."""
    value = to_decimal(hundredths)
    return "" if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class LoadWarning:
    """Something in the source that did not fit, kept so the audit can report it."""

    code: LoadCode  # stable: row-misaligned, amount-not-numeric, header-unrecognised, … (a string given is checked)
    line: int | None
    message: str  # the loader's own account, with its particulars (for developers: `finaudit info`)
    table: int | None = None  # printed table number
    page: int | None = None
    source: str | None = None  # the file it came from, in a document read from several files
    subject: str = ""  # the document's text the warning is about, as printed (a title, a cell, a header)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", LoadCode(self.code))

    @property
    def text(self) -> Text:
        """What went wrong, for a reader, in both languages (the code's message in ``LOAD_MESSAGES``)."""
        return LOAD_MESSAGES[self.code].format(subject=quoted(self.subject))


@dataclass
class Table:
    """One table of the report.

    ``data`` has the row columns of ``ROW_COLUMNS`` and one ``Int64`` column of hundredths per
    amount column key (``columns`` maps key → printed header). ``lines`` has the same index and
    the amount columns plus ``label``: the source line of each cell (``<NA>`` where the cell was
    not printed). ``header`` keeps the header rows as printed, for rendering the layout again.
    """

    kind: str
    number: int | None
    title: str
    columns: dict[str, str]
    #: column → Python values (None for blank): the row columns and the amount columns. The
    #: DataFrames ``data`` and ``lines`` are built from these on first use (the loaders and the
    #: audit never need them); once built, the DataFrame is what counts.
    values: dict[str, list] = field(repr=False)
    provenance: dict[str, list] = field(repr=False)
    unit: str | None = None
    header: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    statement: str | None = None
    layout: str = "coded"  # coded | two_sided | items | items_wide
    title_line: int | None = None
    pages: list[int] = field(default_factory=list)
    #: (side key, stub fields, amount column keys) per side, as printed: stub fields are
    #: code, name, label, row_no; one side with key "" for one-sided tables.
    sides: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    #: For a 三公 table printed as one row: the (item key, budget|actual) of each printed column.
    wide_order: list[tuple[str, str]] = field(default_factory=list)
    #: PDF-loaded tables: (row index, column or "label") → (x0, top) of the cell on its page, in points.
    positions: dict[tuple[int, str], tuple[float, float]] = field(default_factory=dict)
    #: Decimal places of the amounts as printed (the most any amount shows; None: not known, read as 2):
    #: a table of whole 元 stands for ±0.5 元 per figure, which sets its rounding band.
    decimals: int | None = None
    #: The kind of document the table is in (``Meta.kind``; set by ``Report``): its standard place differs.
    document: str = "final"
    #: Per row, the texts of its columns that are not amounts, as printed, left to right: further
    #: classifications (a function × economic table's 政府/部门支出经济分类科目 beside the row's 功能分类
    #: code), ratios (增减(%)), a project's 绩效目标; their headers are in ``header``. Empty: none.
    details: list[list[str]] = field(default_factory=list)
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @property
    def data(self) -> pd.DataFrame:
        if "data" not in self._frames:
            import pandas as pd

            self._frames["data"] = pd.DataFrame(
                {name: _ints(column) if _ROW_DTYPES.get(name, "Int64") == "Int64" else pd.array(column, dtype="string")
                 for name, column in self.values.items()}
            )
        return self._frames["data"]

    @data.setter
    def data(self, frame: pd.DataFrame) -> None:
        self._frames["data"] = frame

    @property
    def lines(self) -> pd.DataFrame:
        if "lines" not in self._frames:
            import pandas as pd

            self._frames["lines"] = pd.DataFrame({name: _ints(column) for name, column in self.provenance.items()})
        return self._frames["lines"]

    @lines.setter
    def lines(self, frame: pd.DataFrame) -> None:
        self._frames["lines"] = frame

    def line_records(self) -> list[dict]:
        """The provenance of each row's cells as plain dicts (None where not printed)."""
        if "lines" in self._frames:
            return _records(self._frames["lines"])
        return _zip_records(self.provenance)

    @property
    def amount_columns(self) -> list[str]:
        return list(self.columns)

    @property
    def printed_columns(self) -> list[str]:
        """The amount columns the document prints: all of them, but for a 三公 table printed as one row only
        those its header has (a budget's prints 预算数 alone; its 决算数 column holds nothing to show)."""
        printed = {column for _, column in self.wide_order}
        return [c for c in self.columns if c in printed] if printed else list(self.columns)

    def column_name(self, column: str) -> Text:
        """A column's header as the table prints it and its English name (the key where neither is known); a column
        of an item in a period (a 三公 table with a row per unit: ``abroad.budget``) by the item's and the period's."""
        english = COLUMN_NAMES_EN.get(column)
        if english is None and "." in column:
            item, _, period = column.partition(".")
            english = f"{ITEM_NAMES_EN.get(item, item)} ({COLUMN_NAMES_EN.get(period, period)})"
        return Text(self.columns.get(column, column), english or column)

    @property
    def system(self) -> str:
        return codes.ECONOMIC if self.kind in ECONOMIC_KINDS else codes.FUNCTION

    @property
    def ordinal(self) -> int | None:
        """The printed table number, or, where the report prints none, the kind's place in the
        standard template (表一 … 表九), which is how auditors cite it."""
        if self.number is not None:
            return self.number
        order = BUDGET_TABLE_KINDS if self.document == "budget" else TABLE_KINDS
        return order.index(self.kind) + 1 if self.kind in order else None

    @property
    def label(self) -> str:
        number = f"表{chinese_numeral(self.ordinal)}" if self.ordinal else "表"
        return f"{number} {self.title}"

    def is_empty(self) -> bool:
        return self.data[self.amount_columns].isna().all().all() if len(self.data) else True

    def records(self) -> list[dict]:
        """Rows as plain dicts: ints and strings, None for a blank."""
        if "data" in self._frames:
            return _records(self._frames["data"])
        return _zip_records(self.values)

    def column(self, name: str) -> list:
        """One column's values as Python values (None for blank), without building the DataFrame."""
        if "data" in self._frames:
            return _column_values(self._frames["data"][name])
        return list(self.values[name])

    def value(self, row: int, column: str):
        """One cell's raw value (hundredths, code or label; None for blank) without building the DataFrame."""
        if "data" in self._frames:
            value = self._frames["data"].at[row, column]
            return None if _missing(value) else value
        return self.values[column][row]

    def amount(self, row: int, column: str) -> Decimal | None:
        return to_decimal(self.value(row, column))

    def source_line(self, row: int, column: str = "label") -> int | None:
        if "lines" not in self._frames:
            value = self.provenance[column][row] if column in self.provenance else None
        else:
            value = self.lines.at[row, column] if column in self.lines.columns else None
        return None if _missing(value) else int(value)

    def rows(self, *, side: str | None = None, key: str | None = None, code: str | None = None) -> pd.DataFrame:
        """Rows selected by side, row key and/or code."""
        import pandas as pd

        mask = pd.Series(True, index=self.data.index)
        for column, value in (("side", side), ("key", key), ("code", code)):
            if value is not None:
                mask &= self.data[column].fillna("") == value
        return self.data[mask]

    def content_equals(self, other: Table) -> bool:
        """Equal content: everything but provenance (source lines, pages)."""
        return (
            (self.kind, self.number, self.title, self.columns, self.unit, self.notes, self.statement)
            == (other.kind, other.number, other.title, other.columns, other.unit, other.notes, other.statement)
            and self.data.reset_index(drop=True).equals(other.data.reset_index(drop=True))
        )


def _ints(values: list) -> pd.arrays.IntegerArray:
    """A nullable Int64 array from Python ints and Nones (the fast path of pd.array)."""
    import numpy as np
    import pandas as pd

    mask = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
    data = np.fromiter((0 if v is None else v for v in values), dtype=np.int64, count=len(values))
    return pd.arrays.IntegerArray(data, mask)


def _column_values(column: pd.Series) -> list:
    """A column as Python values, None for <NA> (reads the masked array directly: 2× faster)."""
    import pandas as pd

    array = column.array
    if isinstance(array, pd.arrays.IntegerArray):
        return [None if missing else value for value, missing in zip(array._data.tolist(), array._mask.tolist())]
    return [None if _missing(v) else v for v in array.tolist()]


def _missing(value) -> bool:
    """A blank cell's value: None, pandas' NA (only a built frame holds it) or NaN."""
    pandas = sys.modules.get("pandas")
    if value is None or (pandas is not None and value is pandas.NA):
        return True
    return value != value


def _records(frame: pd.DataFrame) -> list[dict]:
    return _zip_records({name: _column_values(frame[name]) for name in frame.columns})


def _zip_records(columns: dict[str, list]) -> list[dict]:
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def build_table(
    kind: str,
    number: int | None,
    title: str,
    columns: dict[str, str],
    rows: Iterable[dict],
    **attributes,
) -> Table:
    """Build a Table from row dicts.

    Each row dict has any of the row columns (``side``, ``code``, ``label``, ``row_no``, ``key``),
    amounts in hundredths (int or None) under the column keys, and provenance under ``lines``:
    a dict column → line number.
    """
    rows = list(rows)
    amount_keys = list(columns)
    system = codes.ECONOMIC if kind in ECONOMIC_KINDS else codes.FUNCTION
    values: dict[str, list] = {name: [] for name in (*ROW_COLUMNS, *amount_keys)}
    provenance: dict[str, list] = {name: [] for name in ("label", *amount_keys)}
    details = [list(row.get("details", ())) for row in rows]
    if any(details):
        attributes["details"] = details
    for row in rows:
        code = row.get("code") or None
        values["side"].append(row.get("side") or "")
        values["code"].append(code)
        values["label"].append(row.get("label") or "")
        values["row_no"].append(row.get("row_no"))
        values["key"].append(row.get("key"))
        values["level"].append(codes.level(code, system) if code else None)
        values["parent"].append(codes.parent(code, system) if code else None)
        for key in amount_keys:
            values[key].append(row.get(key))
        lines = row.get("lines", {})
        for key in provenance:
            provenance[key].append(lines.get(key))
    return Table(kind=kind, number=number, title=title, columns=dict(columns), values=values, provenance=provenance,
                 **attributes)


@dataclass(frozen=True)
class Paragraph:
    line: int | None
    text: str
    page: int | None = None


@dataclass
class Section:
    """A numbered section of the narrative (第三部分), e.g. number "五", title "…支出决算情况"."""

    number: str
    title: str
    line: int | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    page: int | None = None

    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Definition:
    term: str
    text: str
    line: int | None = None
    page: int | None = None


@dataclass
class Meta:
    """What the document is: its department (部门), year, kind (决算 final / 预算 budget), scope
    (部门 department: consolidates its units / 单位 unit: one unit), the unit's name for a 单位
    document, and the money unit most of its tables print (元, 万元)."""

    department: str | None = None
    year: int | None = None
    kind: str = "final"  # final (决算) | budget (预算)
    unit: str | None = None  # money unit of most tables
    source: str | None = None
    sha256: str | None = None
    format: str = "text"
    scope: str | None = None  # department (部门) | unit (单位) | None: not stated
    unit_name: str | None = None  # the 预算单位 / 编制单位 of a 单位 document
    #: A document published as several files (a 情况说明 file and a 报表 file): part → file, e.g.
    #: {"narrative": "…附件1….pdf", "tables": "…附件2….pdf"}; empty for a document of one file (``source``).
    files: dict[str, str] = field(default_factory=dict)

    @property
    def entity(self) -> str | None:
        """The body the document is about: the unit of a 单位 document, else the department."""
        return self.unit_name if self.scope == "unit" and self.unit_name else self.department

    @property
    def department_name(self) -> str | None:
        """The department the document is filed under: its department, else (a 单位 document naming none) its
        unit's name. The dossier groups by it; the corpus stores it; headings name ``entity``."""
        return self.department or self.unit_name

    @property
    def kind_zh(self) -> str:
        return "预算" if self.kind == "budget" else "决算"

    def content(self) -> tuple:
        return (self.department, self.year, self.kind, self.unit)

    @property
    def sources(self) -> list[str]:
        """Every file the document was read from (one, or its 情况说明 and 报表 files)."""
        return list(dict.fromkeys(self.files.values())) or ([self.source] if self.source else [])

    def file_of(self, kind: str) -> str | None:
        """The file holding a cited place of that kind ("narrative", or a table kind) when the document is
        read from several files; None for a document of one file (its pages need no file name)."""
        if not self.files:
            return None
        return self.files.get("narrative" if kind in ("narrative", "overview", "glossary") else "tables")


@dataclass(frozen=True)
class UnplacedNumber:
    line: int | None
    text: str
    reason: str
    page: int | None = None


@dataclass
class Coverage:
    """Every number of the tables part: placed (by what it became) or not placed (with its line)."""

    placed: dict[str, int] = field(default_factory=dict)  # amount, code, row_no, column_no, header, note, title
    unplaced: list[UnplacedNumber] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.placed.values()) + len(self.unplaced)

    @property
    def ratio(self) -> float:
        return 1.0 if not self.total else sum(self.placed.values()) / self.total

    def counts(self) -> dict[str, int | float]:
        """The JSON outputs' coverage: numbers counted, placed and not placed (counts), and the share placed."""
        placed = sum(self.placed.values())
        return {"numbers": self.total, "placed": placed, "unplaced": len(self.unplaced), "share": round(self.ratio, 6)}

    def summary(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.placed.items()))
        return f"{self.total} numbers, {self.ratio:.1%} placed ({parts}); {len(self.unplaced)} not placed"


@dataclass
class Report:
    meta: Meta
    tables: dict[str, Table] = field(default_factory=dict)
    overview: list[Paragraph] = field(default_factory=list)
    narrative: list[Section] = field(default_factory=list)
    glossary: dict[str, Definition] = field(default_factory=dict)
    warnings: list[LoadWarning] = field(default_factory=list)
    coverage_: Coverage = field(default_factory=Coverage)

    def __post_init__(self) -> None:
        for table in self.tables.values():
            table.document = self.meta.kind

    def coverage(self) -> Coverage:
        return self.coverage_

    def table(self, kind: str) -> Table | None:
        return self.tables.get(kind)

    def by_number(self) -> dict[int, Table]:
        return {t.ordinal: t for t in self.tables.values() if t.ordinal is not None}

    def __eq__(self, other: object) -> bool:
        """Equal content: meta (department, year, kind, unit), tables, narrative and glossary.

        Provenance (source file, lines, pages) is not compared: a report rendered with
        ``finaudit.read.render.render_text`` and loaded again is equal to the original.
        """
        if not isinstance(other, Report):
            return NotImplemented
        return (
            self.meta.content() == other.meta.content()
            and self.tables.keys() == other.tables.keys()
            and all(t.content_equals(other.tables[k]) for k, t in self.tables.items())
            and [(s.number, s.title, [p.text for p in s.paragraphs]) for s in self.narrative]
            == [(s.number, s.title, [p.text for p in s.paragraphs]) for s in other.narrative]
            and {k: d.text for k, d in self.glossary.items()} == {k: d.text for k, d in other.glossary.items()}
            and [p.text for p in self.overview] == [p.text for p in other.overview]
        )

    def control_totals(self) -> pd.DataFrame:
        """One line per table: rows, filled amount cells, and its control total(s) as printed."""
        rows = []
        for table in sorted(self.tables.values(), key=lambda t: (t.ordinal or 99)):
            filled = int(table.data[table.amount_columns].notna().sum().sum()) if table.columns else 0
            totals = []
            for key, column in _CONTROL_TOTALS.get(table.kind, [("grand_total", "total")]):
                found = table.rows(key=key)
                if len(found) and column in table.columns:
                    totals.append(format_amount(found.iloc[0][column]) or "—")
            rows.append(
                {
                    "table": table.ordinal,
                    "kind": table.kind,
                    "title": table.title,
                    "rows": len(table.data),
                    "cells": filled,
                    "total": " / ".join(totals),
                }
            )
        import pandas as pd

        return pd.DataFrame(rows)


#: The printed control totals of each table kind: (row key, column).
_CONTROL_TOTALS = {
    "basic_expenditure": [("personnel_total", "total"), ("public_total", "total")],
    "three_public": [("total", "budget"), ("total", "actual")],
    "summary": [("income_total", "total"), ("expenditure_total", "total"), ("grand_total", "total")],
    "appropriation_summary": [("income_total", "total"), ("expenditure_total", "total"), ("grand_total", "total")],
}
