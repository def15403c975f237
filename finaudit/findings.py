"""Findings, rule outcomes and the one result object of an audit run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import NamedTuple

import pandas as pd

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
OUTCOMES = ("pass", "fail", "not_applicable", "insufficient_data", "error")


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
        where = f"表{self.table}" if self.table else self.kind
        if self.line:
            return f"{where} line {self.line}"
        return f"{where} page {self.page}" if self.page else where


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    table: int | str | None  # printed table number, or "narrative"
    kind: str
    location: str  # row code or label / column
    message_zh: str
    message_en: str
    expected: Decimal | None = None
    actual: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    cells: tuple[CellRef, ...] = ()

    @property
    def source(self) -> list[str]:
        return list(dict.fromkeys(c.source for c in self.cells))

    @property
    def lines(self) -> list[int]:
        return sorted({c.line for c in self.cells if c.line})

    def to_dict(self) -> dict:
        return {
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


@dataclass(frozen=True)
class RuleOutcome:
    code: str
    status: str  # one of OUTCOMES
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
        counts = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def by_code(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.code] = counts.get(finding.code, 0) + 1
        return dict(sorted(counts.items()))

    def worst(self) -> str | None:
        present = [f.severity for f in self.findings]
        return min(present, key=SEVERITY_RANK.__getitem__) if present else None

    def to_frame(self) -> pd.DataFrame:
        """One row per finding: code, severity, table, location, amounts as strings, messages, source."""
        columns = ["code", "severity", "table", "kind", "location", "expected", "actual", "difference",
                   "tolerance", "message", "message_en", "source"]
        rows = [{**f.to_dict(), "source": "; ".join(f.source)} for f in self.findings]
        return pd.DataFrame(rows, columns=columns)

    def outcomes_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(o) for o in self.outcomes.values()], columns=["code", "status", "reason", "findings"])

    def to_json(self, *, with_manifest: bool = False) -> str:
        """The findings as a JSON list; with_manifest wraps them with the manifest and outcomes."""
        findings = [f.to_dict() for f in self.findings]
        if not with_manifest:
            return json.dumps(findings, ensure_ascii=False, indent=1)
        document = {
            "manifest": asdict(self.manifest),
            "counts": self.counts,
            "outcomes": [asdict(o) for o in self.outcomes.values()],
            "findings": findings,
        }
        return json.dumps(document, ensure_ascii=False, indent=1)
