"""Root causes: group the findings that one discrepancy explains.

The rules report symptoms: one wrong printed cell breaks every relation it takes part in (its row,
its parent's sum, the table it is copied into, the sentence that restates it). After the rules have
run, this step links each symptom to the discrepancy that explains it, so that an auditor reads a
list of problems, each with its evidence. Nothing is dropped: a consequence keeps its code, cells and
message and gains ``caused_by`` (its root's key); the root carries a sentence naming the discrepancy
and what it explains.

The evidence model (generic: it reasons on the cells and arithmetic a finding states, not on rule codes):

1. **One cell, one fix.** A finding that checked arithmetic (``Finding.form``: a total against its parts,
   a part within its whole, a stated figure against the cell it restates) says, for each of its cells,
   which values of that cell alone would make it pass. A cell shared by several failing findings whose
   ranges overlap is the natural root: fixing that one cell to that value makes all of them pass.
   Roots are chosen greedily, the cell explaining most findings first; ties go to table cells over
   narrative ones, then to print order.
2. **One figure on a hierarchy line.** A 类 with a single 款 (or a 款 with a single 项) prints the same
   figure twice; when both carry the same wrong (or blank) value and need the same fix, it is one
   discrepancy.
3. **Fixes that only work together.** A finding that none of the fixes explains alone but that passes
   once the fixes of several roots are applied together (a parent's sum over several wrong children)
   joins them into one discrepancy.
4. **One total row.** A total row off the rows beneath it in several columns, in one direction, by amounts that
   add up as its columns do (合计's excess is 基本支出's plus 项目支出's, as rows left out of the listing make it),
   is one discrepancy: its cells are the row's totals. Taken before the cells, so that a blank part that could
   fill one column's gap does not split the row. Its transpose, taken last on what no other evidence explains: one
   column's totals off their parts on several rows by gaps that add up as the rows do (a 合计 row's gap the sum of
   its units': the column leaves out one of its parts on every row).
5. **A wrong code row.** A code finding on a row explains the code findings of the rows printed beneath
   it that would have it as their parent (a malformed 款 code and its 项 "missing parent" errors).
6. **Structural faults** are their own roots, with their own codes (``STRUCTURAL``): a block of rows
   printed shifted against their codes (FA-S001), a header row read as data (FA-S002), a column's
   amounts standing under the next header (FA-S003). Detected by re-running the rules on the table as
   it should have been printed: the findings that disappear (and those on the amended cells) are its
   consequences. Accepted only when they make several distinct problems by 1–4, so that one wrong cell
   is never reported as a structural fault. Run before the cell roots; a structural root is a finding
   of its own, added to the list.

Informational findings (rounding notes) are never grouped. Deterministic: same findings, same groups.
A stated percentage checked against its computed value (``form="value"``) needs its one figure within a printed
unit of that value; shares checked against 100% (``form="parts"``) need one of them moved by the deviation, so a
wrong share explains the warning that the shares do not add up.
Known limits: a consequence hangs under one root even when two discrepancies feed it; a finding
without stated arithmetic (a code name) is grouped only through its code row.
"""

from __future__ import annotations

import itertools

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from heapq import heapify, heappop, heappush

import numpy as np

from finaudit import cite
from finaudit.findings import SEVERITY_RANK, AuditResult, CellRef, Finding, Location, Severity, numbered
from finaudit.model import Report, Table
from finaudit.words import LABELS, Text, joined

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


# -- what a finding needs of each of its cells -------------------------------------------------------
@dataclass(frozen=True)
class Need:
    """The values one cell may take for a finding to pass (None: unbounded), and the value it implies."""

    low: Decimal | None
    high: Decimal | None
    value: Decimal | None = None  # the single value the finding implies, when it implies one

    def meet(self, other: Need) -> Need | None:
        low = max((b for b in (self.low, other.low) if b is not None), default=None)
        high = min((b for b in (self.high, other.high) if b is not None), default=None)
        if low is not None and high is not None and low > high:
            return None
        value = next((v for v in (self.value, other.value) if v is not None and _within(v, low, high)), None)
        return Need(low, high, value)

    @property
    def bounded(self) -> bool:
        return self.low is not None and self.high is not None


