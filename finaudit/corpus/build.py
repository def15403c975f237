"""Build (or bring up to date) a corpus store from a folder of reports.

The folder is walked once; a document whose size and modification time are what the store holds is
skipped without being read, one whose time changed is hashed and skipped when its SHA-256 is the
same; new and changed documents are read and audited (in this process, on ``jobs`` local processes,
or on a Dask cluster), documents no longer there are removed. A document the loaders cannot read,
and a directory that cannot be listed, become rows with their error; the build goes on.

Per-document work (``extract``) returns plain column lists and the report, pickled; only this process
writes the store, in groups of whole documents, one transaction per group (see ``finaudit.corpus.store``).

Then the dossiers (``audit_dossiers``): the documents of one department (``finaudit.dossier``: grouped by
department, year, kind and scope) are paired as the cross-document rules (FA-D) read them, and the
findings of every pair are written with both documents' paths and cells. Only the dossiers marked stale
are audited: those whose documents were written or removed (in this build or an interrupted one), and
all of them when the cross-document rules changed. Their reports come from this build's per-document
work (kept pickled, about 12 KB a document) and, for the documents that did not change, from their
files (read again, not audited).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import finaudit
from finaudit.audit import audited, ruleset_version
from finaudit.dossier import department_key, of_reports
from finaudit.model import Report, ReportFormatError
from finaudit.corpus import store
from finaudit.read import bundle, limits, sources
from finaudit.rules.documents import CROSS_REGISTRY, place, run_pair


class Extracted(NamedTuple):
    """What the per-document work returns: the document's rows, and the report pickled (None: not read)."""

    rows: dict[str, dict[str, list]]
    report: bytes | None = None


class Found(NamedTuple):
    """A document found under the root: its key, where it is, and its stamp."""

    path: str  # relative to the root, '/' separated: the document's key in the store
    file: Path
    size: int
    mtime_ns: int
    package: bool = False
    pair: tuple[Path, ...] = ()  # a document in two files: its 情况说明 file and its 报表 file (``file`` is the latter)


@dataclass
class BuildStats:
    found: int = 0
    read: int = 0  # documents loaded and audited in this build
    unchanged: int = 0
    removed: int = 0
    unreadable: int = 0  # documents (and directories) stored with an error, read in this build
    dossiers: int = 0  # dossiers audited in this build
    cross_findings: int = 0  # their cross-document findings
    dossier_seconds: float = 0.0
    seconds: float = 0.0
    complete: bool = False

    def summary(self) -> str:
        state = "" if self.complete else " (interrupted: run the build again to complete it)"
        return (f"{self.found} documents: {self.read} read, {self.unchanged} unchanged, {self.removed} removed, "
                f"{self.unreadable} unreadable; {self.dossiers} dossiers audited ({self.cross_findings} "
                f"cross-document findings, {self.dossier_seconds:.1f} s); {self.seconds:.1f} s{state}")


# -- finding documents ------------------------------------------------------------------------
def discover(root: Path) -> tuple[list[Found], list[tuple[str, str]]]:
    """The documents under `root` (``finaudit.read.sources``) with their stamps, and what was refused (a
    folder that cannot be listed, a file named as a report that is not a regular file), as (relative path,
    error)."""
    discovered = sources.discover([root])
    found: list[Found] = []
    for path in discovered.documents:
        if path.is_dir():
            stamps = [_stamp(file) for file in _package_files(path)]
            found.append(Found(_relative(path, root), path, sum(s[0] for s in stamps),
                               max((s[1] for s in stamps), default=0), package=True))
        else:
            found.append(Found(_relative(path, root), path, *_stamp(path)))
    return sorted(found), sorted((_relative(path, root), f"{path}: {reason}") for path, reason in discovered.refused)


def _package_files(directory: Path) -> list[Path]:
    """The regular files of a package directory, by name (what its stamp and fingerprint are made of)."""
    return sorted(p for p in directory.iterdir() if not sources.irregular(p) and p.is_file())


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path != root else "."


def _stamp(file: Path) -> tuple[int, int]:
    try:
        stat = file.stat()
    except OSError:
        return -1, -1  # read (and fail with its error) every time
    return stat.st_size, stat.st_mtime_ns


