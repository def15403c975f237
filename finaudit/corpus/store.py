"""The DuckDB store of a corpus: its schema and the one place that writes it.

Rows arrive as plain column lists per document (what a worker returns, cheap to pickle), are
gathered into one Arrow table per database table for a group of whole documents, and written in one
transaction: replaced documents' old rows deleted, the new rows inserted from Arrow. An interrupted
build (Ctrl-C, a killed process) therefore never leaves part of a document: the transaction rolls
back and the next build does those documents again. Amounts are exact ``DECIMAL(18,2)`` (万元 or
元, as the table prints), converted from integer hundredths inside DuckDB, never through float.

Dossiers (a department's documents read together by the cross-document rules) are kept consistent the
same way: the transaction that writes or removes a document also marks its dossier stale (its old and
its new department), and the transaction that writes a dossier's cross-document findings clears the
mark, so an interrupted build leaves the marks for the next build to finish.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

#: The layout of the tables; a store of another layout is emptied and built again (it is a cache of DIR). A
#: store is recognised by its ``store_info`` table; a DuckDB file without one is refused, never emptied.
SCHEMA_VERSION = "4"

#: One document per file (or package directory), keyed by its path relative to the corpus root.
DOCUMENTS = """
CREATE TABLE IF NOT EXISTS documents (
    path VARCHAR NOT NULL,        -- unique; relative to the corpus root, '/' separated
    sha256 VARCHAR,               -- of the file's bytes (a package: of its files' names and bytes)
    size BIGINT,
    mtime_ns BIGINT,
    format VARCHAR,               -- text | pdf | package
    kind VARCHAR,                 -- final (决算) | budget (预算)
    scope VARCHAR,                -- department (部门) | unit (单位) | NULL: not stated
    department VARCHAR,
    unit VARCHAR,                 -- the 单位 of a unit-scope document, else NULL
    dossier VARCHAR,              -- the dossier's key: normalised department name (else the unit's), NULL: none
    money_unit VARCHAR,           -- 万元 | 元: what most tables print
    year INTEGER,
    template VARCHAR,             -- printed table numbers found, e.g. '1,2,3,4,5,6,7,8'
    tables INTEGER,
    coverage DOUBLE,              -- share of the tables' numbers placed in a cell (0–1)
    numbers INTEGER,
    unplaced INTEGER,
    load_warnings INTEGER,
    errors INTEGER,
    warnings INTEGER,
    notes INTEGER,
    status VARCHAR NOT NULL,      -- ok | unreadable (a ReportFormatError) | failed (any other exception) |
                                  -- part (one file of a document in two, whose rows are the pair's: see error)
    error VARCHAR,                -- the error; for a part, the pair's path ('情况说明 file + 报表 file')
    ruleset VARCHAR,              -- rule-set version the findings come from
    finaudit_version VARCHAR,
    seconds DOUBLE,               -- load + audit time in the worker
    half VARCHAR,                 -- narrative | tables: a file holding one half of a document in two files
    built_at TIMESTAMP
)"""

TABLES = {
    "cells": """
