"""What the working paper holds, whatever its format: the cover, the marked cells, the narrative claims."""

from __future__ import annotations

from finaudit.model import Report

SEVERITY_FILL = {"error": "F4B6B6", "warning": "FFE699", "info": "DDEBF7"}


def marks(report: Report, result) -> dict[str, dict[tuple[int, str], str]]:
    """table kind → (row index, column) → the comments of the findings involving that cell."""
    marked: dict[str, dict[tuple[int, str], list[str]]] = {}
    for finding in result.findings:
        for ref in finding.cells:
            if ref.kind in report.tables and ref.row_index is not None and ref.column:
                marked.setdefault(ref.kind, {}).setdefault((ref.row_index, ref.column), []).append(
                    f"{finding.code} {finding.severity}: {finding.message_zh}")
    return {kind: {key: "\n".join(dict.fromkeys(texts)) for key, texts in cells.items()} for kind, cells in marked.items()}


def claim_rows(report: Report, result) -> list[dict]:
    """Every narrative claim with its values and the verdicts of the findings made at its line."""
    from finaudit.read.claims import claims

    verdicts: dict[tuple, list[str]] = {}
    for finding in result.findings:
        if finding.table != "narrative":
            continue
        ref = finding.cells[0] if finding.cells else None
        if ref is not None:
            verdicts.setdefault((ref.row, ref.line, ref.page), []).append(f"{finding.code} {finding.severity}")
    rows = []
    for claim in claims(report) if report.narrative else []:
        values = {k: v for k, v in vars(claim).items() if k not in ("sentence", "section", "line", "page", "offset")}
        subject = values.pop("subject", None) or values.pop("name", None) or values.get("key", "")
        found = verdicts.get((claim.section or "—", claim.line, claim.page), [])
        rows.append({
            "section": claim.section, "line": claim.line, "page": claim.page, "kind": claim.kind, "subject": subject,
            "values": "; ".join(f"{k}={v}" for k, v in values.items() if v not in (None, "", -1) and k not in ("index",)),
            "verdict": ", ".join(dict.fromkeys(found)) or "ok", "sentence": claim.sentence[:200],
        })
    return rows


def cover_rows(report: Report, result) -> list[tuple[str, object]]:
    meta, manifest = report.meta, result.manifest
    counts = result.counts
    return [
        ("department", meta.department), ("year", meta.year), ("kind", meta.kind), ("unit", meta.unit),
        ("source", meta.source), ("input sha256", manifest.input_sha256), ("finaudit", manifest.finaudit_version),
        ("rule set", manifest.ruleset_version), ("started (UTC)", manifest.started_at), ("seconds", manifest.seconds),
        ("errors", counts["error"]), ("warnings", counts["warning"]), ("notes", counts["info"]),
        ("rules passed", sum(o.status == "pass" for o in result.outcomes.values())),
        ("rules failed", sum(o.status == "fail" for o in result.outcomes.values())),
        ("rules not applicable", sum(o.status == "not_applicable" for o in result.outcomes.values())),
        ("rules with insufficient data", sum(o.status == "insufficient_data" for o in result.outcomes.values())),
        ("load warnings", result.report_warnings), ("coverage", report.coverage().summary()),
    ]
