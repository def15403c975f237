"""A report as a package directory: one CSV per table plus ``report.json`` (meta, narrative,
glossary, provenance, warnings, coverage). ``read_package`` gives back an equal Report,
provenance included."""

from __future__ import annotations

import csv
import dataclasses
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from finaudit.model import (
    Coverage,
    Definition,
    LoadWarning,
    Meta,
    Paragraph,
    Report,
    ReportFormatError,
    Section,
    Table,
    UnplacedNumber,
    build_table,
    format_amount,
)

FORMAT = "finaudit-package/1"
#: The package's index: what makes a directory a package (``finaudit.read.sources`` asks for it by this name).
INDEX = "report.json"
_ROW_FIELDS = ("side", "code", "label", "row_no", "key")


def _file_name(table: Table) -> str:
    return f"{table.ordinal or 0:02d}_{table.kind}.csv"


#: A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A text field as written to any CSV: a leading ' keeps a spreadsheet from reading it as a formula (the
    CSVs are meant to be opened in one); ``_uncell`` takes it off again. The one rule for every CSV
    (``finaudit.read.cells``)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith((*FORMULA_START, "'")) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def write_package(report: Report, directory) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tables = []
    for table in report.tables.values():
        with (directory / _file_name(table)).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([*_ROW_FIELDS, *table.columns])
            for row in table.records():
                writer.writerow([csv_cell(row[f]) for f in _ROW_FIELDS] + [format_amount(row[k]) for k in table.columns])
        tables.append(
            {
                "file": _file_name(table),
                "kind": table.kind,
                "number": table.number,
                "title": table.title,
                "unit": table.unit,
                "columns": table.columns,
                "header": table.header,
                "notes": table.notes,
                "statement": table.statement,
                "layout": table.layout,
                "title_line": table.title_line,
                "pages": table.pages,
                "sides": table.sides,
                "wide_order": table.wide_order,
                "lines": {c: [row[c] for row in table.line_records()] for c in ("label", *table.columns)},
            }
        )
    document = {
        "format": FORMAT,
        "meta": dataclasses.asdict(report.meta),
        "tables": tables,
        "overview": [dataclasses.asdict(p) for p in report.overview],
        "narrative": [dataclasses.asdict(s) for s in report.narrative],
        "glossary": [dataclasses.asdict(d) for d in report.glossary.values()],
        "warnings": [dataclasses.asdict(w) for w in report.warnings],
        "coverage": dataclasses.asdict(report.coverage_),
    }
    (directory / INDEX).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def _amount(text: str, where: str, line: int) -> int | None:
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ReportFormatError(where, line, "an amount such as 1480.66 or an empty cell", text) from None
    if value != value.quantize(Decimal("0.01")):
        raise ReportFormatError(where, line, "an amount with at most two decimals", text)
    return int(value * 100)


def member(directory: Path, name, index: Path) -> Path:
    """Given the package directory and a file name its index gives, return the file's path, or refuse (naming
    the index, never reading the file) a name that is not a plain file inside the directory: absolute, with
    ``..``, a link leading out, or anything but a regular file."""
    shown = repr(name)[:80]
    if not isinstance(name, str) or not name or Path(name).is_absolute() or "\\" in name or ".." in Path(name).parts:
        raise ReportFormatError(str(index), None, "table files named inside the package directory", f"file {shown}")
    path = directory / name
    root = directory.resolve()
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise ReportFormatError(str(index), None, "table files present in the package directory",
                                f"file {shown}: no such file") from None
    if not resolved.is_relative_to(root) or not resolved.is_file():
        raise ReportFormatError(str(index), None, "table files (regular files) inside the package directory",
                                f"file {shown} leads outside it" if not resolved.is_relative_to(root)
                                else f"file {shown} is not a regular file")
    return path


def _read_table(directory: Path, spec: dict, index: Path) -> Table:
    path = member(directory, spec["file"], index)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise ReportFormatError(str(path), None, "a UTF-8 CSV table of the package", str(error)) from None
    expected = [*_ROW_FIELDS, *spec["columns"]]
    if not rows or rows[0] != expected:
        raise ReportFormatError(str(path), 1, f"the header {','.join(expected)}", ",".join(rows[0]) if rows else "")
    lines = spec.get("lines", {})
    records = []
    for i, row in enumerate(rows[1:]):
        if len(row) != len(expected):
            raise ReportFormatError(str(path), i + 2, f"{len(expected)} fields", f"{len(row)} fields")
        record = {field: _uncell(text) for field, text in zip(_ROW_FIELDS, row)}
        record["row_no"] = int(record["row_no"]) if record["row_no"] else None
        record["key"] = record["key"] or None
        for key, text in zip(spec["columns"], row[len(_ROW_FIELDS) :]):
            record[key] = _amount(text, str(path), i + 2)
        record["lines"] = {c: values[i] for c, values in lines.items() if i < len(values)}
        records.append(record)
    return build_table(
        spec["kind"],
        spec["number"],
        spec["title"],
        spec["columns"],
        records,
        unit=spec.get("unit"),
        header=spec.get("header", []),
        notes=spec.get("notes", []),
        statement=spec.get("statement"),
        layout=spec.get("layout", "coded"),
        title_line=spec.get("title_line"),
        pages=spec.get("pages", []),
        sides=[(k, list(s), list(a)) for k, s, a in spec.get("sides", [])],
        wide_order=[tuple(pair) for pair in spec.get("wide_order", [])],
    )


def read_package(directory) -> Report:
    directory = Path(directory)
    index = directory / INDEX
    if not index.exists():
        raise ReportFormatError(str(directory), None, f"a package directory with {INDEX}") from None
    member(directory, INDEX, index)
    try:
        document = json.loads(index.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise ReportFormatError(str(index), line, "valid UTF-8 JSON", str(error)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ReportFormatError(str(index), None, f"format {FORMAT!r}", str(document.get("format") if isinstance(document, dict) else type(document).__name__))
    try:
        tables = {spec["kind"]: _read_table(directory, spec, index) for spec in document["tables"]}
        coverage = document.get("coverage", {})
        return Report(
            meta=Meta(**document["meta"]),
            tables=tables,
            overview=[Paragraph(**p) for p in document.get("overview", [])],
            narrative=[
                Section(s["number"], s["title"], s["line"], [Paragraph(**p) for p in s["paragraphs"]])
                for s in document.get("narrative", [])
            ],
            glossary={d["term"]: Definition(**d) for d in document.get("glossary", [])},
            warnings=[LoadWarning(**w) for w in document.get("warnings", [])],
            coverage_=Coverage(
                placed=coverage.get("placed", {}),
                unplaced=[UnplacedNumber(**u) for u in coverage.get("unplaced", [])],
            ),
        )
    except (KeyError, TypeError) as error:
        raise ReportFormatError(str(index), None, "the finaudit package structure", f"missing or bad field {error}") from None
