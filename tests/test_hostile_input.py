"""Hostile input, second round (issue 27): what finaudit did not create is never changed, paths stay
inside a package, only regular files are documents and they are read under the cost bound, the whole
processing of a document is bounded, every tabular export escapes, a broken ledger is a message.

Each case ends in bounded time with a one-line message naming the file.
"""

from __future__ import annotations

from pathlib import Path

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


# -- which files are documents: one rule (finaudit.read.sources) -----------------------------------
def _folder_of_everything(folder):
    """A folder of reports with every kind of thing that is not one beside them."""
    import os

    from finaudit.read.package import write_package

    text = SAMPLE.read_bytes()
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(text)
    (folder / "sub" / "b.TXT").write_bytes(text)
    (folder / "notes.md").write_text("x")
    (folder / ".hidden.txt").write_bytes(text)
    (folder / "a-checkpoint.txt").write_bytes(text)
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "a-checkpoint.txt").write_bytes(text)
    (folder / ".git").mkdir()
    (folder / ".git" / "c.txt").write_bytes(text)
    import finaudit

    report = finaudit.load(SAMPLE)
    write_package(report, folder / "pkg")
    write_package(report, folder / ".pkg")
    os.mkfifo(folder / "fifo.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "gone.pdf").symlink_to(folder / "nowhere.pdf")
    (folder / "link.txt").symlink_to(folder / "a.txt")
    return folder


REFUSED = {"fifo.txt": "found a FIFO (not read)", "zero.txt": "found a character device (not read)",
           "gone.pdf": "found a link to nothing (not read)"}


def test_one_rule_for_which_files_are_documents(tmp_path):
    from finaudit.read.sources import discover, is_document

    folder = _folder_of_everything(tmp_path / "reports")
    found = discover([folder])
    assert [p.relative_to(folder).as_posix() for p in found.documents] == ["a.txt", "link.txt", "pkg", "sub/b.TXT"]
    assert {p.name: reason.split("; ")[-1] for p, reason in found.refused} == REFUSED
    assert not is_document(folder / ".ipynb_checkpoints" / "a-checkpoint.txt")
    assert [p.name for p in discover([folder / "fifo.txt"]).documents] == []


def test_check_publish_and_corpus_skip_checkpoints_and_refuse_fifos_and_devices(tmp_path, capsys):
    import json
    import time

    from finaudit.corpus.build import build

    folder = _folder_of_everything(tmp_path / "reports")
    started = time.monotonic()
    assert cli(["check", str(folder), "--format", "json", "--no-cross"]) == 2
    entries = json.loads(capsys.readouterr().out)
    assert sorted(Path(e["file"]).name for e in entries if "counts" in e) == ["a.txt", "b.TXT", "link.txt", "pkg"]
    assert {Path(e["file"]).name: e["error"].split("; ")[-1] for e in entries if "error" in e} == REFUSED
    assert cli(["publish", str(folder), "--to", str(tmp_path / "site")]) == 2
    pages = sorted(p.name for p in (tmp_path / "site").glob("*.html"))
    assert len(pages) == 5 and not any("checkpoint" in p for p in pages), pages
    stats = build(folder, tmp_path / "corpus.duckdb", progress=False)
    assert (stats.found, stats.read, stats.unreadable) == (4, 4, 3)
    with duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True) as connection:
        rows = dict(connection.execute("SELECT path, error FROM documents WHERE status = 'unreadable'").fetchall())
    assert {path: error.split("; ")[-1] for path, error in rows.items()} == REFUSED
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("make, found", [
    (lambda path: __import__("os").mkfifo(path), "found 'a FIFO (not read)'"),
    (lambda path: path.symlink_to("/dev/zero"), "found 'a character device (not read)'"),
])
@pytest.mark.parametrize("command", ["check", "info"])
def test_a_fifo_or_a_device_given_by_name_is_refused_at_once(tmp_path, capsys, make, found, command):
    import time

    path = tmp_path / "report.txt"
    make(path)
    started = time.monotonic()
    assert cli([command, str(path)]) == 2
    error = capsys.readouterr().err
    assert time.monotonic() - started < 5
    assert error.count("\n") == 1 and str(path) in error and found in error, error


def test_the_dashboard_picker_follows_the_rule(tmp_path):
    from finaudit.views.loading import sample_reports

    folder = _folder_of_everything(tmp_path / "reports")
    assert list(sample_reports(folder)) == ["a.txt", "link.txt"]


