"""Table building shared by the loaders: recognised header rows and data rows of cells → a ``Table``.

Layout-independent: a loader (text layout or PDF) finds a table's title, header and data rows as
lists of ``Cell``; ``TableBuilder`` recognises the sides and column keys from the header (header
paths of merged cells, 三公 item columns), splits each data row into stub and amount cells,
parses the amounts and builds the table with each cell's provenance. What became of every cell
(placed, unplaced, warned about) goes to the loader's ``Ledger``.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from finaudit import codes
from finaudit.model import UNRECOGNISED, LoadWarning, Table, UnplacedNumber, build_table
from finaudit.read.templates import Kind, Templates, normalise

#: A number printed in a table's area, to be placed; a year (2026年, 2026 年度) is a date, not a figure.
NUMBER = re.compile(r"(?<![\d.,，])\d+(?:[.,，]\d+)*(?![\d.,，]|\s*年)")
_SPACE = re.compile(r"[\s\u3000\xa0]")
_AMOUNT = re.compile(r"^([-−])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
BLANK_MARKS = {"", "-", "—", "－", "--", "——", "/", "／", "…", "……", "...", "......"}
CODE = re.compile(r"^\d{3,9}$")
INT = re.compile(r"^\d{1,3}$")
#: A stub printed where a table has no rows.
PLACEHOLDERS = {"无", "无数据", "本表无数据"}
#: A 预算单位's code (部门 3 digits + 单位 3) in a function-code column: six digits, a length no classification
#: code has (3/5/7), and not under a function 类 (2xx): "201208" is a function code misprinted, "105236" a unit.
_UNIT_CODE = re.compile(r"^[013-9]\d{5}$")
STUB = ("code", "name", "label", "row_no", "unit", "text", "detail")
#: The key prefix of a column of words printed among the amount columns: read into the row's label.
WORDS = "words"
#: A classification code and its name in one cell: "2010801-行政运行", "[30228]工会经费", "201 一般公共服务支出".
_CODE_NAME = re.compile(r"^\s*(?:[\[【(（]\s*(\d{3,9})\s*[\]】)）]|(\d{3,9})\s*(?:[-－—–:：]|\s))\s*(\D.*?)\s*$")


_RUN_OVER = re.compile(r"^(\D{1,20}?)(\d{3,9}\s*[-－—–:：].*)$")


def rejoin_run_over(rows: list[list["Cell"]]) -> None:
    """Given a table's data rows, move the words a cell prints before its code and name ("缴费支出2080506-…")
    to the end of the cell above in the same column, itself a code and name: the name above ran over its
    ruled cell into this one (Beijing's 支出总表, "2080505-机关事业单位基本养老保险" + "缴费支出")."""
    for above, row in zip(rows, rows[1:]):
        for j, cell in enumerate(row):
            match = _RUN_OVER.match(cell.text)
            if match and j < len(above) and code_and_name(above[j].text) and code_and_name(match[2]):
                above[j].text += match[1]
                cell.text = match[2]


def code_and_name(text: str) -> tuple[str, str] | None:
    """Given a stub cell's text, return (code, name) when it prints a classification code and its
    name together ("2010801-行政运行", "[30228]工会经费"); None for a bare code or a name."""
    match = _CODE_NAME.match(text)
    return (match[1] or match[2], match[3]) if match else None


#: Integer digits of an amount: 10^15 is beyond any budget in 元 or 万元, and its hundredths still fit
#: the Int64 columns. A longer "number" is a load warning (and an error of the bounded read,
#: finaudit.read.limits), never an int() of thousands of digits.
MAX_AMOUNT_DIGITS = 15


#: How many places a money unit's decimal point moves to read it in 元.
_PLACES_TO_YUAN = {"千元": 3, "万元": 4, "亿元": 8}


def yuan_shift(unit: str | None, decimals: int | None) -> int:
    """Given a table's money unit and the most decimals its amounts print, return how many places
    to move their decimal point so that every amount is exact hundredths: 0 (read as printed), or,
    for a table in 万元 (千元, 亿元) printing more than two decimals (Beijing's 32,365.090089 万元,
    i.e. to the 分), the places that read it in 元."""
    places = _PLACES_TO_YUAN.get(unit or "", 0)
    return places if decimals is not None and 2 < decimals <= 2 + places else 0


def column_numbers(texts: list[str], stub_field) -> bool:
    """Given a header row's texts, return whether it is the row of column numbers (栏次): it opens
    with the word 栏次, or its filled cells count on one by one (1 2 3 …, at least two of them)."""
    texts = [t for t in texts if t]
    if texts and stub_field(texts[0]) == "column_numbers":
        return True
    numbers = [int(t) for t in texts if INT.match(t)]
    return len(texts) >= 2 and len(numbers) == len(texts) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


@functools.lru_cache(maxsize=8192)  # the same amounts and headers are asked about many times over
def parse_amount(text: str, shift: int = 0) -> tuple[int | None, str | None]:
    """Cell text → (hundredths or None for a blank, problem or None); ``shift``: places the decimal
    point moves right first (``yuan_shift``)."""
    cleaned = _SPACE.sub("", text).replace("，", ",")
    if cleaned in BLANK_MARKS:
        return None, None
    negative = cleaned.startswith(("(", "（")) and cleaned.endswith((")", "）"))
    if negative:
        cleaned = cleaned[1:-1]
    match = _AMOUNT.match(cleaned)
    if not match:
        return None, "not-numeric"
    sign, whole, fraction = match.groups()
    if len(whole) - whole.count(",") > MAX_AMOUNT_DIGITS:
        return None, "too-large"
    fraction, places = fraction or "", 2 + shift
    if len(fraction) > places and fraction[places:].strip("0"):
        return None, "precision"
    value = int(whole.replace(",", "")) * 10**places + int((fraction + "0" * places)[:places])
    return (-value if sign or negative else value), None


def printed_decimals(texts) -> int | None:
    """The most decimal places any amount among the texts is printed with (None: no amount)."""
    places = [len(match[3] or "") for text in texts
              if (match := _AMOUNT.match(_SPACE.sub("", text).replace("，", ",").strip("()（）")))]
    return max(places, default=None)


def fewest_decimals(texts) -> int | None:
    """The fewest decimal places among the amounts printed with a decimal point (None: none is): a table
    printed to the 分 in 万元 prints every amount so; one amount with a third decimal is a slip, not a unit."""
    places = [len(match[3]) for text in texts
              if (match := _AMOUNT.match(_SPACE.sub("", text).replace("，", ",").strip("()（）"))) and match[3]]
    return min(places, default=None)


#: A Chinese word: what a row's name has and an amount never does.
_WORDS = re.compile(r"[\u4e00-\u9fff]{2,}")


@dataclass
class Cell:
    line: int
    text: str
    continuation: list[int] = field(default_factory=list)

    @property
    def lines(self) -> list[int]:
        return [self.line, *self.continuation]


@dataclass
class Side:
    key: str
    stub: list[str]  # code, name, label, row_no
    amounts: list[str]  # column keys
    headers: list[str]
    trailing: int = 0  # descriptive columns printed after the amounts (项目简介, 备注): words kept with the row

    @property
    def width(self) -> int:
        return len(self.stub) + len(self.amounts) + self.trailing



class Ledger:
    """What became of the source while loading: load warnings, what each cell became, unplaced numbers.

    A cell is known by ``Cell.line``: a line number in a text; in a PDF an id that ``page_of`` maps
    to its page (warnings and unplaced numbers then carry the page and no line).
    """

    def __init__(self, page_of: Callable[[int | None], int | None] | None = None):
        self.page_of = page_of
        self.warnings: list[LoadWarning] = []
        self.placed: dict[int, str] = {}  # line or cell id → what it became
        self.unplaced: list[UnplacedNumber] = []
        self.table_number: int | None = None

    def warn(self, code: str, line: int | None, message: str, page: int | None = None, subject: str = "") -> None:
        """Note a load warning: `code` a ``LoadCode`` (or its string), `message` the loader's own account,
        `subject` the document's text it is about (quoted in the reader's message)."""
        if self.page_of is not None:
            line, page = None, page or self.page_of(line)
        self.warnings.append(LoadWarning(code=code, line=line, message=message, table=self.table_number, page=page,
                                         subject=subject))

    def place(self, cell_or_line, what: str) -> None:
        for line in cell_or_line.lines if isinstance(cell_or_line, Cell) else [cell_or_line]:
            self.placed.setdefault(line, what)

    def unplace(self, cell: Cell, reason: str) -> None:
        for line in cell.lines:
            self.placed[line] = "unplaced"
        if NUMBER.search(cell.text):
            if self.page_of is None:
                self.unplaced.append(UnplacedNumber(line=cell.line, text=cell.text, reason=reason))
            else:
                self.unplaced.append(UnplacedNumber(line=None, text=cell.text, reason=reason, page=self.page_of(cell.line)))


def numbered(keys: list[str]) -> list[str]:
    """Given side keys in order, return them with a repeated key numbered: a summary whose 支出 side
    prints three label | amount pairs (by function, by department and by government economic class)
    → expenditure, expenditure2, expenditure3."""
    out: list[str] = []
    for key in keys:
        n = sum(1 for k in keys[: len(out)] if k == key)
        out.append(f"{key}{n + 1}" if n else key)
    return out


_YEAR_GROUP = re.compile(r"(\d{4})\s*年度?")


def stub_starts(flags: list[bool]) -> list[int]:
    """Given which cells of a header row are stub words, return where each run of them starts (a side's stub)."""
    return [j for j, flag in enumerate(flags) if flag and (j == 0 or not flags[j - 1])]


def _year_group(part: str, year: int) -> str:
    """A header part as the document's year names it: a year alone is 当年 or 上年; a year before other words
    ("2026年预算数", "2025年预算数") is left out for the document's year and is 上年 for the year before (the
    templates name this year's columns without a year, last year's with 上年); else as printed."""
    text = part.strip()
    found = _YEAR_GROUP.match(text)
    if not found or int(found[1]) not in (year, year - 1):
        return part
    rest = text[found.end():]
    if not rest:
        return "当年" if int(found[1]) == year else "上年"
    return rest if int(found[1]) == year else "上年" + rest


def stub_cells_by_field(stub: list[str], cells: list[Cell]) -> dict[str, Cell]:
    """Given a side's stub fields and a row's stub cells, return the cells by field; a field printed
    again (a second 科目编码 or 名称 column, several descriptive columns) as "field#2", "field#3" …"""
    out: dict[str, Cell] = {}
    for f, cell in zip(stub, cells):
        key, n = f, 1
        while key in out:
            n += 1
            key = f"{f}#{n}"
        out[key] = cell
    return out


@functools.lru_cache(maxsize=256)
def _readings(sides: tuple[tuple[tuple[str, ...], int], ...]) -> list[tuple[list[str], ...]]:
    """The stub readings of a row under sides of (stub fields, amount count), widest first: each
    side's stub as printed, or with code and name read as one label."""
    options = []
    for stub, _ in sides:
        variants = [list(stub)]
        for code in ("code", "unit"):
            if code in stub and "name" in stub:  # 合计 printed across the code and name columns
                variants.append([("label" if f == code else f) for f in stub if f != "name"])
        options.append(variants)
    return sorted(itertools.product(*options), key=lambda c: sum(len(v) for v in c), reverse=True)


class TableBuilder:
    """Sides, column keys and records of a table from its header and data rows; shared by the loaders."""

    def __init__(self, templates: Templates, ledger: Ledger):
        self.templates, self.ledger = templates, ledger

    def assemble(
        self, kind: Kind, number, title, title_line, header, sides: list[Side], data_rows, extra: dict, year
    ) -> Table:
        """A table from its recognised sides and data rows (lists of cells)."""
        attributes = dict(
            decimals=printed_decimals(cell.text for row in data_rows for cell in row),
            unit=extra["unit"],
            header=[[c.text for c in r] for r in header],
            notes=extra["notes"],
            statement=extra["statement"],
            title_line=title_line,
        )
        if not data_rows and not extra["statement"]:
            self.ledger.warn("table-no-rows", title_line, f"{title}: no data rows and no statement such as '本表无数据'",
                             subject=title)
        if not sides or not any(side.amounts for side in sides):
            self.ledger.warn("header-unrecognised", title_line, f"{title}: no column headers recognised; its rows are not placed")
            for row in data_rows:
                for cell in row:
                    self.ledger.unplace(cell, "table without a recognisable header")
            sides, data_rows = [], []
        rejoin_run_over(data_rows)
        shift = yuan_shift(attributes["unit"], fewest_decimals(cell.text for row in data_rows for cell in row))
        if shift:
            attributes.update(unit="元", decimals=max(attributes["decimals"] - shift, 0))
        if kind.layout == "items" and sides and (not sides[0].stub or self.items_across(kind, sides[0])):
            return self.items_wide(kind, number, title, sides[0], data_rows, attributes, shift)
        attributes["sides"] = [(side.key, side.stub, side.amounts) for side in sides]
        records = self.records(kind, sides, data_rows, year, shift)
        if len(records) == 1 and kind.layout == "coded" and not any(records[0].get(f) for f in ("label", "code", "key")):
            records[0]["key"] = "grand_total"  # a table of one row and no stub (合计 | 基本支出 | 项目支出 …): its totals
        columns: dict[str, str] = {}
        for side in sides:
            for key, path in zip(side.amounts, side.headers):
                if not key.startswith(WORDS):
                    columns.setdefault(key, path)
        if kind.layout == "items":
            return self.items_rows(kind, number, title, columns, records, attributes)
        return build_table(kind.name, number, title, columns, records, layout=kind.layout, **attributes)

    def sides(self, kind: Kind, header: list[list[Cell]], year: int | None = None) -> list[Side]:
        """Sides of the table with their stub fields and amount column keys, from the header rows. A column named
        by a year is named as the document's year makes it (``_year_group``): "2020年 | 2021年" in a 2021 budget's
        三公 table are 上年 | 当年, its "2021年预算数" is 预算数."""
        is_stub = [[self.stub_role(kind, c.text) in STUB for c in row] for row in header]
        stub_row = max(range(len(header)), key=lambda i: sum(is_stub[i]), default=None)
        if stub_row is None:
            return []
        starts = stub_starts(is_stub[stub_row])
        count = max(1, len(starts)) if kind.layout == "two_sided" else 1
        side_row, names = self.side_names(kind, header, count, [0] if count == 1 else starts, len(header[stub_row]))
        parts = [self.side_parts(kind, row, flags, count) for row, flags in zip(header, is_stub) if row is not side_row]
        sides = []
        for s in range(count):
            side_parts = [p[s] for p in parts if p is not None]
            stub = max((stub for stub, _, _ in side_parts), key=len, default=[])
            areas = [texts for _, texts, _ in side_parts if texts is not None]
            paths = self.header_paths([a for a in areas if any(a)] or areas[:1])
            named = ["/".join(_year_group(part, year) for part in path.split("/")) for path in paths] if year else paths
            line = header[0][0].line if header and header[0] else None
            name = names[s] if s < len(names) else f"side{s + 1}"
            sides.append(Side(key=name if count > 1 else "", stub=stub, amounts=self.column_keys(kind, named, stub, line),
                              headers=paths, trailing=max((tail for _, _, tail in side_parts), default=0)))
        return sides

    @staticmethod
    def side_names(kind: Kind, header: list[list[Cell]], count: int, starts: list[int],
                   width: int) -> tuple[list[Cell] | None, list[str]]:
        """Given a table's header rows, its number of sides, where each side starts in the row of stub words and
        that row's width, return the row naming the sides (收入 | 支出, one cell per side or per column; None
        where none does) and the sides' keys."""
        side_row = next((r for r in header if len(r) in (count, width) and count > 1
                         and all(kind.side_key(c.text) for c in r)), None)
        if side_row is None:
            return None, list(kind.sides) or [""]
        picked = side_row if len(side_row) == count else [side_row[j] for j in starts]
        return side_row, numbered([kind.side_key(c.text) for c in picked])

    def side_parts(self, kind: Kind, row: list[Cell], flags: list[bool],
                   count: int) -> list[tuple[list[str], list[str] | None, int]] | None:
        """Given a header row, which of its cells are stub words and the table's number of sides, return for
        each side its stub fields, the texts over its amount columns (None: none to read) and how many stub
        words it prints after the amounts; None for a row that does not split into the sides (warned when it
        holds stub words)."""
        row_starts = [0] if count == 1 else stub_starts(flags)
        if len(row_starts) != count:
            if count > 1 and any(flags):
                self.ledger.warn("header-unaligned", row[0].line, "a header row does not split into the table's sides")
            return None
        out = []
        for a, b in zip(row_starts, [*row_starts[1:], len(row)]):
            cells = row[a:b]
            stub: list[str] = []
            while cells and (role := self.stub_role(kind, cells[0].text)) in STUB:
                stub.append(f"detail{sum(f.startswith('detail') for f in stub)}" if role == "detail" else role)
                cells = cells[1:]
            tail = 0
            while count == 1 and len(cells) > 1 and self.stub_role(kind, cells[-1].text) in STUB:
                tail, cells = tail + 1, cells[:-1]
            out.append((stub, [c.text for c in cells] if cells else None, tail))
        return out

    def column_keys(self, kind: Kind, paths: list[str], stub: list[str], line: int | None) -> list[str]:
        """Given a side's amount column paths and stub fields, return each column's key: the kind's column (or,
        in a table of items, item) for its path; a stub word among the amounts is a column of words; a path
        recognised as nothing, or as a key already taken, is warned and keyed by its place."""
        found = self.item_keys(kind, paths) if kind.layout == "items" else None
        if stub and found and (None in found or len(set(found)) < len(found) or any("." not in k for k in found)
                               or len({k.partition(".")[0] for k in found}) < 2):
            # a row per item, its columns the funds (广州); unless the columns name the items, each an item and a
            # column of its own (西安: a row per unit under 上年 | 当年 | 增减变化情况, each over the items)
            found = None
        keys: list[str] = []
        for j, path in enumerate(paths):
            if kind.layout != "items" and self.stub_role(kind, path.split("/")[-1]) in STUB:
                keys.append(f"{WORDS}{j + 1}")  # a stub field printed among the amounts (经济科目编码, 实施采购时间)
                continue
            if found:
                key = found[j]
            elif kind.layout == "items":  # items down the rows, or across with 预算数/决算数 down the stub
                key = kind.column_key(path) or self.item_key(kind, path, alone=True)
            else:
                key = kind.column_key(path)
            if not key or key in keys:
                self.ledger.warn("header-unrecognised", line, f"column header {path!r} not recognised for {kind.name}",
                                 subject=path)
                key = f"{UNRECOGNISED}{j + 1}"
            keys.append(key)
        return keys

    @classmethod
    def item_keys(cls, kind: Kind, paths: list[str]) -> list[str | None]:
        """Given a 三公 table's header paths, return each column's item key: a 合计 over the 三公 group and
        other items (会议费, 培训费) is the grand total, the group's own 合计 or 小计 the 三公 total."""
        keys = [cls.item_key(kind, path) for path in paths]
        grouped = any("三公" in path and path.count("/") for path in paths)
        for j, (key, path) in enumerate(zip(keys, paths)):
            if key and key.startswith("total.") and grouped and normalise(path.split("/")[-1]) in ("合计", "总计") \
                    and "三公" not in path:
                keys[j] = "grand_" + key
        return keys

    def stub_role(self, kind: Kind, header: str) -> str | None:
        """Given a header cell's text, return its stub field (code, name, label, row_no; detail: a further
        classification column of this kind), or None for an amount column's header."""
        return "detail" if kind.details and kind.is_detail(header) else self.templates.stub_field(header)

    @staticmethod
    def item_key(kind: Kind, path: str, alone: bool = False) -> str | None:
        """A 三公 header path such as '2017年度决算数/公务用车购置及运行费/小计' → 'vehicle.actual';
        ``alone``: a path naming an item and no column ('公务用车购置及运行费/小计') → 'vehicle'."""
        parts = [p for p in path.split("/") if p]
        column = next((kind.column_key(p) for p in parts if kind.column_key(p)), None) or kind.item_column
        if column is None and len(kind.columns) == 1:  # no 预算数 row above the items: the kind's one column
            column = next(iter(kind.columns))
        # the 三公 group may be named by its fund ("一般公共预算拨款安排的“三公”经费预算"): an item all the same
        items = [p for p in parts if not kind.column_key(p) or "三公" in p]
        if len(items) > 1 and normalise(items[-1]) in ("小计", "合计"):  # a group's own total: the group's item
            items = items[:-1]
        item = kind.row_key(items[-1]) if items else (kind.row_key(parts[-1]) or "total") if parts else "total"
        return f"{item}.{column}" if item and column else item if alone and not column else None

    @staticmethod
    def items_across(kind: Kind, side: Side) -> bool:
        """Given a 三公 table's side with a stub, return whether its columns are the items (合计,
        因公出国…) and its rows the 预算数/决算数 they hold, rather than the other way round."""
        items = kind.rows.get("*", {})
        return bool(side.amounts) and all(key in items for key in side.amounts)

    def header_paths(self, levels: list[list[str]]) -> list[str]:
        """Reconstruct merged header cells: each leaf column's path 'parent/child', bottom-up.

        An empty cell under a parent means the parent spans down; a run of named cells shares
        one parent. Runs are split at a repeated first label or evenly when the counts demand.
        """
        if not levels:
            return []
        bottom = max(range(len(levels)), key=lambda i: len(levels[i]))
        leaves = [[text] if text else [] for text in levels[bottom]]
        owner = list(range(len(leaves)))  # leaf → cell index in the current level
        current = levels[bottom]
        for upper in reversed(levels[:bottom]):
            units = self.header_units(current, len(upper))
            if units is None:
                break
            cell_to_unit = {cell: u for u, cells in enumerate(units) for cell in cells}
            for leaf, cell in enumerate(owner):
                leaves[leaf].insert(0, upper[cell_to_unit[cell]])
            owner = [cell_to_unit[cell] for cell in owner]
            current = upper
        return ["/".join(p for p in path if p) for path in leaves]

    @staticmethod
    def header_units(cells: list[str], wanted: int) -> list[list[int]] | None:
        units: list[list[int]] = []
        for j, text in enumerate(cells):
            if text and units and cells[j - 1] and j > 0:
                units[-1].append(j)
            else:
                units.append([j])
        while len(units) < wanted:
            for u, unit in enumerate(units):
                first = cells[unit[0]]
                repeat = next((k for k in unit[1:] if cells[k] == first), None)
                if repeat is not None:
                    cut = unit.index(repeat)
                    units[u : u + 1] = [unit[:cut], unit[cut:]]
                    break
            else:
                big = [u for u in units if len(u) > 1]
                if len(big) == 1 and len(big[0]) % (wanted - len(units) + 1) == 0:
                    parts = wanted - len(units) + 1
                    size = len(big[0]) // parts
                    u = units.index(big[0])
                    units[u : u + 1] = [big[0][k : k + size] for k in range(0, len(big[0]), size)]
                break
        return units if len(units) == wanted else None

    def records(self, kind: Kind, sides: list[Side], data_rows: list[list[Cell]], year, shift: int = 0) -> list[dict]:
        """Data rows → row records, side by side, with row keys and codes."""
        per_side: list[list[dict]] = [[] for _ in sides]
        full = sum(side.width for side in sides)
        for row in data_rows:
            split = self.split_row(sides, row)
            if split is None:
                self.ledger.warn(
                    "row-misaligned",
                    row[0].line,
                    f"row of {len(row)} cells where the header has {full}; placed left to right",
                )
                split = self.split_positional(sides, row)
            for s, (side, (stub, amounts)) in enumerate(zip(sides, split)):
                record = self.record(kind, side, stub, amounts, shift)
                if record:
                    per_side[s].append(record)
        records = []
        for side, rows in zip(sides, per_side):
            context = None
            for record in rows:
                key = kind.row_key(record.get("label", ""), side.key) if not record.get("code") else None
                if key in ("general", "fund", "state_capital") and context:
                    key = f"{context}.{key}"
                elif key and key.startswith("carryover"):
                    context = key
                elif key:
                    context = None
                record["key"] = key
                if not key and not record.get("code") and kind.layout == "two_sided" and side.key in ("", "expenditure"):
                    code = codes.code_for_name(record.get("label", ""), year or 0, level=1) if year else None
                    record["code"] = code
                records.append(record)
        return records

    def split_row(self, sides: list[Side], row: list[Cell]):
        """Cells → per side (stub cells, amount cells); None if no reading fits the header."""
        for combination in _readings(tuple((tuple(side.stub), len(side.amounts)) for side in sides)):
            widths = [len(stub) + len(side.amounts) + side.trailing for stub, side in zip(combination, sides)]
            short = len(sides[-1].amounts) > 1 and sum(widths) - len(sides[-1].amounts) + 1 == len(row)
            if short:
                # One amount cell spanning the last side's amount columns (合计 rows of 表四).
                label = dict(zip(combination[-1], row[sum(widths[:-1]) :])).get("label")
                if label is None or not self.summary_row(label.text):
                    short = False
                else:
                    widths[-1] = len(combination[-1]) + 1
            if sum(widths) != len(row):
                continue
            result, position, valid = [], 0, True
            for stub, side, width in zip(combination, sides, widths):
                cells = row[position : position + width]
                position += width
                stub_cells, amount_cells = cells[: len(stub)], cells[len(stub) : len(cells) - side.trailing]
                for f, cell in zip(stub, stub_cells):
                    if (f == "code" and cell.text not in BLANK_MARKS and not CODE.match(cell.text) and not code_and_name(cell.text)
                            and not self.summary_row(cell.text)):  # 合计 printed in the code column
                        valid = False
                    if f == "label" and "code" in side.stub and "name" not in stub and CODE.match(cell.text):
                        valid = False
                words = cells[len(cells) - side.trailing :] if side.trailing else []
                result.append((stub_cells_by_field([*stub, *["text"] * len(words)], stub_cells + words), amount_cells))
            if valid:
                return result
        return None

    def summary_row(self, label: str) -> bool:
        return bool(re.search(r"合计|总计|结转|结余", normalise(label))) or not normalise(label)

    def split_positional(self, sides: list[Side], row: list[Cell]):
        result, position = [], 0
        for side in sides:
            cells = row[position : position + side.width]
            position += side.width
            words = cells[len(side.stub) + len(side.amounts) :]
            result.append((stub_cells_by_field([*side.stub, *["text"] * len(words)], cells[: len(side.stub)] + words),
                           cells[len(side.stub) : len(side.stub) + len(side.amounts)]))
        for cell in row[position:]:
            self.ledger.unplace(cell, "cell beyond the table's columns")
        return result

    def record(self, kind: Kind, side: Side, stub: dict[str, Cell], amounts: list[Cell], shift: int = 0) -> dict | None:
        record: dict = {"side": side.key, "lines": {}}
        label_cell = stub.get("name") or stub.get("label")
        code_cell = stub.get("code")
        if code_cell is not None:
            self.ledger.place(code_cell, "code")
            if code_cell.text in BLANK_MARKS:
                pass
            elif any(ch.isdigit() for ch in code_cell.text):
                record["code"] = code_cell.text
                if label_cell is None and (both := code_and_name(code_cell.text)):
                    record["code"], record["label"] = both
                elif label_cell is None and not CODE.match(code_cell.text) and "label" not in record:
                    del record["code"]  # a code column holding the row's words
                    record["label"] = code_cell.text
            elif label_cell is None or label_cell.text in BLANK_MARKS:
                label_cell = code_cell  # 合计, 人员经费合计, 无 printed in the code column: a label, not a code
        elif label_cell is not None and kind.layout == "coded" and (both := code_and_name(label_cell.text)):
            record["code"], label_cell = both[0], Cell(label_cell.line, both[1], label_cell.continuation)
        for field_, cell in stub.items():
            if field_.startswith("detail"):
                self.ledger.place(cell, "label")
                record.setdefault("details", []).append(cell.text)
        again = [cell for f, cell in stub.items() if f.startswith(("code#", "name#"))]
        if again:  # a classification printed again beside the row's own (政府经济科目 beside 部门经济科目): a detail
            for cell in again:
                self.ledger.place(cell, "label")
            words = " ".join(c.text for c in again if c.text not in BLANK_MARKS)
            if words:
                record.setdefault("details", []).append(words)
        if label_cell is not None:
            self.ledger.place(label_cell, "label")
            if label_cell.text not in BLANK_MARKS:
                record["label"] = label_cell.text
        if kind.system == "function" and _UNIT_CODE.match(record.get("code") or ""):  # a unit's row ("105236 西南大学")
            record["label"] = " ".join(t for t in (record.pop("code"), record.get("label")) if t)
        unit_cell = stub.get("unit")
        if unit_cell is not None:  # a unit's own code: kept in front of its name ("317001 无锡市商务局（本级）")
            self.ledger.place(unit_cell, "code")
            if unit_cell.text not in BLANK_MARKS:
                record["label"] = " ".join(t for t in (unit_cell.text, record.get("label")) if t)
        texts = [cell for f, cell in stub.items() if f == "text" or "#" in f and not f.startswith(("code#", "name#"))]
        if texts:  # descriptive columns (采购品目, 专项名称 …): placed, and kept in the row's label
            for cell in texts:
                self.ledger.place(cell, "label")
            words = [record.get("label"), *(c.text for c in texts if c.text not in BLANK_MARKS)]
            if any(words):
                record["label"] = " ".join(w for w in words if w)
            label_cell = label_cell or next((c for c in texts if c.text not in BLANK_MARKS), None)
        line_cell = label_cell if label_cell is not None and label_cell.text else code_cell
        if line_cell is not None:
            record["lines"]["label"] = line_cell.line
        if "row_no" in stub:
            cell = stub["row_no"]
            self.ledger.place(cell, "row_no")
            if INT.match(cell.text):
                record["row_no"] = int(cell.text)
            elif cell.text:
                self.ledger.warn("row-number-invalid", cell.line, f"行次 {cell.text!r} is not a number", subject=cell.text)
                self.ledger.unplace(cell, "invalid row number")
        has_amount = False
        shifted = None if record.get("label") else self.shifted_label(side, amounts)
        if shifted is not None:  # the row's name printed to the right, under an amount column, and no amount
            self.ledger.place(shifted, "label")
            record["label"], record["lines"]["label"] = shifted.text, shifted.line
        for key, cell in zip(side.amounts, amounts):
            if cell is shifted:
                continue
            if key.startswith(WORDS):  # a descriptive column among the amounts: its words go to the label
                self.ledger.place(cell, "label")
                if cell.text not in BLANK_MARKS:
                    record["label"] = " ".join(t for t in (record.get("label"), cell.text) if t)
                    record["lines"].setdefault("label", cell.line)
                continue
            value, problem = parse_amount(cell.text, shift)
            if problem:
                what = "more than two decimals" if problem == "precision" else "not a number"
                self.ledger.warn(f"amount-{problem}", cell.line, f"amount {cell.text!r} in column {key}: {what}; left blank",
                                 subject=cell.text)
                self.ledger.unplace(cell, f"amount {what}")
                continue
            self.ledger.place(cell, "amount")
            if value is not None:
                record[key] = value
                record["lines"][key] = cell.line
                has_amount = True
        if not (record.get("label") or record.get("code") or has_amount):
            return None
        if not has_amount and not record.get("code") and normalise(record.get("label", "")) in PLACEHOLDERS:
            return None  # "无": the table has no rows, not a row named 无
        return record

    @staticmethod
    def shifted_label(side: Side, amounts: list[Cell]) -> Cell | None:
        """Given a row without a name, its amount cells: the one that holds words without a digit where no other
        holds anything (江苏高院 2017's 收入总表 prints 事业收入, 经营收入 … right of their column, under 金额), the
        row's name; else None."""
        filled = [cell for key, cell in zip(side.amounts, amounts) if not key.startswith(WORDS)
                  and cell.text not in BLANK_MARKS]
        if len(filled) != 1 or any(ch.isdigit() for ch in filled[0].text) or not _WORDS.search(filled[0].text):
            return None
        return filled[0]

    def items_rows(self, kind: Kind, number, title, columns, records, attributes) -> Table:
        """A table of items down the rows; a bare 合计 over the 三公 items and 会议费, 培训费 is the grand total,
        not the 三公 total (which it would otherwise be checked against the 三公 items as)."""
        for record in records:
            record["key"] = kind.row_key(record.get("label", ""))
        if any(r["key"] in ("meeting", "training") for r in records):
            for record in records:
                if record["key"] == "total" and normalise(record.get("label") or "") in ("合计", "总计"):
                    record["key"] = "grand_total"
        return build_table(kind.name, number, title, columns, records, layout="items", **attributes)

    def items_wide(self, kind: Kind, number, title, side: Side, data_rows, attributes, shift: int = 0) -> Table:
        """三公 table printed as one row: items × (预算数, 决算数) in the columns."""
        order: list[tuple[str, str]] = []
        for key, path in zip(side.amounts, side.headers):
            item, _, column = key.partition(".")
            if not column:
                item, column = key, "actual"
            order.append((item, column))
        items: dict[str, dict] = {}
        labels = {}
        for (item, column), path in zip(order, side.headers):
            parts = [p for p in path.split("/") if p and not kind.column_key(p)]
            if len(parts) > 1 and normalise(parts[-1]) in ("小计", "合计"):
                parts.pop()
            labels.setdefault(item, parts[-1] if parts else path.split("/")[-1] or item)
        seen: set[str | None] = set()
        printed: list[tuple[str, str]] = []  # (item, column) of each cell read, in reading order
        for number_row, row in enumerate(row for row in data_rows if any(cell.text for cell in row)):
            stub, row = row[: len(side.stub)], row[len(side.stub) :]
            # items across: each row's label says what it holds (预算数 | 决算数); else the one row holds all
            row_column = kind.column_key(stub[0].text) if stub and stub[0].text else None
            if row_column in seen or (number_row > 0 and row_column is None):
                self.ledger.warn("row-extra", (stub or row)[0].line, "the 三公 table has more than one data row; kept the first")
                for cell in stub + row:
                    self.ledger.unplace(cell, "extra 三公 row")
                continue
            seen.add(row_column)
            for cell in stub:
                self.ledger.place(cell, "label")
            if len(row) != len(order):
                self.ledger.warn("row-misaligned", row[0].line, f"row of {len(row)} cells where the header has {len(order)}")
            for cell in row[len(order) :]:
                self.ledger.unplace(cell, "cell beyond the table's columns")
            for (item, column), cell in zip(order, row):
                column = row_column or column
                printed.append((item, column))
                record = items.setdefault(item, {"label": labels[item], "key": item, "lines": {}})
                value, problem = parse_amount(cell.text, shift)
                if problem:
                    self.ledger.warn(f"amount-{problem}", cell.line, f"amount {cell.text!r} in {item}/{column}; left blank",
                                     subject=cell.text)
                    self.ledger.unplace(cell, "amount not a number")
                    continue
                self.ledger.place(cell, "amount")
                if value is not None:
                    record[column] = value
                    record["lines"][column] = cell.line
        for item in dict.fromkeys(i for i, _ in order):
            items.setdefault(item, {"label": labels[item], "key": item, "lines": {}})
        columns = {"budget": "预算数", "actual": "决算数"}  # a budget's 三公 table leaves 决算数 blank
        return build_table(kind.name, number, title, columns, items.values(), layout="items_wide",
                           wide_order=printed if side.stub else order, **attributes)

