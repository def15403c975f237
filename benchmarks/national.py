"""How much of the national sample finaudit reads: one row per document, then the totals.

    python -m benchmarks.national [FOLDER] [--filter TEXT] [-v]

FOLDER defaults to ``../shared/reports/national`` beside the checkout. For each document: kind, scope, year,
department, the tables recognised, the share of table numbers placed, load warnings and the audit's
errors/warnings/notes; ``-v`` adds each table, each kind of load warning and every error and warning. The
acceptance figures of the national-reading work (every table recognised, ≥ 99 % of numbers placed) are read
from this table, not from a timed test.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "reports" / "national"


def survey(folder: Path, text: str | None = None, verbose: bool = False) -> int:
    import finaudit
    from finaudit.audit import audit

    from finaudit.read.bundle import read_documents

    files = [p for p in sorted(folder.rglob("*.pdf")) if not text or text in str(p)]
    placed_all = numbers_all = whole = read = 0
    for paths, report in read_documents(files, finaudit.load):  # a 情况说明 and its 报表 are one document
        name = " + ".join(str(p.relative_to(folder)) for p in paths)
        started = time.perf_counter()
        if not hasattr(report, "meta"):  # the file's ReportFormatError: a refusal is a row of the survey
            print(f"REFUSED {name}: {str(report)[-160:]}")
            continue
        read += 1
        coverage = report.coverage()
        placed = sum(coverage.placed.values())
        placed_all, numbers_all = placed_all + placed, numbers_all + coverage.total
        whole += coverage.ratio >= 0.99 and not any("unknown" in w.code for w in report.warnings)
        result = audit(report)
        counts = collections.Counter(str(f.severity) for f in result.findings)
        meta = report.meta
        print(f"{name[:90]:90} {meta.kind:6} {meta.scope!s:10} {meta.year!s:4} {meta.department_name!s:.16} "
              f"tables={len(report.tables):2} placed={placed}/{coverage.total}={coverage.ratio:.1%} "
              f"warnings={len(report.warnings)} E/W/I={counts['error']}/{counts['warning']}/{counts['info']} "
              f"audit {time.perf_counter() - started:.2f}s")
        if verbose:
            for kind, table in report.tables.items():
                print(f"    T {kind:24} {table.title[:40]:40} rows={len(table.rows())} pages={table.pages}")
            for code, n in collections.Counter(w.code for w in report.warnings).most_common():
                first = next(w for w in report.warnings if w.code == code)
                print(f"    W {code} ×{n}: page {first.page} {first.message[:120]}")
            reasons = collections.Counter(u.reason for u in coverage.unplaced).most_common(4)
            pages = sorted(collections.Counter(u.page for u in coverage.unplaced).items())[:12]
            print(f"    U {len(coverage.unplaced)} not placed: {reasons}; by page {pages}")
            for finding in result.findings:
                if str(finding.severity) in ("error", "warning"):
                    print(f"    F {finding.code} {str(finding.severity)[:4]} {finding.message_zh[:130]}")
    print(f"ALL: {len(files)} files, {read} documents read, {whole} read whole (≥ 99 % placed, no unknown table); "
          f"numbers placed {placed_all}/{numbers_all} = {placed_all / max(numbers_all, 1):.1%}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--filter", default=None, help="only paths containing this text")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"{args.folder}: no such folder (the national sample lives in ../shared/reports/national)", file=sys.stderr)
        return 2
    return survey(args.folder, args.filter, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
