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


def form_bomb(depth: int = 7, fanout: int = 8) -> bytes:
    """A PDF of 3 KB whose page draws a form that draws the next one `fanout` times, `depth` deep, down to a
    line: 8**7 = 2 million painted paths to read, gigabytes (issue 27: a 2.4 KB file cost 2.68 GB)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b""]
    for level in range(depth + 1):
        content = (b" ".join(b"q 1 0 0 1 %d 0 cm /X Do Q" % i for i in range(fanout)) if level else b"0 0 m 10 10 l S")
        resources = b" /Resources << /XObject << /X %d 0 R >> >>" % (3 + level) if level else b""
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800]%s /Length %d >>stream\n%s\nendstream"
                       % (resources, len(content), content))
    objects[2] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources << /XObject << /X %d 0 R >> >>"
                  b" /Contents %d 0 R >>" % (4 + depth, len(objects) + 1))
    objects.append(b"<< /Length 5 >>stream\n/X Do\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
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
def guarded(notebook_path: str | None = None, **settings):
    """finaudit.views.server's routing without a running server: a Server stub (sessions set by hand, the
    clock of admission by ``at``) and its guarded application with Voila's routes for a folder (the
    notebooks of the repository) or for one notebook; returns (stub, handler(host, origin, path, client))."""
    pytest.importorskip("voila")
    from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

    from finaudit.views import server

    class Stub(server.Server):
        allowed_hosts, dashboards = ["127.0.0.1", "localhost"], list(server.DASHBOARDS)
        max_sessions, max_starting, per_client, starting_seconds, live = 3, 2, 1, 20.0, 0
        base_url, root_dir = "/", str(ROOT / "notebooks")
        admitted: deque = deque()
        refused: dict = {}
        admit, starts_kernel, client = server.Server.admit, server.Server.starts_kernel, server.Server.client

        def sessions(self):
            return self.live

    for name, value in settings.items():
        setattr(Stub, name, value)
    stub = Stub.__new__(Stub)
    stub.notebook_path = notebook_path
    stub.admitted, stub.refused = deque(), {}
    route = r"/(.*)" if notebook_path else r"/voila/render/(.*)"
    app = server.GuardedApplication(stub, [(route, server._Counted, {}), (r"/voila/static/(.*)", server.Refused)])

    def handler(host="127.0.0.1:8866", origin=None, path="/voila/render/dashboard.ipynb", client=None):
        headers = HTTPHeaders({"Host": host, **({"Origin": origin} if origin else {}),
                               **({"Cookie": f"{server.CLIENT_COOKIE}={client}"} if client else {})})
        request = HTTPServerRequest(start_line=RequestStartLine("GET", path, "HTTP/1.1"), headers=headers)
        request.remote_ip = "127.0.0.1"
        delegate = app.find_handler(request)
        return delegate.handler_class, getattr(delegate, "handler_kwargs", {})

    return stub, handler


def test_host_and_origin_allow_list():
    from finaudit.views import server

    _, handler = guarded(per_client=10, max_starting=10)
    assert handler("127.0.0.1:8866")[0] is server._Counted and handler("LOCALHOST")[0] is server._Counted
    for host, origin in [("evil.example", None), ("evil.example:8866", None), ("127.0.0.1.evil.example", None),
                         ("10.0.0.1", None), ("127.0.0.1:8866", "http://evil.example"), ("[::1]:8866", None)]:
        assert handler(host, origin)[0] is server.Refused, (host, origin)
    assert server.host_name("[::1]:80") == "::1" and server.host_name("a.b:1") == "a.b"
    assert 2 <= server.machine_pool_size() <= 8 and server.machine_sessions() >= 1


@pytest.mark.parametrize("notebook, path, starts", [
    (None, "/voila/render/dashboard.ipynb", True),
    (None, "/voila/render/dossier.ipynb", True),
    (None, "/voila/render/portfolio.ipynb", True),
    (None, "/voila/render/%64ashboard.ipynb", True),
    (None, "/voila/render/audit_workbook.ipynb", False),  # it writes files: not served by `make run`
    (None, "/voila/render/missing.ipynb", False),
    (None, "/voila/render/../voila.json", False),
    ("dashboard.ipynb", "/", True),
    ("dashboard.ipynb", "/x", False),  # a probe's GET: once it started a kernel and took an admission slot
    ("dashboard.ipynb", "/voila/render/dossier.ipynb", False),
])
def test_only_a_dashboard_page_starts_a_kernel_and_counts(notebook, path, starts):
    from finaudit.views import server

    stub, handler = guarded(notebook)
    kind, _ = handler(path=path)
    assert (kind is server._Counted) == starts and (kind is tornado_error_handler()) != starts
    assert len(stub.admitted) == starts


def tornado_error_handler():
    import tornado.web

    return tornado.web.ErrorHandler


def test_a_probe_asking_every_second_does_not_keep_a_visitor_out(monkeypatch):
    """A script without cookies asks for a dashboard page once a second for two minutes; a visitor (its own
    client cookie, as the landing or the busy page gives it) asks every 15 s, as the busy page retries. The
    probe takes what nobody else wants, then only its share while the visitor waits; the visitor gets in on
    its first or second try (issue 27: a curl loop kept a visitor on the busy page for 150 s)."""
    from finaudit.views import server

    stub, handler = guarded()
    clock = [1000.0]
    monkeypatch.setattr(server.time, "monotonic", lambda: clock[0])
    probe = visitor = 0
    visitor_tries = []
    for second in range(120):
        clock[0] = 1000.0 + second
        probe += handler()[0] is server._Counted
        if second >= 30 and second % 15 == 0 and not visitor:
            visitor_tries.append(second)
            visitor += handler(client="visitor-cookie")[0] is server._Counted
    assert visitor == 1 and len(visitor_tries) <= 2, visitor_tries
    assert probe <= 120 / stub.starting_seconds * stub.max_starting


def test_one_visitor_alone_opens_two_dashboards_at_once():
    """Nobody else waiting, one client may take every starting place (the landing page's links, opened
    together); the third is refused for the starting rate, not for its share."""
    from finaudit.views import server

    _, handler = guarded()
    kinds = [handler(client="me") for _ in range(3)]
    assert [k for k, _ in kinds] == [server._Counted, server._Counted, server.Busy]
    assert kinds[2][1]["reason"] == "starting"


def test_culling_spares_a_kernel_still_rendering_its_first_page(monkeypatch):
    """At load 13, a preheated kernel taken by the first page while still importing ran 47 s without a word
    and no connection, and was culled under the page (which stayed blank). Culling now waits for a kernel's
    first connection, or `render_grace_seconds`; a kernel that had a page is culled as before."""
    import asyncio

    from finaudit.views import server

    stub, _ = guarded(render_grace_seconds=300.0)
    culled = []

    class Manager:
        _kernel_connections = {"closed-page": 1}

        async def cull_kernel_if_idle(self, kernel_id):
            culled.append(kernel_id)

        def list_kernel_ids(self):
            return ["rendering", "closed-page", "abandoned"]

    manager = Manager()
    stub.spare_rendering_kernels(manager)
    clock = [0.0]
    monkeypatch.setattr(server.time, "monotonic", lambda: clock[0])
    for at in (0.0, 10.0):
        clock[0] = at
        for kernel in ("rendering", "closed-page"):
            asyncio.run(manager.cull_kernel_if_idle(kernel))
    manager._kernel_connections = {}  # the page closed
    clock[0] = 20.0
    asyncio.run(manager.cull_kernel_if_idle("closed-page"))
    assert culled == ["closed-page", "closed-page", "closed-page"]  # the culler's own rules decide for it
    clock[0] = 301.0
    asyncio.run(manager.cull_kernel_if_idle("rendering"))  # no page came within the grace: culled as before
    assert culled[-1] == "rendering"


@pytest.mark.parametrize("live, earlier, waiting, client, reason, zh, en", [
    (3, [], {}, "a", "sessions", "上限 3 个", "All 3 dashboard pages"),
    (0, [(0, "a")], {"b": 1009.0}, "a", "client", "每位访问者 20 秒内最多启动 1 个", "each visitor starts at most 1 within 20 s"),
    (0, [(0, "b"), (1, "c")], {}, "a", "starting", "20 秒内最多启动 2 个页面，现已启动 2 个",
     "at most 2 pages start within 20 s"),
])
def test_the_busy_page_names_the_limit_that_is_full(monkeypatch, live, earlier, waiting, client, reason, zh, en):
    """The limit that refused the page, the numbers of the moment and when the page retries (issue 25: "the
    limit of 8 pages" was shown with 2 pages open, when the start-up rate was full)."""
    from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

    from finaudit.views import server

    stub, handler = guarded(live=live)
    monkeypatch.setattr(server.time, "monotonic", lambda: 1010.0)
    stub.admitted.extend((1000.0 + at, who) for at, who in earlier)
    stub.refused.update(waiting)
    kind, arguments = handler(client=client)
    assert kind is server.Busy and arguments["reason"] == reason
    page = server.Busy.__new__(server.Busy)
    written = []
    page.request = HTTPServerRequest(start_line=RequestStartLine("GET", "/", "HTTP/1.1"),
                                     headers=HTTPHeaders({"Host": "127.0.0.1"}))
    page.set_status = page.set_header = page.set_cookie = lambda *a, **k: None
    page.get_cookie = lambda name: client
    page.finish = written.append
    page.initialize(**arguments)
    page.prepare()
    assert zh in written[0] and en in written[0] and f'content="{page.retry}"' in written[0], written[0]
    assert 2 <= page.retry <= 20
    assert ("同时打开的仪表板已达上限" in written[0]) == (reason == "sessions")


# -- 2b. a memory ceiling per kernel (issue 27) --------------------------------------------------
READ_UNDER_CEILING = """
import json, resource, sys, time
from finaudit.read.limits import load_bounded
start = time.perf_counter()
try:
    load_bounded(sys.argv[1])
    outcome = "read"
except Exception as error:
    outcome = f"{type(error).__name__}: {error}"
print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - start,
                  "own_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def under_ceiling(paths: list[Path], ceiling_mb: int, read_mb: int) -> list[dict]:
    """Read each of `paths` at once, each in its own process started as the server starts a kernel (through
    finaudit.views.ceiling) with the read allowed `read_mb` (as the server sets it for its kernels)."""
    pytest.importorskip("pypdfium2")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FINAUDIT_LIMIT_MEMORY_MB": str(read_mb)}
    processes = [subprocess.Popen([sys.executable, "-m", "finaudit.views.ceiling", str(ceiling_mb), "--",
                                   sys.executable, "-c", READ_UNDER_CEILING, str(path)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
                 for path in paths]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_three_form_bombs_at_once_stay_under_the_ceiling(write):
    """Three 3 KB form bombs read at once, each as a dashboard kernel reads an upload: each read ends with
    an "out of memory" message (PDFium aborts when an allocation fails; it said "scanned images?"), every process of each tree stays under the ceiling (a kernel's share), and
    the callers live on. Before, the read's worker was allowed 2 GB above the caller and its page worker as
    much again: 2.68 GB per 2.4 KB file, 8.3 GB for three."""
    bomb = form_bomb()
    assert len(bomb) < 3500
    paths = [write(f"bomb{i}.pdf", bomb) for i in range(3)]
    results = under_ceiling(paths, ceiling_mb=2000, read_mb=300)
    for result in results:
        assert "out of memory" in result["outcome"] and "scanned" not in result["outcome"], result
        assert result["children_mb"] <= result["own_mb"] + 300 + 50, result  # a forked child shares the caller's pages
        assert result["seconds"] < 60, result


def test_a_ceiling_below_the_read_limit_lowers_it_and_a_real_pdf_still_reads():
    """Under a kernel's ceiling lower than the read's own 2 GB allowance, the read's worker takes the ceiling
    (it used to ask for more, fail, and report the sample as "out of memory")."""
    result, = under_ceiling([ROOT / "sample_data" / "shanghai-putuo-finance-bureau-2024-final.pdf"],
                            ceiling_mb=2500, read_mb=2048)
    assert result["outcome"] == "read", result


def test_the_server_launches_kernels_under_the_ceiling():
    pytest.importorskip("voila")
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME

    from finaudit.views import ceiling, server

    spec = server.CeilingKernelSpecManager(ceiling_mb=3000).get_kernel_spec(NATIVE_KERNEL_NAME)
    assert spec.argv[:6] == [sys.executable, "-m", "finaudit.views.ceiling", "3000", "--", sys.executable]
    assert "ipykernel_launcher" in spec.argv
    assert 512 <= server.machine_kernel_memory_mb(server.machine_sessions(), server.machine_pool_size()) <= 2048
    with pytest.raises(SystemExit):
        ceiling.main(["lots", "--", "true"])


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
    """`python -m finaudit.views.server notebooks` as `make run` starts it (no preheat and a cap of 0 sessions
    here, so no kernel starts): page and websocket refuse a foreign Host; the landing page links the three
    dashboards; each dashboard's page is the busy page that names the full limit (the dossier's was a 302 to a
    403), another notebook or path is 404 and starts nothing."""
    pytest.importorskip("voila")
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "finaudit.views.server", "notebooks", "--no-browser", f"--port={port}",
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
        status, landing = fetch(base + "/")
        assert status == 200 and "单份报告仪表板" in landing and "Portfolio" in landing
        for name in ("dashboard", "dossier", "portfolio"):
            assert f'href="/voila/render/{name}.ipynb"' in landing
            status, body = fetch(f"{base}/voila/render/{name}.ipynb")
            assert status == 503 and "Busy — retry in a moment" in body and "忙碌中" in body, (name, status)
            assert "同时打开的仪表板已达上限：0 个页面占用内核，上限 0 个" in body and 'data-reason="sessions"' in body
        for path in ("/x", "/voila/render/audit_workbook.ipynb", "/voila/render/nothing.ipynb"):
            assert fetch(base + path)[0] == 404, path
        assert fetch(base + "/voila/tree")[0] == 200  # redirected to the landing page
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


# -- the finaudit Voila template, wherever a dashboard is opened (issue 25) --------------------------
def test_the_template_is_installed_with_the_package_and_named_by_every_dashboard():
    """`voila notebooks/<name>.ipynb` and JupyterLab's Voila preview use the notebook's template (voila.json
    is read from the working folder only): each dashboard names the finaudit template; a wheel install puts
    every file of it in {prefix}/share/jupyter (data-files), and `make setup` copies it there for the editable
    install, which leaves data-files out."""
    import tomllib

    template = ROOT / "share" / "jupyter" / "voila" / "templates" / "finaudit"
    files = {f"share/jupyter/voila/templates/finaudit/{p.name}" for p in template.iterdir()}
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    assert set(data["share/jupyter/voila/templates/finaudit"]) == files
    for name in ("dashboard", "dossier", "portfolio"):
        notebook = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert notebook["metadata"]["voila"]["template"] == "finaudit", name
    makefile = (ROOT / "Makefile").read_text()
    assert "setup: $(VENV)/.installed $(VENV)/.template" in makefile
    assert "cp $(TEMPLATE)/* $(VENV)/$(TEMPLATE)/" in makefile and "JUPYTER_PATH" not in makefile
    assert "cdn." not in (template / "page.html").read_text(encoding="utf-8")  # the base of Voila's error pages
    assert "AbortSignal.timeout" in (template / "index.html.j2").read_text()
