"""Questions to a corpus store: the summary, ad-hoc SQL, and the portfolio frames (departments × years).

Amounts leave DuckDB through Arrow as exact ``Decimal`` (never through float); rates are computed
in Python with ``finaudit.budget.rate`` (two places, half up), as in the single-report views.
"""

from __future__ import annotations

import json
import posixpath
from decimal import Decimal

import duckdb
import pandas as pd
import pyarrow as pa

from finaudit.audit import frame_text
from finaudit.budget import rate

#: 万元 per the table's unit: amounts of a 元 table are divided exactly (DECIMAL(18,2) × 0.0001).
IN_WAN = "CASE WHEN c.unit = '元' THEN c.amount * 0.0001 ELSE c.amount END"

PORTFOLIO_SQL = f"""
WITH named AS (
    SELECT path, kind, scope, coalesce(department, unit, '?') AS department, year, errors, warnings, notes
    FROM documents WHERE status = 'ok'
), docs AS (  -- main: the amounts counted (a 部门 document; a 单位 document only where the year has no other)
    SELECT *, scope IS DISTINCT FROM 'unit'
              OR NOT bool_or(scope IS DISTINCT FROM 'unit') OVER (PARTITION BY department, year) AS main
    FROM named
), money AS (
    SELECT c.path,
        sum({IN_WAN}) FILTER (WHERE c.table_kind = 'three_public' AND c.row_key = 'total' AND c.column_key = 'budget') AS tp_budget,
        sum({IN_WAN}) FILTER (WHERE c.table_kind = 'three_public' AND c.row_key = 'total' AND c.column_key = 'actual') AS tp_actual,
        coalesce(
            sum({IN_WAN}) FILTER (WHERE c.table_kind = 'expenditure' AND c.row_key = 'grand_total' AND c.column_key = 'total'),
            sum({IN_WAN}) FILTER (WHERE c.table_kind = 'summary' AND c.row_key = 'expenditure_total' AND c.column_key = 'total')
        ) AS spent
    FROM cells c GROUP BY c.path
), items AS (
    SELECT path, sum(budget) AS items_budget, sum(value) AS items_actual
    FROM claims WHERE claim = 'item' AND budget IS NOT NULL AND value IS NOT NULL GROUP BY path
), across AS (  -- cross-document findings, counted where the pair's second document is (决算, 单位, year Y)
    SELECT d.department, d.year, count(*) FILTER (WHERE x.severity = 'error')::INTEGER AS cross_errors,
           count(*) FILTER (WHERE x.severity = 'warning')::INTEGER AS cross_warnings
    FROM cross_findings x JOIN docs d ON d.path = x.second_path GROUP BY ALL
), grid AS (
SELECT d.department, d.year,
    count(*)::INTEGER AS documents,
    sum(d.errors)::INTEGER AS errors, sum(d.warnings)::INTEGER AS warnings, sum(d.notes)::INTEGER AS notes,
    coalesce(sum(m.tp_budget) FILTER (WHERE d.kind = 'final' AND d.main),
             sum(m.tp_budget) FILTER (WHERE d.kind = 'budget' AND d.main)) AS three_public_budget,
    sum(m.tp_actual) FILTER (WHERE d.kind = 'final' AND d.main) AS three_public_actual,
    sum(m.spent) FILTER (WHERE d.kind = 'final' AND d.main) AS spending,
    sum(m.spent) FILTER (WHERE d.kind = 'budget' AND d.main) AS budgeted,
    sum(i.items_budget) FILTER (WHERE d.kind = 'final' AND d.main) AS items_budget,
    sum(i.items_actual) FILTER (WHERE d.kind = 'final' AND d.main) AS items_actual,
    min(d.path) FILTER (WHERE d.kind = 'final') AS final_path,
    coalesce(min(d.path) FILTER (WHERE d.kind = 'final'), min(d.path)) AS report_path
FROM docs d LEFT JOIN money m USING (path) LEFT JOIN items i USING (path)
GROUP BY d.department, d.year
)
SELECT g.*, coalesce(a.cross_errors, 0) AS cross_errors, coalesce(a.cross_warnings, 0) AS cross_warnings
FROM grid g LEFT JOIN across a USING (department, year)
ORDER BY g.department, g.year
"""

#: Each department's folders (of its readable documents), and the root the store was last built from.
FOLDERS_SQL = """
SELECT coalesce(department, unit, '?') AS department,
       list(DISTINCT CASE WHEN contains(path, '/') THEN regexp_replace(path, '/[^/]*$', '') ELSE '' END) AS folders
FROM documents WHERE status = 'ok' GROUP BY 1
"""
ROOT_SQL = "SELECT root FROM builds WHERE complete ORDER BY finished_at DESC LIMIT 1"

CLASS_SQL = f"""
SELECT coalesce(d.department, d.unit, '?') AS department, d.year, c.code, any_value(c.label) AS label,
       sum({IN_WAN}) AS amount
FROM cells c JOIN documents d USING (path)
WHERE d.status = 'ok' AND d.kind = 'final' AND c.table_kind = 'expenditure' AND c.level = 1
  AND c.column_key = 'total' AND c.code IS NOT NULL
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""

SEVERITY_SQL = """
SELECT coalesce(d.department, d.unit, '?') AS department, d.year, f.code, f.severity, count(*)::INTEGER AS findings
FROM findings f JOIN documents d USING (path) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
"""


def frame(connection: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None) -> pd.DataFrame:
    """A query's rows as a DataFrame through Arrow: DECIMAL columns become exact Decimal objects."""
    table = connection.sql(sql, params=parameters or None).to_arrow_table()
    return table.to_pandas(types_mapper=_NULLABLE.get)


