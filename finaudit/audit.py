"""Run the registered rules over a report: one AuditResult per run; the `check` command."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import sys
import time
import unicodedata
from collections.abc import Collection
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import finaudit
from finaudit import causes
from finaudit.findings import SEVERITIES, SEVERITY_RANK, AuditResult, Finding, Manifest, RuleOutcome, numbered
from finaudit.model import Report
from finaudit.rules import CROSS_REGISTRY, REGISTRY, in_order
from finaudit.rules.documents import RELATIONS
from finaudit.rules.registry import QUIET, Check, View, evaluate

if TYPE_CHECKING:
    import pandas as pd

RULESET = "1"


def ruleset_version() -> str:
    """The rule-set version: a release number and a digest of the registered codes and texts."""
    digest = hashlib.sha256()
    for code, item in sorted(REGISTRY.items()):
        digest.update(f"{code}|{item.severity}|{item.doc}".encode())
    for code, fault in sorted(causes.STRUCTURAL.items()):
        digest.update(f"{code}|{fault.severity}|{fault.doc}".encode())
    return f"{RULESET}+{digest.hexdigest()[:10]}"


@contextlib.contextmanager
def fewer_collections(threshold: int = 50_000):
    """Python's cyclic collector less often for the duration: an audit makes and drops ~10⁵ small objects
    (claims, findings, cell references), and at the default threshold (700 allocations) the collector
    scans everything alive thousands of times (a sixth of a numbers-dense narrative's audit)."""
    before = gc.get_threshold()
    gc.set_threshold(max(threshold, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def audit(report: Report, *, select: list[str] | None = None) -> AuditResult:
    """Run every registered rule (or those in `select`), collect the findings and link their root causes."""
    started, clock = datetime.now(timezone.utc), time.perf_counter()
    views = {kind: View(table) for kind, table in report.tables.items()}
    memo: dict = {}
    with fewer_collections():
        findings, outcomes = run_rules(report, select, views=views, memo=memo)
        findings = causes.group(numbered(findings), report, rerun=rerunner(views, memo))
    manifest = Manifest(
        source=report.meta.source,
        input_sha256=report.meta.sha256,
        finaudit_version=finaudit.__version__,
        ruleset_version=ruleset_version(),
        parameters={"rounding": "XBRL Calculations 1.1: 0.005 × (n + 1) per 0.01 printed", "select": select or []},
        started_at=started.isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - clock, 4),
    )
    return AuditResult(findings=findings, outcomes=outcomes, manifest=manifest, report_warnings=len(report.warnings))


def audited(path, limits=None) -> tuple[Report, AuditResult]:
    """Given a document's path, return its report and audit, both under one cost bound (the time and memory
    of ``finaudit.read.limits``, for the read, the rules and the root causes together, in one worker);
    ReportFormatError past the bound or for a document that cannot be read."""
    from finaudit.read.limits import process_bounded

    return process_bounded(path, audit, limits)


def run_rules(report: Report, select: Collection[str] | None = None, *, views: dict[str, View] | None = None,
              memo: dict | None = None) -> tuple[list[Finding], dict[str, RuleOutcome]]:
    """The registered rules (or those in `select`) over a report: their findings in run order and outcomes."""
    views = views if views is not None else {kind: View(table) for kind, table in report.tables.items()}
    memo = memo if memo is not None else {}
    findings: list[Finding] = []
    outcomes: dict[str, RuleOutcome] = {}
    for item in in_order():
        code = item.code
        if select and code not in select:
            continue
        if report.meta.kind not in item.documents:
            outcomes[code] = RuleOutcome(code, "not_applicable", f"applies to {' and '.join(item.documents)} documents")
            continue
        if item.needs and not any(kind in report.tables for kind in item.needs):
            outcomes[code] = RuleOutcome(code, "not_applicable", f"needs {' or '.join(item.needs)}")
            continue
        found, outcomes[code] = evaluate(item, Check(report, item, views, memo))
        findings.extend(found)
    return findings, outcomes


def rerunner(views: dict[str, View], memo: dict):
    """The rules `codes` again on a report with one table amended (`kind`): what structural root causes
    are tested with. The other tables' views, the narrative's claims and the findings of claims on tables
    not amended (``claim_findings``, kept with their table and cell) are those of the first run; a
    report holding only the amended table runs the rules on that table alone. The findings are in run
    order, not numbered (a screen counts them; a trial numbers them to compare keys), and quiet: no message is
    rendered for them."""

    def rerun(amended: Report, kind: str, codes: Collection[str]) -> list[Finding]:
        fresh = {k: View(t) if k == kind else views[k] for k, t in amended.tables.items()}
        shared = {key: memo[key] for key in ("claims", "linked_amounts", "claim_findings") if key in memo}
        return run_rules(amended, codes, views=fresh, memo={**shared, QUIET: True})[0]

    return rerun


def format_text(report: Report, result: AuditResult, *, width: int = 100, flat: bool = False) -> str:
    """A readable table for a terminal: each root finding, its consequences indented beneath it, then
    the counts (all findings and distinct problems); `flat`: one line per finding in run order."""
    meta = report.meta
    lines = [f"{meta.entity or '?'} {meta.year or '?'}{' 预算' if meta.kind == 'budget' else ''} "
             f"({' + '.join(meta.sources) or meta.source})",
             f"finaudit {result.manifest.finaudit_version}, rules {result.manifest.ruleset_version}", ""]
    lines.append(f"{'severity':<8} {'code':<8} {'table':<9} {fit('location', 24)} message")
    if flat:
        lines += [_line(finding, width, meta=meta) for finding in result.findings]
    else:
        for root, consequences in sorted(result.grouped(), key=lambda pair: SEVERITY_RANK[pair[0].severity]):
            lines.append(_line(root, width, meta=meta))
            if consequences:
                cause = root.cause_zh if len(root.cause_zh) < width else root.cause_zh[: width - 1] + "…"
                lines.append(f"{'':<8} ↳ {cause}")
            lines += [_line(finding, width, indent="  ↳ ", meta=meta) for finding in consequences]
    counts, roots = result.counts, result.root_counts
    lines += ["", f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes; "
              + ", ".join(f"{status} {sum(o.status == status for o in result.outcomes.values())}"
                          for status in ("pass", "fail", "not_applicable", "insufficient_data", "error")),
              f"distinct problems (roots): {roots['error']} errors, {roots['warning']} warnings, {roots['info']} notes"]
    return "\n".join(lines) + "\n"


def _line(finding: Finding, width: int, indent: str = "", meta=None) -> str:
    table = str(finding.table or "")
    source = ", ".join(finding.source[:3])
    where = meta.file_of(finding.kind) if meta is not None else None
    if where:  # a document in two files: the page is a page of this file
        source += f" @ {Path(where).name}"
    message = finding.message_zh if len(finding.message_zh) < width else finding.message_zh[: width - 1] + "…"
    where = f"{fit(table, 9)} {fit(finding.location, 24)}"
    return f"{indent}{finding.severity:<8} {finding.code:<8} {where} {message}  [{source}]"


def cells(text: str) -> int:
    """Given a text, return the terminal cells it takes: two for each East Asian wide or full-width character
    (汉字, full-width punctuation), one for the others."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, width: int) -> str:
    """Given a text and a column width in terminal cells, return the text padded to exactly that width, cut
    with "…" when it is wider (a wide character is never split)."""
    if cells(text) > width:
        kept, used = [], 0
        for ch in text:
            if used + cells(ch) > width - 1:
                break
            kept.append(ch)
            used += cells(ch)
        text = "".join(kept) + "…"
    return text + " " * (width - cells(text))


def frame_text(frame: pd.DataFrame) -> str:
    """Given a frame, return it as a text table for a terminal, its columns aligned where Chinese appears."""
    import pandas as pd

    with pd.option_context("display.unicode.east_asian_width", True):
        return frame.to_string(index=False)


def findings_by_rule(result: AuditResult) -> pd.DataFrame:
    """Finding counts per rule, named in both languages, by severity, and a total row (the workbook's
    regression table)."""
    import pandas as pd

    rows = []
    for code in sorted({f.code for f in result.findings}):
        item = REGISTRY.get(code) or causes.STRUCTURAL.get(code)
        counts = {s: sum(f.code == code and f.severity == s for f in result.findings) for s in SEVERITIES}
        rows.append({"code": code, "rule": item.title_zh if item else "", "rule_en": item.title_en if item else "",
                     **counts, "total": sum(counts.values())})
    totals = {s: sum(r[s] for r in rows) for s in SEVERITIES}
    rows.append({"code": "", "rule": "合计", "rule_en": "Total", **totals, "total": sum(totals.values())})
    return pd.DataFrame(rows, columns=["code", "rule", "rule_en", *SEVERITIES, "total"])


def catalogue_markdown() -> str:
    """The user catalogue of rules (docs/rules.md), generated from the registry."""
    out = ["# finaudit rules", "", "Generated from the rule registry (`python -m finaudit.audit catalogue`); do not edit by hand.",
           "Codes are permanent. Severity: error / warning / info (rounding notes are always info).", ""]
    for code, item in sorted(REGISTRY.items()):
        out += [f"## {code} — {item.title_zh} / {item.title_en}", "", f"Severity: **{item.severity}**. "
                f"Tables: {', '.join(item.needs) or 'any'}. Documents: {', '.join(item.documents)}.", "", item.doc, ""]
    out += ["# Structural faults", "", ("Found after the rules have run, by re-running them on the table as it should have "
                                        "been printed (finaudit/causes.py); each is the root of the findings it explains."), ""]
    for code, fault in sorted(causes.STRUCTURAL.items()):
        out += [f"## {code} — {fault.title_zh} / {fault.title_en}", "", f"Severity: **{fault.severity}**.", "", fault.doc, ""]
    out += ["# Cross-document rules", "", "Run by `finaudit check A B …` / `finaudit check DIR` on pairs of one department's "
            "documents (`--no-cross` skips them); each finding cites a cell in both documents.", ""]
    for code, item in sorted(CROSS_REGISTRY.items()):
        zh, en = RELATIONS[item.relation]
        out += [f"## {code} — {item.title_zh} / {item.title_en}", "", f"Severity: **{item.severity}**. "
                f"Relation: {zh} / {en}.", "", item.doc, ""]
    return "\n".join(out)


def exit_code(counts: dict[str, int], fail_on: str | None) -> int:
    """The process exit code for `--fail-on`: 1 when a finding of that severity or worse was found."""
    if not fail_on:
        return 0
    levels = [s for s in ("error", "warning") if SEVERITY_RANK[s] <= SEVERITY_RANK[fail_on]]
    return int(any(counts.get(level, 0) for level in levels))


if __name__ == "__main__":
    if sys.argv[1:] == ["catalogue"]:
        sys.stdout.write(catalogue_markdown())