# -- one cost bound for the whole processing of a document ------------------------------------------
@pytest.fixture(scope="module")
def dense(tmp_path_factory):
    """A 3 MB numbers-dense narrative: past a one-second bound, however fast the audit becomes."""
    from benchmarks.dense import dense_narrative

    folder = tmp_path_factory.mktemp("dense")
    (folder / "dense.txt").write_text(dense_narrative(3 * 2**20), encoding="utf-8")
    return folder


def _bounded(entry, dense, tmp_path, capsys):
    if entry == "check":
        return cli(["check", str(dense / "dense.txt")]), capsys.readouterr().err
    if entry == "batch":
        return cli(["check", str(dense), "--no-cross"]), capsys.readouterr().out
    if entry == "dossier":
        return cli(["check", str(dense)]), capsys.readouterr().out
    if entry == "publish":
        code = cli(["publish", str(dense), "--to", str(tmp_path / "site")])
        return code, capsys.readouterr().err
    if entry == "corpus":
        from finaudit.corpus.build import build

        build(dense, tmp_path / "c.duckdb", progress=False)
        with duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True) as connection:
            return 2, connection.execute("SELECT error FROM documents").fetchall()[0][0]
    from finaudit.views.loading import prepared

    with pytest.raises(ValueError) as error:
        prepared(dense / "dense.txt")
    return 2, str(error.value)


@pytest.mark.parametrize("entry", ["check", "batch", "dossier", "publish", "corpus", "dashboard"])
def test_every_entry_point_bounds_read_and_audit_together(dense, tmp_path, capsys, monkeypatch, entry):
    import time

    monkeypatch.setenv("FINAUDIT_LIMIT_SECONDS", "1")
    started = time.monotonic()
    code, said = _bounded(entry, dense, tmp_path, capsys)
    assert time.monotonic() - started < 20
    assert code == 2 and "the seconds limit (1.0" in said and "still reading and auditing after 1 s" in said, said


# -- one escaping rule for every tabular export -----------------------------------------------------
FORMULA_LABELS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "'quoted"]


@pytest.fixture(scope="module")
def formula_store(tmp_path_factory):
    """A corpus store whose department, labels and findings carry formula-looking text."""
    from finaudit.corpus.build import build

    folder = tmp_path_factory.mktemp("formulas")
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("\t 行政运行\n", "\t=HYPERLINK(\"http://x\")行政运行\n").replace(
        "本年收入总计1480.73万元", "+本年收入总计1480.73万元", 1)
    (folder / "r.txt").write_text(text, encoding="utf-8")
    target = folder / "corpus.duckdb"
    build(folder, target, progress=False)
    return target


def _formula_cells(text: str) -> list[str]:
    import csv
    import io

    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(("=", "+", "@", "\t", "\r"))
            or cell.startswith("-") and not cell[1:2].isdigit()]


def test_corpus_csv_exports_write_no_formula(formula_store, tmp_path, capsys):
    assert cli(["corpus", "export", "--store", str(formula_store), "--datapackage", str(tmp_path / "dp")]) == 0
    csvs = sorted((tmp_path / "dp").glob("*.csv"))
    assert len(csvs) >= 6
    texts = {path.name: path.read_text(encoding="utf-8") for path in csvs}
    assert "'=HYPERLINK" in texts["cells.csv"] and "'+本年收入总计" in texts["claims.csv"]
    assert {name: _formula_cells(text) for name, text in texts.items()} == {name: [] for name in texts}
    capsys.readouterr()
    assert cli(["corpus", "query", "--store", str(formula_store), "--format", "csv",
                "SELECT label, -1.5 AS n FROM cells WHERE label LIKE '=%' UNION ALL "
                "SELECT sentence, 2 FROM claims WHERE sentence LIKE '+%'"]) == 0
    out = capsys.readouterr().out
    assert "'=HYPERLINK" in out and "-1.5" in out and _formula_cells(out) == []
    assert cli(["corpus", "export", "--store", str(formula_store), "--parquet", str(tmp_path / "pq")]) == 0
    import pyarrow.parquet as pq

    labels = pq.read_table(tmp_path / "pq" / "cells.parquet").column("label").to_pylist()
    assert any(label.startswith("=HYPERLINK") for label in labels if label)  # Parquet stays typed and as read