def fingerprint(found: Found) -> str | None:
    """SHA-256 of the file's bytes, or of a package's file names and bytes; None when unreadable or larger
    than the reading limits allow (the load then says why). Read as the loaders read: regular files only,
    never blocking, in pieces, at most the size limit."""
    bound = limits.current()
    most = int(max(bound.text_mb, bound.pdf_mb) * 2**20)
    try:
        if not found.package and not found.pair:
            return _digest(found.file, most).hexdigest()
        digest = hashlib.sha256()
        for file in found.pair or _package_files(found.file):
            digest.update(file.name.encode() + b"\0" + _digest(file, most).digest())
        return digest.hexdigest()
    except (OSError, ReportFormatError):
        return None


def _digest(file: Path, most: int):
    """The SHA-256 of a regular file of at most `most` bytes (ReportFormatError otherwise)."""
    digest, read = hashlib.sha256(), 0
    with sources.open_regular(file) as handle:
        while chunk := handle.read(1 << 20):
            read += len(chunk)
            if read > most:
                raise ReportFormatError(str(file), None, f"a file of at most {most} bytes")
            digest.update(chunk)
    return digest


# -- one document -----------------------------------------------------------------------------
@functools.cache
def _ruleset() -> str:
    return ruleset_version()


def extract(found: Found) -> Extracted:
    """Read and audit one document: its rows for every table of the store (column lists), and the report.

    Never raises for a bad document: a ReportFormatError makes an "unreadable" row, any other
    exception a "failed" row, each with its message."""
    clock = time.perf_counter()
    rows, kept = store.empty_rows(), None
    document = {name: None for name in store.SCHEMAS["documents"].names}
    document.update(path=found.path, sha256=fingerprint(found), size=found.size, mtime_ns=found.mtime_ns,
                    format="package" if found.package else found.file.suffix.lower().lstrip("."),
                    ruleset=_ruleset(), finaudit_version=finaudit.__version__)
    try:
        report, result = audited(list(found.pair) or found.file)
    except ReportFormatError as error:
        document.update(status="unreadable", error=str(error))
    except Exception as error:  # a loader's or rule's crash on a hostile file must not stop the build
        document.update(status="failed", error=f"{found.file}: {type(error).__name__}: {error}")
    else:
        document.update(status="ok", **_describe(report, result))
        _cells(report, found.path, rows["cells"])
        _findings(result, found.path, rows["findings"])
        _claims(report, found.path, rows["claims"])
        for outcome in result.outcomes.values():
            store.append(rows["outcomes"], path=found.path, code=outcome.code, status=str(outcome.status),
                         reason=outcome.reason or None, findings=outcome.findings)
        kept = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    document["seconds"] = round(time.perf_counter() - clock, 4)
    store.append(rows["documents"], **document)
    return Extracted(rows, kept)


def _describe(report: Report, result) -> dict:
    """The document's columns from ``report.meta`` (kind, scope, unit where the loader states them)."""
    meta = report.meta
    scope = getattr(meta, "scope", None)
    coverage = report.coverage()
    counts = result.counts
    return {
        "format": meta.format if meta.format in ("text", "pdf") else None,
        "kind": meta.kind, "scope": scope, "department": meta.department_name,
        "unit": getattr(meta, "unit_name", None) if scope == "unit" else None, "dossier": department_key(report),
        "money_unit": meta.unit, "year": meta.year,
        "template": ",".join(str(n) for n in sorted(t.ordinal for t in report.tables.values() if t.ordinal)),
        "tables": len(report.tables), "coverage": round(coverage.ratio, 6), "numbers": coverage.total,
        "unplaced": len(coverage.unplaced), "load_warnings": len(report.warnings),
        "errors": counts["error"], "warnings": counts["warning"], "notes": counts["info"], "half": bundle.half(report),
    }


def _cells(report: Report, path: str, out: dict[str, list]) -> None:
    """Every printed amount cell, long form, with its source line (text) or page (PDF)."""
    pdf = report.meta.format == "pdf"
    for table in sorted(report.tables.values(), key=lambda t: (t.ordinal or 99, t.kind)):
        row_columns = {name: table.column(name) for name in ("side", "code", "key", "label", "level")}
        provenance = table.line_records()
        for column, header in table.columns.items():
            for row, amount in enumerate(table.column(column)):
                if amount is None:
                    continue
                where = provenance[row].get(column) if row < len(provenance) else None
                out["path"].append(path)
                out["table_kind"].append(table.kind)
                out["table_no"].append(table.ordinal)
                out["row_index"].append(row)
                out["side"].append(row_columns["side"][row] or None)
                out["code"].append(row_columns["code"][row])
                out["row_key"].append(row_columns["key"][row])
                out["label"].append(row_columns["label"][row])
                out["level"].append(row_columns["level"][row])
                out["column_key"].append(column)
                out["column_label"].append(header)
                out["hundredths"].append(int(amount))
                out["unit"].append(table.unit or report.meta.unit)
                out["line"].append(None if pdf else where)
                out["page"].append(where if pdf else None)


