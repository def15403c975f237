"""A department's documents read together: a dossier of reports grouped by department, year, kind and scope.

``dossier(paths)`` loads every report under the paths once, audits each (as ``finaudit check`` does for one
document) and pairs the documents that the cross-document rules (``finaudit.rules.documents``, FA-D) read
together: 预算(Y) with 决算(Y) of one department, a 部门 document with its 单位 documents of the same year and
kind, and each document with the same department's document of the previous year and the same kind and scope.

A document's department is ``Meta.department``, else (a 单位 document that names no 主管部门) the unit's own
name; names are compared normalised (no whitespace, quotes or bracket width differences).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, NamedTuple

import pandas as pd

import finaudit
from finaudit.audit import audit, ruleset_version
from finaudit.findings import AuditResult, Manifest
from finaudit.model import Report, ReportFormatError
from finaudit.read.limits import process_bounded
from finaudit.read.sources import discover
from finaudit.read.templates import normalise
from finaudit.rules.documents import CROSS_REGISTRY, CrossFinding, Pair, PairResult, run_pair


def department_key(report: Report) -> str | None:
    """The normalised name of the department a document belongs to (None: not stated)."""
    name = report.meta.department_name
    return normalise(name) if name else None


@dataclass
class Document:
    """One document of the dossier: where it came from, the report, its own audit (or why it could not be read)."""

    path: Path
    report: Report | None = None
    result: AuditResult | None = None
    error: str | None = None


@dataclass(frozen=True)
class DossierResult:
    """One run of the cross-document rules over a dossier: each pair's findings and an outcome for every rule on
    every pair, with a manifest (the documents' SHA-256, versions, when and how long)."""

    pairs: tuple[PairResult, ...]
    manifest: Manifest

    @property
    def findings(self) -> list[CrossFinding]:
        return [f for result in self.pairs for f in result.findings]

    @property
    def crashed(self) -> dict[str, str]:
        """"FA-Dnnn on relation: first | second" → "ExceptionName: message" for each rule that crashed on a pair."""
        return {f"{code} on {r.pair.relation}: {r.pair.first.meta.source} | {r.pair.second.meta.source}": reason
                for r in self.pairs for code, reason in r.crashed.items()}


class Gap(NamedTuple):
    """Two documents of a department's series with a year missing between them (not compared year on year)."""

    department: str
    kind: str
    scope: str
    earlier: int
    later: int


@dataclass
class Dossier:
    documents: list[Document] = field(default_factory=list)
    _result: DossierResult | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def reports(self) -> list[Report]:
        return [d.report for d in self.documents if d.report is not None]

    def departments(self) -> dict[str, list[Report]]:
        """Normalised department name → its reports, by year, kind and scope."""
        groups: dict[str, list[Report]] = {}
        for report in self.reports:
            key = department_key(report)
            if key:
                groups.setdefault(key, []).append(report)
        for reports in groups.values():
            reports.sort(key=lambda r: (r.meta.year or 0, r.meta.kind, r.meta.scope or ""))
        return groups

    def department_names(self) -> dict[str, str]:
        """Normalised department name → the name as its first document prints it, in name order."""
        names = {key: (reports[0].meta.department or reports[0].meta.unit_name or key)
                 for key, reports in self.departments().items()}
        return dict(sorted(names.items(), key=lambda item: item[1]))

    def of_department(self, department: str) -> Dossier:
        """The documents of one department (normalised name, as ``department_names`` gives it)."""
        return Dossier([d for d in self.documents if d.report is not None and department_key(d.report) == department])

    def pairs(self) -> list[Pair]:
        """Every pair of documents the cross-document rules read together, in a stable order."""
        found: list[Pair] = []
        for reports in self.departments().values():
            for a in reports:
                for b in reports:
                    if a is b or a.meta.year is None or b.meta.year is None:
                        continue
                    same_scope = (a.meta.scope or "department") == (b.meta.scope or "department")
                    if a.meta.year == b.meta.year and a.meta.kind == "budget" and b.meta.kind == "final" and same_scope:
                        found.append(Pair("budget_final", a, b))
                    elif (a.meta.year == b.meta.year and a.meta.kind == b.meta.kind and a.meta.scope == "department"
                          and b.meta.scope == "unit"):
                        found.append(Pair("department_unit", a, b))
                    elif b.meta.year - a.meta.year == 1 and a.meta.kind == b.meta.kind and same_scope:
                        found.append(Pair("year_on_year", a, b))
        return found

    def gaps(self) -> list[Gap]:
        """Documents of one department, kind and scope whose years are not consecutive (a 2021 and a 2023 budget):
        not compared year on year, and said so."""
        found = []
        for key, reports in self.departments().items():
            series: dict[tuple[str, str], list[int]] = {}
            for report in reports:
                if report.meta.year is not None:
                    series.setdefault((report.meta.kind, report.meta.scope or "department"), []).append(report.meta.year)
            for (kind, scope), years in series.items():
                years = sorted(set(years))
                found += [Gap(key, kind, scope, a, b) for a, b in zip(years, years[1:]) if b - a > 1]
        return found

    def summary(self) -> str:
        """One line: documents, unreadable ones, pairs by relation, series with a gap, cross-document findings by
        severity."""
        from finaudit.rules.documents import RELATIONS

        pairs, found = self.pairs(), self.cross()
        by_relation = "、".join(f"{RELATIONS[r][0]} {sum(p.relation == r for p in pairs)}" for r in RELATIONS)
        by_severity = ", ".join(f"{s} {sum(f.severity == s for f in found)}" for s in ("error", "warning", "info"))
        unreadable = sum(d.error is not None for d in self.documents)
        gaps = self.gaps()
        apart = f"; not compared, years apart: {len(gaps)}" if gaps else ""
        return (f"{len(self.documents)} documents ({unreadable} unreadable), {len(pairs)} pairs ({by_relation}){apart}; "
                f"cross-document findings: {by_severity}")

    def budget_document(self, final: Report) -> Report | None:
        """The 预算 document of a 决算's department, year and scope, where the dossier has one."""
        return next((p.first for p in self.pairs() if p.relation == "budget_final" and p.second is final), None)

    def budget_vs_actual(self, final: Report):
        """``budget.budget_vs_actual`` of a 决算, with the budget figures of its 预算 document when the dossier has it
        (column budget_source says, per row, which document a budget figure comes from)."""
        from finaudit.budget import budget_vs_actual

        return budget_vs_actual(final, self.budget_document(final))

    def result(self) -> DossierResult:
        """The cross-document rules over every pair, run once (a dossier's documents do not change)."""
        if self._result is None:
            self._result = run(self.pairs(), self.reports)
        return self._result

    def cross(self, select: Iterable[str] | None = None) -> list[CrossFinding]:
        """The cross-document findings of every pair (those of the rules in `select`, run anew)."""
        if select:
            return run(self.pairs(), self.reports, list(select)).findings
        return self.result().findings

    @property
    def crashed(self) -> dict[str, str]:
        """The cross-document rules that crashed, each named with its pair (the other rules' findings stand)."""
        return self.result().crashed


def run(pairs: list[Pair], reports: list[Report], select: list[str] | None = None) -> DossierResult:
    """The cross-document rules (or those in `select`) over the pairs, with the manifest of the documents read."""
    started, clock = datetime.now(timezone.utc), time.perf_counter()
    results = tuple(run_pair(pair, select) for pair in pairs)
    digest = hashlib.sha256("".join(sorted(r.meta.sha256 or "" for r in reports)).encode()).hexdigest()
    manifest = Manifest(
        source=None, input_sha256=digest, finaudit_version=finaudit.__version__, ruleset_version=ruleset_version(),
        parameters={"documents": sorted(r.meta.source or "" for r in reports), "select": select or [],
                    "cross_rules": sorted(CROSS_REGISTRY)},
        started_at=started.isoformat(timespec="seconds"), seconds=round(time.perf_counter() - clock, 4))
    return DossierResult(results, manifest)


def join_halves(documents: list[Document], audited: bool = True) -> list[Document]:
    """The documents published as two files (a 情况说明 and its 报表, ``read.bundle``) as one Document each —
    the two reports merged (and `audited`), its path the 报表 file's — in the place of the first; every other
    document as it was."""
    from finaudit.read.bundle import group

    readable = [d for d in documents if d.report is not None]
    owner = {id(d.report): d for d in readable}
    replaced: dict[int, Document | None] = {}
    for members in group([d.report for d in readable]):
        if len(members) > 1:  # read and audited together, under one cost bound
            paths = [owner[id(m)].path for m in members]
            try:
                report, result = process_bounded(paths, audit if audited else None)
                joined = Document(Path(report.meta.source or paths[0]), report, result)
            except ReportFormatError as error:
                joined = Document(paths[0], error=str(error))
            replaced[id(owner[id(members[0])])] = joined
            replaced.update({id(owner[id(m)]): None for m in members[1:]})
    joined = [replaced.get(id(d), d) for d in documents]
    return [d for d in joined if d is not None]


TIMELINE_COLUMNS = ["department", "year", "kind", "scope", "entity", "file", "errors", "warnings", "notes", "unreadable"]
FINDING_COLUMNS = ["relation", "code", "severity", "message", "first", "first_at", "second", "second_at"]


def timeline(dossier: Dossier) -> pd.DataFrame:
    """One row per document: its department, year, kind (预算/决算), scope (部门/单位), its own finding counts;
    a document that could not be read keeps its error (column unreadable)."""
    rows = []
    for document in dossier.documents:
        report, result = document.report, document.result
        meta = report.meta if report else None
        counts = result.counts if result else {}
        rows.append({
            "department": meta and (meta.department or meta.unit_name), "year": meta and meta.year,
            "kind": meta and meta.kind_zh, "scope": meta and {"department": "部门", "unit": "单位"}.get(meta.scope or ""),
            "entity": meta and meta.entity, "file": document.path.name, "errors": counts.get("error"),
            "warnings": counts.get("warning"), "notes": counts.get("info"), "unreadable": document.error,
        })
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS, dtype=object)


