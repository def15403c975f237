"""Hostile input, second round (issue 27): what finaudit did not create is never changed, paths stay
inside a package, only regular files are documents and they are read under the cost bound, the whole
processing of a document is bounded, every tabular export escapes, a broken ledger is a message.

Each case ends in bounded time with a one-line message naming the file.
"""

from __future__ import annotations

import duckdb
import pytest
from conftest import SAMPLE

from finaudit.cli import main as cli


# -- a store finaudit did not create is never changed ----------------------------------------------
def _foreign_database(path):
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE ledger (id INTEGER, amount DECIMAL(18,2))")
        connection.execute("INSERT INTO ledger VALUES (1, 12.50), (2, 3.00)")
        connection.execute("CREATE TABLE documents (path VARCHAR)")


@pytest.mark.parametrize("make, found", [
    (_foreign_database, "a DuckDB database with tables documents, ledger and no store_info"),
    (lambda path: path.write_text("id,amount\n1,12.50\n"), "not a DuckDB database"),
    (lambda path: path.mkdir(), "a folder"),
    (lambda path: path.write_bytes(b""), "not a DuckDB database"),
])
def test_corpus_build_refuses_a_store_it_did_not_create(tmp_path, capsys, make, found):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SAMPLE.read_bytes())
    target = tmp_path / "other.duckdb"
    make(target)
    before = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in tmp_path.iterdir())
    assert cli(["corpus", "build", str(folder), "--store", str(target)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and str(target) in error and found in error, error
    assert sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in tmp_path.iterdir()) == before
    if make is _foreign_database:
        with duckdb.connect(str(target), read_only=True) as connection:
            assert connection.execute("SELECT sum(amount) FROM ledger").fetchall()[0][0] == 15.5
        assert cli(["corpus", "summary", "--store", str(target)]) == 2
        assert "not a finaudit corpus store" in capsys.readouterr().err