def _findings(result, path: str, out: dict[str, list]) -> None:
    for finding in result.findings:
        data = finding.to_dict()
        store.append(out, path=path, key=finding.key, code=finding.code, severity=str(finding.severity),
                     table_ref=None if finding.table is None else str(finding.table), table_kind=finding.kind,
                     location=finding.location, expected=data["expected"], actual=data["actual"],
                     difference=data["difference"], tolerance=data["tolerance"], message_zh=finding.message_zh,
                     message_en=finding.message_en, source="; ".join(finding.source) or None)


#: The claim attribute holding the stated number, by claim type.
_STATED = {"amount": "value", "share": "percent", "rate": "percent", "change": "amount", "count": "value",
           "item": "actual"}


def _claims(report: Report, path: str, out: dict[str, list]) -> None:
    """The narrative's statements with numbers (finaudit.read.claims), one row each."""
    if not report.narrative:
        return
    from finaudit.read.claims import claims

    try:
        found = claims(report)
    except Exception:  # the narrative rules report what the parser cannot read; the rows are a bonus
        return
    for n, claim in enumerate(found):
        kind = type(claim).__name__.lower()
        value = getattr(claim, _STATED.get(kind, ""), None)
        budget = getattr(claim, "budget", None)
        subject = getattr(claim, "subject", None) or getattr(claim, "name", None)
        store.append(out, path=path, n=n, claim=kind, section=claim.section or None, line=claim.line, page=claim.page,
                     subject=subject, code=getattr(claim, "code", None), value=None if value is None else str(value),
                     budget=None if budget is None else str(budget), sentence=claim.sentence)


def refused_row(path: str, error: str) -> dict[str, dict[str, list]]:
    """The row of what the walk refused: a folder that cannot be listed, a report's name on what is not a
    regular file (never read)."""
    rows = store.empty_rows()
    document = {name: None for name in store.SCHEMAS["documents"].names}
    suffix = Path(path).suffix.lower()
    document.update(path=path, format=suffix.lstrip(".") if suffix in sources.SUFFIXES else "directory",
                    status="unreadable", error=error, ruleset=_ruleset(),
                    finaudit_version=finaudit.__version__)
    store.append(rows["documents"], **document)
    return rows


# -- dossiers: the cross-document rules ---------------------------------------------------------
@functools.cache
def cross_ruleset() -> str:
    """The cross-document rules' version: a digest of their codes, severities, relations and texts."""
    digest = hashlib.sha256()
    for code, item in sorted(CROSS_REGISTRY.items()):
        digest.update(f"{code}|{item.severity}|{item.relation}|{item.doc}".encode())
    return digest.hexdigest()[:10]


def audit_dossiers(connection, root: Path, kept: dict[str, bytes] | None = None, *, progress: bool = False,
                   group: int = 500) -> tuple[int, int]:
    """Audit the stale dossiers (``store.stale``) and write their cross-document findings, a group of whole
    dossiers per transaction. `kept`: path → pickled report of the documents read in this build; the others
    are read again from `root`. Returns (dossiers audited, cross-document findings)."""
    from finaudit.batch import progress_bar

    version, kept = cross_ruleset(), kept or {}
    keys = store.stale(connection, version)
    members = store.dossier_documents(connection, keys)
    rows, done, audited, found = store.empty_rows(store.DOSSIER_SCHEMAS), [], 0, 0
    with progress_bar(len(keys) if progress else 0, unit="dossier") as bar:
        for key in keys:
            found += dossier_rows(key, members[key], root, kept, version, rows)
            done.append(key)
            bar.update()
            if len(done) >= group:
                store.write_dossiers(connection, done, rows)
                audited += len(done)
                rows, done = store.empty_rows(store.DOSSIER_SCHEMAS), []
        store.write_dossiers(connection, done, rows)
    return audited + len(done), found