def findings_frame(findings: Iterable[CrossFinding], lang: str = "zh") -> pd.DataFrame:
    """The cross-document findings with the cells of both documents side by side (relation and message in
    `lang`)."""
    from finaudit.rules.documents import RELATIONS, place

    rows = []
    for finding in findings:
        at = {0: [], 1: []}
        for cell, side in zip(finding.cells, finding.sides):
            at[side].append(place(cell).get(lang))
        rows.append({"relation": RELATIONS[finding.relation].get(lang), "code": finding.code,
                     "severity": str(finding.severity), "message": finding.text.get(lang), "first": finding.documents[0], "first_at": "; ".join(at[0]),
                     "second": finding.documents[1], "second_at": "; ".join(at[1])})
    return pd.DataFrame(rows, columns=FINDING_COLUMNS, dtype=object)


def read(path: Path, audited: bool = True) -> Document:
    """Load (and audit) one document; one that cannot be read keeps its error."""
    try:
        report, result = process_bounded(path, audit if audited else None)
    except ReportFormatError as error:
        return Document(path, error=str(error))
    return Document(path, report, result)


def dossier(paths: Iterable[Path | str] | Path | str, *, audited: bool = True) -> Dossier:
    """The dossier of every report under `paths` (files, folders), each loaded once and (`audited`) audited;
    a document published as a 情况说明 and a 报表 is one report (``join_halves``)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    found = discover(paths)
    return Dossier(join_halves([read(path, audited) for path in found.documents], audited)
                   + [Document(path, error=f"{path}: {reason}") for path, reason in found.refused])


def of_reports(reports: Iterable[Report]) -> Dossier:
    """A dossier of reports already loaded (generated ones, in tests)."""
    return Dossier([Document(Path(r.meta.source or "?"), r) for r in reports])


__all__ = ["CROSS_REGISTRY", "Document", "Dossier", "DossierResult", "department_key", "dossier", "findings_frame", "of_reports", "timeline"]