# -- xlsx: control characters in labels, forbidden characters in sheet names -------------------------
def test_xlsx_takes_control_characters_and_any_table_title(tmp_path, capsys):
    import dataclasses

    from openpyxl import load_workbook

    import finaudit
    from finaudit.audit import audit
    from finaudit.export.workpaper import write_workpaper
    from finaudit.export.xlsx import write_tables_xlsx

    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in [("一、财政拨款", "一、财政\x01拨款"), ("二、事业收入", "二、事业\x0c收入"), ("三、事业单位经营收入", "\x1b三、经营")]:
        text = text.replace(f"\t{old}\n", f"\t{new}\n", 1)
    source = tmp_path / "controls.txt"
    source.write_text(text, encoding="utf-8")
    assert cli(["export", str(source), "--to", str(tmp_path / "tables.xlsx")]) == 0
    assert cli(["check", str(source), "--format", "xlsx", "--output", str(tmp_path / "paper.xlsx")]) in (0, 1)
    labels = {c.value for row in load_workbook(tmp_path / "tables.xlsx")["表一 收入支出决算总表"].iter_rows()
              for c in row if isinstance(c.value, str)}
    assert {"一、财政␁拨款", "二、事业␌收入", "␛三、经营"} <= labels
    report = finaudit.load(source)
    first, second = list(report.tables)[:2]
    hostile = "a[b]:c?d*e\\f/g\x01'" + "长" * 40
    report.tables[first] = dataclasses.replace(report.tables[first], title=hostile)
    report.tables[second] = dataclasses.replace(report.tables[second], title=hostile, number=report.tables[first].number)
    write_tables_xlsx(report, tmp_path / "titles.xlsx")
    write_workpaper(report, audit(report), tmp_path / "titles-paper.xlsx")
    for name in ("titles.xlsx", "titles-paper.xlsx"):
        names = load_workbook(tmp_path / name).sheetnames
        assert len({n.lower() for n in names}) == len(names)
        assert all(len(n) <= 31 and not set("[]:*?/\\\x01") & set(n) for n in names), names


# -- a broken review ledger is a message, never a dead dashboard --------------------------------------
BROKEN_LEDGERS = {
    "truncated": b'{"format": "finaudit-review", "version": 1, "entries": {"FA-T001|x": {"sta',
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "binary": b"\xff\xfe\x00\x01" * 100,
}


@pytest.mark.parametrize("kind", BROKEN_LEDGERS)
def test_a_broken_ledger_is_a_ledger_error(tmp_path, kind):
    import time

    from finaudit.ledger import Ledger, LedgerError

    path = tmp_path / "r.txt.review.json"
    path.write_bytes(BROKEN_LEDGERS[kind])
    started = time.monotonic()
    with pytest.raises(LedgerError, match="r.txt.review.json"):
        Ledger(path)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("editable", [False, True])
def test_the_findings_panel_shows_a_broken_ledger_and_every_finding(tmp_path, editable):
    from finaudit.views.findings_panel import FindingsPanel
    from finaudit.views.loading import prepared

    report = tmp_path / "r.txt"
    report.write_bytes(SAMPLE.read_bytes())
    (tmp_path / "r.txt.review.json").write_bytes(BROKEN_LEDGERS["truncated"])
    loaded = prepared(report)
    loaded.path = report
    panel = FindingsPanel(loaded, editable=editable)
    assert "r.txt.review.json" in panel.ledger_message.value and "fau-msg-error" in panel.ledger_message.value
    assert len(panel.numbers) == len(loaded.result.findings) > 0
    if editable:
        panel.save()  # nothing written over the broken ledger, no exception
        assert (tmp_path / "r.txt.review.json").read_bytes() == BROKEN_LEDGERS["truncated"]


def test_a_write_removes_stale_leftovers_of_killed_writers_only(tmp_path):
    import os
    import time

    from finaudit.ledger import Ledger

    path = tmp_path / "r.txt.review.json"
    old, fresh = tmp_path / "r.txt.review.json.ab12cd_9.tmp", tmp_path / "r.txt.review.json.zz99yy88.tmp"
    others = [tmp_path / "r.txt.review.json.notmine.tmp", tmp_path / "other.json.ab12cd_9.tmp", tmp_path / "keep.tmp"]
    for file in (old, fresh, *others):
        file.write_text("x" * 1000)
    hour_ago = time.time() - 3600
    for file in (old, *others):
        os.utime(file, (hour_ago, hour_ago))
    Ledger(path).judge("FA-T001|x", "confirmed")
    assert not old.exists() and fresh.exists() and all(file.exists() for file in others)


