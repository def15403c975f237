"""The corpus store: what a build writes, incremental builds, bad inputs, interruption, the Dask path,
the queries and exports, and the portfolio frames."""

import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import finaudit
from benchmarks.corpus import write_corpus
from finaudit.audit import audit
from finaudit.cli import main as cli
from finaudit.corpus import store
from finaudit.corpus.build import build
from finaudit.corpus.query import class_spending, portfolio

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
#: Columns that differ between two builds of the same files (when and how long).
VOLATILE = {"documents": ["built_at", "seconds"]}


def dump(path) -> dict[str, list[tuple]]:
    """Every table's rows in a stable order, volatile columns left out."""
    with duckdb.connect(str(path), read_only=True) as connection:
        out = {}
        for name in ("documents", *store.ROW_TABLES, "cross_findings", "dossiers"):
            exclude = VOLATILE.get(name)
            columns = f"* EXCLUDE ({', '.join(exclude)})" if exclude else "*"
            out[name] = connection.execute(f"SELECT {columns} FROM {name} ORDER BY ALL").fetchall()
        return out


def rows(path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """Ten generated reports: two departments × two years of 部门预算 and 部门决算, the first department with a
    单位预算 too; two finals with an injected footing error, two with a 三公 预算数 that is not the budget's."""
    directory = tmp_path_factory.mktemp("generated")
    write_corpus(directory, 10, years=2, errors=0.4, seed=0)
    return directory


@pytest.fixture(scope="module")
def putuo(tmp_path_factory) -> Path:
    """The bundled Putuo and Liujiang reports: the files at the top of sample_data, not the national families
    under it (each of those is a document of tests/test_families.py)."""
    folder = tmp_path_factory.mktemp("samples")
    for path in [*SAMPLES.glob("*.txt"), *SAMPLES.glob("*.pdf")]:
        shutil.copy(path, folder)
    return folder


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, putuo) -> Path:
    """The corpus of those reports, built once for the module."""
    target = tmp_path_factory.mktemp("bundled") / "corpus.duckdb"
    stats = build(putuo, target, progress=False)
    assert stats.complete and stats.read == len(list(putuo.iterdir()))
    return target


def copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def test_bundled_reports_build_with_their_findings_and_cells(bundled):
    documents = rows(bundled, "SELECT path, status, kind, department, year, errors, warnings, notes FROM documents ORDER BY path")
    assert [d[1] for d in documents] == ["ok"] * len(documents)
    for path, _, kind, department, year, errors, warnings, notes in documents:
        report = finaudit.load(SAMPLES / path)
        result = audit(report)
        assert (kind, department, year) == (report.meta.kind, report.meta.department_name, report.meta.year)
        assert (errors, warnings, notes) == tuple(result.counts.values())
        keys = rows(bundled, f"SELECT key FROM findings WHERE path = '{path}' ORDER BY key")
        assert [k for (k,) in keys] == sorted(f.key for f in result.findings)
        printed = sum(v for t in report.tables.values() for c in t.columns for v in t.column(c) if v is not None)
        (stored,) = rows(bundled, f"SELECT sum(amount), count(*) FROM cells WHERE path = '{path}'")
        assert stored[0] == Decimal(printed).scaleb(-2)  # exact: DECIMAL(18,2) from integer hundredths
        outcomes = rows(bundled, f"SELECT count(*) FROM outcomes WHERE path = '{path}'")
        assert outcomes == [(len(result.outcomes),)]


