"""A corpus store out to other tools: Parquet files, or CSV with a Frictionless ``datapackage.json``.

The data package lists every store table as a tabular resource (typed fields) and adds one resource
in the Fiscal Data Package profile, ``spending``: expenditure by function (表三 支出决算表 / 支出预算表)
and by economic class (表六 基本支出), per department, fiscal year and code, with the executed
amount (决算) and the approved amount (预算) as two measures, so that open-budget tools such as
OpenSpending can load it. Amounts are written as exact decimal text, in 万元 (factor 10000 CNY).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb


import finaudit
from finaudit.read.cells import csv_cell
from finaudit.corpus.store import ROW_TABLES

TABLES = ("documents", *ROW_TABLES)

#: DuckDB column type → Frictionless Table Schema type.
_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "BIGINT": "integer", "DOUBLE": "number",
          "TIMESTAMP": "datetime", "BOOLEAN": "boolean"}

SPENDING_SQL = """
SELECT coalesce(d.department, '') AS department, coalesce(d.unit, '') AS unit, d.year AS fiscal_year,
    CASE WHEN c.table_kind = 'basic_expenditure' THEN 'economic' ELSE 'functional' END AS classification,
    c.code, any_value(c.label) AS label, c.level,
    sum(CASE WHEN c.unit = '元' THEN c.amount * 0.0001 ELSE c.amount END) FILTER (WHERE d.kind = 'final') AS executed,
    sum(CASE WHEN c.unit = '元' THEN c.amount * 0.0001 ELSE c.amount END) FILTER (WHERE d.kind = 'budget') AS approved
FROM cells c JOIN documents d USING (path)
WHERE d.status = 'ok' AND c.code IS NOT NULL AND c.column_key = 'total'
  AND c.table_kind IN ('expenditure', 'basic_expenditure')
GROUP BY ALL ORDER BY department, unit, fiscal_year, classification, code
"""

SPENDING_FIELDS = [
    {"name": "department", "type": "string", "columnType": "administrative-classification:generic:name",
     "title": "部门 department"},
    {"name": "unit", "type": "string", "columnType": "administrative-classification:generic:level2:name",
     "title": "单位 unit (empty: the department's own document)"},
    {"name": "fiscal_year", "type": "integer", "columnType": "date:fiscal-year", "title": "年度 fiscal year"},
    {"name": "classification", "type": "string", "title": "functional (功能分类) | economic (经济分类)"},
    {"name": "code", "type": "string", "columnType": "functional-classification:generic:code",
     "title": "科目编码 classification code (economic codes where classification = economic)"},
    {"name": "label", "type": "string", "columnType": "functional-classification:generic:label",
     "title": "科目名称 classification label"},
    {"name": "level", "type": "integer", "title": "1 类, 2 款, 3 项"},
    {"name": "executed", "type": "number", "columnType": "value", "phase": "executed", "currency": "CNY",
     "factor": 10000, "title": "决算数 executed (万元)"},
    {"name": "approved", "type": "number", "columnType": "value", "phase": "approved", "currency": "CNY",
     "factor": 10000, "title": "预算数 approved (万元)"},
]


def write_parquet(connection: duckdb.DuckDBPyConnection, directory: str | Path) -> list[Path]:
    """One Parquet file per store table (DECIMAL columns stay decimals)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        target = directory / f"{name}.parquet"
        connection.execute(f"COPY (SELECT * FROM {name} ORDER BY ALL) TO '{_quoted(target)}' (FORMAT parquet)")
        written.append(target)
    return written


def write_datapackage(connection: duckdb.DuckDBPyConnection, directory: str | Path) -> Path:
    """CSV files and their datapackage.json (Frictionless; the spending resource in the fiscal profile)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    resources = []
    connection.create_function("csv_cell", csv_cell, ["VARCHAR"], "VARCHAR")
    try:
        for name in TABLES:
            path = directory / f"{name}.csv"
            _copy_csv(connection, f"SELECT * FROM {name} ORDER BY ALL", path)
            fields = [{"name": column, "type": _TYPES.get(kind, "number" if kind.startswith("DECIMAL") else "string")}
                      for column, kind, *_ in connection.execute(f"DESCRIBE {name}").fetchall()]
            resources.append(_resource(name, path.name, fields))
        spending = directory / "spending.csv"
        _copy_csv(connection, SPENDING_SQL, spending)
    finally:
        connection.remove_function("csv_cell")
    resources.append({**_resource("spending", spending.name, SPENDING_FIELDS), "profile": "tabular-data-resource"})
    package = {
        "name": "finaudit-corpus",
        "title": "部门预算决算公开 corpus (finaudit)",
        "profile": "fiscal-data-package",
        "created_by": f"finaudit {finaudit.__version__}",
        "countryCode": "CN",
        "resources": resources,
        "model": {
            "measures": {
                "executed": {"source": "executed", "currency": "CNY", "factor": 10000, "phase": "executed"},
                "approved": {"source": "approved", "currency": "CNY", "factor": 10000, "phase": "approved"},
            },
            "dimensions": {
                "administrative": {"dimensionType": "classification", "classificationType": "administrative",
                                   "attributes": {"department": {"source": "department"}, "unit": {"source": "unit"}},
                                   "primaryKey": ["department", "unit"]},
                "date": {"dimensionType": "datetime", "attributes": {"year": {"source": "fiscal_year"}},
                         "primaryKey": ["year"]},
                "classification": {"dimensionType": "classification", "classificationType": "functional",
                                   "attributes": {"code": {"source": "code"}, "label": {"source": "label", "labelfor": "code"},
                                                  "kind": {"source": "classification"}},
                                   "primaryKey": ["kind", "code"]},
            },
        },
    }
    target = directory / "datapackage.json"
    target.write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


def _copy_csv(connection: duckdb.DuckDBPyConnection, sql: str, path: Path) -> None:
    """Write a query's rows as CSV, every text column through ``csv_cell`` (no cell a formula)."""
    columns = connection.execute(f"DESCRIBE ({sql})").fetchall()
    select = ", ".join(f'csv_cell("{column}") AS "{column}"' if kind == "VARCHAR" else f'"{column}"'
                       for column, kind, *_ in columns)
    connection.execute(f"COPY (SELECT {select} FROM ({sql})) TO '{_quoted(path)}' (HEADER, DELIMITER ',')")


def _resource(name: str, path: str, fields: list[dict]) -> dict:
    return {"name": name, "path": path, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "profile": "tabular-data-resource", "schema": {"fields": fields}}


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
