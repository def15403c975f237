"""The ``finaudit`` command: info, export, check, publish, corpus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import finaudit
from finaudit import cite
from finaudit.model import Report, ReportFormatError


def _load(path: str) -> Report:
    return finaudit.load(path)


def cmd_info(args) -> int:
    """What was read from each document: kind, tables, totals, narrative, coverage, load warnings (text), or
    one JSON list with an object per document (``info_entry``); the 情况说明 and 报表 files of one document
    given together are read as one. Exit 2 when a file cannot be read."""
    import json

    from finaudit.read.bundle import read_documents

    documents = read_documents(args.file, finaudit.load)
    if args.format == "json":
        entries = [info_entry(paths, found) for paths, found in documents]
        _write(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", None)
    else:
        for n, (paths, found) in enumerate(documents):
            if n:
                print("\n" + "─" * 60 + "\n")
            if isinstance(found, ReportFormatError):
                print(f"finaudit: {found}", file=sys.stderr)
            else:
                print_info(found)
    return 2 if any(isinstance(found, ReportFormatError) for _, found in documents) else 0


def print_info(report: Report) -> None:
    from finaudit.audit import frame_text

    meta = report.meta
    scope = {"department": "部门", "unit": "单位"}.get(meta.scope or "", "")
    print(f"{meta.entity or '?'}  {meta.year or '?'}  {scope}{meta.kind_zh}  unit {meta.unit or '?'}")
    for part, path in meta.files.items() or [("", meta.source)]:
        print(f"source {f'({part}) ' if part else ''}{path}")
    print(f"sha256 {meta.sha256}")
    print()
    totals = report.control_totals()
    print(frame_text(totals) if len(totals) else "no tables")
    print()
    from finaudit.read.claims import coverage as claim_coverage

    print(f"narrative: {len(report.narrative)} sections; glossary: {len(report.glossary)} terms")
    claims = claim_coverage(report)
    print(f"narrative figures: {claims.bound} of {claims.amounts} bound to a claim")
    for unbound in claims.unbound:
        print(f"  not bound: {_where(unbound)}: {unbound.figure} in {unbound.sentence!r}")
    print(f"coverage: {report.coverage().summary()}")
    for unplaced in report.coverage().unplaced:
        print(f"  not placed: {_where(unplaced)}: {unplaced.text!r} ({unplaced.reason})")
    print(f"load warnings: {len(report.warnings)}")
    for warning in report.warnings:
        table = f"{cite.table(warning.table).en} " if warning.table else ""  # the report is in English
        print(f"  [{warning.code}] {table}{_where(warning)}: {warning.message}")


def info_entry(paths: list[Path], found: Report | ReportFormatError) -> dict:
    """The ``info --format json`` object of one document (README, Command line): what it is, its tables,
    coverage, narrative and load warnings; or, for a file that cannot be read, its error."""
    if isinstance(found, ReportFormatError):
        return {"source": [str(p) for p in paths], "error": str(found)}
    from finaudit.read.claims import coverage as claim_coverage

    report, meta = found, found.meta
    coverage, claims = report.coverage(), claim_coverage(report)
    return {
        "source": meta.sources or [str(p) for p in paths],
        "files": dict(meta.files),
        "department": meta.department_name,
        "unit": meta.unit_name,
        "year": meta.year,
        "kind": meta.kind,
        "scope": meta.scope,
        "money_unit": meta.unit,
        "sha256": meta.sha256,
        "tables": [{"kind": t.kind, "number": t.ordinal, "title": t.title,
                    "page": t.pages[0] if t.pages else None, "line": None if t.pages else t.title_line,
                    "rows": len(t.data), "columns": list(t.columns)} for t in report.tables.values()],
        "coverage": coverage.counts(),
        "narrative": {"sections": len(report.narrative),
                      "paragraphs": sum(len(s.paragraphs) for s in report.narrative),
                      "titles": [f"{s.number}、{s.title}" if s.number else s.title for s in report.narrative],
                      "glossary": len(report.glossary),
                      "amounts": claims.amounts, "bound": claims.bound,
                      "unbound": [u.to_dict() for u in claims.unbound]},
        "warnings": [{"code": w.code, "page": w.page, "line": w.line, "table": w.table, "file": w.source,
                      "message": w.message} for w in report.warnings],
    }


def _where(item) -> str:
    """Where a load warning or an unplaced number is: its line in a text, its page in a PDF."""
    return f"page {item.page}" if item.page is not None else f"line {item.line}" if item.line is not None else "report"


#: What ``export --to`` writes, by the target's suffix; no suffix (or an existing folder): a package directory.
EXPORT_SUFFIXES = (".xlsx", ".txt")


def export_target(to: str) -> Path:
    """Given ``export --to``, return the target, refusing a suffix that names a format not written (``x.docx``
    would otherwise become a package folder named like a file)."""
    target = Path(to)
    if target.suffix and target.suffix.lower() not in EXPORT_SUFFIXES and not target.is_dir():
        raise ReportFormatError(to, None, "a format export writes: FILE.xlsx, FILE.txt or a DIR (package)",
                                f"unknown format {target.suffix}")
    return target


def cmd_export(args) -> int:
    target = export_target(args.to)
    report = _load(args.file)
    if target.suffix.lower() == ".xlsx":
        from finaudit.export.xlsx import write_tables_xlsx

        write_tables_xlsx(report, target)
    elif target.suffix.lower() == ".txt":
        from finaudit.read.render import render_text

        target.write_text(render_text(report), encoding="utf-8")
    else:
        from finaudit.read.package import write_package

        write_package(report, target)
    print(f"wrote {target}")
    return 0


def _write(output: str, path: str | None) -> None:
    if path:
        Path(path).write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)


def cmd_check(args) -> int:
    """One report: its findings (text, json, or a working paper); several or a folder: batch mode."""
    from finaudit.audit import audited, exit_code, format_text
    from finaudit.read.sources import is_package

    paths = [Path(p) for p in args.file]
    together = one_document(paths)
    if together is None and (len(paths) > 1 or any(p.is_dir() and not is_package(p) for p in paths)):
        if not args.no_cross:
            return check_dossier(paths, output_format=args.format, output=args.output, jobs=args.jobs,
                                 fail_on=args.fail_on)
        return check_batch(paths, output_format=args.format, output=args.output, jobs=args.jobs, fail_on=args.fail_on)
    report, result = audited(together or paths[0])
    if args.format in ("xlsx", "html"):
        if not args.output:
            raise ReportFormatError(str(paths[0]), None, f"--output FILE.{args.format} for --format {args.format}")
        from finaudit.export.workpaper import write_workpaper

        write_workpaper(report, result, Path(args.output), args.format)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        _write(result.to_json() if args.format == "json" else format_text(report, result, flat=args.flat), args.output)
    return exit_code(result.counts, args.fail_on)


def one_document(paths: list[Path]) -> list[Path] | None:
    """Two files that are one document (its 情况说明 and its 报表, ``read.bundle``): their paths; None for
    anything else (one path, more files, a folder, two documents)."""
    if len(paths) != 2 or not all(p.is_file() for p in paths):
        return None
    from finaudit.read.bundle import documents

    found = documents(paths, finaudit.load)
    return found[0] if len(found) == 1 else None


def batch_files(paths: list[Path], output_format: str):
    """The documents under `paths` for batch mode, which writes text or json, and what was refused
    (``finaudit.read.sources.Discovered``)."""
    from finaudit.read.sources import discover

    where = ", ".join(map(str, paths))
    if output_format in ("xlsx", "html"):
        raise ReportFormatError(where, None, f"one report for --format {output_format} (batch mode writes text or json)")
    found = discover(paths)
    if not found.documents and not found.refused:
        raise ReportFormatError(where, None, "report files (.txt, .pdf) or package directories")
    return found


def _refused_entries(found) -> list[dict]:
    return [{"file": str(path), "error": f"{path}: {reason}"} for path, reason in found.refused]


def check_batch(paths: list[Path], *, output_format: str, output: str | None, jobs: int, fail_on: str | None) -> int:
    """Batch mode: every report under `paths`; exit 2 when a file could not be read."""
    from finaudit.audit import exit_code
    from finaudit.batch import check_many, format_summary, progress_bar

    import json

    found = batch_files(paths, output_format)
    with progress_bar(len(found.documents)) as progress:
        results = check_many(found.documents, jobs, progress, as_json=output_format == "json")
    results += [(entry, json.dumps(entry, ensure_ascii=False)) for entry in _refused_entries(found)]
    entries = [summary for summary, _ in results]
    if output_format == "json":
        _write("[\n" + ",\n".join(text for _, text in results) + "\n]\n", output)
    else:
        _write(format_summary(entries), output)
    if any("error" in e for e in entries):
        return 2
    return max((exit_code(e["counts"], fail_on) for e in entries), default=0)


def cmd_corpus(args) -> int:
    """The corpus store: build (or update) it from a folder, summarise it, query it, export it."""
    import duckdb

    from finaudit.corpus import store

    try:
        if args.action == "build":
            from finaudit.corpus.build import build

            try:
                stats = build(args.dir, args.store, jobs=args.jobs, scheduler=args.scheduler)
            except KeyboardInterrupt:
                print(f"finaudit: interrupted; {args.store} holds every document written so far, "
                      "whole; run the build again to complete it", file=sys.stderr)
                return 130
            print(stats.summary())
            return 0
        connection = store.connect(args.store, read_only=True)
        try:
            if args.action == "summary":
                from finaudit.corpus.query import summary

                _write(summary(connection), args.output)
            elif args.action == "query":
                from finaudit.corpus.query import run

                _write(run(connection, args.sql, args.format), args.output)
            else:
                from finaudit.corpus.export import write_datapackage, write_parquet

                if not (args.parquet or args.datapackage):
                    raise ReportFormatError(args.store, None, "--parquet DIR or --datapackage DIR")
                if args.parquet:
                    print(f"wrote {len(write_parquet(connection, args.parquet))} Parquet files to {args.parquet}")
                if args.datapackage:
                    print(f"wrote {write_datapackage(connection, args.datapackage)}")
        finally:
            connection.close()
    except store.ForeignStoreError as error:
        print(f"finaudit: {error}", file=sys.stderr)
        return 2
    except (duckdb.Error, FileNotFoundError) as error:
        print(f"finaudit: {args.store}: {error}", file=sys.stderr)
        return 2
    return 0


def check_dossier(paths: list[Path], *, output_format: str, output: str | None, jobs: int, fail_on: str | None) -> int:
    """Batch mode, then the relations between the documents (FA-D): the batch summary (or its JSON list) as
    without them, followed by the cross-document findings (text) or one more JSON entry {"cross": [...]}."""
    import json

    from finaudit.audit import exit_code
    from finaudit.batch import entry, format_summary, progress_bar
    from finaudit.dossier import Document, Dossier, join_halves, read

    found = batch_files(paths, output_format)
    files = found.documents
    jobs = max(1, min(jobs, len(files) or 1))
    with progress_bar(len(files)) as progress:
        if jobs == 1:
            documents = []
            for path in files:
                documents.append(read(path))
                progress.update()
        else:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=jobs) as pool:
                documents = []
                for document in pool.map(read, files):
                    documents.append(document)
                    progress.update()
    documents = join_halves(documents)
    dossier = Dossier(documents + [Document(path, error=f"{path}: {reason}") for path, reason in found.refused])
    documents = dossier.documents
    entries = [{"file": str(d.path), "error": d.error} if d.error else entry(d.path, d.report, d.result) for d in documents]
    cross = dossier.cross()
    if output_format == "json":
        sources = [d.report.meta.source if d.report else None for d in documents]
        for pair in dossier.pairs():  # each pair's findings go with its second document (final, unit, later year)
            entries[sources.index(pair.second.meta.source)].setdefault("cross", [])
        for finding in cross:
            entries[sources.index(finding.pair_sources[1])]["cross"].append(finding.to_dict())
        texts = [json.dumps(e, ensure_ascii=False) for e in entries]
        _write("[\n" + ",\n".join(texts) + "\n]\n", output)
    else:
        summaries = [{k: v for k, v in e.items() if k != "findings"} for e in entries]
        _write(format_summary(summaries) + format_cross(dossier, cross), output)
    if any("error" in e for e in entries):
        return 2
    counts = {s: sum(f.severity == s for f in cross) for s in ("error", "warning", "info")}
    return max([exit_code(e["counts"], fail_on) for e in entries] + [exit_code(counts, fail_on)])


def format_cross(dossier, cross) -> str:
    """The pairs read together and each cross-document finding with the cells of both documents."""
    from finaudit.rules.documents import RELATIONS, label

    pairs = dossier.pairs()
    lines = ["", f"cross-document: {len(pairs)} pairs, {len(cross)} findings"]
    for pair in pairs:
        lines.append(f"  {RELATIONS[pair.relation][0]}: {label(pair.first)} ↔ {label(pair.second)}")
    for finding in cross:
        lines.append(f"{finding.severity:<8} {finding.code:<8} {finding.message_zh}")
        lines += [f"{'':17}[{source}]" for source in finding.sources]
    lines += [f"rule crashed: {where}: {error}" for where, error in dossier.crashed.items()]
    return "\n".join(lines) + "\n"


def cmd_publish(args) -> int:
    """Static dashboards (one HTML page per report, plotly.js beside them): no kernel, works offline."""
    from finaudit.export.publish import publish
    from finaudit.read.sources import discover

    found = discover(args.file)
    entries = publish(found.documents, Path(args.to), args.lang, refused=found.refused)
    for entry in entries:
        print(f"{entry['source']}: {entry['error']}" if "error" in entry else f"wrote {Path(args.to) / entry['page']}",
              file=sys.stderr if "error" in entry else sys.stdout)
    print(f"wrote {Path(args.to) / 'index.html'}")
    return 2 if any("error" in e for e in entries) else 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="finaudit", description="Audit 部门决算 disclosures.")
    main.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                      help="raise or lower a reading limit, e.g. --limit seconds=300 (see finaudit.read.limits)")
    sub = main.add_subparsers(dest="command", required=True)
    info = sub.add_parser("info", help="what was found in a report: tables, totals, warnings, coverage")
    info.add_argument("file", nargs="+", help="report files (a 情况说明 and its 报表 given together are one report)")
    info.add_argument("--format", choices=["text", "json"], default="text")
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
    check.add_argument("--no-cross", action="store_true",
                       help="several documents: audit each alone, not the relations between them (FA-D)")
    check.add_argument("--flat", action="store_true", help="text: one line per finding in run order, not grouped by root cause")
    check.set_defaults(run=cmd_check)
    corpus = sub.add_parser("corpus", help="a store of every report of a folder (DuckDB): build, summary, query, export")
    actions = corpus.add_subparsers(dest="action", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", default="corpus.duckdb", help="the DuckDB file (default corpus.duckdb)")
    common.add_argument("--output", help="write to this file instead of standard output")
    build = actions.add_parser("build", parents=[common], help="read and audit new or changed reports under DIR")
    build.add_argument("dir")
    build.add_argument("--jobs", type=int, default=1, help="documents read in parallel on this machine")
    build.add_argument("--scheduler", help="address of a Dask distributed scheduler (tcp://host:8786) to do the work")
    actions.add_parser("summary", parents=[common], help="documents by kind and year, findings by severity and rule")
    query = actions.add_parser("query", parents=[common], help="run one SQL query on the store (read only)")
    query.add_argument("sql")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    export = actions.add_parser("export", parents=[common], help="Parquet files or a Frictionless data package")
    export.add_argument("--parquet", metavar="DIR")
    export.add_argument("--datapackage", metavar="DIR")
    corpus.set_defaults(run=cmd_corpus)
    publish = sub.add_parser("publish", help="static dashboards for many viewers: one HTML page per report, offline")
    publish.add_argument("file", nargs="+", help="report files or directories of reports")
    publish.add_argument("--to", required=True, help="the folder to write (index.html, a page per report, plotly.min.js)")
    publish.add_argument("--lang", choices=["zh", "en"], default="zh")
    publish.set_defaults(run=cmd_publish)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.limit:
            from finaudit.read import limits

            limits.configure(limits.current().with_settings(dict(item.partition("=")[::2] for item in args.limit)))
    except ValueError as error:
        print(f"finaudit: --limit: {error}", file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except ReportFormatError as error:
        print(f"finaudit: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as error:  # an output that cannot be written (a missing folder, no permission, a full disk)
        print(f"finaudit: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