def dossier_rows(key: str, paths: list[str], root: Path, kept: dict[str, bytes], version: str,
                 out: dict[str, dict[str, list]]) -> int:
    """One dossier's rows: every pair's cross-document findings, each with both documents' paths and the cells it
    cites in each, and the dossier's own row. Returns the number of findings. A document that cannot be read
    again, or a rule that crashes on a pair, is named in the dossier's ``problems``; the others go on."""
    reports, problems = [], []
    for path in paths:
        try:
            files = [root / part for part in path.split(store.PAIR)]  # a document in two files: both
            reports.append((path, pickle.loads(kept[path]) if path in kept else finaudit.load(
                files if len(files) > 1 else files[0])))
        except Exception as error:  # changed or gone since its row was written: the next build reads it
            problems.append(f"{path}: {type(error).__name__}: {error}")
    if not reports and not problems:
        return 0
    where = {id(report): path for path, report in reports}
    pairs = of_reports(report for _, report in reports).pairs()
    counts = {"error": 0, "warning": 0, "info": 0}
    for pair in pairs:
        first, second = where[id(pair.first)], where[id(pair.second)]
        result = run_pair(pair)  # a rule that crashes is its outcome; the pair's other rules stand
        problems += [f"{code} on {pair.relation} {first} | {second}: {reason}" for code, reason in result.crashed.items()]
        for cross in result.findings:
            data = cross.finding.to_dict()
            places = [(place(c), s) for c, s in zip(cross.finding.cells, cross.sides)]
            first_zh, second_zh, first_en, second_en = (
                "; ".join(getattr(where, lang, where) for where, s in places if s == side) or None
                for lang in ("zh", "en") for side in (0, 1))
            store.append(out["cross_findings"], dossier=key, relation=pair.relation, first_path=first,
                         second_path=second, key=cross.key, code=cross.code, severity=str(cross.severity),
                         location=cross.location, expected=data["expected"], actual=data["actual"],
                         difference=data["difference"], tolerance=data["tolerance"], message_zh=cross.message_zh,
                         message_en=cross.message_en, first_source=first_zh, second_source=second_zh,
                         first_source_en=first_en, second_source_en=second_en)
            counts[str(cross.severity)] += 1
    meta = reports[0][1].meta if reports else None
    store.append(out["dossiers"], dossier=key, department=meta and meta.department_name, documents=len(reports),
                 pairs=len(pairs), errors=counts["error"], warnings=counts["warning"], notes=counts["info"],
                 problems="; ".join(problems) or None, ruleset=version)
    return sum(counts.values())


# -- the build --------------------------------------------------------------------------------
def plan(found: list[Found], stored: dict[str, tuple], ruleset: str) -> tuple[list[Found], list[tuple], int]:
    """(documents to read, (path, size, mtime) of documents whose stamp changed but not their bytes,
    number unchanged). A document audited by another rule-set version is read again."""
    todo, stamps, unchanged = [], [], 0
    for item in found:
        old = stored.get(item.path)
        if old is None or old[3] != ruleset or item.size < 0:
            todo.append(item)
        elif (old[1], old[2]) == (item.size, item.mtime_ns):
            unchanged += 1
        elif old[0] is not None and fingerprint(item) == old[0]:
            stamps.append((item.path, item.size, item.mtime_ns))
            unchanged += 1
        else:
            todo.append(item)
    return todo, stamps, unchanged


