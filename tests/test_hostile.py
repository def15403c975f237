"""Hostile input and a crowd (issue 17): every probe is rebuilt here by a small generator, and each ends
within its limit with a clear message.

1. cost bound per document (finaudit.read.limits)   5. oversized numbers and parser surprises
2. dashboard server (finaudit.views.server), publish  6. markup in chart labels, glossary, text named .pdf
3. no formulas in xlsx / csv                          7. Host and Origin allow-list
4. the upload limit holds (browser-side refusal, websocket limit above it)
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections import deque
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

import finaudit
from finaudit import ReportFormatError
from finaudit.read import limits
from finaudit.read.limits import Limits, load_bounded

TEXT = SAMPLE.read_text(encoding="utf-8")


# -- probe generators ------------------------------------------------------------------------------
def glyph_pdf(pages: int = 40, glyphs: int = 100_000) -> bytes:
    """A PDF of `pages` pages that all share one compressed content stream of `glyphs` characters
    (a few KB that once cost a minute and gigabytes)."""
    rows = glyphs // 100
    line = f"({'A' * 100}) Tj "
    body = "".join(f"1 0 0 1 20 {20 + (r % 150) * 5} Tm {line}" for r in range(rows))
    content = zlib.compress(f"BT /F1 4 Tf {body}ET".encode(), 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>stream\n" % len(content) + content + b"\nendstream",
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources << /Font << /F1 3 0 R >> >>"
         b" /Contents 4 0 R >>"] * pages
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body_bytes in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body_bytes + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def long_text(size: int = 4_000_000, part: str = "第三部分") -> str:
    """The sample with `size` bytes of short paragraphs after the heading of `part` (第三部分 narrative:
    sentences; 第四部分 glossary: continuation lines of its first term)."""
    lines = TEXT.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(part)) + 1
    at += 2 if part == "第四部分" else 0  # after the blank line and the first term
    paragraph = "本部门严格执行预算，加强财务管理，提高资金使用效益" * 4 + ("。" if part == "第三部分" else "")
    return "\n".join(lines[:at] + [paragraph] * (size // len(paragraph.encode())) + lines[at:])


def with_cell(old: str, new: str) -> str:
    assert old in TEXT
    return TEXT.replace(old, new, 1)


@pytest.fixture
def write(tmp_path):
    def write(name: str, data: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path
    return write


def timed(call):
    start = time.perf_counter()
    try:
        return call(), time.perf_counter() - start
    except ReportFormatError as error:
        return error, time.perf_counter() - start


# -- 1. a cost bound per document ------------------------------------------------------------------
@pytest.mark.parametrize("name, pdf, limit, seconds", [
    ("glyphs_per_page", glyph_pdf(40, 100_000), Limits(), 10),
    ("pages", glyph_pdf(12, 100), Limits(pages=10), 10),
    ("glyphs", glyph_pdf(30, 5_000), Limits(glyphs=100_000), 10),
])
def test_pdf_probes_end_within_their_limit(write, name, pdf, limit, seconds):
    path = write("probe.pdf", pdf)
    error, took = timed(lambda: load_bounded(path, limit))
    assert isinstance(error, ReportFormatError), error
    assert f"the {name} limit" in str(error) and str(path) in str(error) and f"FINAUDIT_LIMIT_{name.upper()}" in str(error)
    assert took < seconds


def hog(kind: str):
    """A reader that costs what a hostile file costs: memory, or time."""
    def read(path):
        if kind == "memory":
            return bytearray(600 * 2**20)
        time.sleep(60)
    return read


@pytest.mark.parametrize("name, limit, reader", [
    ("text_mb", Limits(text_mb=0.01), None),
    ("seconds", Limits(seconds=0.01, inline_kb=0), None),
    ("seconds", Limits(seconds=1, inline_kb=0), hog("time")),
    ("memory_mb", Limits(memory_mb=200, inline_kb=0), hog("memory")),
])
def test_text_probes_end_within_their_limit(monkeypatch, name, limit, reader):
    import finaudit.read as read

    if reader:
        monkeypatch.setattr(read, "load", reader)
    error, took = timed(lambda: load_bounded(SAMPLE, limit))
    assert isinstance(error, ReportFormatError), error
    assert f"the {name} limit" in str(error)
    assert took < 10


def test_the_caller_keeps_its_memory_and_state(monkeypatch):
    """The cost of a refused read is paid in the worker: the caller's memory does not grow, no worker is
    left behind, and the next read works."""
    import finaudit.read as read

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with monkeypatch.context() as patch:
        patch.setattr(read, "load", hog("memory"))
        with pytest.raises(ReportFormatError, match="memory_mb limit"):
            load_bounded(SAMPLE, Limits(memory_mb=300, inline_kb=0))
        patch.setattr(read, "load", hog("time"))
        with pytest.raises(ReportFormatError, match="seconds limit"):
            load_bounded(SAMPLE, Limits(seconds=0.5, inline_kb=0))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    assert finaudit.load(SAMPLE).meta.year == 2017


def test_small_text_reports_are_read_in_process(monkeypatch, write):
    """A fork costs more than reading a real text report; up to inline_kb the read is in-process."""
    from finaudit.read.limits import _small_text

    assert _small_text(SAMPLE, Limits()) and not _small_text(SAMPLE, Limits(inline_kb=1))
    assert not _small_text(write("p.pdf", glyph_pdf(1, 10)), Limits()) and not _small_text(SAMPLE.parent, Limits())
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked for a small text"))
    assert load_bounded(SAMPLE).meta.year == 2017


def test_long_narrative_and_glossary_read_in_linear_time(write):
    """4 MB of short narrative paragraphs, or glossary continuation lines, read (and the claims parsed)
    in seconds; the quadratic joins took a minute."""
    from finaudit.read.claims import claims

    for part in ("第三部分", "第四部分"):
        path = write("long.txt", long_text(4_000_000, part))
        report, took = timed(lambda: finaudit.load(path))
        assert not isinstance(report, ReportFormatError) and took < 10, (part, took)
        start = time.perf_counter()
        claims(report)
        assert time.perf_counter() - start < 20
    assert len(report.glossary[next(iter(report.glossary))].text) > 1_000_000


def test_limits_from_environment_and_command_line(write):
    assert Limits.from_env({"FINAUDIT_LIMIT_PAGES": "3", "FINAUDIT_LIMIT_SECONDS": "2.5"}) == Limits(pages=3, seconds=2.5)
    with pytest.raises(ValueError, match="unknown limit 'pagez'"):
        Limits().with_settings({"pagez": "1"})
    with pytest.raises(ValueError):
        Limits(pages=-1)
    path = write("three.pdf", glyph_pdf(3, 100))
    run = subprocess.run([sys.executable, "-m", "finaudit.cli", "--limit", "pages=2", "check", str(path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 2 and "the pages limit (2" in run.stderr and "Traceback" not in run.stderr
    try:
        limits.configure(Limits(pages=2))
        with pytest.raises(ReportFormatError, match="pages limit"):
            finaudit.load(path)
    finally:
        limits.configure(None)


# -- 5. oversized numbers and other parser surprises -----------------------------------------------
def test_a_4301_digit_cell_is_a_format_error_and_batch_lists_it(write, tmp_path):
    huge = write("huge.txt", with_cell("\t1480.66\n", "\t" + "9" * 4301 + "\n"))
    write("ok.txt", TEXT)
    with pytest.raises(ReportFormatError, match=r"line \d+: expected amounts of at most 15 digits; found 'a number of 4301"):
        finaudit.load(huge)
    run = subprocess.run([sys.executable, "-m", "finaudit.cli", "check", str(tmp_path)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 2, run.stderr
    assert f"{huge}: {huge}, line" in run.stdout and "2 reports, 1 unreadable" in run.stdout


@pytest.mark.parametrize("text, problem", [("9" * 16, "too-large"), ("999,999,999,999,999", None),
                                           ("1" * 4301 + ".5", "too-large")])
def test_amount_digits(text, problem):
    from finaudit.read.tables import parse_amount

    assert parse_amount(text)[1] == problem


def test_any_parser_surprise_is_a_format_error(monkeypatch):
    import finaudit.read as read

    monkeypatch.setattr(read, "load", lambda path: {}["no such key"])
    for limit in (Limits(inline_kb=0), Limits()):  # in a worker and in-process
        with pytest.raises(ReportFormatError, match="a readable report; found .KeyError"):
            load_bounded(SAMPLE, limit)


# -- 3. no formulas in spreadsheets ----------------------------------------------------------------
FORMULAS = ["=1+2", '=HYPERLINK("http://evil.example","x")', "@SUM(A1)", "+1+2", "-1+2", "\t=1", "\r=1"]
LABELS = FORMULAS[:3]  # the text layout reads these as row labels


@pytest.fixture(scope="module")
def formula_report(tmp_path_factory):
    text = TEXT
    for old, label in zip(["一、财政拨款", "二、事业收入", "三、事业单位经营收入"], LABELS):  # labels of 表一 rows
        text = text.replace(f"\t{old}\n", f"\t{label}\n", 1)
    path = tmp_path_factory.mktemp("formula") / "formula.txt"
    path.write_text(text, encoding="utf-8")
    report = finaudit.load(path)
    assert {row["label"] for row in report.tables["summary"].records()} >= set(LABELS)
    return report


def test_no_xlsx_cell_is_a_formula(formula_report, tmp_path):
    import zipfile

    from openpyxl import load_workbook

    from finaudit.audit import audit
    from finaudit.export.workpaper import write_workpaper
    from finaudit.export.xlsx import write_tables_xlsx

    formula_report.meta.department, formula_report.meta.unit = FORMULAS[3], FORMULAS[4]
    write_tables_xlsx(formula_report, tmp_path / "tables.xlsx")
    write_workpaper(formula_report, audit(formula_report), tmp_path / "paper.xlsx", "xlsx")
    for name in ("tables.xlsx", "paper.xlsx"):
        with zipfile.ZipFile(tmp_path / name) as archive:
            assert not any("<f>" in archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets"))
        texts = {c.value for sheet in load_workbook(tmp_path / name) for row in sheet.iter_rows() for c in row
                 if isinstance(c.value, str)}
        assert set(LABELS) <= texts and FORMULAS[4] in texts, name


@pytest.mark.parametrize("label", [*FORMULAS, "'quoted", "''=x", "plain", ""])
def test_package_csv_cells_are_inert_and_round_trip(label):
    from finaudit.read.package import _uncell, csv_cell

    written = csv_cell(label)
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert _uncell(written) == label


def test_package_round_trip_keeps_formula_like_labels(formula_report, tmp_path):
    from finaudit.read.package import _file_name, read_package, write_package

    write_package(formula_report, tmp_path / "package")
    csv_text = (tmp_path / "package" / _file_name(formula_report.tables["summary"])).read_text(encoding="utf-8")
    assert "'=1+2" in csv_text and "\n=1+2" not in csv_text and ",=1+2" not in csv_text
    again = read_package(tmp_path / "package")
    assert again.tables["summary"].data["label"].tolist() == formula_report.tables["summary"].data["label"].tolist()


# -- 6. markup in chart labels, glossary, a text file named .pdf -----------------------------------
MARKUP = '<a href="http://evil.example" target="_blank">点我</a><span style="font-size:80px">大</span>'


def test_chart_labels_show_markup_as_text(sample):
    import pandas as pd

    from finaudit.views import charts

    tree = charts.spending_tree(sample)
    tree.loc[tree.index[1], "name"] = MARKUP
    figures = [charts.treemap_figure(tree, unit="<b>万元</b>")]
    items = pd.DataFrame({"item": [MARKUP], "budget_f": [1.0], "actual_f": [2.0], "rate_f": [200.0],
                          "stated_rate_f": [None], "flagged": [True]})
    figures.append(charts.budget_actual_figure(items))
    for figure in figures:
        dumped = figure.to_json()
        assert "<a href" not in dumped and "<span" not in dumped and "<b>" not in dumped
        assert "&lt;a href=\\\"http://evil.example\\\"" in dumped or "&lt;a href=" in dumped


@pytest.mark.parametrize("terms", [{"lt": "x"}, {"quot": "y"}, {"amp": "z", "gt": "w"}])
def test_glossary_terms_cannot_break_entities(terms):
    pytest.importorskip("ipywidgets")
    from finaudit.views.markup import glossify

    out = glossify('<img src=x onerror=alert(1)> "lt" & quot', terms)
    assert "<img" not in out and "&lt;img" in out and "&amp;" in out
    assert out.count('class="fau-term"') == (0 if "amp" in terms else 1)


@pytest.mark.parametrize("data, found", [
    (TEXT.encode("utf-8"), "a text file beginning '第一部分"),
    (TEXT.encode("gb18030"), "a text file beginning '第一部分"),
    (b"GIF89a\x00\x01\x02\xff", "binary data that is not a PDF"),
    (b"", "an empty file"),
])
def test_a_file_named_pdf_that_is_not_one(write, data, found):
    with pytest.raises(ReportFormatError) as info:
        finaudit.load(write("report.pdf", data))
    assert "a PDF file (one that starts with %PDF-)" in str(info.value) and found in str(info.value)
    assert "\\x" not in str(info.value)


# -- 4. the upload limit ---------------------------------------------------------------------------
def test_upload_limit_holds():
    pytest.importorskip("anywidget")
    from finaudit.views import dashboard as widgets

    settings = json.loads((ROOT / "voila.json").read_text())["Voila"]["tornado_settings"]
    assert settings["websocket_max_message_size"] >= widgets.MAX_UPLOAD_BYTES * 1.2  # the message, not a close
    picker = widgets.ReportPicker(widgets.DEFAULT_REPORT, lambda loaded: None)
    assert picker.guard.limit == widgets.MAX_UPLOAD_BYTES and picker.guard in picker.widget.children
    picker.guard.refused = json.dumps({"name": "<b>big</b>.pdf", "size": 25 * 2**20, "at": 1})
    assert "文件过大" in picker.message.value and "25.0 MB" in picker.message.value and "<b>" not in picker.message.value
    with pytest.raises(ReportFormatError, match="25.0 MB"):
        picker.load_upload("big.txt", b"x" * (25 * 2**20))


GUARD_PAGE = """<script type="module">
const model = {values: {limit: 20 * 2 ** 20, refused: ""}, saved: 0,
               get(k) { return this.values[k]; }, set(k, v) { this.values[k] = v; }, save_changes() { this.saved++; }};
