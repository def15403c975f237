"""Findings, rule outcomes and the one result object of an audit run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, Sequence

from finaudit import cite
from finaudit.words import Text

if TYPE_CHECKING:
    import pandas as pd


class Severity(StrEnum):
    """How much a finding matters; compares and serialises as its string."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # rounding notes and other facts an auditor may want, never a defect


class Outcome(StrEnum):
    """What running one rule gave: "could not evaluate" is its own outcome, never a silent pass."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    INSUFFICIENT_DATA = "insufficient_data"
    ERROR = "error"  # the rule itself crashed; the run goes on


SEVERITIES = tuple(Severity)
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
OUTCOMES = tuple(Outcome)


@dataclass(frozen=True)
class Location:
    """Where a finding is: the table (printed number, or "narrative"), its kind, the row (code or
    label) and the column; ``str()`` is the form cited in messages and output ("2010301 / total")."""

    table: int | str | None
    kind: str
    row: str
    column: str | None = None

    def __str__(self) -> str:
        return f"{self.row} / {self.column}" if self.column and self.column != "label" else self.row


def money(value: Decimal | None) -> str | None:
    """Amounts in output: strings with two decimals."""
    return None if value is None else f"{value:.2f}"


class CellRef(NamedTuple):
    """One cell a finding involves, with its provenance (a NamedTuple: made ~1,000 times per audit)."""

    table: int | None  # printed table number
    kind: str  # table kind, or "narrative"
    row: str  # row code, or row label
    column: str | None  # column key
    value: Decimal | None  # None: blank
    line: int | None = None
    page: int | None = None
    row_index: int | None = None  # position in Table.data

    @property
    def source(self) -> str:
        """The place in the JSON output's form ("表3 line 383": tools read it, so it stays); a reader is shown
        ``cited``."""
        where = f"表{self.table}" if self.table else self.kind
        if self.line:
            return f"{where} line {self.line}"
        return f"{where} page {self.page}" if self.page else where

    @property
    def position(self) -> Text:
        """第717行 / line 717, 第3页 / page 3 in a PDF, or empty where the cell has neither (``cite.position``)."""
        return cite.position(self.line, self.page)

    @property
    def cited(self) -> Text:
        """The place as a message cites it: 表四 第717行 / Table 4 line 717, 第3页 / page 3 in a PDF (``cite.place``)."""
        return cite.place(self.table, self.kind, self.line, self.page)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    where: Location
    message_zh: str
    message_en: str
    expected: Decimal | None = None
    actual: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    cells: tuple[CellRef, ...] = ()
    about: str = ""  # what a narrative finding is about (claim kind and subject), for its key
    ordinal: int = 1  # the n-th finding of one run with the same key (set by the audit)
    #: The arithmetic the finding checked, when it is one: "sum" (cells[0] = Σ sign·cells[1:]; a sign is ±1, or a
    #: unit's factor where a 万元 figure restates a cell in 元) or
    #: "at_most" (cells[0] ≤ cells[1]); what root-cause grouping reasons with. "" = not stated.
    form: str = ""
    signs: tuple[int | Decimal, ...] = ()
    #: Set by root-cause grouping (finaudit.causes): the key of the root finding that explains this
    #: one; on a root, the sentence naming the discrepancy and what it explains.
    caused_by: str = ""
    cause_zh: str = ""
    cause_en: str = ""

    def numbered(self, ordinal: int) -> Finding:
        """This finding as the `ordinal`-th of its key in a run: a copy of its fields (not a re-run of
        ``__init__`` as ``dataclasses.replace`` does; a numbers-dense narrative numbers ~100,000 per audit)."""
        copy = object.__new__(Finding)
        copy.__dict__.update(self.__dict__, ordinal=ordinal)
        return copy

    @property
    def key(self) -> str:
        """A stable key: rule code + what the finding is about (table kind, row code or label, column,
        claim), without line numbers or amounts, so it survives a re-run and a corrected re-publication."""
        where = self.where
        parts = [self.code, where.kind, where.row, where.column or "", self.about]
        return "|".join(parts) + (f"#{self.ordinal}" if self.ordinal > 1 else "")

    @property
    def table(self) -> int | str | None:
        """The printed table number, or "narrative"."""
        return self.where.table

    @property
    def kind(self) -> str:
        return self.where.kind

    @property
    def location(self) -> str:
        return str(self.where)

    @property
    def source(self) -> list[str]:
        return list(dict.fromkeys(c.source for c in self.cells))

    @property
    def lines(self) -> list[int]:
        return sorted({c.line for c in self.cells if c.line})

    @property
    def text(self) -> Text:
        """The message in both languages."""
        return Text(self.message_zh, self.message_en)

    @property
    def cause(self) -> Text:
        """On a root: the sentence naming the discrepancy and what it explains, in both languages."""
        return Text(self.cause_zh, self.cause_en)

    @property
    def is_root(self) -> bool:
        return not self.caused_by

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "caused_by": self.caused_by or None,
            "cause": self.cause_zh or None,
            "cause_en": self.cause_en or None,
            "code": self.code,
            "severity": self.severity,
            "table": self.table,
            "kind": self.kind,
            "location": self.location,
            "expected": money(self.expected),
            "actual": money(self.actual),
            "difference": money(self.difference),
            "tolerance": money(self.tolerance),
            "message": self.message_zh,
            "message_en": self.message_en,
            "source": self.source,
            "cells": [
                {"table": c.table, "kind": c.kind, "row": c.row, "column": c.column, "line": c.line, "page": c.page,
                 "row_index": c.row_index, "value": money(c.value)}
                for c in self.cells
            ],
        }


def numbered(findings: list[Finding]) -> list[Finding]:
    """The findings with `ordinal` set so that every key is unique within the run (in run order)."""
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        n = seen[finding.key] = seen.get(finding.key, 0) + 1
        out.append(finding if n == 1 else finding.numbered(n))
    return out


def _by_severity(findings: Sequence[Finding]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


@dataclass(frozen=True)
class RuleOutcome:
    code: str
    status: Outcome
    reason: str = ""
    findings: int = 0


@dataclass(frozen=True)
class Manifest:
    source: str | None
    input_sha256: str | None
    finaudit_version: str
    ruleset_version: str
    parameters: dict
    started_at: str  # ISO 8601, UTC
    seconds: float


@dataclass
class AuditResult:
    findings: list[Finding]
    outcomes: dict[str, RuleOutcome]
    manifest: Manifest
    report_warnings: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """Findings by severity, every finding counted."""
        return _by_severity(self.findings)

    @property
    def roots(self) -> list[Finding]:
        """The findings no other finding explains: the distinct problems."""
        return [f for f in self.findings if f.is_root]

    @property
    def root_counts(self) -> dict[str, int]:
        """Distinct problems by severity (roots only)."""
        return _by_severity(self.roots)

    def consequences(self, root: Finding) -> list[Finding]:
        """The findings `root` explains, in run order."""
        return [f for f in self.findings if f.caused_by and f.caused_by == root.key]

    def grouped(self) -> list[tuple[Finding, list[Finding]]]:
        """Roots in run order, each with the findings it explains."""
        below: dict[str, list[Finding]] = {}
        for finding in self.findings:
            if finding.caused_by:
                below.setdefault(finding.caused_by, []).append(finding)
        return [(root, below.get(root.key, [])) for root in self.roots]

    def by_code(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.code] = counts.get(finding.code, 0) + 1
        return dict(sorted(counts.items()))

    def worst(self) -> str | None:
        present = [f.severity for f in self.findings]
        return min(present, key=SEVERITY_RANK.__getitem__) if present else None

    def review_order(self, *, grouped: bool = False) -> list[int]:
        """The finding numbers in the order an auditor reviews them: errors, then warnings, then notes;
        each by table (the narrative after the tables) and by position in it (line, page, row).
        `grouped`: the root causes in that order, each followed by the findings it explains."""
        def position(number: int) -> tuple:
            finding = self.findings[number]
            table = finding.table if isinstance(finding.table, int) else 10_000
            cell = finding.cells[0] if finding.cells else None
            where = (cell.line or 0, cell.page or 0, cell.row_index or 0) if cell else (0, 0, 0)
            return SEVERITY_RANK[finding.severity], table, where, number

        order = sorted(range(len(self.findings)), key=position)
        if not grouped:
            return order
        below: dict[str, list[int]] = {}
        for number in order:
            if self.findings[number].caused_by:
                below.setdefault(self.findings[number].caused_by, []).append(number)
        out = []
        for number in order:
            if not self.findings[number].caused_by:
                out += [number, *below.pop(self.findings[number].key, [])]
        return out + [n for rest in below.values() for n in rest]  # consequences of a root not in the run

    def to_frame(self, *, grouped: bool = False) -> pd.DataFrame:
        """One row per finding: code, severity, table, location, amounts as strings, messages, source, key,
        caused_by. `grouped`: roots first (errors, warnings, notes), each followed by the findings it
        explains, with a leading "problem" column ("3", "3.1", "3.2" …) and the root's cause sentence."""
        import pandas as pd

        columns = ["code", "severity", "table", "kind", "location", "expected", "actual", "difference",
                   "tolerance", "message", "message_en", "source", "key", "caused_by"]

        def row(finding: Finding) -> dict:
            return {**finding.to_dict(), "source": "; ".join(finding.source), "caused_by": finding.caused_by}

        if not grouped:
            return pd.DataFrame([row(f) for f in self.findings], columns=columns)
        rows, problem, part = [], 0, 0
        for number in self.review_order(grouped=True):
            finding = self.findings[number]
            if not finding.caused_by:
                problem, part = problem + 1, 0
                rows.append({"problem": str(problem), **row(finding), "cause": finding.cause_zh})
            else:
                part += 1
                rows.append({"problem": f"  {problem}.{part}", **row(finding), "cause": ""})
        return pd.DataFrame(rows, columns=["problem", *columns, "cause"])

    def flatten(self, fields: Sequence[str] = ("code", "severity", "table", "location")) -> list[list]:
        """Plain rows, one per finding, of the given fields (``Finding`` attributes or ``to_dict`` keys):
        what tests assert on and what a notebook's regression cell prints."""
        rows = []
        for finding in self.findings:
            data = finding.to_dict()
            rows.append([data[f] if f in data else getattr(finding, f) for f in fields])
        return rows

    def outcomes_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([asdict(o) for o in self.outcomes.values()], columns=["code", "status", "reason", "findings"])

    def to_json(self, *, with_manifest: bool = False) -> str:
        """The findings as a JSON list; with_manifest wraps them with the manifest and outcomes."""
        findings = [f.to_dict() for f in self.findings]
        if not with_manifest:
            return json.dumps(findings, ensure_ascii=False, indent=1)
        document = {
            "manifest": asdict(self.manifest),
            "counts": self.counts,
            "root_counts": self.root_counts,
            "outcomes": [asdict(o) for o in self.outcomes.values()],
            "findings": findings,
        }
        return json.dumps(document, ensure_ascii=False, indent=1)
