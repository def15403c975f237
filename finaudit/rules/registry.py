"""The rule registry and the context a rule runs in (comparisons under the rounding tolerance).

A rule is a plain typed function ``(check: Check) -> Iterable[Finding]`` registered with
``@rule(code, severity, needs=..., messages=...)``. Its docstring states the assertion in domain words
and its basis; the user catalogue (docs/rules.md) is generated from it. Codes are permanent.

Message text lives once per outcome: a rule declares its bilingual templates (``messages``, named
fields) and makes findings with ``check.say(key, where, **fields)``; the comparisons every rule
shares (a total against its parts, a part within its whole, a stated figure against the one it
restates) have their templates here, in ``SHARED``, and decide with one helper, ``compare``. What a relation or
a bound states is a ``Subject`` of ``rules.subjects``: its name is catalogue data, filled when a finding cites it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Callable, Iterable, Mapping, Sequence

from finaudit.findings import CellRef, Finding, Location, RuleOutcome, Severity
from finaudit.model import COLUMN_NAMES_EN, DOCUMENT_KINDS, Report, Table, to_decimal
from finaudit.read.patterns import lazy
from finaudit.rules.subjects import Subject
from finaudit.words import Text, joined


class NotApplicable(Exception):
    """The rule does not apply to this report (e.g. a table it needs is absent)."""


class InsufficientData(Exception):
    """The rule applies but the report lacks what it needs to decide (reason in the message)."""


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title_zh: str
    title_en: str
    needs: tuple[str, ...]
    function: Callable[["Check"], Iterable[Finding]]
    messages: Mapping[str, Text] = field(default_factory=dict)
    #: The document kinds the rule applies to (``Meta.kind``: final 决算, budget 预算).
    documents: tuple[str, ...] = ("final",)

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.function.__doc__ or "")

    @property
    def title(self) -> Text:
        return Text(self.title_zh, self.title_en)


REGISTRY: dict[str, Rule] = {}
#: For rules that hold in a 决算 and a 预算 alike (hierarchy of codes, code lists, load problems).
BOTH: tuple[str, ...] = ("final", "budget")


def rule(code: str, severity: str, title_zh: str, title_en: str, *, needs: Sequence[str] = (),
         messages: Mapping[str, tuple[str, str]] | None = None, documents: Sequence[str] = ("final",)):
    """Register a rule function under a permanent code; a duplicate code is refused.

    `messages`: outcome key → (zh template, en template), rendered by ``Check.say``.
    `documents`: the document kinds it applies to (``final``, ``budget``); on another kind the
    audit records the rule as not applicable."""

    def register(function):
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice ({REGISTRY[code].function.__name__}, {function.__name__})")
        if severity not in set(Severity):
            raise ValueError(f"rule {code}: unknown severity {severity!r}")
        clash = set(messages or ()) & set(SHARED)
        if clash:
            raise ValueError(f"rule {code}: message keys {sorted(clash)} are shared ones")
        if not documents or set(documents) - set(DOCUMENT_KINDS):
            raise ValueError(f"rule {code}: documents {documents!r} not among {DOCUMENT_KINDS}")
        catalogue = {key: Text(*texts) for key, texts in (messages or {}).items()}
        REGISTRY[code] = Rule(code, Severity(severity), title_zh, title_en, tuple(needs), function, catalogue,
                              tuple(documents))
        return function

    return register


class Verdict(StrEnum):
    """A printed figure against the one it should equal."""

    EQUAL = "equal"
    ROUNDING = "rounding"  # differs, within the rounding band: a note
    DIFFERS = "differs"


def compare(stated: Decimal, expected: Decimal, band: Decimal) -> Verdict:
    """The one comparison of table and narrative rules alike: equal, within the band, or not."""
    difference = stated - expected
    if difference == 0:
        return Verdict.EQUAL
    return Verdict.ROUNDING if abs(difference) <= band else Verdict.DIFFERS


#: Templates of the comparisons every rule shares.
SHARED: dict[str, Text] = {
    "relation.rounding": Text("{what}：相差 {difference:+.2f}，在舍入容差 {band:.3f} 以内",
                              "{what}: differs by {difference:+.2f}, within the rounding band {band:.3f}"),
    "relation.differs": Text("{what}：应为 {expected:.2f}，实为 {actual:.2f}，相差 {difference:+.2f}{blank}",
                             "{what}: expected {expected:.2f}, printed {actual:.2f}, difference {difference:+.2f}{blank}"),
    "relation.unread": Text("{what}：相差 {difference:+.2f}，恰为未能读取的“{text}”（第{page}页）：多半是读取遗漏，请对照原文核对",
                            "{what}: differs by {difference:+.2f}, the amount of “{text}” (page {page}) that finaudit "
                            "could not read: most likely a reading gap; check the source"),
    "at_most.exceeds": Text("{what}：{actual:.2f} 大于 {limit:.2f}（{source}{blank}）",
                            "{what}: {actual:.2f} exceeds {limit:.2f} ({source}{blank})"),
}
#: Parts of the shared messages: the blank addends of a sum, a blank whole.
FRAGMENTS: dict[str, Text] = {
    "blank_parts": Text("（其中空白：{cells}）", " (blank: {cells})"),
    "blank_whole": Text("，为空", ", blank"),
    "none": Text("", ""),
}


@dataclass(frozen=True)
class Relation:
    """total = Σ sign·part, as printed; `required`: a blank total with non-zero parts is a finding."""

    total: CellRef
    parts: tuple[CellRef, ...]
    what: Subject
    signs: tuple[int | Decimal, ...] = ()
    required: bool = True

    def expected(self) -> tuple[Decimal, int]:
        signs = self.signs or (1,) * len(self.parts)
        present = [(s, p.value) for s, p in zip(signs, self.parts) if p.value is not None]
        return sum((s * v for s, v in present), Decimal("0.00")), len(present)


class View:
    """An audit-time snapshot of a Table as plain Python rows, for fast lookups by rules.

    Built once per audit run (tables may be edited between runs)."""

    def __init__(self, table: Table):
        self.table = table
        self.kind, self.ordinal, self.title, self.columns = table.kind, table.ordinal, table.title, table.columns
        self.system = table.system
        self.rows = table.records()
        self.lines = table.line_records()
        self.by_page = bool(table.pages)
        self._cells: dict[tuple[int, str], CellRef] = {}
        self.memo: dict = {}
        self.by_code: dict[str, list[int]] = {}
        for index, row in enumerate(self.rows):
            if row["code"]:
                self.by_code.setdefault(row["code"], []).append(index)

    def row_of(self, key: str, side: str | None = None) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r["key"] == key and (side is None or r["side"] == side)), None)

    def where(self, side: str | None = None, level: int | None = None) -> list[int]:
        return [i for i, r in enumerate(self.rows)
                if (side is None or r["side"] == side) and (level is None or r["level"] == level)]

    def name(self, row: int) -> str:
        """The row as cited: its code, or its label."""
        record = self.rows[row]
        return record["code"] or record["label"] or record["key"] or f"row {row + 1}"

    def cell(self, row: int, column: str) -> CellRef:
        """A reference to one cell, with its value and provenance."""
        found = self._cells.get((row, column))
        if found is None:
            value = to_decimal(self.rows[row][column]) if column in self.columns else None
            where = self.lines[row].get(column)
            line, page = (None, where) if self.by_page else (where, None)
            found = CellRef(self.ordinal, self.kind, str(self.name(row)), column, value, line, page, row)
            self._cells[(row, column)] = found
        return found


_PRINTED_AMOUNT = lazy(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{1,2}(?![\d,])|(?<![\d.,])\d+\.\d{1,2}(?![\d,])")


def _amounts(text: str) -> list[Decimal]:
    """The amounts (with decimals) printed in a line of text: "2040504 案件审判 1,833.30" → [1833.30]."""
    return [Decimal(m.replace(",", "")) for m in _PRINTED_AMOUNT.findall(text)]


def tolerance(addends: int, decimals: int = 2) -> Decimal:
    """XBRL Calculations 1.1 band for a total of n addends printed with `decimals` places:
    ½·10⁻ᵈ × (n + 1) — 0.005 × (n + 1) for 0.01, 0.5 × (n + 1) for whole 元."""
    return Decimal("0.5").scaleb(-decimals) * (max(addends, 1) + 1)


#: The memo key of a quiet run: findings with their codes, places, cells and figures, and no message.
QUIET = "quiet"


class Check:
    """What a rule sees: the report, and comparisons that make findings under its code."""

    def __init__(self, report: Report, rule: Rule, views: dict[str, View] | None = None, memo: dict | None = None):
        self.report, self.rule = report, rule
        self.views = views if views is not None else {k: View(t) for k, t in report.tables.items()}
        self.memo = memo if memo is not None else {}  # shared by the rules of one run (e.g. narrative claims)
        #: A quiet run (root causes re-running the rules on an amended table: they count errors and compare keys)
        #: renders no message.
        self.quiet = bool(self.memo.get(QUIET))
        #: How many assertions the rule has evaluated: a rule that evaluated none and found nothing did not
        #: pass, it had nothing to check (``insufficient_data``). The comparisons below count themselves; a
        #: rule that decides in its own code calls ``examined()``.
        self.evaluated = 0

    def examined(self, count: int = 1) -> None:
        """Record that the rule evaluated `count` assertions (whatever their verdict)."""
        self.evaluated += count

    def compare(self, stated: Decimal, expected: Decimal, band: Decimal) -> Verdict:
        """``compare``, counted as an evaluated assertion."""
        self.evaluated += 1
        return compare(stated, expected, band)

    def decimals(self, *cells: CellRef) -> int:
        """The places of the coarsest printed figure among the cells' tables (2 where not known)."""
        places = [view.table.decimals for c in cells if (view := self.views.get(c.kind)) and view.table.decimals is not None]
        return min(places, default=2)

    def table(self, kind: str) -> View:
        view = self.views.get(kind)
        if view is None:
            raise NotApplicable(f"no {kind} table")
        return view

    def finding(self, where: CellRef, zh: str, en: str, *, cells: Sequence[CellRef] = (), severity: str | None = None,
                expected=None, actual=None, difference=None, tol=None, about: str = "", form: str = "",
                signs: tuple[int | Decimal, ...] = ()) -> Finding:
        return Finding(
            code=self.rule.code,
            severity=Severity(severity or self.rule.severity),
            where=Location(where.table if where.kind != "narrative" else "narrative", where.kind, where.row, where.column),
            message_zh=zh,
            message_en=en,
            expected=expected,
            actual=actual,
            difference=difference,
            tolerance=tol,
            cells=tuple(cells) or (where,),
            about=about,
            form=form,
            signs=signs,
        )

    def say(self, key: str, where: CellRef, *, cells: Sequence[CellRef] = (), severity: str | None = None,
            expected=None, actual=None, difference=None, tol=None, about: str = "", form: str = "",
            signs: tuple[int | Decimal, ...] = (), **fields) -> Finding:
        """A finding with the rule's message `key` (or a shared one) rendered with `fields` (none in a quiet run)."""
        message = self.rule.messages.get(key) or SHARED[key]
        self.evaluated += 1
        if self.quiet:
            zh, en = "", ""
        else:  # a subject named only now, when its finding is kept
            fields = {k: v.text if isinstance(v, Subject) else v for k, v in fields.items()}
            zh, en = message.format(expected=expected, actual=actual, difference=difference, band=tol, **fields)
        return self.finding(where, zh, en, cells=cells, severity=severity, expected=expected, actual=actual,
                            difference=difference, tol=tol, about=about, form=form, signs=signs)

    def column_name(self, cell: CellRef) -> Text:
        """A cell's column as a message names it: the heading its table prints, its English name."""
        view = self.views.get(cell.kind)
        if view is None:
            return Text(cell.column, COLUMN_NAMES_EN.get(cell.column, cell.column))
        return view.table.column_name(cell.column)

    def relation(self, relation: Relation) -> Finding | None:
        """Compare a printed total with its printed parts under the rounding band."""
        actual = relation.total.value
        if actual is None:
            return None  # a blank total is the business of the required-cell rule
        expected, count = relation.expected()
        band = tolerance(count, self.decimals(relation.total, *relation.parts))
        verdict = self.compare(actual, expected, band)
        if verdict is Verdict.EQUAL:
            return None
        cells = (relation.total, *relation.parts)
        arithmetic = dict(cells=cells, expected=expected, actual=actual, difference=actual - expected, tol=band,
                          form="sum", signs=relation.signs or (1,) * len(relation.parts))
        unread = self.unread(actual - expected, cells) if verdict is Verdict.DIFFERS else None
        severity = "warning" if unread is not None else "info" if verdict is Verdict.ROUNDING else None
        if self.quiet:  # a quiet run renders no message
            return self.finding(relation.total, "", "", severity=severity, **arithmetic)
        if unread is not None:
            return self.say("relation.unread", relation.total, severity=severity, what=relation.what,
                            text=unread.text[:40], page=unread.page, **arithmetic)
        blanks = [Text(p.row, p.row) if p.row != relation.total.row else self.column_name(p)
                  for p in relation.parts if p.value is None]
        return self.say(f"relation.{verdict}", relation.total, severity=severity, what=relation.what,
                        blank=FRAGMENTS["blank_parts"].format(cells=joined(blanks)) if blanks else FRAGMENTS["none"],
                        **arithmetic)

    def unread(self, difference: Decimal, cells: Sequence[CellRef]):
        """Given a sum's difference and its cells, the number the loader could not place (``Coverage.unplaced``) on
        their pages or the next (a row lost at a page's top) whose amount is the difference: the table as read is
        short of a row the document prints, most likely a reading gap rather than the document's error; else None."""
        pages = {c.page for c in cells if c.page} | {c.page + 1 for c in cells if c.page}
        if not pages or not difference:
            return None
        for number in self.report.coverage().unplaced:
            if number.page in pages and any(abs(difference) == amount for amount in _amounts(number.text)):
                return number
        return None

    def stated_sum(self, key: str, where: CellRef, stated: Decimal, addends: Sequence[Decimal], *,
                   cells: Sequence[CellRef], about: str = "", **fields) -> Finding | None:
        """A stated whole against the sum of its stated parts, under the rounding band of the parts:
        nothing when equal, a note (info) within the band, the rule's finding `key` beyond it."""
        expected = sum(addends, Decimal(0))
        band = tolerance(len(addends))
        verdict = self.compare(stated, expected, band)
        if verdict is Verdict.EQUAL:
            return None
        return self.say(key, where, cells=cells, severity="info" if verdict is Verdict.ROUNDING else None,
                        expected=expected, actual=stated, difference=stated - expected, tol=band, about=about, **fields)

    def relations(self, relations: Iterable[Relation]) -> list[Finding]:
        return [f for r in relations if (f := self.relation(r))]

    def at_most(self, part: CellRef, whole: CellRef, what: Subject) -> Finding | None:
        """part ≤ whole (a part of the money cannot exceed all of it); blank whole counts as 0."""
        if part.value is None:
            return None
        self.evaluated += 1
        if part.value <= 0:
            return None
        limit = whole.value or Decimal("0.00")
        if part.value <= limit:
            return None
        return self.say(
            "at_most.exceeds", part, cells=(part, whole), expected=limit, actual=part.value,
            difference=part.value - limit, tol=Decimal("0.00"), form="at_most", limit=limit, source=whole.cited,
            what=what.text, blank=FRAGMENTS["blank_whole" if whole.value is None else "none"],
        )


def evaluate(rule: Rule, check: Check) -> tuple[list, RuleOutcome]:
    """Run one rule (single-document or cross-document) in its check: its findings and its outcome.

    The one place that turns what a rule did into an outcome, for ``audit.run_rules`` and the cross-document
    runner alike: ``not_applicable`` and ``insufficient_data`` with the rule's reason, ``error`` for a rule that
    crashed (the run goes on), ``insufficient_data`` for a rule that evaluated nothing and found nothing, else
    ``fail`` when a finding is not a note and ``pass``."""
    try:
        found = list(rule.function(check))
    except NotApplicable as reason:
        return [], RuleOutcome(rule.code, "not_applicable", str(reason))
    except InsufficientData as reason:
        return [], RuleOutcome(rule.code, "insufficient_data", str(reason))
    except Exception as error:  # a rule's own crash is reported; the run goes on
        return [], RuleOutcome(rule.code, "error", f"{type(error).__name__}: {error}")
    if not found and not check.evaluated:
        return [], RuleOutcome(rule.code, "insufficient_data", "nothing to check: no figure of the report fell under the rule")
    failed = any(f.severity != "info" for f in found)
    return found, RuleOutcome(rule.code, "fail" if failed else "pass", "", len(found))
