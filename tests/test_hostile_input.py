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


# -- a package's paths stay inside the package ----------------------------------------------------
SECRET = "root:$6$secret-first-line:19000:0:99999:7:::"


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    import finaudit
    from finaudit.read.package import write_package

    directory = tmp_path_factory.mktemp("package") / "pkg"
    write_package(finaudit.load(SAMPLE), directory)
    return directory


def _pointing(package, tmp_path, how: str):
    import json
    import shutil

    secret = tmp_path / "shadow"
    secret.write_text(SECRET + "\n")
    copy = tmp_path / "deep" / "er" / "pkg"
    shutil.copytree(package, copy)
    index = json.loads((copy / "report.json").read_text(encoding="utf-8"))
    name = {"dots": "../../../shadow", "absolute": str(secret), "link": "link.csv", "folder": "sub",
            "fifo": "pipe.csv"}[how]
    if how == "link":
        (copy / "link.csv").symlink_to(secret)
    if how == "folder":
        (copy / "sub").mkdir()
    if how == "fifo":
        import os

        os.mkfifo(copy / "pipe.csv")
    index["tables"][0]["file"] = name
    (copy / "report.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    return copy


@pytest.mark.parametrize("how, found", [
    ("dots", "table files named inside the package directory"),
    ("absolute", "table files named inside the package directory"),
    ("link", "leads outside it"),
    ("folder", "is not a regular file"),
    ("fifo", "is not a regular file"),
])
def test_a_package_reads_only_files_inside_it(package, tmp_path, capsys, how, found):
    import time

    copy = _pointing(package, tmp_path, how)
    started = time.monotonic()
    assert cli(["check", str(copy)]) == 2
    error = capsys.readouterr().err
    assert time.monotonic() - started < 30
    assert error.count("\n") == 1 and "report.json" in error and found in error, error
    assert "secret" not in error
    from finaudit.export.publish import publish

    entries = publish([copy], tmp_path / "site")
    assert found in entries[0]["error"]
    assert "secret" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
