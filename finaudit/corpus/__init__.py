"""The corpus: every report of a folder (departments × years) audited into one DuckDB store.

``store`` holds the schema and the only code that writes the database (Arrow batches, one
transaction per group of whole documents); ``build`` walks a folder, reads and audits each new or
changed document (in-process, on a process pool, or on a Dask cluster) and hands the rows to the
store; ``query`` answers the summary and ad-hoc SQL; ``export`` writes Parquet files or a
Frictionless data package. Sits beside ``views``/``export``/``cli`` and imports ``audit`` and below.
"""