def _within(value: Decimal, low: Decimal | None, high: Decimal | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def cell_id(cell: CellRef) -> tuple:
    """One printed figure: a table cell by table, row and column; a narrative figure by place and value."""
    if cell.kind == "narrative":
        return ("narrative", cell.row, cell.line, cell.page, cell.value)
    return (cell.kind, cell.row_index if cell.row_index is not None else cell.row, cell.column or "")


def _band(finding: Finding, parts: int) -> Decimal:
    if finding.tolerance is not None:
        return finding.tolerance
    return Decimal("0.005") * (max(parts, 1) + 1)


def needs(finding: Finding) -> dict[tuple, Need]:
    """For each cell of an arithmetic finding, the values that cell alone would need for it to pass."""
    cells = finding.cells
    form, signs = finding.form, finding.signs
    if form == "value" and cells and cells[0].value is not None and finding.expected is not None:
        # a stated figure against the one value it should be (a share, a rate): within one printed unit
        unit = Decimal(1).scaleb(cells[0].value.as_tuple().exponent)
        return {cell_id(cells[0]): Need(finding.expected - unit, finding.expected + unit, finding.expected)}
    if form == "parts" and finding.expected is not None and all(c.value is not None for c in cells):
        # stated parts against a fixed whole (shares against 100%): each part alone would need the deviation
        deviation = sum((c.value for c in cells), ZERO) - finding.expected
        band = _band(finding, len(cells))
        return {cell_id(c): Need(c.value - deviation - band, c.value - deviation + band, c.value - deviation)
                for c in cells} if abs(deviation) > band else {}
    if len(cells) < 2:
        return {}
    # no form stated: a figure against the figure(s) it should equal, e.g. a narrative amount and its cell
    if not form and finding.expected is not None and finding.actual == cells[0].value \
            and sum((c.value for c in cells[1:] if c.value is not None), ZERO) == finding.expected:
        form = "sum"
    if form == "at_most" and len(cells) == 2:
        part, whole = cells
        limit = whole.value or ZERO
        return {cell_id(part): Need(None, limit, limit), cell_id(whole): Need(part.value or ZERO, None, part.value)}
    if form != "sum":
        return {}
    signs = signs or (1,) * (len(cells) - 1)
    total, parts = cells[0], cells[1:]
    deviation = (total.value or ZERO) - sum((s * (p.value or ZERO) for s, p in zip(signs, parts)), ZERO)
    band = _band(finding, sum(p.value is not None for p in parts))
    if abs(deviation) <= band:
        return {}
    base = total.value or ZERO
    out = {}
    out[cell_id(total)] = Need(base - deviation - band, base - deviation + band, base - deviation)
    for sign, part in zip(signs, parts):  # a sign is ±1, or a unit's factor (a 万元 figure restating a cell in 元)
        value = part.value or ZERO
        centre = value + deviation / sign
        need = Need(centre - band / abs(sign), centre + band / abs(sign), centre)
        key = cell_id(part)
        out[key] = out[key].meet(need) or need if key in out else need
    return out


# -- groups ------------------------------------------------------------------------------------------
@dataclass
class Group:
    """One discrepancy: the cells it lies in, the value each needs, and the findings it explains."""

    cells: list[CellRef]
    fixes: list[Need]
    members: set[int]
    code: str = ""  # a structural fault's own finding code; "" for a cell discrepancy
    root: int | None = None  # the index of a structural root finding, added to the list
    label_zh: str = ""
    label_en: str = ""
    along: str = ""  # "row" or "column": the totals of one line, off their parts (``totals``)


class _Sweep:
    """One cell's candidate values (every bound of the needs of it) and, for each, how many needs of the
    pool hold it and how many of those pin a value: counted once from the sorted bounds (a sweep, n log n);
    a need leaving the pool is taken off its range of candidates, so a cell many findings need is not
    swept again each time a group takes some of them."""

    def __init__(self, needs: list[Need]):
        self.points = sorted({b for n in needs for b in (n.low, n.high) if b is not None}) or [ZERO]
        holding = [n for n in needs if _holds(n)]
        lows = sorted(n.low for n in holding if n.low is not None)
        highs = sorted(n.high for n in holding if n.high is not None)
        bounded_lows = sorted(n.low for n in holding if n.bounded)
        bounded_highs = sorted(n.high for n in holding if n.bounded)
        no_low = len(holding) - len(lows)
        # the needs holding a point: low at or below it (or none), less those whose high is below it
        self.count = np.array([no_low + bisect_right(lows, p) - bisect_left(highs, p) for p in self.points], np.int64)
        self.pinned = np.array([bisect_right(bounded_lows, p) - bisect_left(bounded_highs, p) for p in self.points],
                               np.int64)
        self.not_negative = np.array([p >= -CENT for p in self.points], np.int64)

    def remove(self, need: Need) -> None:
        if not _holds(need):
            return
        start = bisect_left(self.points, need.low) if need.low is not None else 0
        end = bisect_right(self.points, need.high) if need.high is not None else len(self.points)
        self.count[start:end] -= 1
        if need.bounded:
            self.pinned[start:end] -= 1

    def stab(self, items: list[tuple[int, Need]]) -> tuple[set[int], Need | None]:
        """The largest set of the needs `items` (those of the pool) that one value satisfies, and the range
        of that value: the first candidate with most needs, then most of them pinning a value, then not
        negative (a candidate no live need bounds ties with one that does, holding the same needs)."""
        score = self.count * (2 * len(self.points) + 4) + self.pinned * 2 + self.not_negative
        best = self.points[int(np.argmax(score))]
        members = [(i, n) for i, n in items if _within(best, n.low, n.high)]
        region = members[0][1] if members else None
        for _, n in members[1:]:
            region = region.meet(n) or region
        return {i for i, _ in members}, region


def _holds(need: Need) -> bool:
    """Whether some value satisfies a need (an empty range holds none)."""
    return not (need.bounded and need.low > need.high)


def _order(cell: CellRef) -> tuple:
    return (cell.kind == "narrative", cell.table or 0, cell.line or 0, cell.page or 0,
            cell.row_index if cell.row_index is not None else -1, cell.column or "", cell.row)


def cell_groups(findings: Sequence[Finding], pool: set[int]) -> list[Group]:
    """Greedy: the cell whose one fix explains most findings of the pool becomes a root, and so on."""
    need = {i: needs(findings[i]) for i in sorted(pool)}
    refs: dict[tuple, CellRef] = {}
    for i in sorted(pool):
        for cell in findings[i].cells:
            refs.setdefault(cell_id(cell), cell)
    pool = {i for i in pool if need[i]}
    sharing: dict[tuple, list[int]] = {}  # cell → the findings that need something of it, in run order
    for i in sorted(pool):
        for key in need[i]:
            sharing.setdefault(key, []).append(i)
    keys = sorted((k for k, found in sharing.items() if len(found) >= 2), key=lambda k: _order(refs[k]))
    groups = []
    stabbed: dict[tuple, tuple | None] = {}  # key → its best (score, key, members, region) while its pool holds

    sweeps: dict[tuple, _Sweep] = {}  # key → its candidate values, counted over the pool

    def stab(key: tuple) -> tuple | None:
        if key not in stabbed:
            items = [(i, need[i][key]) for i in sharing[key] if i in pool]
            stabbed[key] = None
            if len(items) >= 2:
                if key not in sweeps:
                    sweeps[key] = _Sweep([n for _, n in items])
                members, region = sweeps[key].stab(items)
                subject = any(cell_id(findings[i].cells[0]) == key for i in members)
                if len(members) >= 2:
                    stabbed[key] = ((len(members), refs[key].kind != "narrative", subject), key, members, region)
        return stabbed[key]

    # a lazy greedy: the heap holds each key's rank (best score first, then print order); a key whose pool
    # shrank is queued at an optimistic rank (its former size) and stabbed again only when it reaches the top
    queued: dict[tuple, tuple] = {}  # key → the rank of its one live heap entry
    heap = []
    for position, key in enumerate(keys):
        found = stab(key)
        if found is not None:
            queued[key] = _rank(found[0])
            heap.append((queued[key], position, key))
    heapify(heap)
    where = {key: position for position, key in enumerate(keys)}
    while heap:
        rank, position, key = heappop(heap)
        if queued.get(key) != rank:  # superseded by a later entry
            continue
        del queued[key]
        found = stab(key)
        if found is None:
            continue
        if _rank(found[0]) != rank:  # the rank was optimistic: queue it where it stands
            queued[key] = _rank(found[0])
            heappush(heap, (queued[key], position, key))
            continue
        _, key, members, region = found
        groups.append(Group([refs[key]], [region], set(members)))
        pool -= members
        for i in members:  # only the keys of the findings just explained can change
            for touched in need[i]:
                if touched in sweeps:
                    sweeps[touched].remove(need[i][touched])
                former = stabbed.pop(touched, None)
                if former is not None:
                    queued[touched] = (-former[0][0], False, False)
                    heappush(heap, (queued[touched], where[touched], touched))
    return groups


def _rank(score: tuple) -> tuple:
    """A group score as a heap key: more members first, a table cell before a narrative figure, a finding
    whose subject is the cell first."""
    count, table_cell, subject = score
    return (-count, not table_cell, not subject)


def merge_hierarchy_lines(groups: list[Group]) -> list[Group]:
    """Join single-cell groups whose cells lie on one code line of one column with the same printed value
    and the same fix: a 类 with a single 款 prints that figure twice."""
    merged: list[Group] = []
    for group in groups:
        target = next((g for g in merged if _same_line(g, group)), None)
        if target is None:
            merged.append(group)
            continue
        target.cells += group.cells
        target.fixes += group.fixes
        target.members |= group.members
    return merged


def _same_line(a: Group, b: Group) -> bool:
    if a.code or b.code:
        return False
    for cell, fix in zip(a.cells, a.fixes):
        for other, other_fix in zip(b.cells, b.fixes):
            if cell.kind == "narrative" or (cell.kind, cell.column) != (other.kind, other.column):
                continue
            if cell.value != other.value or not (cell.row.isdigit() and other.row.isdigit()):
                continue
            if not (cell.row.startswith(other.row) or other.row.startswith(cell.row)) or cell.row == other.row:
                continue
            if fix.meet(other_fix) is not None:
                return True
    return False


def join_fixes(findings: Sequence[Finding], groups: list[Group], pool: set[int]) -> list[Group]:
    """A finding that the fixes of several groups explain only together joins those groups into one."""
    fixed: dict[tuple, tuple[int, Need]] = {}
    for index, group in enumerate(groups):
        for cell, fix in zip(group.cells, group.fixes):
            if fix.bounded:
                fixed.setdefault(cell_id(cell), (index, fix))
    for i in sorted(pool):
        finding = findings[i]
        involved = sorted({fixed[cell_id(c)][0] for c in finding.cells if cell_id(c) in fixed})
        if not involved or not _passes_with(finding, {k: v[1] for k, v in fixed.items()}):
            continue
        first = groups[involved[0]]
        first.members.add(i)
        for other in involved[1:]:
            if groups[other] is not first and groups[other].members:
                first.cells += groups[other].cells
                first.fixes += groups[other].fixes
                first.members |= groups[other].members
                groups[other].members = set()
                for key, (index, fix) in list(fixed.items()):
                    if index == other:
                        fixed[key] = (involved[0], fix)
    return [g for g in groups if g.members]


def totals(findings: Sequence[Finding], pool: set[int], along: str) -> list[Group]:
    """The sum findings of one line of totals, one problem, not one per cell: along a ``"row"``, a total row off the
    rows beneath in several columns (a 合计 row short of its rows in every column: rows left out, or the row itself
    wrong); along a ``"column"``, one column's totals off their parts on several rows (a 合计 row's gap the sum of
    its units': the column leaves out one of its parts on every row). Each in one direction, the gaps adding up as
    the columns (or rows) do. The group's cells are the totals, each with the value its parts add up to."""
    lines: dict[tuple, list[int]] = {}
    for i in sorted(pool):
        key = _line_of_totals(findings[i], along)
        if key is not None:
            lines.setdefault(key, []).append(i)
    groups = []
    for members in (m for m in lines.values() if len(m) > 1 and _adds_up([findings[i] for i in m])):
        cells = [findings[i].cells[0] for i in members]
        groups.append(Group(cells, [needs(findings[i])[cell_id(c)] for i, c in zip(members, cells)], set(members),
                            along=along))
    return groups


def _line_of_totals(finding: Finding, along: str) -> tuple | None:
    """The line of totals a sum finding lies on, whose total alone could be fixed: along a row, its table, row, part
    rows and direction (its parts beneath it, in its column); along a column, its table, column, part columns and
    direction (its parts beside it, in its row). None for any other finding."""
    total, *parts = finding.cells or (None,)
    if finding.form != "sum" or not parts or total.kind == "narrative" or total.row_index is None \
            or not finding.difference or cell_id(total) not in needs(finding) or any(p.kind != total.kind for p in parts):
        return None
    if along == "row":
        if any(p.column != total.column or p.row_index is None for p in parts):
            return None
        return total.kind, total.row_index, tuple(sorted(p.row_index for p in parts)), finding.difference > 0
    if any(p.row_index != total.row_index or p.column == total.column for p in parts):
        return None
    return total.kind, total.column, tuple(p.column for p in parts), finding.difference > 0


def _adds_up(findings: Sequence[Finding], most: int = 12) -> bool:
    """Whether the differences of a total row's columns add up as its columns do: the largest is the sum of some of
    the others (合计's shortfall is 基本支出's plus 项目支出's, as rows left out would make it), within their bands;
    two columns off by unrelated amounts are two problems."""
    differences = sorted((f.difference for f in findings), key=abs, reverse=True)
    largest, rest = differences[0], differences[1:most + 1]
    band = sum((f.tolerance or Decimal(0)) for f in findings)
    return any(abs(sum(chosen) - largest) <= band for size in range(1, len(rest) + 1)
               for chosen in itertools.combinations(rest, size))


def _passes_with(finding: Finding, fixes: dict[tuple, Need]) -> bool:
    """Whether a sum finding passes for some values of its fixed cells within their fixes."""
    cells = finding.cells
    if finding.form != "sum" and not needs(finding):
        return False
    if finding.form == "at_most":
        part, whole = cells
        low = fixes[cell_id(part)].low if cell_id(part) in fixes else part.value or ZERO
        high = fixes[cell_id(whole)].high if cell_id(whole) in fixes else whole.value or ZERO
        return low is not None and high is not None and low <= high
    signs = finding.signs or (1,) * (len(cells) - 1)
    low = high = ZERO
    for sign, cell in zip((1, *(-s for s in signs)), cells):
        fix = fixes.get(cell_id(cell))
        a, b = (fix.low, fix.high) if fix else (cell.value or ZERO, cell.value or ZERO)
        a, b = sorted((sign * a, sign * b))
        low, high = low + a, high + b
    band = _band(finding, sum(c.value is not None for c in cells[1:]))
    return low <= band and high >= -band


def code_rows(findings: Sequence[Finding], report: Report, pool: set[int]) -> list[Group]:
    """A finding on a row's code explains the code findings of the rows beneath it that would have that
    row as their parent (the nearest row above with a shorter code) but do not start with its code."""
    on_code = {}
    for i in sorted(pool):
        finding = findings[i]
        cell = finding.cells[0] if finding.cells else None
        if cell is not None and finding.where.column == "label" and cell.row_index is not None and cell.kind in report.tables:
            on_code.setdefault((cell.kind, cell.row_index), []).append(i)
    groups: dict[tuple, Group] = {}
    for (kind, row), members in sorted(on_code.items()):
        parent = _printed_parent(report.tables[kind], row)
        if parent is None or (kind, parent) not in on_code:
            continue
        # rows are visited top down: a parent row already belongs to its own parent's group, if any
        found = groups.get((kind, parent))
        if found is None:
            found = groups[(kind, parent)] = Group([findings[on_code[(kind, parent)][0]].cells[0]], [Need(None, None)],
                                                   set(on_code[(kind, parent)]))
        found.members |= set(members)
        groups[(kind, row)] = found
    unique = []
    for group in groups.values():
        if all(group is not g for g in unique):
            unique.append(group)
    return unique


def _printed_parent(table: Table, row: int) -> int | None:
    codes = table.column("code")
    code = codes[row] or ""
    if not code:
        return None
    for above in range(row - 1, -1, -1):
        candidate = codes[above] or ""
        if candidate and len(candidate) < len(code):
            return None if code.startswith(candidate) else above
    return None


# -- structural faults ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fault:
    """A structural fault's permanent code and catalogue text (listed in docs/rules.md with the rules)."""

    code: str
    severity: str
    title_zh: str
    title_en: str
    doc: str


STRUCTURAL: dict[str, Fault] = {fault.code: fault for fault in (
    Fault("FA-S001", "error", "金额与科目错行", "Amounts printed shifted against their codes",
          "A block of rows of a coded table carries the amounts of the neighbouring codes: read one row up "
          "(or down), the findings that involve those rows disappear. Reported once, as the root of those "
          "findings. Evidence: the rules re-run on the table with the block moved back; accepted when at "
          "least three errors disappear, at least half of those touching the block, and the move creates at "
          "most a third as many. Known false positives: none seen; a table whose rows are genuinely all wrong "
          "in a pattern that a move happens to repair would be reported as shifted."),
    Fault("FA-S002", "error", "表头行被读作数据", "A header row read as data",
          "A row of a table whose amounts are the column numbers (栏次 1, 2, 3 …) or whose label is a column "
          "header was read as a data row; blanked, the findings that involve it disappear. Reported once, "
          "as the root of those findings (same acceptance as FA-S001)."),
    Fault("FA-S003", "error", "金额列错位", "A column's values belong to the next column",
          "From one column on, a table's amounts stand one column to the left or right of their headers; "
          "moved back, the findings that involve those columns disappear. Reported once, as the root of "
          "those findings (same acceptance as FA-S001)."),
)}

MIN_RESOLVED = 3
MAX_SCREENS = 120  # hypotheses screened per report at most (the table's own rules on the table alone, ~2 ms)
FULL_RUNS = 3  # the best screened hypotheses of a table re-run with every rule involved
MAX_TRIALS = 12  # full re-runs per report at most
STARTS = 4  # block starts whose every end is screened


@dataclass(frozen=True)
class Amendment:
    """A hypothesis about how a table was misprinted, and the table as it would then have been printed."""

    code: str
    kind: str
    rows: tuple[int, ...]
    columns: tuple[str, ...]
    table: Table
    zh: str
    en: str
    vacated: tuple[int, ...] = ()  # rows the amendment leaves blank (their amounts were not printed)



def _amended(table: Table, values: dict[str, list]) -> Table:
    return replace(table, values=values, _frames={})


def _blanked(table: Table, amended: Table) -> int:
    return sum(a is not None and b is None for c in table.amount_columns for a, b in zip(table.column(c), amended.column(c)))


def _copy_values(table: Table) -> dict[str, list]:
    return {name: table.column(name) for name in table.values}


#: How far a block's amounts may stand off their codes: one row (the common slip), else two or three.
SHIFTS = ((-1, 1), (-2, 2, -3, 3))


def row_shifts(table: Table, touched: dict[int, set[int]], name: str, screen: Callable[[Amendment], int],
               steps: Sequence[int] = SHIFTS[0]) -> list[Amendment]:
    """Blocks of coded rows that start and end on rows the errors touch (or end at the last row), read
    one to three rows up or down; most rows of a block must be touched (a shifted row is wrong unless it equals
    its neighbour) and the findings on it must make several distinct problems (`touched`: row → the
    problems of the findings on it). Searched in two passes to keep the re-runs few: blocks from each
    touched row to the last touched or last row first; then, for the best few starts, every touched end."""
    codes = table.column("code")
    coded = [i for i, c in enumerate(codes) if c]
    if len(coded) < 3:
        return []
    hit = [r for r in touched if codes[r]]
    tried: dict[tuple, tuple[int, Amendment]] = {}

    def attempt(start: int, end: int) -> None:
        block = tuple(r for r in coded if start <= r <= end)
        if len(block) < 2 or 2 * len(set(block) & set(hit)) < len(block):
            return
        if len(set().union(*(touched.get(r, set()) for r in block))) < MIN_RESOLVED:
            return
        for step in steps:
            if len(block) > abs(step) and (block, step) not in tried:
                amendment = _row_shift(table, block, step, name, codes, coded)
                tried[(block, step)] = (screen(amendment), amendment)

    for start in hit:
        for end in {*(r for r in hit[-1:] if r > start), coded[-1]}:
            attempt(start, end)
    ranked = sorted(tried.items(), key=lambda item: (item[1][0], len(item[0][0]), item[0]))
    for start in list(dict.fromkeys(block[0] for (block, _), _ in ranked))[:STARTS]:
        for end in (r for r in hit if r > start):
            attempt(start, end)
    return [amendment for _, amendment in tried.values()]


def _row_shift(table, block, step, name, codes, coded) -> Amendment:
    values = _copy_values(table)
    position = {row: n for n, row in enumerate(coded)}
    members = set(block)
    moves = [(row, coded[target]) for row in block
             if 0 <= (target := position[row] + step) < len(coded) and coded[target] in members]
    for column in table.amount_columns:
        printed, amended = table.column(column), values[column]
        for row in block:
            amended[row] = None
        for row, target in moves:
            amended[target] = printed[row]
    first, last = codes[block[0]], codes[block[-1]]
    rows = WORDS["one_row"] if abs(step) == 1 else WORDS["rows"].format(n=abs(step))
    said = WORDS["row_shift"].format(table=name, first=first, last=last, count=len(block), rows=rows,
                                     direction=WORDS["up" if step < 0 else "down"])
    return Amendment("FA-S001", table.kind, block, tuple(table.amount_columns), _amended(table, values), *said,
                     vacated=block[step:] if step < 0 else block[:step])


def header_rows(table: Table, name: str) -> Iterator[Amendment]:
    """Rows whose amounts are the column numbers 1, 2, 3 … or whose label is a column header."""
    headers = {h.replace(" ", "") for h in table.columns.values()}
    labels = table.column("label")
    for row in range(len(labels)):
        amounts = [table.value(row, c) for c in table.amount_columns]
        present = [a for a in amounts if a is not None]
        numbered = len(present) >= 2 and present == [100 * (n + 1) for n in range(len(present))] or \
            len(present) >= 2 and present == [100 * (present[0] // 100 + n) for n in range(len(present))] and present[0] % 100 == 0
        label = (labels[row] or "").replace(" ", "")
        if not (numbered or (label and label in headers and present)):
            continue
        values = _copy_values(table)
        for column in table.amount_columns:
            values[column][row] = None
        yield Amendment("FA-S002", table.kind, (row,), tuple(table.amount_columns), _amended(table, values),
                        *WORDS["header_row"].format(table=name, row=row + 1, label=labels[row] or ""))


def column_shifts(table: Table, name: str) -> Iterator[Amendment]:
    """From one amount column on, every value moved one column back (or forward)."""
    columns = table.amount_columns
    for start in range(len(columns) - 1):
        for step in (-1, 1):
            values = _copy_values(table)
            moved = columns[start:]
            for column in moved:
                values[column] = [None] * len(values[column])
            for n, column in enumerate(moved):
                target = start + n + step
                if start <= target < len(columns):
                    values[columns[target]] = table.column(column)
            header = table.columns[columns[start]]
            yield Amendment("FA-S003", table.kind, tuple(range(len(table.column("code")))), tuple(moved),
                            _amended(table, values),
                            *WORDS["column_shift"].format(table=name, header=header, column=columns[start],
                                                          side=WORDS["left" if step < 0 else "right"]))


def structural_groups(findings: Sequence[Finding], report: Report,
                      rerun: Callable[[Report, str, Collection[str]], list[Finding]],
                      problems: dict[int, int]) -> list[tuple[Group, Finding]]:
    """Structural faults, each with the findings it explains: the amended table that makes most errors
    disappear (and few appear) when the rules are run again, and that explains several distinct problems
    (`problems`: finding → problem without structure), not the consequences of one wrong cell."""
    search = FaultSearch(findings, report, rerun, problems)
    if len(search.errors) < MIN_RESOLVED:
        return []
    out = []
    for kind in search.tables():
        found = search.fault_in(kind)
        if found is not None:
            search.taken |= found[0].members
            out.append(found)
    return out


@dataclass
class FaultSearch:
    """The state of one report's structural search: the findings, the re-run, and the budget spent."""

    findings: Sequence[Finding]
    report: Report
    rerun: Callable[[Report, str, Collection[str]], list[Finding]]
    problems: dict[int, int]
    taken: set[int] = field(default_factory=set)
    screened: int = 0
    trials: int = 0

    def __post_init__(self):
        self.errors = [i for i, f in enumerate(self.findings) if f.severity == Severity.ERROR]
        self.on_table: dict[str, list[int]] = {}  # table kind → the errors on its rows, in order
        for i in self.errors:
            for kind in dict.fromkeys(c.kind for c in self.findings[i].cells if c.row_index is not None):
                self.on_table.setdefault(kind, []).append(i)

    def problem(self, index: int) -> int:
        return self.problems.get(index, -1 - index)

    def touching(self, kind: str) -> list[int]:
        return [i for i in self.on_table.get(kind, ()) if i not in self.taken]

    def tables(self) -> list[str]:
        """Coded tables whose errors make enough distinct problems, most first."""
        ranked = []
        for kind, table in sorted(self.report.tables.items()):
            distinct = len({self.problem(i) for i in self.touching(kind)})
            if table.layout == "coded" and distinct >= MIN_RESOLVED:
                ranked.append((-distinct, kind))
        return [kind for _, kind in sorted(ranked)]

    def fault_in(self, kind: str) -> tuple[Group, Finding] | None:
        """The best-supported hypothesis for one table: screened on the table alone with its own rules (or,
        when every finding on it also involves another table, on the whole report), the best few re-run in
        full and judged."""
        table, touching = self.report.tables[kind], self.touching(kind)
        rows: dict[int, set[int]] = {}
        for i in touching:
            for c in self.findings[i].cells:
                if c.kind == kind and c.row_index is not None:
                    rows.setdefault(c.row_index, set()).add(self.problem(i))
        codes = {self.findings[i].code for i in touching}
        inside = {self.findings[i].code for i in touching if all(c.kind == kind for c in self.findings[i].cells)}
        baseline = sum(1 for i in touching if self.findings[i].code in (inside or codes)
                       and (not inside or all(c.kind == kind for c in self.findings[i].cells)))
        # by the amendment's id, the amendment kept with its score: a freed amendment's id may be reused by a new one
        screens: dict[int, tuple[Amendment, int]] = {}

        def screen(amendment: Amendment) -> int:
            if id(amendment) not in screens:
                screens[id(amendment)] = (amendment, self.screen(amendment, inside or codes, alone=bool(inside),
                                                                 baseline=baseline))
            return screens[id(amendment)][1]

        name = cite.table_named(table.ordinal, kind)

        def scored(candidates: list[Amendment]) -> list[tuple]:
            # fewer errors left; then fewer printed amounts discarded (blanking hides relations); then smaller
            return sorted((screen(a), _blanked(table, a.table), len(a.rows), len(a.columns), n, a)
                          for n, a in enumerate(candidates) if baseline - screen(a) >= MIN_RESOLVED)

        touched = dict(sorted(rows.items()))
        best = None
        for phase, steps in enumerate(SHIFTS):  # a block two or three rows off only where nothing nearer explains
            if self.screened >= MAX_SCREENS:
                break  # every hypothesis left would keep the baseline, unscreened: none could be judged
            others = [*header_rows(table, name), *column_shifts(table, name)] if phase == 0 else []
            for *_, amendment in scored([*row_shifts(table, touched, name, screen, steps), *others])[:FULL_RUNS]:
                judged = self.judge(amendment, touching, codes)
                if judged is not None and (best is None or judged[0] > best[0]):
                    best = (judged[0], amendment, judged[1])
            if best is not None:
                break
        return None if best is None else _structural(best[1], best[2], self.findings, self.report)

    def screen(self, amendment: Amendment, codes: Collection[str], *, alone: bool, baseline: int) -> int:
        """The errors of `codes` left with the amended table (on that table alone, or on the whole report)."""
        if self.screened >= MAX_SCREENS:
            return baseline
        self.screened += 1
        tables = {amendment.kind: amendment.table} if alone else {**self.report.tables, amendment.kind: amendment.table}
        found = self.rerun(replace(self.report, tables=tables), amendment.kind, codes)
        return sum(1 for f in found if f.severity == Severity.ERROR)

    def judge(self, amendment: Amendment, touching: list[int], codes: set[str]) -> tuple[tuple, set[int]] | None:
        """Re-run every rule involved: the score of the hypothesis and the findings it explains, or None
        when it explains too little (fewer than three errors or distinct problems, or not half of the errors
        on the amended cells) or breaks too much (a third as many new errors)."""
        if self.trials >= MAX_TRIALS:
            return None
        self.trials += 1
        kind, findings = amendment.kind, self.findings
        tables = {**self.report.tables, kind: amendment.table}
        errors = [f for f in numbered(self.rerun(replace(self.report, tables=tables), kind, codes))
                  if f.severity == Severity.ERROR]
        before = {findings[i].key for i in self.errors if findings[i].code in codes}
        after = {f.key for f in errors}
        resolved = {i for i in self.errors if findings[i].code in codes and findings[i].key not in after and i not in self.taken}
        # errors about the row whose amounts were lost are expected of the amended table, not against it
        new = {f.key for f in errors if f.key not in before
               and not any(c.kind == kind and c.row_index in amendment.vacated for c in f.cells)}
        block = {i for i in touching if _touches(findings[i], kind, amendment)}
        if len(resolved) < MIN_RESOLVED or 3 * len(new) > len(resolved) or 2 * len(resolved & block) < len(block):
            return None
        if len({self.problem(i) for i in resolved}) < MIN_RESOLVED:
            return None
        score = (len(resolved) - 2 * len(new), -_blanked(self.report.tables[kind], amendment.table),
                 -len(amendment.rows), -len(amendment.columns))
        return score, resolved | block


def _touches(finding: Finding, kind: str, amendment: Amendment) -> bool:
    """Whether a finding involves the amended cells or, for a block of rows, the rows just outside it (a
    shifted block loses one row's amounts at one edge and leaves a row blank at the other)."""
    rows = set(amendment.rows)
    if amendment.code == "FA-S001":  # the rows a shift of k rows reaches beyond the block
        reach = max(len(amendment.vacated), 1)
        rows |= {amendment.rows[0] - n for n in range(1, reach + 1)} | {amendment.rows[-1] + n for n in range(1, reach + 1)}
    return any(c.kind == kind and c.row_index in rows and c.column in amendment.columns for c in finding.cells)


def _structural(amendment: Amendment, members: set[int], findings: Sequence[Finding], report: Report) -> tuple[Group, Finding]:
    from finaudit.rules.registry import View  # only structural roots cite table cells this way

    fault = STRUCTURAL[amendment.code]
    table = report.tables[amendment.kind]
    view = View(table)
    cells = tuple(view.cell(row, "label") for row in amendment.rows)
    codes = table.column("code")
    rows = [codes[r] or f"row {r + 1}" for r in amendment.rows]
    if amendment.code == "FA-S003":  # a column fault: cited by its first column, over the coded rows
        rows = [c for c in codes if c] or rows
    column = amendment.columns[0] if amendment.code == "FA-S003" else None
    where = Location(table.ordinal, amendment.kind, rows[0] if len(rows) == 1 else f"{rows[0]}–{rows[-1]}", column)
    finding = Finding(fault.code, Severity(fault.severity), where, amendment.zh, amendment.en, cells=cells,
                      about="|".join(amendment.columns))
    group_ = Group(list(cells), [Need(None, None)] * len(cells), set(members), code=fault.code,
                   label_zh=amendment.zh, label_en=amendment.en)
    return group_, finding


# -- the step the audit calls --------------------------------------------------------------------------
def group(findings: list[Finding], report: Report,
          rerun: Callable[[Report, str, Collection[str]], list[Finding]] | None = None) -> list[Finding]:
    """The findings with root causes linked (``caused_by`` on consequences, the sentence on roots);
    structural roots found by `rerun` (the rules on an amended report) are added at the end."""
    findings = list(findings)
    groups: list[Group] = []
    plain = _grouped(findings, report, _pool(findings, ()))
    if rerun is not None:
        problems = _problems(findings, plain)
        for found, finding in structural_groups(findings, report, rerun, problems):
            found.root = len(findings)
            findings.append(finding)
            groups.append(found)
    if groups:  # the structural roots took findings: group what is left again
        plain = _grouped(findings, report, _pool(findings, groups))
    return link(findings, groups + plain, report)


def _pool(findings: Sequence[Finding], groups: Sequence[Group]) -> set[int]:
    taken = {i for g in groups for i in g.members} | {g.root for g in groups}
    return {i for i, f in enumerate(findings) if f.severity != Severity.INFO and i not in taken}


def _grouped(findings: Sequence[Finding], report: Report, pool: set[int]) -> list[Group]:
    """The non-structural groups of the findings in `pool`: total rows, code rows, cells, then total columns of what
    is left."""
    rows = totals(findings, pool, "row")
    pool = pool - {i for g in rows for i in g.members}
    by_code = code_rows(findings, report, pool)
    pool -= {i for g in by_code for i in g.members}
    cells = merge_hierarchy_lines(cell_groups(findings, pool))
    pool -= {i for g in cells for i in g.members}
    cells = join_fixes(findings, cells, pool)
    pool -= {i for g in cells for i in g.members}
    return rows + by_code + cells + totals(findings, pool, "column")


def _problems(findings: Sequence[Finding], plain: Sequence[Group]) -> dict[int, int]:
    """Finding index → the distinct problem (group number) it belongs to before structural faults."""
    problem = {i: -1 - i for i in _pool(findings, ())}
    for n, g in enumerate(plain):
        problem.update({i: n for i in g.members})
    return problem


def pick_root(findings: Sequence[Finding], group_: Group) -> int:
    """The root of a group: its own structural finding, else the most severe member, preferring one whose
    subject is a cell of the discrepancy, then print order."""
    if group_.root is not None:
        return group_.root
    keys = {cell_id(c) for c in group_.cells}
    return min(group_.members, key=lambda i: (SEVERITY_RANK[findings[i].severity],
                                              not (findings[i].cells and cell_id(findings[i].cells[0]) in keys), i))


def link(findings: list[Finding], groups: Sequence[Group], report: Report) -> list[Finding]:
    out = list(findings)
    for group_ in groups:
        members = sorted(group_.members - {group_.root} if group_.root is not None else group_.members)
        root = pick_root(findings, group_)
        others = [i for i in members if i != root]
        if not others:
            continue
        key = findings[root].key
        for i in others:
            out[i] = replace(out[i], caused_by=key)
        zh, en = sentence(group_, [findings[i] for i in others], report)
        out[root] = replace(out[root], cause_zh=zh, cause_en=en)
    return out


# -- the sentence on a root ------------------------------------------------------------------------------
#: The words of the root causes: the structural faults (FA-S) and the sentence on a root.
WORDS: dict[str, Text] = {
    'row_shift': Text('{table} {first}–{last} 共 {count} 行的金额与科目错行（应各{direction}移{rows}行）',
                      '{table} {first}–{last}: the amounts of {count} rows stand {rows} off their codes '
                      '(they belong {rows} {direction})'),
    'one_row': Text('一', 'one row'),
    'rows': Text('{n}', '{n} rows'),
    'up': Text('上', 'up'),
    'down': Text('下', 'down'),
    'header_row': Text('{table} 第 {row} 行“{label}”是表头（栏次），被读作数据', '{table} row {row} ({label}) is a header row read as data'),
    'column_shift': Text('{table} 自“{header}”列起金额错列（应各{side}移一列）',
                         '{table}: from column {column} on, the amounts stand one column off their headers '
                         '(they belong one column {side})'),
    'left': Text('左', 'left'),
    'right': Text('右', 'right'),
    'in_text': Text('文中（{at}）{amount}', 'the text ({at}) {value}'),
    'code_cell': Text('{table} {row}（科目编码）', '{table} {row} (code)'),
    'text_section': Text('文中 {row}', 'text {row}'),
    'blank': Text('空白', 'blank'),
    'should_be': Text('{said}，应为 {wanted}', '{said}, should be {wanted}'),
    'listed': Text('{code} {cited}', '{code} {cited}'),
    'root': Text('根源：{head}。可解释另外 {n} 条问题：{listed}{more}', 'Root: {head}. Explains {n} other finding{s}: {listed}{more}'),
    'total_row': Text('{line} 在 {count} 栏都{direction}其下各行之和，可能漏列了行或该行有误（{head}）',
                      '{line} {direction} the sum of the rows beneath in {count} columns: rows left out, or the row '
                      'itself wrong ({head})'),
    'total_column': Text('{line} 在 {count} 行都{direction}其各项之和，各行之差与行的合计一致：可能该栏漏计了某项（{head}）',
                         '{line} {direction} the sum of its parts on {count} rows, the rows\' gaps adding up as the '
                         'rows do: the column may leave out one of its parts ({head})'),
    'exceeds': Text('大于', 'exceeds'),
    'falls_short': Text('小于', 'falls short of'),
}


def _column(report: Report, kind: str, column: str | None) -> Text:
    """A column as the table prints it (Chinese) and its English name; nothing for the row's name."""
    if not column or column == "label":
        return cite.NOWHERE
    return cite.column(report.tables.get(kind), column, report)


def _amount(value: Decimal | None) -> Text:
    """A cell's printed amount in a sentence: 64.44, or 空白 / blank."""
    if value is None:
        return WORDS["blank"]
    figure = f"{value:.2f}"
    return Text(figure, figure)


def describe(cell: CellRef, report: Report) -> Text:
    """A cell as an auditor cites it: 表三 221 基本支出 / Table 3 221 Basic; 文中（第21页） / the text (page 21)."""
    if cell.kind == "narrative":
        return WORDS["in_text"].format(at=cell.position, amount=_amount(cell.value),
                                       value="blank" if cell.value is None else cell.value)
    name = cite.table_named(cell.table, cell.kind)
    if cell.column == "label":
        return WORDS["code_cell"].format(table=name, row=cell.row)
    return cite.together(name, Text(cell.row, cell.row), _column(report, cell.kind, cell.column))


def _fix_text(fix: Need) -> str:
    if fix.value is not None:
        return f"{fix.value.quantize(CENT):.2f}"
    if fix.high is not None and fix.low is None:
        return f"≤ {fix.high:.2f}"
    if fix.low is not None and fix.high is None:
        return f"≥ {fix.low:.2f}"
    return ""


def _cited(finding: Finding, report: Report) -> Text:
    """A finding as listed under its root: 表五 201 基本支出 / Table 5 201 Basic, or 文中 五 / text 五 (the section)."""
    where = finding.where
    if not isinstance(finding.table, int):
        return WORDS["text_section"].format(row=where.row)
    return cite.together(cite.table_named(finding.table, where.kind), Text(where.row, where.row),
                         _column(report, where.kind, where.column))


def sentence(group_: Group, others: Sequence[Finding], report: Report) -> Text:
    """"表三 221 基本支出 空白，应为 64.44；可解释另外 6 条问题：…" (and in English)."""
    more = "…" if len(others) > 8 else ""
    listed = joined([WORDS["listed"].format(code=f.code, cited=_cited(f, report)) for f in others[:8]], LABELS["semicolon"])
    if group_.label_zh:
        head = Text(group_.label_zh, group_.label_en)
    else:
        parts = []
        for cell, fix in zip(group_.cells, group_.fixes):
            wanted = _fix_text(fix)
            shown = cell.kind != "narrative" and cell.column != "label"
            said = cite.together(describe(cell, report), _amount(cell.value) if shown else cite.NOWHERE)
            parts.append(WORDS["should_be"].format(said=said, wanted=wanted) if wanted else said)
        head = joined(parts, LABELS["semicolon"])
        if group_.along:
            first = group_.cells[0]
            table = cite.table_named(first.table, first.kind)
            line = Text(first.row, first.row) if group_.along == "row" else _column(report, first.kind, first.column)
            over = WORDS["exceeds" if (first.value or ZERO) > group_.fixes[0].value else "falls_short"]
            head = WORDS[f"total_{group_.along}"].format(line=cite.together(table, line), count=len(group_.cells),
                                                         head=head, direction=over)
    n = len(others)
    return WORDS["root"].format(head=head, n=n, s="s" if n != 1 else "", listed=listed, more=more)


# -- review ---------------------------------------------------------------------------------------------
def judge_root(ledger, result: AuditResult, key: str, status: str, *, reason: str = "", note: str = "") -> list[str]:
    """Record an auditor's judgment of the root `key` and the same judgment for every finding it explains
    (with the root's reason, and the root's key as ``root``), through ``ledger.judge(key, status, reason=, note=,
    finding=, root=)`` (the review ledger's API, finaudit/ledger.py). Returns the keys judged, root first."""
    root = next((f for f in result.findings if f.key == key), None)
    if root is None:
        raise KeyError(f"no finding {key!r} in this run")
    if not root.is_root:
        raise ValueError(f"{key!r} is explained by {root.caused_by!r}: judge that root")
    ledger.judge(key, status, reason=reason, note=note, finding=root)
    below = result.consequences(root)
    for finding in below:
        ledger.judge(finding.key, status, reason=reason, note=note, finding=finding, root=key)
    return [key, *(f.key for f in below)]