@pytest.mark.parametrize("change, read, unchanged, removed, dossiers", [
    ("nothing", 0, 10, 0, 0),
    ("touch", 0, 10, 0, 0),  # a new modification time, the same bytes: hashed, not read
    ("edit", 1, 9, 0, 1),  # its department's dossier audited again, the other one not
    ("delete", 0, 9, 1, 1),
    ("add", 1, 10, 0, 1),
])
def test_a_second_build_reads_only_what_changed(generated, tmp_path, change, read, unchanged, removed, dossiers):
    reports = copy(generated, tmp_path / "reports")
    target = tmp_path / "corpus.duckdb"
    first = build(reports, target, progress=False)
    assert (first.read, first.unchanged, first.dossiers) == (10, 0, 2)
    one = sorted(reports.rglob("*.txt"))[0]
    if change == "touch":
        os.utime(one, ns=(one.stat().st_atime_ns, one.stat().st_mtime_ns + 10**9))
    elif change == "edit":
        one.write_text(one.read_text(encoding="utf-8").replace("万元", "万元 ", 1), encoding="utf-8")
    elif change == "delete":
        one.unlink()
    elif change == "add":
        shutil.copy(one, one.with_name("copy.txt"))
    second = build(reports, target, progress=False)
    assert (second.read, second.unchanged, second.removed, second.dossiers) == (read, unchanged, removed, dossiers)
    if change == "delete":  # the deleted document's cross-document findings are gone with it
        assert rows(target, f"SELECT count(*) FROM cross_findings WHERE '{one.name}' IN (first_path, second_path)"
                            f" AND first_path LIKE '{one.parent.name}/%'") == [(0,)]
    fresh = build(reports, tmp_path / "fresh.duckdb", progress=False)
    assert fresh.complete
    assert dump(target) == dump(tmp_path / "fresh.duckdb")