CREATE TABLE IF NOT EXISTS cells (
    path VARCHAR NOT NULL,
    table_kind VARCHAR NOT NULL,  -- summary | income | expenditure | … (finaudit.model.TABLE_KINDS)
    table_no INTEGER,             -- printed table number (or the kind's place in the template)
    row_index INTEGER NOT NULL,
    side VARCHAR,
    code VARCHAR,                 -- function or economic classification code, NULL for a labelled row
    row_key VARCHAR,              -- the row's role (grand_total, income_total, …), NULL for a coded row
    label VARCHAR,
    level INTEGER,                -- 1 类, 2 款, 3 项
    column_key VARCHAR NOT NULL,
    column_label VARCHAR,
    amount DECIMAL(18,2) NOT NULL,  -- printed cells only: a blank cell has no row (blank is not zero)
    unit VARCHAR,
    line INTEGER,                 -- source line (text layout)
    page INTEGER                  -- source page (PDF)
)""",
    "findings": """
CREATE TABLE IF NOT EXISTS findings (
    path VARCHAR NOT NULL,
    key VARCHAR NOT NULL,         -- finaudit.findings.Finding.key: stable across re-runs
    code VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,    -- error | warning | info
    table_ref VARCHAR,            -- printed table number, or 'narrative'
    table_kind VARCHAR,
    location VARCHAR,
    expected DECIMAL(18,2),
    actual DECIMAL(18,2),
    difference DECIMAL(18,2),
    tolerance DECIMAL(18,2),
    message_zh VARCHAR,
    message_en VARCHAR,
    source VARCHAR                -- '表3 line 120; 表1 line 40'
)""",
    "claims": """
CREATE TABLE IF NOT EXISTS claims (
    path VARCHAR NOT NULL,
    n INTEGER NOT NULL,           -- order in the narrative
    claim VARCHAR NOT NULL,       -- amount | share | rate | change | count | item | statement
    section VARCHAR,
    line INTEGER,
    page INTEGER,
    subject VARCHAR,
    code VARCHAR,                 -- an item's function code, where it resolves
    value DECIMAL(18,4),          -- the amount, percent, count or actual the sentence states
    budget DECIMAL(18,4),         -- an item's or a rate's 年初预算, where stated
    sentence VARCHAR
)""",
    "cross_findings": """
CREATE TABLE IF NOT EXISTS cross_findings (
    dossier VARCHAR NOT NULL,
    relation VARCHAR NOT NULL,    -- budget_final | department_unit | year_on_year (finaudit.rules.documents.RELATIONS)
    first_path VARCHAR NOT NULL,  -- the pair: 预算 and 决算, 部门 and 单位, or Y−1 and Y
    second_path VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    code VARCHAR NOT NULL,        -- FA-D…
    severity VARCHAR NOT NULL,
    location VARCHAR,
    expected DECIMAL(18,2),
    actual DECIMAL(18,2),
    difference DECIMAL(18,2),
    tolerance DECIMAL(18,2),
    message_zh VARCHAR,
    message_en VARCHAR,
    first_source VARCHAR,         -- the cells cited in the first document, as its message cites them: '表九 第640行'
    second_source VARCHAR,        -- … and in the second: '表七 第669行; 说明 items'
    first_source_en VARCHAR,      -- the same in English: 'Table 9 line 640'
    second_source_en VARCHAR
)""",
    "outcomes": """
CREATE TABLE IF NOT EXISTS outcomes (
    path VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    status VARCHAR NOT NULL,      -- pass | fail | not_applicable | insufficient_data | error
    reason VARCHAR,
    findings INTEGER
)""",
}

DOSSIERS = """
CREATE TABLE IF NOT EXISTS dossiers (
    dossier VARCHAR NOT NULL,     -- one row per dossier audited (documents with this key, status ok)
    department VARCHAR,           -- as the first document names it
    documents INTEGER,
    pairs INTEGER,
    errors INTEGER, warnings INTEGER, notes INTEGER,  -- cross-document findings by severity
    problems VARCHAR,             -- a cross-document rule that crashed, a document that could not be read again
    ruleset VARCHAR               -- the cross-document rules' version
)"""

#: The tables of the first layout, which had no ``store_info`` (recognised by them and their columns).
FIRST_LAYOUT = {"documents", "cells", "findings", "claims", "outcomes", "builds"}

#: Dossiers whose documents changed since their cross-document findings were written.
STALE = "CREATE TABLE IF NOT EXISTS stale_dossiers (dossier VARCHAR NOT NULL)"

INFO = "CREATE TABLE IF NOT EXISTS store_info (name VARCHAR NOT NULL, value VARCHAR)"

BUILDS = """
CREATE TABLE IF NOT EXISTS builds (
    started_at TIMESTAMP, finished_at TIMESTAMP, root VARCHAR, found INTEGER, read INTEGER,
    unchanged INTEGER, removed INTEGER, unreadable INTEGER, jobs INTEGER, scheduler VARCHAR, complete BOOLEAN,
    dossiers INTEGER, dossier_seconds DOUBLE
)"""

#: Arrow schema of what a worker returns per table (amounts still integer hundredths or text).
SCHEMAS = {
    "documents": pa.schema([
        ("path", pa.string()), ("sha256", pa.string()), ("size", pa.int64()), ("mtime_ns", pa.int64()),
        ("format", pa.string()), ("kind", pa.string()), ("scope", pa.string()), ("department", pa.string()),
        ("unit", pa.string()), ("dossier", pa.string()), ("money_unit", pa.string()), ("year", pa.int32()), ("template", pa.string()),
        ("tables", pa.int32()), ("coverage", pa.float64()), ("numbers", pa.int32()), ("unplaced", pa.int32()),
        ("load_warnings", pa.int32()), ("errors", pa.int32()), ("warnings", pa.int32()), ("notes", pa.int32()),
        ("status", pa.string()), ("error", pa.string()), ("ruleset", pa.string()), ("finaudit_version", pa.string()),
        ("seconds", pa.float64()), ("half", pa.string()),
    ]),
    "cells": pa.schema([
        ("path", pa.string()), ("table_kind", pa.string()), ("table_no", pa.int32()), ("row_index", pa.int32()),
        ("side", pa.string()), ("code", pa.string()), ("row_key", pa.string()), ("label", pa.string()),
        ("level", pa.int32()), ("column_key", pa.string()), ("column_label", pa.string()), ("hundredths", pa.int64()),
        ("unit", pa.string()), ("line", pa.int32()), ("page", pa.int32()),
    ]),
    "findings": pa.schema([
        ("path", pa.string()), ("key", pa.string()), ("code", pa.string()), ("severity", pa.string()),
        ("table_ref", pa.string()), ("table_kind", pa.string()), ("location", pa.string()), ("expected", pa.string()),
        ("actual", pa.string()), ("difference", pa.string()), ("tolerance", pa.string()), ("message_zh", pa.string()),
        ("message_en", pa.string()), ("source", pa.string()),
    ]),
    "claims": pa.schema([
        ("path", pa.string()), ("n", pa.int32()), ("claim", pa.string()), ("section", pa.string()),
        ("line", pa.int32()), ("page", pa.int32()), ("subject", pa.string()), ("code", pa.string()),
        ("value", pa.string()), ("budget", pa.string()), ("sentence", pa.string()),
    ]),
    "outcomes": pa.schema([
        ("path", pa.string()), ("code", pa.string()), ("status", pa.string()), ("reason", pa.string()),
        ("findings", pa.int32()),
    ]),
}

#: Arrow schemas of what the dossier pass writes.
DOSSIER_SCHEMAS = {
    "cross_findings": pa.schema([
        ("dossier", pa.string()), ("relation", pa.string()), ("first_path", pa.string()), ("second_path", pa.string()),
        ("key", pa.string()), ("code", pa.string()), ("severity", pa.string()), ("location", pa.string()),
        ("expected", pa.string()), ("actual", pa.string()), ("difference", pa.string()), ("tolerance", pa.string()),
        ("message_zh", pa.string()), ("message_en", pa.string()), ("first_source", pa.string()),
        ("second_source", pa.string()), ("first_source_en", pa.string()), ("second_source_en", pa.string()),
    ]),
    "dossiers": pa.schema([
        ("dossier", pa.string()), ("department", pa.string()), ("documents", pa.int32()), ("pairs", pa.int32()),
        ("errors", pa.int32()), ("warnings", pa.int32()), ("notes", pa.int32()), ("problems", pa.string()),
        ("ruleset", pa.string()),
    ]),
}

#: How each table's Arrow batch becomes its rows: exact decimals made inside DuckDB.
INSERTS = {
    "documents": "INSERT INTO documents SELECT *, now()::TIMESTAMP FROM batch",
    "cells": ("INSERT INTO cells SELECT path, table_kind, table_no, row_index, side, code, row_key, label, level, "
              "column_key, column_label, CAST(hundredths * 0.01 AS DECIMAL(18,2)), unit, line, page FROM batch"),
    "findings": ("INSERT INTO findings SELECT path, key, code, severity, table_ref, table_kind, location, "
                 "CAST(expected AS DECIMAL(18,2)), CAST(actual AS DECIMAL(18,2)), CAST(difference AS DECIMAL(18,2)), "
                 "CAST(tolerance AS DECIMAL(18,2)), message_zh, message_en, source FROM batch"),
    "claims": ("INSERT INTO claims SELECT path, n, claim, section, line, page, subject, code, "
               "TRY_CAST(value AS DECIMAL(18,4)), TRY_CAST(budget AS DECIMAL(18,4)), sentence FROM batch"),
    "outcomes": "INSERT INTO outcomes SELECT * FROM batch",
    "cross_findings": ("INSERT INTO cross_findings SELECT dossier, relation, first_path, second_path, key, code, severity, "
                       "location, CAST(expected AS DECIMAL(18,2)), CAST(actual AS DECIMAL(18,2)), "
                       "CAST(difference AS DECIMAL(18,2)), CAST(tolerance AS DECIMAL(18,2)), message_zh, message_en, "
                       "first_source, second_source, first_source_en, second_source_en FROM batch"),
    "dossiers": "INSERT INTO dossiers SELECT * FROM batch",
}
#: The tables of one document's rows (keyed by path).
ROW_TABLES = tuple(name for name in TABLES if name != "cross_findings")


def append(columns: dict[str, list], **values) -> None:
    """One row onto a table's column lists, by column name: every column of the table, and no other."""
    if values.keys() != columns.keys():
        raise KeyError(f"a row without {sorted(columns.keys() - values.keys())} or with unknown "
                       f"{sorted(values.keys() - columns.keys())}")
    for name, value in values.items():
        columns[name].append(value)


def empty_rows(schemas: dict[str, pa.Schema] = SCHEMAS) -> dict[str, dict[str, list]]:
    """Column lists for every table, to be filled by one document (or a group of them)."""
    return {name: {field.name: [] for field in schema} for name, schema in schemas.items()}


def extend(rows: dict[str, dict[str, list]], more: dict[str, dict[str, list]]) -> None:
    for name, columns in more.items():
        for column, values in columns.items():
            rows[name][column] += values


class ForeignStoreError(ValueError):
    """The file named as the store exists and is not a finaudit corpus store: it is left as it is."""

    def __init__(self, path: str | Path, found: str):
        self.path, self.found = str(path), found
        super().__init__(f"{path}: not a finaudit corpus store ({found}); left unchanged, give another --store")


def recognise(path: str | Path) -> bool:
    """Given the store's path, return whether it exists as a finaudit store (False: no file yet, or an empty
    DuckDB database); raise ForeignStoreError for anything else, opened read-only, so never changed."""
    path = Path(path)
    if not path.exists():
        if path.is_symlink():
            raise ForeignStoreError(path, "a symbolic link to nothing")
        return False
    if not path.is_file():
        raise ForeignStoreError(path, "a folder" if path.is_dir() else "not a regular file")
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():  # a build is writing it: say so, as DuckDB does
            raise
        raise ForeignStoreError(path, "not a DuckDB database") from None
    try:
        tables = sorted({name for (name,) in connection.execute(
            "SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()})
        if "store_info" in tables and connection.execute(
                "SELECT count(*) FROM store_info WHERE name = 'schema'").fetchall()[0][0]:
            return True
        if _first_layout(connection, set(tables)):
            return True
    finally:
        connection.close()
    if tables:
        shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
        raise ForeignStoreError(path, f"a DuckDB database with tables {shown} and no store_info")
    return False


def _first_layout(connection: duckdb.DuckDBPyConnection, tables: set[str]) -> bool:
    """Given an open database's tables, return whether they are a store of the first layout (before
    ``store_info``): those tables only, with the builds log and the documents' fingerprints."""
    if not {"documents", "builds"} <= tables <= FIRST_LAYOUT:
        return False
    columns = set(connection.execute("SELECT table_name || '.' || column_name FROM duckdb_columns() "
                                     "WHERE table_name IN ('documents', 'builds')").fetchall())
    return {("documents.sha256",), ("documents.mtime_ns",), ("builds.started_at",), ("builds.root",)} <= columns


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and, for writing, create) the store; a file that is not one is refused (ForeignStoreError), never
    emptied."""
    if read_only:
        if not Path(path).exists():
            raise FileNotFoundError(f"{path}: no corpus store (run `finaudit corpus build DIR --store {path}`)")
        if not recognise(path):
            raise ForeignStoreError(path, "an empty DuckDB database")
        return duckdb.connect(str(path), read_only=True)
    recognise(path)
    connection = duckdb.connect(str(path))
    tables = {name for (name,) in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    version = None
    if "store_info" in tables:
        found = connection.execute("SELECT value FROM store_info WHERE name = 'schema'").fetchall()
        version = found[0][0] if found else None
    if tables and version != SCHEMA_VERSION:  # our older layout (recognised above): start again
        for name in tables:
            connection.execute(f'DROP TABLE "{name}"')
    for ddl in (DOCUMENTS, *TABLES.values(), DOSSIERS, STALE, INFO, BUILDS):
        connection.execute(ddl)
    if version != SCHEMA_VERSION:
        connection.execute("INSERT INTO store_info VALUES ('schema', ?)", [SCHEMA_VERSION])
    return connection


@contextmanager
def transaction(connection: duckdb.DuckDBPyConnection):
    connection.begin()
    try:
        yield connection
    except BaseException:  # KeyboardInterrupt included: nothing of the group stays
        connection.rollback()
        raise
    connection.commit()


def insert(connection: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Insert one Arrow batch into table `name` (inside the caller's transaction)."""
    connection.register("batch", table)
    try:
        connection.execute(INSERTS[name])
    finally:
        connection.unregister("batch")


def write(connection: duckdb.DuckDBPyConnection, rows: dict[str, dict[str, list]], replaced: set[str]) -> None:
    """Write whole documents in one transaction; `replaced` paths lose their old rows first."""
    if not rows["documents"]["path"]:
        return
    with transaction(connection):
        remove(connection, replaced & set(rows["documents"]["path"]), own_transaction=False)
        for name, schema in SCHEMAS.items():
            if rows[name]["path"]:
                insert(connection, name, pa.table(rows[name], schema=schema))
        mark_stale(connection, {key for key in rows["documents"]["dossier"] if key})


def remove(connection: duckdb.DuckDBPyConnection, paths: set[str], own_transaction: bool = True) -> None:
    """Delete every row of these documents."""
    if not paths:
        return
    gone = pa.table({"path": sorted(paths)})

    def delete() -> None:
        connection.register("gone", gone)
        try:
            connection.execute("INSERT INTO stale_dossiers SELECT DISTINCT dossier FROM documents "
                               "WHERE path IN (SELECT path FROM gone) AND dossier IS NOT NULL")
            for name in ("documents", *ROW_TABLES):
                connection.execute(f"DELETE FROM {name} WHERE path IN (SELECT path FROM gone)")
        finally:
            connection.unregister("gone")

    if own_transaction:
        with transaction(connection):
            delete()
    else:
        delete()


def touch(connection: duckdb.DuckDBPyConnection, stamps: list[tuple[str, int, int]]) -> None:
    """Record new (size, mtime) for documents whose content did not change."""
    if not stamps:
        return
    paths, sizes, mtimes = zip(*stamps)
    table = pa.table({"path": list(paths), "size": list(sizes), "mtime_ns": list(mtimes)})
    with transaction(connection):
        connection.register("stamps", table)
        try:
            connection.execute("UPDATE documents SET size = stamps.size, mtime_ns = stamps.mtime_ns "
                               "FROM stamps WHERE documents.path = stamps.path")
        finally:
            connection.unregister("stamps")


#: Between the two files of a document's path in the store: "情况说明 file + 报表 file" (as the CLI names it).
PAIR = " + "


def parts(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """path → the pair's path, for each file stored as one half of a document in two files."""
    return dict(connection.execute("SELECT path, error FROM documents WHERE status = 'part'").fetchall())


def halves(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The files read alone as one half of a document (a 情况说明 without tables, tables without one)."""
    return [path for (path,) in connection.execute(
        "SELECT path FROM documents WHERE status = 'ok' AND half IS NOT NULL ORDER BY path").fetchall()]


def join(connection: duckdb.DuckDBPyConnection, pair: str, files: list[str]) -> None:
    """The files of `pair` (written as one document) become its parts: their own rows go, their stamps stay."""
    gone = pa.table({"path": files})
    with transaction(connection):
        connection.register("gone", gone)
        try:
            for name in ROW_TABLES:
                connection.execute(f"DELETE FROM {name} WHERE path IN (SELECT path FROM gone)")
            connection.execute("UPDATE documents SET status = 'part', error = ?, dossier = NULL "
                               "WHERE path IN (SELECT path FROM gone)", [pair])
        finally:
            connection.unregister("gone")


def known(connection: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, int, int, str]]:
    """path → (sha256, size, mtime_ns, ruleset) of every stored document."""
    return {path: (sha, size, mtime, ruleset) for path, sha, size, mtime, ruleset in
            connection.execute("SELECT path, sha256, size, mtime_ns, ruleset FROM documents").fetchall()}


# -- dossiers ------------------------------------------------------------------------------------
def mark_stale(connection: duckdb.DuckDBPyConnection, keys: set[str]) -> None:
    """These dossiers' cross-document findings are to be written again (inside the caller's transaction)."""
    if not keys:
        return
    connection.register("marked", pa.table({"dossier": sorted(keys)}))
    try:
        connection.execute("INSERT INTO stale_dossiers SELECT dossier FROM marked")
    finally:
        connection.unregister("marked")


def stale(connection: duckdb.DuckDBPyConnection, ruleset: str) -> list[str]:
    """The dossiers to audit: those marked stale, and those audited by another version of the cross-document
    rules."""
    return [key for (key,) in connection.execute(
        "SELECT dossier FROM stale_dossiers UNION SELECT dossier FROM dossiers WHERE ruleset IS DISTINCT FROM ? "
        "ORDER BY 1", [ruleset]).fetchall()]


def dossier_documents(connection: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, list[str]]:
    """dossier → the paths of its readable documents, in path order."""
    found: dict[str, list[str]] = {key: [] for key in keys}
    if not keys:
        return found
    connection.register("wanted", pa.table({"dossier": keys}))
    try:
        for key, path in connection.execute(
                "SELECT dossier, path FROM documents WHERE status = 'ok' AND dossier IN (SELECT dossier FROM wanted) "
                "ORDER BY dossier, path").fetchall():
            found[key].append(path)
    finally:
        connection.unregister("wanted")
    return found


def write_dossiers(connection: duckdb.DuckDBPyConnection, keys: list[str], rows: dict[str, dict[str, list]]) -> None:
    """Replace these dossiers' rows (cross-document findings, the dossier row) and clear their stale marks, in
    one transaction."""
    if not keys:
        return
    with transaction(connection):
        connection.register("done", pa.table({"dossier": keys}))
        try:
            for name in ("cross_findings", "dossiers", "stale_dossiers"):
                connection.execute(f"DELETE FROM {name} WHERE dossier IN (SELECT dossier FROM done)")
        finally:
            connection.unregister("done")
        for name, schema in DOSSIER_SCHEMAS.items():
            if rows[name]["dossier"]:
                insert(connection, name, pa.table(rows[name], schema=schema))
