"""The auditor's review ledger: one judgment per finding, kept in a small file next to the report.

A judgment is keyed by ``Finding.key`` (rule code + table kind + row + column + claim, no line numbers
or amounts), so it survives a re-run and a corrected re-publication of the same report.

File format (``<report file name>.review.json``, UTF-8 JSON, version 1)::

    {"format": "finaudit-review-ledger", "version": 1,
     "entries": {"<Finding.key>": {
         "status": "pending" | "confirmed" | "excluded" | "remediated",   (待复核 / 确认 / 排除 / 已整改)
         "reason": "...",      required when excluded
         "note": "...",
         "code": "FA-T001", "severity": "error", "message": "...",      the finding as last seen
         "first_seen": "2026-11-27T14:00:00+00:00", "last_seen": "...",
         "updated": "..." | null, "by": "user name" | null}}}

Every write takes an exclusive lock on ``<ledger>.lock`` (two notebooks may edit one ledger at once),
reads the file again, applies only its own change, writes a temporary file in the same directory,
flushes it to disk and renames it over the ledger (atomic on POSIX and Windows). A kernel that dies
mid-write leaves the previous ledger whole and at worst a stray ``.tmp`` file, which the next write removes
once it is ten minutes old. A ledger that cannot be read (truncated, nested too deep) is a ``LedgerError``
naming the file; the findings panel shows it above the grid.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path

import pandas as pd
from filelock import FileLock

from finaudit.findings import AuditResult, Finding
from finaudit.words import LABELS, Text, tr

FORMAT, VERSION = "finaudit-review-ledger", 1
SUFFIX = ".review.json"
LOCK_TIMEOUT = 30  # seconds; a write holds the lock for milliseconds
LEFTOVER_SECONDS = 600  # a writer's temporary file this old was left by a killed writer


class Status(StrEnum):
    """The auditor's judgment of a finding."""

    PENDING = "pending"  # 待复核: not judged yet
    CONFIRMED = "confirmed"  # 确认: a genuine defect of the report
    EXCLUDED = "excluded"  # 排除: not a defect (a reason is required)
    REMEDIATED = "remediated"  # 已整改: the department corrected it


class Change(StrEnum):
    """A finding of this run against the ledger."""

    NEW = "new"  # not in the ledger
    OPEN = "open"  # in the ledger and found again
    RESOLVED = "resolved"  # in the ledger, not found this time


class LedgerError(ValueError):
    """A ledger file that cannot be read, or a judgment that cannot be recorded; ``text``: what a reader is
    told, in both languages (the message itself names the file and the details)."""

    def __init__(self, message: str, text: Text):
        super().__init__(message)
        self.text = text


def label(value: Status | Change, lang: str = "zh") -> str:
    """A review status ("status.excluded") or a change against the ledger ("change.new") in `lang`."""
    return tr(f"{'status' if isinstance(value, Status) else 'change'}.{value}", lang)


@dataclass(frozen=True)
class Entry:
    status: Status = Status.PENDING
    reason: str = ""
    note: str = ""
    code: str = ""
    severity: str = ""
    message: str = ""
    first_seen: str | None = None
    last_seen: str | None = None
    updated: str | None = None
    by: str | None = None
    root: str = ""  # the key of the root cause whose judgment this one follows (``causes.judge_root``)


def ledger_path(report_path: str | Path) -> Path:
    """Where the ledger of the report at `report_path` lives: beside it."""
    report_path = Path(report_path)
    return report_path.with_name(report_path.name + SUFFIX)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return None


