"""Batch mode of `finaudit check`: many reports, audited on several cores, one summary."""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import finaudit
from finaudit.audit import audited
from finaudit.model import ReportFormatError
from finaudit.read.bundle import half


def check_one(path: Path) -> dict:
    """Load and audit one report; a file that cannot be read becomes an entry with its error.

    The entry's findings are dicts; `serialised` turns an entry into its JSON text in the worker
    (so the main process only joins texts)."""
    try:
        report, result = audited(path)
    except ReportFormatError as error:
        return {"file": str(path), "error": str(error)}
    return {**entry(path, report, result), **({"half": half(report)} if half(report) else {})}


def check_together(paths: list[Path]) -> dict:
    """Load and audit the two files of one document (its 情况说明 and its 报表) as one report."""
    try:
        report, result = audited(paths)
    except ReportFormatError as error:
        return {"file": str(paths[0]), "error": str(error)}
    return entry(Path(report.meta.source or paths[0]), report, result)


def join_halves(files: list[Path], entries: list[tuple[dict, str]], as_json: bool) -> list[tuple[dict, str]]:
    """The entries of files that hold half a document (a 情况说明 without tables, a 报表 without narrative),
    read again and grouped (``read.bundle``): each document in two files one entry, in the place of its
    first file; every other entry as it was."""
    from finaudit.read.bundle import pairs

    halves = [i for i, (summary, _) in enumerate(entries) if summary.get("half")]
    if len(halves) < 2:
        return entries
    loaded = []
    for i in halves:
        try:
            loaded.append(finaudit.load(files[i]))
        except ReportFormatError:
            loaded.append(None)
    replaced: dict[int, tuple[dict, str] | None] = {}
    for members in pairs(loaded):
        at = sorted(halves[m] for m in members)
        together = check_together([files[i] for i in at])
        text = json.dumps(together, ensure_ascii=False) if as_json else ""
        replaced[at[0]] = ({k: v for k, v in together.items() if k != "findings"}, text)
        replaced[at[1]] = None
    joined = [replaced.get(i, item) for i, item in enumerate(entries)]
    return [item for item in joined if item is not None]


def entry(path: Path, report, result) -> dict:
    """The batch entry of one audited report."""
    coverage = report.coverage()
    files = {"files": list(report.meta.sources)} if report.meta.files else {}
    return {
        "file": str(path),
        **files,
        "sha256": report.meta.sha256,
        "department": report.meta.department_name,
        "year": report.meta.year,
        "counts": result.counts,
        "coverage": coverage.counts(),
        "load_warnings": len(report.warnings),
        "findings": [f.to_dict() for f in result.findings],
    }


def progress_bar(total: int, unit: str = "report"):
    """A tqdm bar on stderr (the notebook widget inside Jupyter), shown only on a terminal or in a
    notebook and only for more than one item; ``update()`` once per item, ``close()`` at the end."""
    from tqdm.auto import tqdm

    return tqdm(total=total, unit=unit, disable=None if total > 1 else True, dynamic_ncols=True, smoothing=0.1)


def serialised(path: Path, as_json: bool = True) -> tuple[dict, str]:
    """(summary of the entry without its findings, the entry as one line of JSON, or '')."""
    entry = check_one(path)
    text = json.dumps(entry, ensure_ascii=False) if as_json else ""  # no indent: the C encoder, 5× faster
    return {k: v for k, v in entry.items() if k != "findings"}, text


def check_many(files: list[Path], jobs: int = 1, progress=None,
               as_json: bool = True) -> list[tuple[dict, str]]:
    """(summary, JSON text) per document, in the order of `files`, whatever the number of jobs: per file, but
    one for the two files of a document published as a 情况说明 and a 报表 (``join_halves``)."""
    jobs = max(1, min(jobs, os.cpu_count() or 1, len(files) or 1))
    entries = []
    if jobs == 1:
        for path in files:
            entries.append(serialised(path, as_json))
            progress and progress.update()
        return join_halves(files, entries, as_json)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunks = max(1, min(32, len(files) // (jobs * 8) or 1))
        for entry in pool.map(serialised, files, [as_json] * len(files), chunksize=chunks):
            entries.append(entry)
            progress and progress.update()
    return join_halves(files, entries, as_json)


def format_summary(entries: list[dict]) -> str:
    lines = [f"{'errors':>6} {'warn':>5} {'notes':>5} {'placed':>7}  file"]
    for entry in entries:
        if "error" in entry:
            lines.append(f"{'—':>6} {'—':>5} {'—':>5} {'—':>7}  {entry['file']}: {entry['error']}")
            continue
        c = entry["counts"]
        name = " + ".join(entry.get("files", [])) or entry["file"]
        lines.append(f"{c['error']:>6} {c['warning']:>5} {c['info']:>5} {entry['coverage']['share']:>7.1%}  {name}")
    unreadable = sum("error" in e for e in entries)
    lines.append(f"{len(entries)} reports, {unreadable} unreadable, "
                 f"{sum(e['counts']['error'] for e in entries if 'counts' in e)} errors in all")
    return "\n".join(lines) + "\n"
