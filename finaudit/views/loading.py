"""Loading a report for the panels: the bundled samples, an uploaded or given file, audited once and
cached, with the budget frames."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd

import finaudit
from finaudit.audit import audit
from finaudit.findings import AuditResult
from finaudit.ledger import Ledger
from finaudit.model import Report
from finaudit.read.sources import SUFFIXES, is_document

#: Upload limits: the published reports are a few hundred KB (text) to a few MB (PDF).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_SUFFIXES = SUFFIXES
DEFAULT_REPORT = "liujiang-govt-office-2017-final.txt"


@dataclass
class Loaded:
    """A report with everything the panels need, computed once."""

    name: str
    report: Report
    result: AuditResult
    budget: pd.DataFrame | None  # finaudit.budget.budget_vs_actual(report), None when unavailable
    three_public: pd.DataFrame | None  # finaudit.budget.three_public(report)
    budget_error: str | None = None
    path: Path | None = None  # the report file; None for an upload (no ledger beside it)

    @property
    def ledger(self) -> Ledger | None:
        """The review ledger beside the report file (read again on each call), None for an upload."""
        return Ledger.beside(self.path) if self.path is not None else None


def sample_dir() -> Path:
    """The bundled reports: $FINAUDIT_SAMPLES, else sample_data/ of the source tree (or the cwd)."""
    env = os.environ.get("FINAUDIT_SAMPLES")
    candidates = [Path(env)] if env else []
    candidates += [Path(finaudit.__file__).resolve().parent.parent / "sample_data", Path.cwd() / "sample_data",
                   Path.cwd().parent / "sample_data"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def sample_reports(directory: Path | None = None) -> dict[str, Path]:
    """name → path of every report file in the sample directory (``finaudit.read.sources``), sorted by name."""
    directory = directory or sample_dir()
    if not directory.is_dir():
        return {}
    return {p.name: p for p in sorted(directory.iterdir()) if p.is_file() and is_document(p)}


def budget_frames(report: Report) -> tuple[pd.DataFrame | None, pd.DataFrame | None, str | None]:
    """``finaudit.budget``'s budget_vs_actual and three_public frames, or (None, None, why) when the
    narrative cannot be read (the error is shown in the panel, never hidden)."""
    from finaudit import budget

    try:
        return budget.budget_vs_actual(report), budget.three_public(report), None
    except Exception as error:  # a narrative the parser cannot read must not take the dashboard down
        return None, None, f"{type(error).__name__}: {error}"


def prepared(path: str | Path | Sequence[str | Path], name: str | None = None, source: str | None = None) -> Loaded:
    """Given a report file (or the two files of one document), return it loaded, audited and with its budget
    frames, all under one cost bound (``finaudit.read.limits.process_bounded``); ReportFormatError past the
    bound. `source`: the name the report goes by (an upload's, not its temporary files')."""
    from finaudit.read.limits import process_bounded

    def work(report: Report):
        if source:  # an upload: its files go by their names, not their temporary paths
            report.meta.source = source
            report.meta.files = {part: Path(file).name for part, file in report.meta.files.items()}
        return audit(report), budget_frames(report)

    report, (result, frames) = process_bounded(path, work)
    return Loaded(name or Path(path).name, report, result, *frames)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Loaded:
    loaded = prepared(path, Path(path).name)
    loaded.path = Path(path)
    return loaded


def load_report(path: str | Path) -> Loaded:
    """Load and audit a report file (cached by path and modification time)."""
    path = Path(path).resolve()
    return _load_cached(str(path), path.stat().st_mtime if path.exists() else 0.0)


def project_dir() -> Path:
    """The project the package runs from (the folder holding pyproject.toml above finaudit/), else the cwd."""
    root = Path(finaudit.__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").exists() else Path.cwd()


def out_dir() -> Path:
    """Where the workbook writes: $FINAUDIT_OUT, else the project's out/."""
    return Path(os.environ.get("FINAUDIT_OUT") or project_dir() / "out")


def workpaper_path(loaded: Loaded, suffix: str = ".xlsx") -> Path:
    """The working paper's default path: out/<report file stem>-workpaper.xlsx (one per report)."""
    stem = Path(loaded.name).stem or "report"
    return out_dir() / f"{stem}-workpaper{suffix}"


def load_sample(name: str | None = None) -> Loaded:
    """One of the bundled reports by file name (the default when `name` is unknown)."""
    samples = sample_reports()
    path = samples.get(name or "") or samples.get(DEFAULT_REPORT) or next(iter(samples.values()))
    return load_report(path)


def requested_report(query: str | None = None, default: str = DEFAULT_REPORT) -> str:
    """The sample named by ``?report=`` in the query string (Voila's QUERY_STRING), else `default`.

    Only names of the bundled samples are accepted: the query string is user input.
    """
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    wanted = (parse_qs(query).get("report") or [""])[0]
    return wanted if wanted in sample_reports() else default


def folder_roots() -> list[Path]:
    """The folders a ``?folder=`` may name or lie inside: the bundled reports, and each folder that
    $FINAUDIT_FOLDERS lists (separated by ``os.pathsep``; set by whoever serves the dashboard)."""
    listed = [Path(p) for p in os.environ.get("FINAUDIT_FOLDERS", "").split(os.pathsep) if p.strip()]
    return [p.resolve() for p in (sample_dir(), *listed)]


def requested_folder(query: str | None = None) -> tuple[Path | None, str | None]:
    """The folder named by ``?folder=`` (Voila's QUERY_STRING) and why it is refused, if it is.

    The query string is user input: only an existing folder inside one of ``folder_roots()`` is accepted
    (a relative one taken from the project folder; ``..`` and links resolved first); (None, "outside" or
    "missing") for any other, (None, None) when no folder is asked for."""
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    wanted = (parse_qs(query).get("folder") or [""])[0]
    if not wanted:
        return None, None
    try:
        path = (project_dir() / wanted).resolve() if "\x00" not in wanted else None
    except (OSError, RuntimeError, ValueError):
        path = None
    if path is None or not any(path == root or path.is_relative_to(root) for root in folder_roots()):
        return None, "outside"
    try:
        present = path.is_dir()
    except OSError:  # a name too long, a component that is a file, …: no such folder
        present = False
    return (path, None) if present else (None, "missing")


def requested_value(name: str, query: str | None = None) -> str | None:
    """A parameter of the query string (``?department=``), or None; the caller matches it against what it knows."""
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    return (parse_qs(query).get(name) or [None])[0]