def test_bad_files_and_an_unlistable_directory_are_rows_and_the_build_goes_on(generated, tmp_path, monkeypatch):
    reports = copy(generated, tmp_path / "reports")
    (reports / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (reports / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer\n%%EOF")
    (reports / "broken-package").mkdir()
    (reports / "broken-package" / "report.json").write_text("{not json", encoding="utf-8")
    locked = reports / "locked"
    locked.mkdir()
    scandir = os.scandir

    def refusing(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    target = tmp_path / "corpus.duckdb"
    stats = build(reports, target, progress=False)
    assert stats.complete and stats.unreadable == 4
    bad = dict(rows(target, "SELECT path, status FROM documents WHERE status <> 'ok'"))
    assert bad == {"junk.txt": "unreadable", "corrupt.pdf": "unreadable", "broken-package": bad["broken-package"],
                   "locked": "unreadable"}
    assert bad["broken-package"] in ("unreadable", "failed")
    errors = dict(rows(target, "SELECT path, error FROM documents WHERE status <> 'ok'"))
    assert "junk.txt" in errors["junk.txt"] and "Permission denied" in errors["locked"]
    assert rows(target, "SELECT count(*) FROM documents WHERE status = 'ok'") == [(10,)]


def test_an_interrupted_build_leaves_whole_documents_and_the_next_build_completes(generated, tmp_path, monkeypatch):
    reports = copy(generated, tmp_path / "reports")
    target = tmp_path / "corpus.duckdb"
    insert, calls = store.insert, []

    def interrupted(connection, name, table):
        calls.append(name)
        if calls.count("outcomes") == 2:  # in the middle of the second group's transaction
            raise KeyboardInterrupt
        insert(connection, name, table)

    monkeypatch.setattr(store, "insert", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(reports, target, progress=False, group=2)
    monkeypatch.setattr(store, "insert", insert)
    kept = {p for (p,) in rows(target, "SELECT path FROM documents")}
    assert len(kept) == 2
    for name in store.ROW_TABLES:
        assert {p for (p,) in rows(target, f"SELECT DISTINCT path FROM {name}")} <= kept, name
    assert rows(target, "SELECT complete FROM builds") == [(False,)]
    again = build(reports, target, progress=False)
    assert (again.read, again.unchanged, again.complete) == (8, 2, True)
    build(reports, tmp_path / "fresh.duckdb", progress=False)
    assert dump(target) == dump(tmp_path / "fresh.duckdb")


def test_a_dask_cluster_gives_the_same_store_as_one_job(generated, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    build(generated, tmp_path / "one.duckdb", progress=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        stats = build(generated, tmp_path / "dask.duckdb", scheduler=cluster.scheduler_address, progress=False)
    assert stats.complete and stats.read == 10 and stats.cross_findings
    assert dump(tmp_path / "dask.duckdb") == dump(tmp_path / "one.duckdb")


def test_two_jobs_give_the_same_store_as_one(generated, tmp_path):
    build(generated, tmp_path / "one.duckdb", progress=False)
    build(generated, tmp_path / "two.duckdb", jobs=2, progress=False)
    assert dump(tmp_path / "two.duckdb") == dump(tmp_path / "one.duckdb")


def test_injected_errors_are_found_and_clean_reports_have_none(generated, tmp_path):
    injected = json.loads((generated / "injected.json").read_text(encoding="utf-8"))
    target = tmp_path / "corpus.duckdb"
    build(generated, target, progress=False)
    errors = dict(rows(target, "SELECT path, errors FROM documents"))
    assert injected and set(injected) < set(errors)
    assert {p for p, n in errors.items() if n} == set(injected)


def test_dossiers_find_the_injected_inconsistencies_citing_both_documents(generated, tmp_path):
    """预算 against 决算: exactly the finals whose 三公 预算数 was changed have an error, located in both documents;
    the clean pairs (budget-final, department-unit, year on year) have none."""
    crossed = json.loads((generated / "injected-cross.json").read_text(encoding="utf-8"))
    target = tmp_path / "corpus.duckdb"
    stats = build(generated, target, progress=False)
    assert stats.dossiers == 2 and crossed
    errors = rows(target, "SELECT relation, code, first_path, second_path, first_source, second_source, location "
                          "FROM cross_findings WHERE severity = 'error' ORDER BY second_path")
    assert [(e[0], e[1], e[3]) for e in errors] == [("budget_final", "FA-D001", p) for p in sorted(crossed) for _ in "ab"]
    for relation, code, first, second, first_source, second_source, location in errors:
        assert first == second.replace("final", "budget")
        assert first_source.startswith("表九 第") and second_source.startswith("表七 第")  # as the message cites them
    pairs = dict(rows(target, "SELECT relation, count(*) FROM (SELECT DISTINCT relation, first_path, second_path "
                              "FROM cross_findings) GROUP BY relation"))
    assert set(pairs) <= {"budget_final", "department_unit", "year_on_year"}
    assert rows(target, "SELECT dossier, documents, pairs, errors, problems FROM dossiers ORDER BY dossier") == [
        # 2 预算-决算, 2 部门-单位 (the budgets), 3 year on year (budgets, finals, unit budgets)
        ("示例区东城局", 6, 7, 2 * sum(p.startswith("d00000/") for p in crossed), None),
        ("示例区南城局", 4, 4, 2 * sum(p.startswith("d00001/") for p in crossed), None)]


def test_an_interrupted_dossier_pass_is_finished_by_the_next_build(generated, tmp_path, monkeypatch):
    """Ctrl-C while the cross-document findings are written: the documents stay, the dossiers stay marked,
    and the next build (nothing changed) audits them; a new version of the cross-document rules audits all."""
    from finaudit.corpus import build as building

    target = tmp_path / "corpus.duckdb"
    write = store.write_dossiers

    def interrupted(connection, keys, rows):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "write_dossiers", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(generated, target, progress=False)
    monkeypatch.setattr(store, "write_dossiers", write)
    assert rows(target, "SELECT count(*) FROM cross_findings") == [(0,)]
    again = build(generated, target, progress=False)
    assert (again.read, again.dossiers) == (0, 2)
    build(generated, tmp_path / "fresh.duckdb", progress=False)
    assert dump(target) == dump(tmp_path / "fresh.duckdb")
    assert build(generated, target, progress=False).dossiers == 0
    monkeypatch.setattr(building, "cross_ruleset", lambda: "another")
    assert build(generated, target, progress=False).dossiers == 2


def test_a_store_of_an_older_layout_is_built_again(generated, tmp_path):
    target = tmp_path / "corpus.duckdb"
    with duckdb.connect(str(target)) as connection:  # the first layout: no store_info
        connection.execute("CREATE TABLE documents (path VARCHAR, sha256 VARCHAR, mtime_ns BIGINT)")
        connection.execute("CREATE TABLE builds (started_at TIMESTAMP, root VARCHAR)")
        connection.execute("INSERT INTO documents VALUES ('x.txt', 'y', 0)")
    stats = build(generated, target, progress=False)
    assert (stats.read, stats.dossiers) == (10, 2)
    assert rows(target, "SELECT count(*) FROM documents WHERE path = 'x.txt'") == [(0,)]


@pytest.mark.parametrize("arguments, expect", [
    (["summary"], "cross-document findings (dossiers)"),
    (["query", "SELECT department, year, errors FROM documents ORDER BY department", "--format", "csv"],
     "\n柳江区人民政府办公室,2017,48\n"),
    (["query", "SELECT sum(amount) AS total FROM cells WHERE table_kind = 'three_public'", "--format", "json"],
     '"total": "'),
])
def test_cli_summary_and_query(bundled, capsys, arguments, expect):
    assert cli(["corpus", *arguments[:1], "--store", str(bundled), *arguments[1:]]) == 0
    assert expect in capsys.readouterr().out


@pytest.mark.parametrize("arguments", [["query", "SELECT nonsense"], ["query", "DELETE FROM documents"], ["summary"]])
def test_cli_errors_name_the_store(bundled, tmp_path, capsys, arguments):
    store_path = bundled if arguments[0] == "query" else tmp_path / "missing.duckdb"
    assert cli(["corpus", arguments[0], "--store", str(store_path), *arguments[1:]]) == 2
    assert str(store_path) in capsys.readouterr().err


def test_exports_parquet_and_a_fiscal_data_package(bundled, tmp_path):
    assert cli(["corpus", "export", "--store", str(bundled), "--parquet", str(tmp_path / "pq"),
                "--datapackage", str(tmp_path / "dp")]) == 0
    with duckdb.connect() as connection:
        cells = connection.execute(f"SELECT count(*) FROM '{tmp_path / 'pq' / 'cells.parquet'}'").fetchall()
    assert cells == rows(bundled, "SELECT count(*) FROM cells")
    package = json.loads((tmp_path / "dp" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "fiscal-data-package"
    names = [r["name"] for r in package["resources"]]
    assert names == ["documents", "cells", "findings", "claims", "outcomes", "spending"]
    for resource in package["resources"]:
        header = (tmp_path / "dp" / resource["path"]).read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
    spending = next(r for r in package["resources"] if r["name"] == "spending")
    types = {f["name"]: f.get("columnType") for f in spending["schema"]["fields"]}
    assert types["fiscal_year"] == "date:fiscal-year" and types["executed"] == "value"


def test_portfolio_rows_per_department_and_year(bundled):
    with duckdb.connect(str(bundled), read_only=True) as connection:
        frame, classes = portfolio(connection), class_spending(connection)
    liujiang = frame[frame.department == "柳江区人民政府办公室"].iloc[0]
    assert (liujiang.year, liujiang.documents, liujiang.errors) == (2017, 1, 48)
    report = finaudit.load(SAMPLES / "liujiang-govt-office-2017-final.txt")
    three = report.tables["three_public"]
    row = three.rows(key="total").index[0]
    assert (liujiang.three_public_budget, liujiang.three_public_actual) == (three.amount(row, "budget"),
                                                                             three.amount(row, "actual"))
    assert isinstance(liujiang.spending, Decimal)
    mine = classes[classes.department == "柳江区人民政府办公室"]
    assert len(mine) and all(len(code) == 3 for code in mine.code)


# -- the portfolio dashboard's logic (no browser) ---------------------------------------------------
def portfolio_rows() -> "pd.DataFrame":
    import pandas as pd

    rows = [("乙局", 2018, 3, Decimal("10.00"), Decimal("8.00"), "b/2018.txt"),
            ("甲局<script>", 2017, 0, Decimal("5.00"), None, "a/2017.txt"),
            ("乙局", 2017, 1, None, None, None)]
    frame = pd.DataFrame(rows, columns=["department", "year", "errors", "three_public_budget", "three_public_actual",
                                        "final_path"])
    frame["year"] = frame["year"].astype("Int32")
    for column, value in (("documents", 1), ("warnings", 2), ("notes", 0)):
        frame[column] = value
    for column in ("spending", "budgeted", "items_budget", "items_actual", "three_public_rate", "execution_rate",
                   "execution_basis"):
        frame[column] = None
    return frame


@pytest.mark.parametrize("filters, expect", [
    ({}, [("乙局", 2018), ("乙局", 2017), ("甲局<script>", 2017)]),
    ({"text": "乙"}, [("乙局", 2018), ("乙局", 2017)]),
    ({"year": 2017}, [("乙局", 2017), ("甲局<script>", 2017)]),
    ({"only_errors": True}, [("乙局", 2018), ("乙局", 2017)]),
    ({"sort": "three_public_actual"}, [("乙局", 2018), ("乙局", 2017), ("甲局<script>", 2017)]),  # missing last
    ({"sort": "department", "descending": False}, [("乙局", 2017), ("乙局", 2018), ("甲局<script>", 2017)]),
])
def test_portfolio_filters_and_sort(filters, expect):
    from finaudit.views.portfolio import select

    chosen = select(portfolio_rows(), **filters)
    assert list(zip(chosen["department"], chosen["year"])) == expect


@pytest.mark.parametrize("folder, department, file, links", [
    ("/data/reports/d1", "第3中学 &<x>", "/data/reports/d1/2018.txt",
     ["dossier.ipynb?folder=%2Fdata%2Freports%2Fd1&amp;department=%E7%AC%AC3%E4%B8%AD%E5%AD%A6+%26%3Cx%3E"]),
    ("/samples", "柳江区人民政府办公室", "/samples/liujiang.txt",
     ["dossier.ipynb?folder=%2Fsamples&amp;department=%E6%9F%B3%E6%B1%9F%E5%8C%BA%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"
      "%E5%8A%9E%E5%85%AC%E5%AE%A4", "dashboard.ipynb?report=liujiang.txt"]),
    ("/samples", "?", "/elsewhere/liujiang.txt", []),  # no department, and not the bundled file of that name
    (None, "乙局", None, []),
])
def test_portfolio_table_escapes_and_links(folder, department, file, links):
    """A row opens its department's dossier view (folder and name URL-encoded, then HTML-escaped) and, for a
    bundled report, the single-report dashboard; every text is escaped."""
    import re

    from finaudit.views.portfolio import table_html

    frame = portfolio_rows()
    frame["department"] = [department, "甲局<script>", "乙局"]
    frame["folder"], frame["report_file"] = [folder, None, None], [file, None, None]
    page = table_html(frame, "zh", state=7, samples={"liujiang.txt": Path("/samples/liujiang.txt")})
    assert "<script>" not in page and "甲局&lt;script&gt;" in page and 'data-state="7"' in page
    assert "10.00" in page and "8.00" in page
    first = page.split("<tbody><tr>")[1].split("</tr>")[0]
    assert re.findall(r'href="([^"]+)"', first) == links


def test_portfolio_chart_frames_and_board_refresh():
    from finaudit.views.portfolio import PortfolioBoard, PortfolioData, by_year

    import pandas as pd

    classes = pd.DataFrame([("乙局", 2018, "201", "一般公共服务支出", Decimal("3.00")),
                            ("甲局<script>", 2017, "201", "一般公共服务支出", Decimal("2.00"))],
                           columns=["department", "year", "code", "label", "amount"])
    data = PortfolioData(Path("x.duckdb"), portfolio_rows(), classes)
    years = by_year(data.rows, [2017, 2018])
    assert years.to_dict("list") == {"year": [2017, 2018], "errors": [1, 3], "warnings": [4, 2], "notes": [0, 0],
                                     "budget": [5.0, 10.0], "actual": [0.0, 8.0]}
    board = PortfolioBoard(data)
    assert board.figures[2]["data"][0]["x"] == [5.0]
    board.search.value = "乙"
    assert board.figures[2]["data"][0]["x"] == [3.0] and board.state == 1
    assert "(2)" in board.figures[0]["layout"]["title"]["text"]
    shown = board.charts[0].outputs[0]["data"]["application/vnd.plotly.v1+json"]
    assert shown is board.figures[0] and shown["config"]["responsive"]
    board.lang_toggle.value = "en"
    assert board.figures[0]["layout"]["title"]["text"].startswith("Findings by year") and "Errors" in board.table.value
    assert [t["name"] for t in board.figures[0]["data"]] == ["Errors", "Warnings", "Notes"]
    assert [f["layout"]["xaxis"].get("type") for f in board.figures] == ["category", "category", None]
    import plotly.graph_objects as go

    for spec in board.figures:  # valid plotly figures (the board skips plotly's validation)
        go.Figure({"data": spec["data"], "layout": spec["layout"]})


@pytest.mark.parametrize("query, allowed, accepted", [
    ("store={store}", None, False),  # no folder of stores named: the bundled reports' store only
    ("store={store}", "{home}", True),
    ("store={store}", "{elsewhere}", False),
    ("store={text}", None, False),
    ("store=/nonexistent.duckdb", None, False),
    ("", None, False),
])
def test_requested_store_accepts_only_existing_stores(bundled, tmp_path, monkeypatch, query, allowed, accepted):
    from finaudit.views import portfolio

    monkeypatch.setattr(portfolio, "sample_store", lambda: Path("sample.duckdb"))
    text = tmp_path / "notes.txt"
    text.write_text("x", encoding="utf-8")
    monkeypatch.delenv("FINAUDIT_STORES", raising=False)
    if allowed:
        monkeypatch.setenv("FINAUDIT_STORES", allowed.format(elsewhere=tmp_path, home=bundled.parent))
    chosen = portfolio.requested_store(query.format(store=bundled, text=text))
    assert chosen == (bundled if accepted else Path("sample.duckdb"))


@pytest.mark.parametrize("kind, scope, unit_name, expect", [
    ("final", None, None, ("final", None, None)),
    ("budget", "department", "某单位", ("budget", "department", None)),
    ("budget", "unit", "某单位", ("budget", "unit", "某单位")),
])
def test_document_columns_come_from_report_meta(kind, scope, unit_name, expect):
    """kind, scope and unit are filled from Report.meta where the loader states them (budget documents)."""
    from finaudit.corpus.build import _describe
    from finaudit.synthetic import generate

    report = generate(1)
    report.meta.kind = kind
    if scope:
        report.meta.scope, report.meta.unit_name = scope, unit_name
    described = _describe(report, audit(report))
    assert (described["kind"], described["scope"], described["unit"]) == expect
    assert described["template"] == "1,2,3,4,5,6,7,8" and described["department"] == report.meta.department_name


def test_a_unit_document_naming_no_department_is_stored_under_its_unit():
    """A 单位 document that names no department (the commerce 单位预算) is stored under its unit's name, the
    department the dossier and the dashboard's header give it, never blank."""
    from finaudit.corpus.build import _describe
    from finaudit.dossier import department_key
    from finaudit.synthetic import generate

    report = generate(1)
    report.meta.department, report.meta.scope, report.meta.unit_name = None, "unit", "某区商务委员会"
    described = _describe(report, audit(report))
    assert (described["department"], described["unit"]) == ("某区商务委员会", "某区商务委员会")
    assert described["dossier"] == department_key(report)


def test_cross_findings_are_those_of_the_folders_dossier(generated, tmp_path):
    """The store holds exactly what ``finaudit.dossier`` finds on the same folder (every pair, every finding)."""
    from finaudit.dossier import dossier

    target = tmp_path / "corpus.duckdb"
    build(generated, target, progress=False)
    relative = lambda source: Path(source).relative_to(generated).as_posix()  # noqa: E731
    expected = sorted((c.relation, c.code, c.key, relative(c.pair_sources[0]), relative(c.pair_sources[1]))
                      for c in dossier(generated).cross())
    assert expected and rows(target, "SELECT relation, code, key, first_path, second_path FROM cross_findings "
                                     "ORDER BY ALL") == expected


def test_the_dossier_link_opens_the_departments_dossier_view(bundled, putuo, monkeypatch):
    """The portfolio's link, read as the dossier view reads its query string, names the bundled reports' folder
    and preselects the row's department (the commerce 单位预算 is grouped under its department)."""
    from urllib.parse import urlsplit

    from finaudit.dossier import department_key
    from finaudit.views import dossier_panel
    from finaudit.views.portfolio import PortfolioData, dossier_link

    from finaudit.read.templates import normalise

    monkeypatch.setenv("FINAUDIT_FOLDERS", str(putuo))
    data = PortfolioData.open(bundled)
    assert "?" not in set(data.rows["department"])
    keys = {department_key(r) for r in dossier_panel.load_dossier(putuo).reports}
    for row in data.rows.itertuples():
        request = dossier_panel.requested(urlsplit(dossier_link(row.folder, row.department)).query)
        assert request.refused is None and request.folder == putuo.resolve()
        assert request.department == row.department and normalise(row.department) in keys


BUILD_AT_ONCE = """
import sys, time
from finaudit.views import portfolio
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))  # all start together, as preheated kernels do
store = portfolio.sample_store()
print(len(portfolio.PortfolioData.open(store).rows))
"""


def test_kernels_starting_together_build_the_sample_store_once(tmp_path):
    """Every preheated portfolio kernel asks for the bundled reports' store when the server starts; DuckDB lets
    one process write a file while no other has it open, so all but one used to fail ("Conflicting lock is
    held") and the first page showed six server errors. Four at once on an empty cache: all get the store."""
    pytest.importorskip("ipywidgets")
    import subprocess
    import sys
    import time

    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(SAMPLES / "liujiang-govt-office-2017-final.txt", samples)
    env = {**os.environ, "PYTHONPATH": str(SAMPLES.parent), "FINAUDIT_CACHE": str(tmp_path / "cache"),
           "FINAUDIT_SAMPLES": str(samples)}
    start = time.time() + 8
    processes = [subprocess.Popen([sys.executable, "-c", BUILD_AT_ONCE, str(start)], env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    outcomes = [process.communicate(timeout=300) + (process.returncode,) for process in processes]
    assert all(code == 0 for _, _, code in outcomes), [err[-600:] for _, err, _ in outcomes]
    assert {out.strip() for out, _, _ in outcomes} == {"1"}


# -- documents in two files ---------------------------------------------------------------------------------
def test_a_document_in_two_files_is_one_document_of_the_corpus(tmp_path):
    """The seed as its 情况说明 file and its 报表 file, beside a whole report: the pair is one document ("情况说明 +
    报表", with the seed's cells and findings), its files are its parts (no rows of their own, not unreadable), and
    its dossier holds it once. A build with nothing changed reads nothing; a changed half reads the pair again; a
    half whose other file is gone is a document alone again."""
    folder = tmp_path / "reports"
    folder.mkdir()
    lines = (SAMPLES / "liujiang-govt-office-2017-final.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("第二部分"))
    end = next(i for i, line in enumerate(lines) if line.startswith("第三部分"))
    (folder / "a-情况说明.txt").write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    (folder / "b-报表.txt").write_text("".join(lines[start:end]), encoding="utf-8")
    shutil.copy(SAMPLES / "shanghai-putuo-finance-bureau-2024-final.pdf", folder)
    target = tmp_path / "corpus.duckdb"
    pair = "a-情况说明.txt + b-报表.txt"

    stats = build(folder, target, progress=False)
    assert stats.complete and stats.read == 4 and stats.unreadable == 0
    documents = dict(rows(target, "SELECT path, status FROM documents"))
    assert documents == {pair: "ok", "a-情况说明.txt": "part", "b-报表.txt": "part",
                         "shanghai-putuo-finance-bureau-2024-final.pdf": "ok"}
    whole = audit(finaudit.load(SAMPLES / "liujiang-govt-office-2017-final.txt"))
    assert sorted(k for (k,) in rows(target, f"SELECT key FROM findings WHERE path = '{pair}'")) == sorted(
        f.key for f in whole.findings)
    assert rows(target, "SELECT count(*) FROM findings WHERE path IN ('a-情况说明.txt', 'b-报表.txt')") == [(0,)]
    assert rows(target, f"SELECT documents FROM dossiers WHERE dossier = "
                        f"(SELECT dossier FROM documents WHERE path = '{pair}')") == [(1,)]
    with duckdb.connect(str(target), read_only=True) as connection:
        liujiang = portfolio(connection).query("department == '柳江区人民政府办公室'").iloc[0]
    assert (liujiang.year, liujiang.documents, liujiang.errors) == (2017, 1, 48)

    again = build(folder, target, progress=False)
    assert (again.read, again.unchanged, again.removed) == (0, 3, 0)

    (folder / "b-报表.txt").write_text("".join(lines[start:end]) + "\n", encoding="utf-8")
    changed = build(folder, target, progress=False)
    assert changed.read == 3 and dict(rows(target, "SELECT path, status FROM documents"))[pair] == "ok"

    (folder / "a-情况说明.txt").unlink()
    alone = build(folder, target, progress=False)
    assert dict(rows(target, "SELECT path, status FROM documents")) == {
        "b-报表.txt": "ok", "shanghai-putuo-finance-bureau-2024-final.pdf": "ok"}
    assert alone.removed == 2  # the 情况说明 file and the pair


def test_rows_are_made_by_column_name():
    """A row is appended by naming every column of its table: a missing or an unknown name is an error, not a
    row shifted against the schema."""
    columns = store.empty_rows()["outcomes"]
    store.append(columns, path="a.txt", code="FA-T001", status="pass", reason=None, findings=0)
    assert columns["code"] == ["FA-T001"] and columns["findings"] == [0]
    with pytest.raises(KeyError, match="reason"):
        store.append(columns, path="a.txt", code="FA-T001", status="pass", findings=0)
    with pytest.raises(KeyError, match="note"):
        store.append(columns, path="a.txt", code="FA-T001", status="pass", reason=None, findings=0, note="x")
