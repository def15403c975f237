"""One real document of each layout family of the national template (``sample_data/families/``), read cell
by cell: every table's every cell (value and page), what is not placed, the load warnings and the findings,
against the reading kept in ``tests/families/<document>.json``.

A change to reading or to the rules that changes any of it fails here, per family, with the cells that
moved. When the change is meant, write the new reading and read the diff before committing it:

    python -m tests.test_families --update
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

import finaudit
from finaudit.audit import audit
from finaudit.read.bundle import read_documents
from finaudit.read.sources import discover

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = ROOT / "sample_data" / "families"
EXPECTED = Path(__file__).resolve().parent / "families"


def reading(files: list[str], report) -> dict:
    """What a report holds, as plain JSON: meta, each table cell by cell with its page, coverage, warnings
    (codes and pages: their wording is not the reading) and findings (code, severity, key)."""
    meta = report.meta
    coverage = report.coverage()
    tables = {}
    for kind, table in report.tables.items():
        columns = list(table.values)
        tables[kind] = {
            "number": table.number, "title": table.title, "unit": table.unit, "pages": list(table.pages),
            "columns": table.columns, "statement": table.statement,
            "cells": [columns] + [[table.values[c][r] for c in columns] for r in range(len(table.values[columns[0]]))]
            if columns else [],
            "pages_of_cells": {c: pages for c, pages in table.provenance.items()},
        }
    return {
        "files": files,
        "meta": {"kind": meta.kind, "scope": str(meta.scope), "year": meta.year, "department": meta.department,
                 "unit": meta.unit},
        "tables": tables,
        "coverage": {"numbers": coverage.total, "placed": sum(coverage.placed.values()),
                     "unplaced": sorted(f"{u.page}|{u.reason}|{u.text}" for u in coverage.unplaced)},
        "warnings": sorted(f"{w.code}|{w.page}" for w in report.warnings),
        "findings": sorted(f"{f.code}|{f.severity}|{f.key}" for f in audit(report).findings),
    }


def documents() -> dict[str, tuple[list[str], object]]:
    """Document name (its first file's stem) → its files' names and its report; a 情况说明 and its 报表 are one
    document."""
    paths = discover([FAMILIES]).documents
    return {group[0].stem: ([p.name for p in group], report) for group, report in read_documents(paths, finaudit.load)}


def expected_names() -> list[str]:
    return sorted(p.stem for p in EXPECTED.glob("*.json"))


@pytest.fixture(scope="module")
def read_now() -> dict[str, object]:
    return documents()


def test_every_family_document_has_its_reading(read_now):
    assert sorted(read_now) == expected_names()


def test_family_files_are_the_published_bytes():
    """Every file in the folder is listed in sample_data/README.md with its SHA-256, and has those bytes."""
    readme = (ROOT / "sample_data" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## `families/`")[1]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    listed = {name: digest for row in rows
              for name, digest in zip(re.findall(r"`([^`]+\.pdf)`", row), re.findall(r"`([0-9a-f]{64})`", row))}
    assert set(listed) == {p.name for p in FAMILIES.iterdir()}
    for name, digest in listed.items():
        assert hashlib.sha256((FAMILIES / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize("name", expected_names())
def test_family_read_cell_by_cell(read_now, name):
    files, report = read_now[name]
    assert hasattr(report, "meta"), f"{name} refused: {report}"
    now = json.loads(json.dumps(reading(files, report), ensure_ascii=False))
    kept = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    assert (now["files"], now["meta"]) == (kept["files"], kept["meta"])
    assert sorted(now["tables"]) == sorted(kept["tables"]), "tables recognised"
    for kind, table in kept["tables"].items():
        for field, value in table.items():
            if field == "cells":
                read_rows = now["tables"][kind]["cells"]
                moved = [(r, row, read_rows[r] if r < len(read_rows) else None)
                         for r, row in enumerate(value) if r >= len(read_rows) or read_rows[r] != row]
                assert not moved and len(read_rows) == len(value), f"{kind}: rows differ (row, kept, read): {moved[:5]}"
            else:
                assert now["tables"][kind][field] == value, f"{kind}.{field}"
    for field in ("coverage", "warnings", "findings"):
        assert now[field] == kept[field], field
    # the acceptance of the national reading, per family: every table recognised, ≥ 99 % of numbers placed
    assert not any("unknown" in w for w in now["warnings"])
    assert now["coverage"]["placed"] >= 0.99 * now["coverage"]["numbers"]


def update() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for old in EXPECTED.glob("*.json"):
        old.unlink()
    for name, (files, report) in documents().items():
        text = json.dumps(reading(files, report), ensure_ascii=False, indent=1)
        # a list of plain values (a table row, a column's pages) on one line: a diff shows the rows that moved
        text = re.sub(r"\[\n\s*([^\[\]{}]*?)\n\s*\]", lambda m: "[" + re.sub(r",\n\s*", ", ", m[1]) + "]", text)
        (EXPECTED / f"{name}.json").write_text(text + "\n", encoding="utf-8")
        print(f"{name}: written")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    update()