# -- smaller: limits above 20 MB, what a fake PDF is, hostile query strings ----------------------------
def test_text_limit_can_be_raised_above_20_mb(tmp_path):
    from finaudit.read.limits import Limits, load_bounded

    path = tmp_path / "long.txt"
    text = SAMPLE.read_text(encoding="utf-8")
    padding = (" " * 9999 + "\n") * (21 * 2**20 // 10_000 + 1)  # blank lines after the report: 21 MB in all
    path.write_text(text + padding, encoding="utf-8")
    with pytest.raises(ValueError, match="the text_mb limit"):
        load_bounded(path, Limits(text_mb=20, seconds=60))
    report = load_bounded(path, Limits(text_mb=30, seconds=60))
    assert len(report.tables) == 8


@pytest.mark.parametrize("content, said", [
    ("这是一份说明文字，不是PDF。".encode("utf-8"), "a text file beginning '这是一份说明文字"),
    ("这是一份说明文字".encode("gb18030"), "a text file beginning '这是一份说明文字'"),
    (b"\x00\x01\x02binary", "binary data that is not a PDF"),
])
def test_a_fake_pdf_upload_is_described_not_garbled(content, said):
    from finaudit.views.dashboard import ReportPicker

    picker = ReportPicker.__new__(ReportPicker)
    picker.lang = "zh"
    with pytest.raises(ValueError) as error:
        picker.load_upload("fake.pdf", content)
    assert said in str(error.value) and "ä" not in str(error.value), str(error.value)


@pytest.mark.parametrize("folder", ["sample_data/" + "a" * 300, "sample_data/" + "a/" * 3000, "a" * 300])
def test_a_long_folder_query_is_refused_not_an_error(folder):
    from urllib.parse import quote

    from finaudit.views.loading import requested_folder

    path, refused = requested_folder("folder=" + quote(folder))
    assert path is None and refused in ("missing", "outside")


def form_cycle_pdf(branching: int = 1) -> bytes:
    """A one-page PDF whose page draws form /Fm0, which draws /Fm1 `branching` times, which draws /Fm0 …"""
    def draw(name: str) -> bytes:
        return (f"q /{name} Do Q " * branching).encode()

    c0, c1 = draw("Fm1"), draw("Fm0")
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /XObject << /%s %d 0 R >> >> /Length %d >>stream\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources << /XObject << /Fm0 4 0 R >> >> /Contents 6 0 R >>",
        form % (b"Fm1", 5, len(c0)) + c0 + b"\nendstream",
        form % (b"Fm0", 4, len(c1)) + c1 + b"\nendstream",
        b"<< /Length 12 >>stream\nq /Fm0 Do Q\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_form_cycle_is_not_called_scanned(tmp_path, capsys):
    import time

    path = tmp_path / "cycle.pdf"
    path.write_bytes(form_cycle_pdf())
    started = time.monotonic()
    assert cli(["check", str(path)]) == 2
    error = capsys.readouterr().err
    assert time.monotonic() - started < 30
    assert error.count("\n") == 1 and "scanned" not in error and "no text and no images" in error, error


def test_an_exploding_form_cycle_stops_under_2_gb(tmp_path):
    """Forms drawing each other twice over (PDFium recurses until memory runs out): the check ends within
    30 s with one line naming the page, and no process of it held 2 GB (the worker's default bound)."""
    import subprocess
    import sys
    import time

    path = tmp_path / "cycle.pdf"
    path.write_bytes(form_cycle_pdf(branching=2))
    probe = ("import resource, sys; from finaudit.cli import main; code = main(['check', sys.argv[1]]); "
             "print(max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)),"
             " file=sys.stderr); sys.exit(code)")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 30
    *message, peak_kb = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(message) == 1 and "page 1" in message[0] and "memory" in message[0], done.stderr
    assert int(peak_kb) * 1024 < 2 * 10**9


def test_a_dense_narrative_audits_in_linear_time(tmp_path):
    """CPU time of load + audit at 50 KB and 400 KB of dense narrative: about 8× (linear), not 64× (the
    quadratic claim linking: 0.6 s and 5.2 s CPU at 50 and 200 KB before). A generous bound; `python -m
    benchmarks dense` gives the figures."""
    import time

    import finaudit.read
    from benchmarks.dense import dense_narrative
    from finaudit.audit import audit

    spent = []
    for size in (50_000, 400_000):
        path = tmp_path / f"dense-{size}.txt"
        path.write_text(dense_narrative(size), encoding="utf-8")
        started = time.process_time()
        audit(finaudit.read.load(path))
        spent.append(time.process_time() - started)
    assert spent[1] < 16 * spent[0] + 1, spent
