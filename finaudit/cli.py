"""The ``finaudit`` command: info, export, check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from finaudit.model import Report, ReportFormatError


def _load(path: str) -> Report:
    import finaudit

    return finaudit.load(path)


def cmd_info(args) -> int:
    report = _load(args.file)
    meta = report.meta
    print(f"{meta.department or '?'}  {meta.year or '?'}  {'决算' if meta.kind == 'final' else '预算'}  unit {meta.unit or '?'}")
    print(f"source {meta.source}  sha256 {meta.sha256}")
    print()
    totals = report.control_totals()
    print(totals.to_string(index=False) if len(totals) else "no tables")
    print()
    print(f"narrative: {len(report.narrative)} sections; glossary: {len(report.glossary)} terms")
    print(f"coverage: {report.coverage().summary()}")
    for unplaced in report.coverage().unplaced:
        print(f"  not placed: line {unplaced.line}: {unplaced.text!r} ({unplaced.reason})")
    print(f"load warnings: {len(report.warnings)}")
    for warning in report.warnings:
        table = f"表{warning.table} " if warning.table else ""
        print(f"  [{warning.code}] {table}line {warning.line}: {warning.message}")
    return 0


def cmd_export(args) -> int:
    report = _load(args.file)
    target = Path(args.to)
    if target.suffix.lower() == ".xlsx":
        from finaudit.workpaper import write_tables_xlsx

        write_tables_xlsx(report, target)
    elif target.suffix.lower() == ".txt":
        target.write_text(report.to_text(), encoding="utf-8")
    else:
        report.to_package(target)
    print(f"wrote {target}")
    return 0


def cmd_check(args) -> int:
    from finaudit.audit import run_checks

    return run_checks(args)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="finaudit", description="Audit 部门决算 disclosures.")
    sub = main.add_subparsers(dest="command", required=True)
    info = sub.add_parser("info", help="what was found in a report: tables, totals, warnings, coverage")
    info.add_argument("file")
    info.set_defaults(run=cmd_info)
    export = sub.add_parser("export", help="write the report as a package directory, .xlsx or .txt")
    export.add_argument("file")
    export.add_argument("--to", required=True, help="DIR (package), FILE.xlsx or FILE.txt")
    export.set_defaults(run=cmd_export)
    check = sub.add_parser("check", help="run the audit rules")
    check.add_argument("file", nargs="+", help="report files or directories of reports")
    check.add_argument("--format", choices=["text", "json", "xlsx", "html"], default="text")
    check.add_argument("--output", help="write to this file instead of standard output")
    check.add_argument("--fail-on", choices=["error", "warning"], help="exit 1 when a finding of this severity or worse")
    check.add_argument("--jobs", type=int, default=1, help="reports audited in parallel (batch mode)")
    check.set_defaults(run=cmd_check)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except ReportFormatError as error:
        print(f"finaudit: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