const guard = await import("data:text/javascript," + encodeURIComponent(ESM));
guard.default.render({model, el: document.body});
function read(size) {  // what ipywidgets' FileUpload does with a chosen file
  return new Promise((resolve) => { const reader = new FileReader();
    reader.onload = () => resolve("read " + reader.result.byteLength); reader.onabort = () => resolve("aborted");
    reader.readAsArrayBuffer(new File([new Uint8Array(size)], "x.pdf")); });
}
window.result = [await read(25 * 2 ** 20), await read(1024), JSON.parse(model.values.refused).size, model.saved];
</script>"""


def test_the_browser_refuses_a_25_mb_upload_before_sending_it():
    """The guard's script in chromium: a 25 MB file is aborted (FileUpload sends nothing) and reported to
    Python; a small file is read as before."""
    pytest.importorskip("anywidget")
    sync_api = pytest.importorskip("playwright.sync_api")
    import shutil

    from finaudit.views.upload_guard import _ESM

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        pytest.skip("no chromium")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_content(GUARD_PAGE.replace("ESM", json.dumps(_ESM)))
        page.wait_for_function("window.result !== undefined", timeout=30_000)
        assert page.evaluate("window.result") == ["aborted", "read 1024", 25 * 2**20, 1]
        browser.close()


# -- 2b. publish -----------------------------------------------------------------------------------
def test_publish_writes_an_offline_dashboard(tmp_path, write):
    markup = write("markup.txt", TEXT.replace("\t政府办公厅（室）及相关机构事务\n", f"\t{MARKUP}\n"))  # a 款 label
    huge = write("huge.txt", with_cell("\t1480.66\n", "\t" + "9" * 4301 + "\n"))
    run = subprocess.run([sys.executable, "-m", "finaudit.cli", "publish", str(markup), str(huge), "--to",
                          str(tmp_path / "site")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 2 and "4301 digits" in run.stderr
    site = tmp_path / "site"
    assert (site / "plotly.min.js").stat().st_size > 1_000_000
    page = (site / "markup.html").read_text(encoding="utf-8")
    assert "<script charset='utf-8' src='plotly.min.js'></script>" in page and "cdn" not in page.lower()
    assert page.count("Plotly.newPlot") == 4 and MARKUP not in page and "&lt;a href=" in page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "href='markup.html'" in index and "4301 digits" in index


# -- 2a and 7. the dashboard server ---------------------------------------------------------------
def test_host_and_origin_allow_list_and_busy_page():
    """The routing of finaudit.views.server without a running server: foreign Host or Origin → 403;
    a page when the sessions are at their cap → the busy page."""
    pytest.importorskip("voila")
    from tornado.httputil import HTTPHeaders, HTTPServerRequest

    from finaudit.views import server

    class Stub(server.Server):
        allowed_hosts, max_sessions, max_starting, starting_seconds, live = ["127.0.0.1", "localhost"], 3, 2, 20, 0
        admitted: deque = deque()
        admit = server.Server.admit

        def sessions(self):
            return self.live

    stub = Stub.__new__(Stub)
    app = server.GuardedApplication(stub, [(r"/", server._Counted, {}), (r"/static", server.Refused)])

    def handler(host, origin=None, path="/"):
        headers = HTTPHeaders({"Host": host, **({"Origin": origin} if origin else {})})
        return app.find_handler(HTTPServerRequest(method="GET", uri=path, headers=headers)).handler_class

    assert handler("127.0.0.1:8866") is server._Counted and handler("LOCALHOST") is server._Counted
    for host, origin in [("evil.example", None), ("evil.example:8866", None), ("127.0.0.1.evil.example", None),
                         ("10.0.0.1", None), ("127.0.0.1:8866", "http://evil.example"), ("[::1]:8866", None)]:
        assert handler(host, origin) is server.Refused, (host, origin)
    stub.admitted.clear()
    assert [handler("127.0.0.1") for _ in range(3)] == [server._Counted, server._Counted, server.Busy]  # 2 starting
    stub.admitted.clear()
    stub.live = 3
    assert handler("127.0.0.1") is server.Busy  # 3 sessions
    stub.live, stub.admitted = 0, deque([time.monotonic() - 30] * 2)
    assert handler("127.0.0.1") is server._Counted  # the starting window has passed
    assert server.host_name("[::1]:80") == "::1" and server.host_name("a.b:1") == "a.b"
    assert 2 <= server.machine_pool_size() <= 8 and server.machine_sessions() >= 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, host: str | None = None, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={**({"Host": host} if host else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_running_server_refuses_foreign_hosts_and_shows_the_busy_page(tmp_path):
    """`python -m finaudit.views.server` as `make run` starts it (no preheat and a cap of 0 sessions here,
    so no kernel starts): page and websocket refuse a foreign Host; the page is the busy page."""
    pytest.importorskip("voila")
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "finaudit.views.server", "notebooks/dashboard.ipynb", "--no-browser", f"--port={port}",
         "--VoilaConfiguration.preheat_kernel=False", "--Server.max_sessions=0"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/voila/static/voila.js", timeout=1)
                break
            except Exception:
                assert process.poll() is None, (tmp_path / "server.log").read_text()
                time.sleep(0.5)
        assert fetch(f"{base}/voila/static/voila.js")[0] == 200
        assert fetch(f"{base}/voila/static/voila.js", host=f"localhost:{port}")[0] == 200
        for path in ("/", "/voila/static/voila.js", "/api/kernels/00000000-0000-0000-0000-000000000000/channels"):
            assert fetch(base + path, host="evil.example")[0] == 403, path
            assert fetch(base + path, headers={"Origin": "http://evil.example"})[0] == 403, path
        status, body = fetch(base + "/")
        assert status == 503 and "Busy — retry in a moment" in body and "忙碌中" in body
        assert "Kernel started" not in (tmp_path / "server.log").read_text()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_voila_settings_for_a_crowd():
    config = json.loads((ROOT / "voila.json").read_text())
    culling = config["MappingKernelManager"]
    assert culling["cull_busy"] and not culling["cull_connected"]
    assert culling["cull_idle_timeout"] + culling["cull_interval"] <= 60  # a closed page's kernel goes within a minute
    executor = config["VoilaExecutor"]
    assert executor["iopub_timeout"] >= 30 and executor["startup_timeout"] >= 120  # queued pages render late, not never
    assert config["Voila"]["tornado_settings"]["allow_remote_access"] is False
    assert "finaudit.views.server" in (ROOT / "Makefile").read_text()