def extracted(todo: list[Found], jobs: int = 1, scheduler: str | None = None) -> Iterator[Extracted]:
    """Each document's rows, as the work finishes (locally: in the order of `todo`)."""
    if scheduler:
        yield from _on_cluster(todo, scheduler)
        return
    jobs = max(1, min(jobs, os.cpu_count() or 1, len(todo) or 1))
    if jobs == 1:
        yield from map(extract, todo)
        return
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        yield from pool.map(extract, todo, chunksize=max(1, min(16, len(todo) // (jobs * 8) or 1)))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _on_cluster(todo: list[Found], scheduler: str) -> Iterator[Extracted]:
    """The per-document work on a Dask distributed cluster; results come back to this process."""
    from dask.distributed import Client, as_completed

    with Client(scheduler, set_as_default=False) as client:
        futures = client.map(extract, todo, pure=False)
        try:
            for _, rows in as_completed(futures, loop=client.loop, with_results=True):
                yield rows
        finally:
            client.cancel(futures)


def build(root: str | Path, store_path: str | Path, *, jobs: int = 1, scheduler: str | None = None,
          progress: bool = True, group: int = 200, flush_seconds: float = 2.0) -> BuildStats:
    """Bring the store at `store_path` up to date with the documents under `root`."""
    root = Path(root)
    if not root.is_dir():
        raise ReportFormatError(str(root), None, "a directory of reports")
    clock, stats = time.perf_counter(), BuildStats()
    connection = store.connect(store_path)
    try:
        started = connection.execute("SELECT now()::TIMESTAMP").fetchall()[0][0]
        found, walk_errors = discover(root)
        stored = store.known(connection)
        files = {f.path for f in found}
        todo, stamps, stats.unchanged = plan(found, stored, _ruleset())
        # a document in two files is read again, from both, when either changed or is gone (its pair row goes)
        pairs = set(store.parts(connection).values())
        changed = {f.path for f in todo}
        again = {pair for pair in pairs if not set(pair.split(store.PAIR)) <= files - changed}
        added = [f for f in found if f.path not in changed and any(f.path in pair.split(store.PAIR) for pair in again)]
        todo, stats.unchanged = todo + added, stats.unchanged - len(added)
        stamps = [stamp for stamp in stamps if stamp[0] not in {f.path for f in added}]
        stats.found = len(found)
        present = files | (pairs - again) | {path for path, _ in walk_errors}
        hidden = tuple(path + "/" for path, _ in walk_errors)  # under a directory we could not list: kept
        removed = {p for p in stored if p not in present and not (hidden and p.startswith(hidden))}
        store.remove(connection, removed)
        stats.removed = len(removed)
        store.touch(connection, stamps)
        rows = store.empty_rows()
        for path, error in walk_errors:
            store.extend(rows, refused_row(path, error))
        store.write(connection, rows, replaced=set(stored))
        stats.unreadable += len(walk_errors)
        try:
            kept = _write_all(connection, extracted(todo, jobs, scheduler), set(stored), stats,
                              progress and len(todo), group, flush_seconds)
            join_halves(connection, root, kept, set(stored), stats)
            dossiers = time.perf_counter()
            stats.dossiers, stats.cross_findings = audit_dossiers(connection, root, kept, progress=progress)
            stats.dossier_seconds = round(time.perf_counter() - dossiers, 3)
            stats.complete = True
        finally:
            stats.seconds = round(time.perf_counter() - clock, 3)
            connection.execute("INSERT INTO builds VALUES (?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               [started, str(root.resolve()), stats.found, stats.read, stats.unchanged,
                                stats.removed, stats.unreadable, jobs, scheduler, stats.complete, stats.dossiers,
                                stats.dossier_seconds])
    finally:
        connection.close()
    return stats


def join_halves(connection, root: Path, kept: dict[str, bytes], replaced: set[str], stats: BuildStats) -> None:
    """Documents in two files: the files read alone as a 情况说明 without tables or tables without a 情况说明
    (``bundle.half``) are grouped as ``finaudit.read.bundle`` groups them (same department, year, kind and scope);
    each pair is read and audited as one document under the path "情况说明 file + 报表 file", and its files become
    its parts. Runs when this build read such a file (the others were grouped when they were read)."""
    waiting = store.halves(connection)
    if not any(path in kept for path in waiting):
        return
    reports = []
    for path in waiting:
        try:
            reports.append((path, pickle.loads(kept[path]) if path in kept else finaudit.load(root / path)))
        except Exception:  # changed or gone since its row was written: the next build reads it
            continue
    for first, second in bundle.pairs([report for _, report in reports]):
        paths = [reports[first][0], reports[second][0]]  # the 情况说明 first
        files = [root / path for path in paths]
        stamps = [_stamp(file) for file in files]
        pair = Found(store.PAIR.join(paths), files[1], sum(s[0] for s in stamps), max(s[1] for s in stamps),
                     pair=tuple(files))
        rows, report = extract(pair)
        store.write(connection, rows, replaced | {pair.path})
        if rows["documents"]["status"][0] == "ok":
            store.join(connection, pair.path, paths)
            kept[pair.path] = report
        stats.read += 1


def _write_all(connection, results: Iterable[Extracted], replaced: set[str], stats: BuildStats, total: int,
               group: int, flush_seconds: float) -> dict[str, bytes]:
    """Write the documents as they come, a group of whole documents per transaction; returns the pickled
    reports (path → bytes) for the dossier pass."""
    from finaudit.batch import progress_bar

    pending, count, last, kept = store.empty_rows(), 0, time.perf_counter(), {}
    with progress_bar(total or 0, unit="doc") as bar:
        for rows, report in results:
            if report is not None:
                kept[rows["documents"]["path"][0]] = report
            store.extend(pending, rows)
            count += 1
            stats.unreadable += rows["documents"]["status"][0] != "ok"
            bar.update()
            if count >= group or time.perf_counter() - last > flush_seconds:
                store.write(connection, pending, replaced)
                stats.read += count
                pending, count, last = store.empty_rows(), 0, time.perf_counter()
        store.write(connection, pending, replaced)
        stats.read += count
    return kept