class Ledger:
    """The judgments of one report. Reads are plain; every change goes through ``_update`` (lock,
    re-read, apply, atomic replace)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.entries: dict[str, Entry] = self._read()

    @classmethod
    def beside(cls, report_path: str | Path) -> Ledger:
        return cls(ledger_path(report_path))

    # -- reading --------------------------------------------------------------------------------
    def _read(self) -> dict[str, Entry]:
        """The entries on disk; LedgerError (naming the file) for one that cannot be read: truncated, not
        UTF-8, nested too deep, of another format, not a file."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as error:
            raise LedgerError(f"{self.path}: expected a readable UTF-8 {FORMAT} file; {error}", self.unreadable()) from None
        try:
            document = json.loads(text)
            if document.get("format") != FORMAT or document.get("version") != VERSION:
                raise ValueError(f"format {document.get('format')!r} version {document.get('version')!r}")
            return {key: Entry(**{**value, "status": Status(value.get("status", "pending"))})
                    for key, value in document["entries"].items()}
        except RecursionError:
            raise LedgerError(f"{self.path}: expected a {FORMAT} version {VERSION} file; JSON nested too deep",
                              self.unreadable()) from None
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise LedgerError(f"{self.path}: expected a {FORMAT} version {VERSION} file; {error}", self.unreadable()) from error

    def unreadable(self) -> Text:
        return LABELS["ledger.unreadable"].format(file=self.path.name)

    def reload(self) -> Ledger:
        self.entries = self._read()
        return self

    def get(self, key: str) -> Entry:
        return self.entries.get(key, Entry())

    # -- writing --------------------------------------------------------------------------------
    def _update(self, change) -> None:
        """Apply `change` (a function of the entries dict, mutating it) to the ledger on disk."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT):
            _remove_leftovers(self.path)
            entries = self._read()
            change(entries)
            document = {"format": FORMAT, "version": VERSION,
                        "entries": {key: {**asdict(entry), "status": str(entry.status)}
                                    for key, entry in sorted(entries.items())}}
            _write_atomically(self.path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
            self.entries = entries

    def judge(self, key: str, status: Status | str, *, reason: str = "", note: str = "",
              finding: Finding | None = None, root: str = "") -> Entry:
        """Record the auditor's judgment of the finding `key`; 排除 (excluded) needs a reason."""
        try:
            status = Status(status)
        except ValueError as error:
            raise LedgerError(f"status must be one of {', '.join(Status)}, not {status!r}",
                              LABELS["ledger.status"].format(status=status)) from error
        reason, note = (reason or "").strip(), (note or "").strip()
        if status == Status.EXCLUDED and not reason:
            raise LedgerError("an excluded finding needs a reason", LABELS["ledger.reason"])
        stamp, by = _now(), _user()

        def change(entries: dict[str, Entry]) -> None:
            entry = entries.get(key, Entry(first_seen=stamp, last_seen=stamp))
            if finding is not None:
                entry = replace(entry, code=finding.code, severity=str(finding.severity), message=finding.message_zh)
            entries[key] = replace(entry, status=status, reason=reason, note=note, updated=stamp, by=by, root=root)

        self._update(change)
        return self.entries[key]

    def record(self, result: AuditResult) -> pd.DataFrame:
        """Compare this run with the ledger (``compare``), then note every finding as seen (new ones
        as 待复核). Returns the comparison made before the update."""
        comparison = compare(result, self.reload())
        stamp = _now()

        def change(entries: dict[str, Entry]) -> None:
            for finding in result.findings:
                entry = entries.get(finding.key, Entry(first_seen=stamp))
                entries[finding.key] = replace(entry, code=finding.code, severity=str(finding.severity),
                                               message=finding.message_zh, last_seen=stamp)

        self._update(change)
        return comparison


def _remove_leftovers(path: Path, older_than: float = LEFTOVER_SECONDS) -> list[Path]:
    """Remove the temporary files that writers of the ledger at `path` killed mid-write left behind: only
    names of ``_write_atomically``'s pattern (``<ledger>.XXXXXXXX.tmp``), only regular files older than
    `older_than` seconds (called under the ledger's lock, so no live writer owns one)."""
    pattern = re.compile(re.escape(path.name) + r"\.[a-z0-9_]{8}\.tmp")
    removed, now = [], time.time()
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return removed
    for candidate in candidates:
        try:
            if pattern.fullmatch(candidate.name) and candidate.is_file() and not candidate.is_symlink() \
                    and now - candidate.stat().st_mtime > older_than:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue
    return removed


def _write_atomically(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, flush it to disk, rename it over `path`."""
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


COMPARE_COLUMNS = ["key", "change", "status", "reason", "note", "code", "severity", "message", "number"]


def compare(result: AuditResult, ledger: Ledger) -> pd.DataFrame:
    """One row per finding of this run (change new or open, number = its index in result.findings) and
    per ledger entry not found this time (change resolved, number None), with the ledger's judgment."""
    rows = []
    current = set()
    for number, finding in enumerate(result.findings):
        current.add(finding.key)
        entry = ledger.entries.get(finding.key)
        judged = entry or Entry()
        rows.append({"key": finding.key, "change": Change.OPEN if entry else Change.NEW, "status": judged.status,
                     "reason": judged.reason, "note": judged.note, "code": finding.code,
                     "severity": str(finding.severity), "message": finding.message_zh, "number": number})
    for key, entry in sorted(ledger.entries.items()):
        if key not in current:
            rows.append({"key": key, "change": Change.RESOLVED, "status": entry.status, "reason": entry.reason,
                         "note": entry.note, "code": entry.code, "severity": entry.severity,
                         "message": entry.message, "number": None})
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def summary(comparison: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Counts of new / still open / resolved findings by judgment (the workbook's review table)."""
    table = pd.crosstab(comparison["change"], comparison["status"]) if len(comparison) else pd.DataFrame()
    table = table.reindex(index=list(Change), columns=list(Status), fill_value=0)
    table.index = [label(Change(c), lang) for c in table.index]
    table.columns = [label(Status(s), lang) for s in table.columns]
    table[tr("change.total", lang)] = table.sum(axis=1)
    return table