#: Arrow integer columns become pandas nullable integers (a missing year is <NA>, not a float NaN).
_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def portfolio(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per department and year: documents, findings by severity, cross-document errors and warnings
    (counted at the pair's second document), 三公 budget (the final's 预算数, else the 预算 document's) and actual, spending (表三 合计 本年支出合计 of the
    finals, else 表一 本年支出合计), the execution rate and its basis, the final's path (report_path: the final,
    else the year's first document; report_file: absolute), the department's folder (for the dossier view).

    execution_rate: spending ÷ the 预算 document's 本年支出合计 of the same department and year, where the
    store holds one; else Σ 决算 ÷ Σ 年初预算 of the items the final's narrative quotes (basis "items").
    Amounts are Decimal 万元 (元 tables converted exactly); rates percent to two places. Amounts are those of the
    部门 documents (a 单位 document's are part of its department's), of 单位 documents only where the
    department-year has no other."""
    out = frame(connection, PORTFOLIO_SQL)
    out["three_public_rate"] = [rate(a, b) for a, b in zip(out["three_public_actual"], out["three_public_budget"])]
    by_budget = [rate(a, b) for a, b in zip(out["spending"], out["budgeted"])]
    by_items = [rate(a, b) for a, b in zip(out["items_actual"], out["items_budget"])]
    out["execution_rate"] = [b if b is not None else i for b, i in zip(by_budget, by_items)]
    out["execution_basis"] = ["budget" if b is not None else "items" if i is not None else None
                              for b, i in zip(by_budget, by_items)]
    folders = department_folders(connection)
    out["folder"] = [folders.get(d) for d in out["department"]]
    root = connection.execute(ROOT_SQL).fetchall()
    out["report_file"] = [posixpath.join(root[0][0], p) if root and isinstance(p, str) else None
                          for p in out["report_path"]]
    return out


def department_folders(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """department → the folder holding all its documents (the deepest one they share), absolute under the root
    the store was last built from: what the dossier view opens."""
    root = connection.execute(ROOT_SQL).fetchall()
    if not root:
        return {}
    base = root[0][0]
    return {department: posixpath.join(base, posixpath.commonpath(folders)) if all(folders) else base
            for department, folders in connection.execute(FOLDERS_SQL).fetchall()}


def class_spending(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Spending by 类 (表三 本年支出合计 of the 类 rows) per department and year, Decimal 万元."""
    return frame(connection, CLASS_SQL)


def findings_by_rule(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return frame(connection, SEVERITY_SQL)


def summary(connection: duckdb.DuckDBPyConnection, top: int = 10) -> str:
    """Counts by kind and year, load status, findings by severity and rule, the departments with the most errors."""
    sections = [
        ("documents by kind and year",
         "SELECT kind, year, count(*) AS documents, sum(errors) AS errors, sum(warnings) AS warnings "
         "FROM documents WHERE status = 'ok' GROUP BY ALL ORDER BY ALL"),
        ("load status", "SELECT status, count(*) AS documents FROM documents GROUP BY ALL ORDER BY ALL"),
        ("findings by severity", "SELECT severity, count(*) AS findings FROM findings GROUP BY severity "
                                 "ORDER BY array_position(['error', 'warning', 'info'], severity)"),
        (f"rules with the most findings (top {top})",
         f"SELECT code, severity, count(*) AS findings, count(DISTINCT path) AS documents FROM findings "
         f"GROUP BY ALL ORDER BY findings DESC, code LIMIT {top}"),
        (f"departments with the most errors (top {top})",
         f"SELECT coalesce(department, unit, '?') AS department, count(*) AS documents, sum(errors) AS errors, "
         f"sum(warnings) AS warnings FROM documents WHERE status = 'ok' GROUP BY ALL "
         f"ORDER BY errors DESC, department LIMIT {top}"),
        ("cross-document findings (dossiers)",
         "SELECT relation, code, severity, count(*) AS findings, count(DISTINCT dossier) AS dossiers "
         "FROM cross_findings GROUP BY ALL ORDER BY ALL"),
        ("unreadable documents", "SELECT path, error FROM documents WHERE status NOT IN ('ok', 'part') ORDER BY path"),
    ]
    out = []
    for title, sql in sections:
        result = frame(connection, sql)
        out += [f"## {title}", frame_text(result) if len(result) else "(none)", ""]
    return "\n".join(out)


def run(connection: duckdb.DuckDBPyConnection, sql: str, output_format: str = "table") -> str:
    """An ad-hoc query (on a read-only connection) printed as a table, CSV or JSON (amounts as strings)."""
    result = frame(connection, sql)
    if output_format == "csv":
        from finaudit.read.cells import csv_frame

        return csv_frame(result).to_csv(index=False)
    if output_format == "json":
        records = [{k: _plain(v) for k, v in row.items()} for row in result.to_dict(orient="records")]
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    return (frame_text(result) if len(result) else "(no rows)") + "\n"


def _plain(value):
    """JSON values: Decimal as its exact string, missing as null, timestamps as ISO text."""
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value
